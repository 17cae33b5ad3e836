"""The aftercare handout: the patient's instructions after one signed session.

``instructions(sites, agents=…)`` gives the plain-language handout: what to expect, what to
do, when to get help, and how to reach the clinic. The same ``Instructions`` feed the
printable PDF and the portal page. Each line carries its source and status, for the
clinician's view; the patient sees only the words.

Which sites add the chest and breathing warnings is ``consent.pneumothorax_sites``: the same
line that adds pneumothorax to the consent discussion.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"unverified" (not in the reference; clinic policy until a clinical lead signs it off).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from taut.clinical import atlas, consent, urgency
from taut.clinical.aftercare import cautions
from taut.clinical.aftercare.lines import POLICY, Line
from taut.clinical.aftercare.site_advice import SORE, structure_advice
from taut.clinical.consent import RISKS, Risk
from taut.clinical.dosing import Agent
from taut.clinical.inputs import member_of, read_collection, read_flag, read_text
from taut.clinical.sites import Side
from taut.clinical.wording import gettext_noop as _

VERSION = "2026.3"  # 2026.3: ligament and tendon sites (issue 15)


class SectionKey(StrEnum):
    EXPECT = "expect"
    DO = "do"
    EMERGENCY = "emergency"
    CALL = "call"
    CONTACT = "contact"


@dataclass(frozen=True)
class Section:
    key: SectionKey
    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True, kw_only=True)
class Instructions:
    """The aftercare handout for one session, in the order to print it."""

    sections: tuple[Section, ...]
    pneumothorax_sites: tuple[tuple[str, Side], ...]  # why the chest warning is there
    agents: tuple[Agent, ...]  # the local anaesthetics given; empty for saline or dry needling
    version: str = VERSION

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def texts(self) -> tuple[str, ...]:
        """Every patient-facing string: each heading, then its lines."""
        return tuple(
            text for s in self.sections for text in (s.heading, *(line.text for line in s.lines))
        )


_SORENESS = RISKS[Risk.SORENESS]
_INFECTION = RISKS[Risk.INFECTION]
_PNEUMOTHORAX = RISKS[Risk.PNEUMOTHORAX]
_LAST_SOURCE = "[S29b]"  # early CNS signs of local-anaesthetic toxicity; onset up to 60 min

SIGNS_UNSOURCED = "signs: general knowledge, not in clinical.md"

# One line per bullet: (words, source, status). Comments say what the source reports.
# fmt: off
_EXPECT = (
    # Soreness from 2–8 h [S10]; pain may come back or be worse for 1–3 days [S13].
    Line(_("Your muscles may be sore for a few days. This is common."),
         _SORENESS.source, _SORENESS.status),
    Line(_("The soreness often starts a few hours after the shots."), "[S10]", "verified"),
    Line(_("You may have a small bruise where a needle went in."),
         RISKS[Risk.BLEEDING].source, RISKS[Risk.BLEEDING].status),
    # Immediate relief [S15]; relief once the soreness settles is read from the 1–3 days of
    # post-injection pain [S13], not measured in any source.
    Line(_("Some people feel better right away. Some feel better in a few days, once the "
         "soreness goes."), "[S15]; [S13]", "unverified"),
    # A large drop that partly wears off by 2 weeks [S15]; relief for 7–14 days [S20].
    Line(_("The relief may not last. It may fade in a week or two."), "[S15], [S20]", "verified"),
    *cautions.RELIEF,
)

# Temporary numbness [S13]; shown only when an anaesthetic was given.
_NUMB = Line(_("The skin near each shot may feel numb for a while. This is the numbing drug."),
             "[S13]", "verified")

_DO = (
    Line(_("Stretch the treated muscles each day. Go slowly, as far as they will go."),
         "[S8d] (stretch the injected muscles to full length); each day at home: Taut's reading",
         "secondary"),
    Line(_("Rest the area for a day or two."), "[S8b]", "verified"),  # rest 1–2 days
    # Avoid strenuous activity while soreness lasts; use the muscle through its full range and
    # do not hold it shortened [S8b].
    Line(_("While the muscles are sore, do not do hard work or sport with them."),
         "[S8b]", "verified"),
    Line(_("Still move them through their full range. Do not keep them tight or bent for long."),
         "[S8b]", "verified"),
    Line(_("Light daily tasks are fine."),
         "Taut's reading of [S8b] (use the muscle, avoid strenuous activity)", "unverified"),
    Line(_("A warm pack may ease the soreness."),
         "[S8d] (a hot pack after stretching, in the clinic)", "secondary"),
    Line(_("Some people like a cold pack better. Use what feels best."), POLICY, "unverified"),
    # Continue PT, home exercise or functional restoration alongside TPI [S51].
    Line(_("Keep up your home exercise plan. Keep going to physical therapy if you have it."),
         "[S51]", "verified"),
)

# A session of ligament and tendon sites only: the muscle lines (stretch the muscles, keep
# their full range) do not apply; rest and exercise do.
_DO_NOT_MUSCLE = tuple(line for index, line in enumerate(_DO) if index not in (0, 2, 3))


def _emergency_lung(number: str) -> tuple[Line, ...]:
    return (
        Line(_("One of your shots was close to a lung. In rare cases, a needle can hurt the "
             "lung."), _PNEUMOTHORAX.source, _PNEUMOTHORAX.status),
        # The risk is verified; its signs (breathlessness, chest pain) are not in clinical.md.
        Line.said(_("Call {number} now if you get short of breath or chest pain."),
                  f"{_PNEUMOTHORAX.source}; {SIGNS_UNSOURCED}", "unverified", number=number),
    )


def emergency_last(number: str) -> Line:
    """Later signs of LAST: seizures, unconsciousness [S29b]. Source: [S29b]. Status:
    verified (the signs); the number to call is the clinic's."""
    return Line.said(_("If you have a seizure or pass out, someone should call {number}."),
                     "[S29b]", "verified", number=number)


def _emergency_last(number: str) -> tuple[Line, ...]:
    # Onset usually 1–5 min, range 30 s to 60 min [S29b]; early CNS signs [S29b]. LAST is an
    # emergency (ASRA checklist [S32]): the emergency number, not the clinic.
    return (
        Line.said(_("In the first hour after the shots, call {number} now if you have:"),
                  f"[S29b] (onset usually 1–5 min, up to 60 min), [S32]; whom to call: "
                  f"{urgency.POLICY}", "unverified", number=number),
        Line(_("numbness around your mouth"), _LAST_SOURCE, "verified"),
        Line(_("a taste of metal in your mouth"), _LAST_SOURCE, "verified"),
        Line(_("ringing in your ears"), _LAST_SOURCE, "verified"),
        Line(_("feeling mixed up, dizzy, or light in the head"), _LAST_SOURCE, "verified"),
        emergency_last(number),
    )


_CALL_INFECTION = (
    Line(_("Call us the same day if a place where a needle went in:"),
         f"{_INFECTION.source}; how soon to call: {POLICY}", "unverified"),
    Line(_("gets red, warm, or swollen, or leaks pus"),
         f"{_INFECTION.source}; {SIGNS_UNSOURCED}", "unverified"),
    Line(_("Also call if you get a fever."), f"{_INFECTION.source}; {SIGNS_UNSOURCED}",
         "unverified"),
)
# fmt: on


def _contact(clinic_name: str, clinic_phone: str, number: str) -> tuple[Line, ...]:
    if clinic_name and clinic_phone:
        reach = Line.said(
            _("Call {name} at {phone}."), POLICY, "unverified", name=clinic_name, phone=clinic_phone
        )
    elif clinic_phone:
        reach = Line.said(
            _("Call the clinic at {phone}."), POLICY, "unverified", phone=clinic_phone
        )
    elif clinic_name:
        reach = Line.said(
            _("Call {name}. The phone number is on your visit papers."),
            POLICY,
            "unverified",
            name=clinic_name,
        )
    else:
        reach = Line(
            _("Call the clinic. The phone number is on your visit papers."), POLICY, "unverified"
        )
    return (
        reach,
        Line.said(
            _("If you can not reach us and you feel very unwell, call {number}."),
            POLICY,
            "unverified",
            number=number,
        ),
    )


def read_line(value: object, field: str) -> str:
    """Text on one line: runs of white space, line breaks too, become one space.

    Not a rule: input checking (the clinic's name and phone number).
    """
    return " ".join(read_text(value, field).split())


def read_agents(agents: object) -> tuple[Agent, ...]:
    """The local anaesthetics given, each once, in first-seen order; an unknown id raises a
    ValueError naming its place (``agents[1]``). Not a rule: input checking.
    """
    parsed: dict[Agent, None] = {}
    for index, value in enumerate(read_collection(agents, "agents", "a list of agent ids")):
        agent = member_of(Agent, value)
        if agent is None:
            known = ", ".join(Agent)
            raise ValueError(
                f"agents[{index}]: unknown local anaesthetic {value!r}; known: {known}"
            )
        parsed[agent] = None
    return tuple(parsed)


def _placed(warnings: Iterable[tuple[str, Line]], tier: urgency.Tier) -> tuple[Line, ...]:
    """The warning lines whose ``urgency.RATINGS`` code has this tier."""
    return tuple(line for code, line in warnings if urgency.RATINGS[code].tier is tier)


def _steroid_sites(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    found = []
    for index, site in enumerate(read_collection(value, "steroid_sites", "a list of site ids")):
        if not isinstance(site, str) or site not in atlas.SITES:
            raise ValueError(f"steroid_sites[{index}]: unknown atlas site {site!r}")
        found.append(site)
    return tuple(found)


def instructions(
    sites: Iterable[tuple[str, str]],
    *,
    agents: Iterable[str] = (),
    clinic_name: str = "",
    clinic_phone: str = "",
    emergency_number: str = "911",
    steroid: bool = False,
    blood_thinner: bool = False,
    diabetes: bool = False,
    steroid_sites: Iterable[str] | None = None,
) -> Instructions:
    """The plain-language aftercare handout for a session at these ``(site_id, side)`` sites:
    atlas muscles and ligament or tendon sites (``consent.read_sites``).

    ``agents`` are the local anaesthetics given (``dosing.Agent`` ids; empty for saline or
    dry needling); ``steroid`` whether a corticosteroid was given; ``blood_thinner`` whether
    the patient takes an anticoagulant or antiplatelet; ``diabetes`` whether they have
    diabetes (it matters with a steroid). ``emergency_number`` is the clinic's (US: 911).

    Sections, the emergency first: get help now (call the emergency number: breathlessness
    or chest pain after a site over the lung, ``consent.pneumothorax_sites``; signs of local
    anaesthetic toxicity in the first hour, and a fit or fainting, when an anaesthetic was
    given; a severe allergic reaction when a drug was given); what to expect (soreness,
    relief at once or later, relief may fade, more sessions may be needed and repeats depend
    on how long relief lasts; numbness and how long it lasts; bruising on a blood thinner;
    a steroid's effects); what to do (stretch, rest, no strenuous use while sore, heat or
    cold but not on numb skin, no driving while numb or weak, pressure on a bleeding spot,
    blood sugar checks with diabetes and a steroid); when to call us (same day: infection,
    a mild allergic reaction, numbness or weakness the next day, bleeding, high blood sugar);
    and the clinic's contact line. Ligament and tendon sites add their places in plain words,
    rest, no running after a load-bearing site and, after a steroid at a tendon, a call for a
    snap or sudden pain (``site_advice``: ``steroid_sites``, the atlas ids of the sites given
    the steroid, keep a steroid given only into a muscle from changing them; None: the
    steroid counts at every site); a session of them alone drops the muscle lines.
    Which section a warning goes to is its
    ``urgency.RATINGS`` tier. Inputs are validated (ValueError naming the field).

    Source: [S8b], [S8d] (aftercare), [S10], [S13], [S15], [S20], [S12], [S49] (what to
    expect), [S9], [S14] (pneumothorax), [S29b], [S32] (LAST signs, timing, emergency),
    [S9], [S22] (steroid), [S8b], [S24] (bleeding), [S51] (keep exercising).
    Status: per line (``Line.status``); the tiers are clinic policy (``urgency``).
    """
    read = consent.read_sites(sites)
    lung_sites = consent.pneumothorax_sites(read)
    site_ids = [site for site, _side in read]
    muscles = any(site in atlas.MUSCLES for site in site_ids) or not site_ids
    given = read_agents(agents)
    name = read_line(clinic_name, "clinic_name")
    phone = read_line(clinic_phone, "clinic_phone")
    number = read_line(emergency_number, "emergency_number")
    if not number:
        raise ValueError("emergency_number: the clinic has no emergency number")
    extras = []
    if given:
        extras.append(cautions.numbness())
    if given or read_flag(steroid, "steroid"):
        extras.append(cautions.allergy(number))
    if read_flag(blood_thinner, "blood_thinner"):
        extras.append(cautions.blood_thinner())
    if steroid:
        extras.append(cautions.steroid(diabetes=read_flag(diabetes, "diabetes")))
    else:
        read_flag(diabetes, "diabetes")
    structures, structure_calls = structure_advice(
        site_ids, steroid=steroid, steroid_sites=_steroid_sites(steroid_sites)
    )
    extras.append(structures)
    # Every warning line with the urgency code whose tier places it (emergency: first).
    warnings = [
        *(("breathing", line) for line in (_emergency_lung(number) if lung_sites else ())),
        *(("last_symptoms", line) for line in (_emergency_last(number) if given else ())),
        *(("infection", line) for line in _CALL_INFECTION),
        *(pair for extra in extras for pair in extra.warnings),
    ]

    first = _EXPECT if muscles else (SORE, *_EXPECT[1:])
    expect: tuple[Line, ...] = (*first[:3], _NUMB, *first[3:]) if given else first
    expect += tuple(line for extra in extras for line in extra.expect)
    do = (_DO if muscles else _DO_NOT_MUSCLE) + tuple(line for extra in extras for line in extra.do)
    emergency = _placed(warnings, urgency.Tier.EMERGENCY)
    call = (
        *_placed(warnings, urgency.Tier.SAME_DAY),
        *structure_calls,
        *_placed(warnings, urgency.Tier.NEXT_WORKING_DAY),
    )
    sections = []
    if emergency:
        sections.append(Section(SectionKey.EMERGENCY, _("Get help now"), emergency))
    sections += [
        Section(SectionKey.EXPECT, _("What to expect"), expect),
        Section(SectionKey.DO, _("What to do"), do),
        Section(SectionKey.CALL, _("When to call us"), call),
        Section(SectionKey.CONTACT, _("How to reach us"), _contact(name, phone, number)),
    ]
    return Instructions(sections=tuple(sections), pneumothorax_sites=lung_sites, agents=given)
