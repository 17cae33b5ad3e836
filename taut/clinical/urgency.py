"""How soon a patient must act on what they told us: one urgency tier for every message.

Every patient-facing message about something a patient reported (a red-flag answer in the
pre-visit intake, a warning answer at a check-in, a warning line of the aftercare handout)
takes its tier from ``RATINGS`` here, and its words from ``instruction``:

- **emergency**: call the clinic's emergency number (US: 911) now; shown first, and the
  clinic's alert is urgent;
- **same day**: call the clinic today;
- **next working day**: call the clinic on its next working day;
- **routine**: nothing to do now; the clinic talks about it at the visit.

The conditions behind each rating are sourced (cauda equina [S25]; myelopathy and arterial
dissection, "urgent" [S26]; local anaesthetic toxicity [S29b], [S32]; pneumothorax [S9],
[S14]; infection [S13]; tendon rupture after a steroid at a tendon: general knowledge, not
in clinical.md, unverified). Which tier each one gets is clinic policy, set by the clinical
review of issue 11 ("emergencies are called emergencies"): status "unverified" until a
clinical lead signs it off. A tier never goes down in this table without a new review.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from taut.clinical.inputs import read_collection, read_text
from taut.clinical.wording import gettext_noop as _

VERSION = "2026.2"  # 2026.2: the patient's sentences keep their templates, for Spanish
POLICY = "clinic policy: issue 11 clinical review (unverified)"


class Tier(StrEnum):
    EMERGENCY = "emergency"
    SAME_DAY = "same_day"
    NEXT_WORKING_DAY = "next_working_day"
    ROUTINE = "routine"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """0 for the most urgent; sort by it to put emergencies first."""
        return list(Tier).index(self)


_LABELS = {
    Tier.EMERGENCY: "Emergency: call the emergency number now",
    Tier.SAME_DAY: "Same day: call the clinic today",
    Tier.NEXT_WORKING_DAY: "Next working day: call the clinic",
    Tier.ROUTINE: "Routine: talk about it at the visit",
}


class Severity(StrEnum):
    """The clinic alert a tier raises (``aftercare.Alert.Severity`` values)."""

    URGENT = "urgent"  # contact the patient now
    SOON = "soon"  # contact the patient today


@dataclass(frozen=True)
class Rating:
    """What one reported thing means for how soon to act. ``code`` is a red-flag question id
    (``screening``), a check-in warning sign (``aftercare.Sign``) or a handout warning."""

    code: str
    tier: Tier
    why: str  # for the clinician: the condition it may be
    source: str
    status: str = "unverified"


def _r(code: str, tier: Tier, why: str, source: str) -> Rating:
    return Rating(code, tier, why, f"{source}; tier: {POLICY}")


_E, _D, _N = Tier.EMERGENCY, Tier.SAME_DAY, Tier.NEXT_WORKING_DAY

# fmt: off
_TABLE = (
    # Pre-visit red flags (screening.NECK_RED_FLAGS, BACK_RED_FLAGS, patient wording).
    _r("back.saddle_numbness", _E, "Saddle numbness: possible cauda equina.", "[S25]"),
    _r("back.bladder_bowel", _E, "New bladder or bowel trouble: possible cauda equina.", "[S25]"),
    _r("neck.bladder_bowel", _E, "New bladder or bowel trouble: possible myelopathy "
       "(urgent neurosurgery).", "[S26]"),
    _r("neck.vascular", _E, "Tearing neck pain or stroke-like symptoms: possible arterial "
       "dissection or vertebrobasilar insufficiency (urgent).", "[S26]"),
    _r("neck.gait_or_hands", _D, "Unsteady walking or clumsy hands: possible myelopathy.",
       "[S26]"),
    _r("neck.long_tract_signs", _D, "Long-tract signs on examination: possible myelopathy.",
       "[S26]"),
    _r("neck.progressive_deficit", _D, "Worsening weakness or numbness in the arms: possible "
       "nerve damage.", "[S26]"),
    _r("back.progressive_deficit", _D, "Worsening weakness or numbness in the legs: possible "
       "nerve damage or cauda equina.", "[S25]"),
    _r("neck.fever", _D, "Fever, night sweats or stiff neck: possible infection.", "[S26]"),
    _r("back.fever", _D, "Fever, chills or recent infection: possible spinal infection.",
       "[S25]"),
    _r("neck.cancer_or_weight_loss", _D, "Cancer history, weight loss or night pain: possible "
       "malignancy.", "[S26], [S27]"),
    _r("back.cancer_or_weight_loss", _D, "Cancer history or weight loss: possible malignancy.",
       "[S25]"),
    _r("neck.trauma_or_surgery", _D, "Major neck injury or neck surgery: serious pathology to "
       "rule out.", "[S27]"),
    _r("back.trauma", _D, "Major injury, or a minor one with weak bones: possible fracture.",
       "[S25]"),
    # Check-in warning answers (aftercare.Sign).
    _r("last_symptoms", _E, "Signs of local anaesthetic systemic toxicity.", "[S29b], [S32]"),
    _r("breathing", _E, "Short of breath after a site over the lung: possible pneumothorax.",
       "[S9], [S14]"),
    _r("chest_pain", _E, "Chest pain after a site over the lung: possible pneumothorax.",
       "[S9], [S14]"),
    _r("infection", _D, "Redness, warmth, swelling, pus or fever: possible infection.", "[S13]"),
    _r("blood_sugar", _D, "Blood sugar high after a steroid, in a patient with diabetes.",
       "[S9], [S22]"),
    _r("tendon_rupture", _D, "A snap, sudden sharp pain or loss of use at a tendon given a "
       "steroid: possible tendon rupture.", "general knowledge, not in clinical.md"),
    # Handout warnings (aftercare.instructions).
    _r("allergy_severe", _E, "Swelling of the face or throat, or trouble breathing: possible "
       "anaphylaxis.", "[S9] (allergy); signs: general knowledge, not in clinical.md"),
    _r("allergy_mild", _D, "Rash, hives or itching: possible allergic reaction.",
       "[S9] (allergy); signs: general knowledge, not in clinical.md"),
    _r("numbness_persists", _D, "Numbness or weakness lasting past the anaesthetic's action: "
       "possible nerve injury.", "[S13] (temporary numbness); duration: not in clinical.md"),
    _r("bleeding", _D, "Bleeding that does not stop, or a growing bruise, on a blood thinner.",
       "[S8b], [S9] (haematoma; anticoagulation)"),
    # Pre-visit safety answers (screening.PATIENT_SAFETY_QUESTIONS).
    _r("site_infection_or_broken_skin", _N, "Infection or broken skin at the site: the session "
       "may need to move.", "[S9], [S15b]"),
)
# fmt: on

RATINGS: dict[str, Rating] = {rating.code: rating for rating in _TABLE}


@dataclass(frozen=True)
class Assessment:
    """The most urgent tier among what was reported, and each rating, most urgent first."""

    tier: Tier
    ratings: tuple[Rating, ...]
    version: str = VERSION

    @property
    def emergency(self) -> bool:
        return self.tier is Tier.EMERGENCY


def assess(reported: Iterable[str]) -> Assessment:
    """The urgency of what a patient reported (``RATINGS`` codes; each "yes" answer).

    The tier is the most urgent of the codes' tiers (emergency, same day, next working day,
    routine); nothing reported, or only codes rated routine, is routine. Codes not in
    ``RATINGS`` raise ValueError naming their place: a reported thing is never dropped
    silently. Ratings come back most urgent first, each once, in ``RATINGS`` order within
    a tier.

    Source: the conditions per ``RATINGS`` ([S25], [S26], [S27], [S29b], [S32], [S9],
    [S13], [S14], [S22]). Status: the tiers are clinic policy (unverified).
    """
    codes = read_collection(reported, "reported", "a list of question ids")
    found: dict[str, Rating] = {}
    for index, code in enumerate(codes):
        rating = RATINGS.get(code) if isinstance(code, str) else None
        if rating is None:
            raise ValueError(f"reported[{index}]: no urgency rating for {code!r}")
        found[rating.code] = rating
    order = list(RATINGS)
    ratings = tuple(sorted(found.values(), key=lambda r: (r.tier.rank, order.index(r.code))))
    tier = ratings[0].tier if ratings else Tier.ROUTINE
    return Assessment(tier=tier, ratings=ratings)


def alert_severity(tier: Tier) -> Severity | None:
    """The clinic alert a tier raises: urgent for an emergency, soon for a same-day or
    next-working-day call, none for routine. Source: clinic policy (issue 11 clinical
    review; ``aftercare.Alert``). Status: unverified."""
    if tier is Tier.EMERGENCY:
        return Severity.URGENT
    if tier is Tier.ROUTINE:
        return None
    return Severity.SOON


def _line(value: object, field: str) -> str:
    return " ".join(read_text(value, field).split())


@dataclass(frozen=True)
class Said:
    """One sentence a patient reads: its words with ``{name}`` places (``template``,
    marked for the translation catalogue) and the values that fill them (a number, the
    clinic's name and phone). A page translates the template, then fills in the values
    (``taut.lib.patient_words.translated``)."""

    template: str
    values: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """The English sentence. Not a rule: the template filled in."""
        return self.template.format(**dict(self.values))


def _said(template: str, **values: str) -> Said:
    return Said(template, tuple(sorted(values.items())))


def _call(clinic_name: object, clinic_phone: object, *, with_phone: str, without: str) -> Said:
    """A "please call the clinic" sentence, with the phone number when the clinic has one."""
    name = _line(clinic_name, "clinic_name") or "the clinic"
    phone = _line(clinic_phone, "clinic_phone")
    return _said(with_phone, name=name, phone=phone) if phone else _said(without, name=name)


def _instruction(
    tier: Tier, *, clinic_name: object, clinic_phone: object, emergency_number: object
) -> tuple[Said, ...]:
    number = _line(emergency_number, "emergency_number")
    if not number:
        raise ValueError("emergency_number: the clinic has no emergency number")
    if tier is Tier.EMERGENCY:
        return (
            _said(_("Call {number} now. This could be an emergency."), number=number),
            _said(_("Do not drive yourself. Do not wait for us to call you.")),
        )
    if tier is Tier.SAME_DAY:
        return (
            _call(
                clinic_name,
                clinic_phone,
                with_phone=_("Please call {name} today at {phone}."),
                without=_("Please call {name} today. The phone number is on your visit papers."),
            ),
        )
    if tier is Tier.NEXT_WORKING_DAY:
        return (
            _call(
                clinic_name,
                clinic_phone,
                with_phone=_("Please call {name} on the next day it is open at {phone}."),
                without=_(
                    "Please call {name} on the next day it is open. The phone number is on "
                    "your visit papers."
                ),
            ),
        )
    return (_said(_("We will talk about this at your visit.")),)


def instruction(
    tier: Tier,
    *,
    clinic_name: str = "",
    clinic_phone: str = "",
    emergency_number: str = "911",
) -> tuple[str, ...]:
    """What the patient is told to do, in plain words, for a tier.

    Emergency: call the emergency number now (the clinic's ``emergency_number``; US 911),
    not the clinic, and do not drive yourself. Same day: call the clinic today, with its
    number when known. Next working day: call the clinic on its next working day. Routine:
    the clinic will talk about it at the visit. An empty emergency number raises
    ValueError: the clinic must set one.

    Source: clinic policy (issue 11 clinical review: "call 911 now", with the clinic's
    configurable emergency number). Status: unverified.
    """
    said = _instruction(
        Tier(tier),
        clinic_name=clinic_name,
        clinic_phone=clinic_phone,
        emergency_number=emergency_number,
    )
    return tuple(sentence.text for sentence in said)


@dataclass(frozen=True)
class Message:
    """What a patient reads after reporting something: the tier's heading and lines, the
    instruction first. ``tier`` lets a page style it (an emergency stands out). ``said``:
    the same lines as templates and values, for a page in the patient's language (the
    heading has no values: it is its own template)."""

    tier: Tier
    heading: str
    lines: tuple[str, ...]
    emergency_number: str
    said: tuple[Said, ...] = ()

    @property
    def emergency(self) -> bool:
        return self.tier is Tier.EMERGENCY

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.heading, *self.lines)


_HEADINGS = {
    Tier.EMERGENCY: _("Get help now"),
    Tier.SAME_DAY: _("Please call us today"),
    Tier.NEXT_WORKING_DAY: _("Please call us"),
}
_WHY = {
    Tier.EMERGENCY: _(
        "Some of your answers could mean a serious problem that needs care right away."
    ),
    Tier.SAME_DAY: _("Some of your answers mean we should talk with you soon."),
    Tier.NEXT_WORKING_DAY: _(
        "Some of your answers mean we should talk with you before your visit."
    ),
}
_SENT = _("We have sent your answers to the clinic team.")


def message(
    assessment: Assessment,
    *,
    clinic_name: str = "",
    clinic_phone: str = "",
    emergency_number: str = "911",
) -> Message | None:
    """What to tell a patient about an ``assess`` result; None when it is routine.

    The tier's instruction comes first (``instruction``: for an emergency, call the emergency
    number now), then why, then that the clinic team has the answers. An emergency also
    says to call the clinic once help is on the way.

    Source: clinic policy (issue 11 clinical review); the tiers as ``RATINGS``.
    Status: unverified.
    """
    if not isinstance(assessment, Assessment):
        raise ValueError(f"assessment: expected an urgency.Assessment, got {assessment!r}")
    tier = assessment.tier
    if tier is Tier.ROUTINE:
        return None
    kwargs = {"clinic_name": clinic_name, "clinic_phone": clinic_phone}
    first = _instruction(tier, emergency_number=emergency_number, **kwargs)
    said = [*first, _said(_WHY[tier]), _said(_SENT)]
    if tier is Tier.EMERGENCY:
        said.append(
            _call(
                clinic_name,
                clinic_phone,
                with_phone=_("Once you have help, please also call {name} at {phone}."),
                without=_(
                    "Once you have help, please also call {name}. The phone number is on "
                    "your visit papers."
                ),
            )
        )
    return Message(
        tier=tier,
        heading=_HEADINGS[tier],
        lines=tuple(sentence.text for sentence in said),
        emergency_number=" ".join(emergency_number.split()),
        said=tuple(said),
    )


def intake_reports(red_flags: object, *, site_infection: bool | None = None) -> tuple[str, ...]:
    """The ``RATINGS`` codes a pre-visit intake reports: each red-flag question answered
    "yes" (``True``; "no" and "not sure" report nothing), and infection or broken skin at
    the site. ``red_flags`` maps ``screening`` red-flag question ids to True/False/None;
    other values raise ValueError naming the field.

    Source: [S25], [S26], [S27] (red flags), [S9] (infection at the site). Status: verified
    (the questions); the tiers as ``RATINGS``.
    """
    if not isinstance(red_flags, dict):
        raise ValueError(
            f"red_flags: expected a mapping of question id to answer, got {red_flags!r}"
        )
    codes = []
    for key, value in red_flags.items():
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"red_flags[{key!r}]: expected True, False or None, got {value!r}")
        if value is True:
            codes.append(key)
    if site_infection is True:
        codes.append("site_infection_or_broken_skin")
    return tuple(codes)
