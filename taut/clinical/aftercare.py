"""Aftercare after trigger point injection: the patient's instructions and the warning signs.

``instructions(sites, agents=…)`` gives the plain-language handout for one signed session:
what to expect, what to do, when to get help, and how to reach the clinic. The same
``Instructions`` feed the printable PDF and the portal page. Each line carries its source
and status, for the clinician's view; the patient sees only the words. The text aims at a
reading age of about 12: ``reading_grade`` (Flesch–Kincaid) scores it, and a test keeps
every line at US grade 7 or below for every kind of session.

``WARNING_SIGNS`` are the yes/no questions a check-in asks about complications, each with
the alert a "yes" raises; ``warning_signs`` picks those that apply to a session and a
check-in, and ``alerts`` turns answers into alerts for the clinician worklist.

Which sites add the chest and breathing warnings is ``consent.pneumothorax_sites``: the same
line that adds pneumothorax to the consent discussion.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"unverified" (not in the reference; clinic policy until a clinical lead signs it off).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from taut.clinical import consent
from taut.clinical.consent import RISKS, Risk
from taut.clinical.dosing import Agent
from taut.clinical.inputs import is_whole, member_of, read_collection, read_text
from taut.clinical.schedule import DEFAULT_PLAN, Checkpoint

VERSION = "2026.1"

# Check-in days (offset from the session) up to which each warning is asked. Clinic policy.
LAST_UNTIL_DAY = 1  # LAST starts within 60 min [S29b]: ask once, at the first check-in
PNEUMOTHORAX_UNTIL_DAY = 3  # day 1 and day 3 of the default plan
INFECTION_UNTIL_DAY = 14  # up to week 2


# --- the handout -----------------------------------------------------------------------------


class SectionKey(StrEnum):
    EXPECT = "expect"
    DO = "do"
    EMERGENCY = "emergency"
    CALL = "call"
    CONTACT = "contact"


@dataclass(frozen=True)
class Line:
    """One bullet of the handout: the patient's words, and for the clinician its source."""

    text: str
    source: str
    status: str


@dataclass(frozen=True)
class Section:
    key: SectionKey
    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True, kw_only=True)
class Instructions:
    """The aftercare handout for one session, in the order to print it."""

    sections: tuple[Section, ...]
    pneumothorax_sites: tuple[tuple[str, consent.Side], ...]  # why the chest warning is there
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
_POLICY = "clinic policy (not in clinical.md)"

_SIGNS_UNSOURCED = "signs: general knowledge, not in clinical.md"

# One line per bullet: (words, source, status). Comments say what the source reports.
# fmt: off
_EXPECT = (
    # Soreness from 2–8 h [S10]; pain may come back or be worse for 1–3 days [S13].
    Line("Your muscles may be sore for a few days. This is common.",
         _SORENESS.source, _SORENESS.status),
    Line("The soreness often starts a few hours after the shots.", "[S10]", "verified"),
    Line("You may have a small bruise where a needle went in.",
         RISKS[Risk.BLEEDING].source, RISKS[Risk.BLEEDING].status),
    # Immediate relief [S15]; relief once the soreness settles is read from the 1–3 days of
    # post-injection pain [S13], not measured in any source.
    Line("Some people feel better right away. Some feel better in a few days, once the "
         "soreness goes.", "[S15]; [S13]", "unverified"),
    # A large drop that partly wears off by 2 weeks [S15]; relief for 7–14 days [S20].
    Line("The relief may not last. It may fade in a week or two.", "[S15], [S20]", "verified"),
)

# Temporary numbness [S13]; shown only when an anaesthetic was given.
_NUMB = Line("The skin near each shot may feel numb for a while. This is the numbing drug.",
             "[S13]", "verified")

_DO = (
    Line("Stretch the treated muscles each day. Go slowly, as far as they will go.",
         "[S8d] (stretch the injected muscles to full length); each day at home: Taut's reading",
         "secondary"),
    Line("Rest the area for a day or two.", "[S8b]", "verified"),  # rest 1–2 days
    # Avoid strenuous activity while soreness lasts; use the muscle through its full range and
    # do not hold it shortened [S8b].
    Line("While the muscles are sore, do not do hard work or sport with them.",
         "[S8b]", "verified"),
    Line("Still move them through their full range. Do not keep them tight or bent for long.",
         "[S8b]", "verified"),
    Line("Light daily tasks are fine.",
         "Taut's reading of [S8b] (use the muscle, avoid strenuous activity)", "unverified"),
    Line("A warm pack may ease the soreness.",
         "[S8d] (a hot pack after stretching, in the clinic)", "secondary"),
    Line("Some people like a cold pack better. Use what feels best.", _POLICY, "unverified"),
    # Continue PT, home exercise or functional restoration alongside TPI [S51].
    Line("Keep up your home exercise plan. Keep going to physical therapy if you have it.",
         "[S51]", "verified"),
)

_EMERGENCY_LUNG = (
    Line("One of your shots was close to a lung. In rare cases, a needle can hurt the lung.",
         _PNEUMOTHORAX.source, _PNEUMOTHORAX.status),
    # The risk is verified; its signs (breathlessness, chest pain) are not in clinical.md.
    Line("Call an ambulance now if you get short of breath or chest pain.",
         f"{_PNEUMOTHORAX.source}; {_SIGNS_UNSOURCED}", "unverified"),
)

# Later signs of LAST: seizures, unconsciousness [S29b].
_EMERGENCY_LAST = Line("If you have a seizure (fit) or pass out, someone should call an "
                       "ambulance.", "[S29b]", "verified")

_CALL_LAST = (
    # Onset usually 1–5 min, range 30 s to 60 min [S29b]; early CNS signs [S29b].
    Line("In the first hour after the shots, call us at once if you have:",
         f"[S29b] (onset usually 1–5 min, up to 60 min); whom to call: {_POLICY}", "unverified"),
    Line("numbness around your mouth", _LAST_SOURCE, "verified"),
    Line("a taste of metal in your mouth", _LAST_SOURCE, "verified"),
    Line("ringing in your ears", _LAST_SOURCE, "verified"),
    Line("feeling mixed up, dizzy, or light in the head", _LAST_SOURCE, "verified"),
)

_CALL_INFECTION = (
    Line("Call us the same day if a place where a needle went in:",
         f"{_INFECTION.source}; how soon to call: {_POLICY}", "unverified"),
    Line("gets red, warm, or swollen, or leaks pus",
         f"{_INFECTION.source}; {_SIGNS_UNSOURCED}", "unverified"),
    Line("Also call if you get a fever.", f"{_INFECTION.source}; {_SIGNS_UNSOURCED}",
         "unverified"),
)
# fmt: on


def _contact(clinic_name: str, clinic_phone: str) -> tuple[Line, ...]:
    name = clinic_name or "the clinic"
    if clinic_phone:
        reach = f"Call {name} at {clinic_phone}."
    else:
        reach = f"Call {name}. The phone number is on your visit papers."
    return (
        Line(reach, _POLICY, "unverified"),
        Line(
            "If you can not reach us and you feel very unwell, call an ambulance.",
            _POLICY,
            "unverified",
        ),
    )


def _text(value: object, field: str) -> str:
    return " ".join(read_text(value, field).split())


def _agents(agents: object) -> tuple[Agent, ...]:
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


def instructions(
    sites: Iterable[tuple[str, str]],
    *,
    agents: Iterable[str] = (),
    clinic_name: str = "",
    clinic_phone: str = "",
) -> Instructions:
    """The plain-language aftercare handout for a session at these ``(muscle_id, side)`` sites.

    ``agents`` are the local anaesthetics given (``dosing.Agent`` ids; empty for saline or
    dry needling). Sections: what to expect (soreness for a few days, relief at once or
    later, relief may fade); what to do (stretch, rest a day or two, no strenuous use while
    sore, keep the full range, heat or cold, keep up exercise); get emergency help (only
    after a site over the lung, ``consent.pneumothorax_sites``: breathlessness or chest pain;
    and, when an anaesthetic was given, a fit or fainting); call the clinic (signs of local
    anaesthetic toxicity in the first hour, only when an anaesthetic was given; signs of
    infection); and the clinic's contact line. Sites and agents are validated (unknown ids
    raise ValueError naming the field).

    Source: [S8b], [S8d] (aftercare), [S10], [S13], [S15], [S20] (what to expect),
    [S9], [S14] (pneumothorax), [S29b] (LAST signs and timing), [S51] (keep exercising).
    Status: per line (``Line.status``); heat or cold, everyday activity, infection signs,
    breathlessness and chest pain as the signs of pneumothorax, and the contact lines are
    unverified.
    """
    lung_sites = consent.pneumothorax_sites(sites)
    given = _agents(agents)
    name = _text(clinic_name, "clinic_name")
    phone = _text(clinic_phone, "clinic_phone")

    expect = (*_EXPECT[:3], _NUMB, *_EXPECT[3:]) if given else _EXPECT
    emergency = (*(_EMERGENCY_LUNG if lung_sites else ()), *((_EMERGENCY_LAST,) if given else ()))
    call = (*(_CALL_LAST if given else ()), *_CALL_INFECTION)
    sections = [
        Section(SectionKey.EXPECT, "What to expect", expect),
        Section(SectionKey.DO, "What to do", _DO),
    ]
    if emergency:
        sections.append(Section(SectionKey.EMERGENCY, "Get help now", emergency))
    sections += [
        Section(SectionKey.CALL, "When to call us", call),
        Section(SectionKey.CONTACT, "How to reach us", _contact(name, phone)),
    ]
    return Instructions(sections=tuple(sections), pneumothorax_sites=lung_sites, agents=given)


# --- reading grade ---------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+|\n")
_VOWELS = re.compile(r"[aeiouy]+")


def _syllables(word: str) -> int:
    # Vowel groups, less a silent final "e" (but not "-le": "ta-ble"). It over-counts a few
    # words ("times", "used"), which errs toward a harder grade.
    word = word.lower()
    count = len(_VOWELS.findall(word))
    if count > 1 and word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        count -= 1
    return max(count, 1)


def reading_grade(text: str) -> float:
    """Flesch–Kincaid grade level: ``0.39·words/sentences + 11.8·syllables/words − 15.59``.

    Words are runs of letters (numbers and phone numbers are not words); sentences end at
    ".", "!", "?" or a line break (each bullet is a sentence); syllables are counted by a
    simple rule (vowel groups, less a silent final "e"). US grade 7 is about age 12–13.
    Text with no words raises ValueError.

    Source: Kincaid, Fishburne, Rogers & Chissom 1975, Research Branch Report 8-75, Naval
    Technical Training Command (not in clinical.md). Status: secondary (the formula as
    published implementations give it; the report itself was not read); the syllable rule
    is Taut's.
    """
    read_text(text, "text")
    sentences = [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    words = _WORD.findall(text)
    if not words:
        raise ValueError("text: has no words to grade")
    syllables = sum(_syllables(word) for word in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


# --- warning signs at check-ins --------------------------------------------------------------


class Severity(StrEnum):
    URGENT = "urgent"  # contact the patient now
    SOON = "soon"  # contact the patient today


class Sign(StrEnum):
    LAST = "last_symptoms"
    BREATHING = "breathing"
    CHEST_PAIN = "chest_pain"
    INFECTION = "infection"


class AskWhen(StrEnum):
    ALWAYS = "always"
    ANAESTHETIC = "anaesthetic"  # a local anaesthetic was given (or it is not known)
    PNEUMOTHORAX_SITE = "pneumothorax_site"  # a site over the lung was injected


@dataclass(frozen=True, kw_only=True)
class WarningSign:
    """One yes/no warning question, when a check-in asks it, and the alert a "yes" raises."""

    sign: Sign
    question: str  # patient-facing
    severity: Severity
    ask_when: AskWhen
    until_day: int  # asked at check-ins up to this many days after the session
    alert: str  # clinician-facing
    source: str
    status: str

    @property
    def checkpoints(self) -> tuple[str, ...]:
        """The default plan's check-ins that ask it (when its condition holds)."""
        return tuple(p.key for p in DEFAULT_PLAN.checkpoints if p.offset_days <= self.until_day)


# fmt: off
WARNING_SIGNS: tuple[WarningSign, ...] = (
    WarningSign(
        sign=Sign.LAST,
        question="Soon after your shots, did you have any of these? A numb mouth, a taste of "
        "metal, ringing in your ears, or feeling mixed up or dizzy.",
        severity=Severity.URGENT, ask_when=AskWhen.ANAESTHETIC, until_day=LAST_UNTIL_DAY,
        alert="Symptoms of local anaesthetic systemic toxicity (numb mouth, metallic taste, "
        "tinnitus, confusion or dizziness) after the injections.",
        source="[S29b] (early CNS signs; onset 30 s to 60 min); asking at day 1: clinic policy",
        status="verified",
    ),
    WarningSign(
        sign=Sign.BREATHING,
        question="Since your shots, have you been short of breath?",
        severity=Severity.URGENT, ask_when=AskWhen.PNEUMOTHORAX_SITE,
        until_day=PNEUMOTHORAX_UNTIL_DAY,
        alert="Short of breath after injection at a site over the lung: possible pneumothorax.",
        source="[S9], [S14] (pneumothorax); breathlessness as its sign and days 1–3: not in "
        "clinical.md",
        status="unverified",
    ),
    WarningSign(
        sign=Sign.CHEST_PAIN,
        question="Since your shots, have you had pain in your chest?",
        severity=Severity.URGENT, ask_when=AskWhen.PNEUMOTHORAX_SITE,
        until_day=PNEUMOTHORAX_UNTIL_DAY,
        alert="Chest pain after injection at a site over the lung: possible pneumothorax.",
        source="[S9], [S14] (pneumothorax); chest pain as its sign and days 1–3: not in "
        "clinical.md",
        status="unverified",
    ),
    WarningSign(
        sign=Sign.INFECTION,
        question="Is any place where a needle went in red, warm, swollen, or leaking pus? Or "
        "have you had a fever?",
        severity=Severity.SOON, ask_when=AskWhen.ALWAYS, until_day=INFECTION_UNTIL_DAY,
        alert="Signs of infection at an injection site (redness, warmth, swelling, pus or "
        "fever).",
        source="[S13] (skin infection); the signs and weeks 0–2: not in clinical.md",
        status="unverified",
    ),
)
# fmt: on

_BY_SIGN = {w.sign: w for w in WARNING_SIGNS}


def as_checkpoint(checkpoint: object, field: str = "checkpoint") -> Checkpoint:
    """A ``schedule.Checkpoint``, given one or a key of ``schedule.DEFAULT_PLAN``.

    A clinic's own plan passes its ``Checkpoint`` (the rules read its ``offset_days``); a
    bare key must be one of the default plan's, since only its offset gives the rules.
    Source: clinic policy (``schedule.DEFAULT_PLAN``); not a clinical rule. Status: unverified.
    """
    if isinstance(checkpoint, Checkpoint):
        offset = checkpoint.offset_days
        if not is_whole(offset) or offset < 1:
            raise ValueError(f"{field}: offset_days must be a whole day ≥ 1, got {offset!r}")
        return checkpoint
    for point in DEFAULT_PLAN.checkpoints:
        if point.key == checkpoint:
            return point
    keys = ", ".join(p.key for p in DEFAULT_PLAN.checkpoints)
    raise ValueError(
        f"{field}: unknown check-in {checkpoint!r}; pass a schedule.Checkpoint for a clinic's "
        f"own plan, or one of {keys}"
    )


def _anaesthetic(agents: object) -> bool:
    return True if agents is None else bool(_agents(agents))


def warning_signs(
    *,
    sites: Iterable[tuple[str, str]],
    checkpoint: Checkpoint | str,
    agents: Iterable[str] | None = None,
) -> tuple[WarningSign, ...]:
    """The warning questions a check-in asks, in ``WARNING_SIGNS`` order.

    LAST symptoms at check-ins up to day 1 when a local anaesthetic was given (``agents``
    None means not known, and asks); breathlessness and chest pain up to day 3 when a site is
    over the lung (``consent.pneumothorax_sites``); infection signs up to day 14. The day is
    the checkpoint's ``offset_days``, so a clinic's own plan works too.
    Source: [S29b] (LAST onset), [S9], [S14] (pneumothorax), [S13] (infection). Status:
    the risks verified; the days asked are clinic policy (unverified).
    """
    point = as_checkpoint(checkpoint)
    conditions = {
        AskWhen.ALWAYS: True,
        AskWhen.ANAESTHETIC: _anaesthetic(agents),
        AskWhen.PNEUMOTHORAX_SITE: bool(consent.pneumothorax_sites(sites)),
    }
    return tuple(
        w for w in WARNING_SIGNS if conditions[w.ask_when] and point.offset_days <= w.until_day
    )


@dataclass(frozen=True, kw_only=True)
class Alert:
    """An alert for the clinician worklist, raised by a "yes" to a warning question."""

    code: str  # the warning sign's id
    severity: Severity
    text: str  # for the clinician
    source: str
    status: str
    version: str = VERSION


def _answers(answers: object) -> dict[Sign, bool | None]:
    if not isinstance(answers, Mapping):
        raise ValueError(f"answers: expected a mapping of question id to yes/no, got {answers!r}")
    parsed = {}
    for key, value in answers.items():
        try:
            sign = Sign(key)
        except ValueError:
            known = ", ".join(Sign)
            raise ValueError(f"answers: unknown question id {key!r}; known: {known}") from None
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"answers[{key!r}]: expected True, False or None, got {value!r}")
        parsed[sign] = value
    return parsed


def _site_names(sites: tuple[tuple[str, consent.Side], ...]) -> str:
    return ", ".join(f"{muscle.replace('_', ' ')} ({side})" for muscle, side in sites)


def alerts(
    answers: Mapping[str, bool | None],
    *,
    sites: Iterable[tuple[str, str]],
    checkpoint: Checkpoint | str,
) -> tuple[Alert, ...]:
    """The alerts a check-in's yes/no warning answers raise: one per "yes", urgent first.

    ``answers`` maps a warning question id (``Sign``) to True (yes), False (no) or None
    (unanswered); an unknown id raises ValueError. A "yes" always raises its alert, even to
    a question this check-in would not ask: a reported symptom is never dropped. The text
    names the check-in and, for the chest questions, the sites over the lung.
    Source: see ``WARNING_SIGNS`` ([S29b], [S9], [S14], [S13]). Status: per sign; the
    severities are clinic policy (unverified).
    """
    given = _answers(answers)
    point = as_checkpoint(checkpoint)
    lung_sites = consent.pneumothorax_sites(sites)
    raised = []
    for warning in sorted(WARNING_SIGNS, key=lambda w: w.severity != Severity.URGENT):
        if given.get(warning.sign) is not True:
            continue
        text = f"{point.label} check-in: {warning.alert}"
        if warning.ask_when is AskWhen.PNEUMOTHORAX_SITE:
            text += (
                f" Sites: {_site_names(lung_sites)}."
                if lung_sites
                else " No site over the lung was recorded."
            )
        raised.append(
            Alert(
                code=warning.sign.value,
                severity=warning.severity,
                text=text,
                source=warning.source,
                status=warning.status,
            )
        )
    return tuple(raised)


# --- what the patient reads after a warning answer -------------------------------------------


@dataclass(frozen=True)
class Advice:
    """What a patient is told at once after answering "yes" to warning questions.

    ``emergency`` (call an ambulance) comes first, then ``call`` (call the clinic now). Each
    line carries its source and status like the handout's.
    """

    emergency: tuple[Line, ...]
    call: tuple[Line, ...]
    version: str = VERSION

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(line.text for line in (*self.emergency, *self.call))


# fmt: off
# Someone who says "yes" to breathlessness or chest pain after a site over the lung may have a
# pneumothorax now: the handout's emergency line, worded for the present.
_ADVICE_LUNG = Line("If you are short of breath or have chest pain now, call an ambulance.",
                    f"{_PNEUMOTHORAX.source}; {_SIGNS_UNSOURCED}", "unverified")
_ADVICE_SENT = Line("We have sent your answers to the clinic team. Do not wait for them to "
                    "call you.", _POLICY, "unverified")
# fmt: on


def advice_after_warnings(
    signs: Iterable[str], *, clinic_name: str = "", clinic_phone: str = ""
) -> Advice | None:
    """What to tell a patient who answered "yes" to the warning questions ``signs``.

    None when ``signs`` is empty. Otherwise: call the clinic now (with its phone number when
    known) and tell them what you told us; your answers were sent to the clinic team, but do
    not wait for a call. A "yes" to breathlessness or chest pain adds, first, "call an
    ambulance" if it is happening now (the handout's pneumothorax line); a "yes" to the signs
    of local anaesthetic toxicity adds the handout's line on a fit or passing out. Every sign
    is told to call now, even the ones that raise a "soon" alert: calling early is safe and one
    plain instruction is easier to follow. Unknown sign ids raise ValueError naming the field.

    Source: [S9], [S14] (pneumothorax), [S29b] (later signs of LAST), ``WARNING_SIGNS``.
    Status: unverified (clinic policy: whom to call and how soon; the signs as in the table).
    """
    items = read_collection(signs, "signs", "a list of warning question ids")
    given: set[Sign] = set()
    for index, value in enumerate(items):
        try:
            given.add(Sign(value))
        except ValueError:
            known = ", ".join(Sign)
            raise ValueError(
                f"signs[{index}]: unknown warning sign {value!r}; known: {known}"
            ) from None
    if not given:
        return None
    name = _text(clinic_name, "clinic_name") or "the clinic"
    phone = _text(clinic_phone, "clinic_phone")
    emergency = []
    if given & {Sign.BREATHING, Sign.CHEST_PAIN}:
        emergency.append(_ADVICE_LUNG)
    if Sign.LAST in given:
        emergency.append(_EMERGENCY_LAST)
    if phone:
        reach = f"Please call {name} now at {phone}."
    else:
        reach = f"Please call {name} now. The phone number is on your visit papers."
    call = (
        Line(reach, _POLICY, "unverified"),
        Line("Tell them what you told us here.", _POLICY, "unverified"),
        _ADVICE_SENT,
    )
    return Advice(emergency=tuple(emergency), call=call)
