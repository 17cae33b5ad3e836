"""The self-check "Could trigger point injections help me?": its choices, the answers it
reads and its four outcomes (see the package's docstring)."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from taut.clinical import urgency
from taut.clinical.atlas import REGIONS
from taut.clinical.patient_education.content import (
    SECTIONS,
    SOURCE_IDS,
    VERSION,
    Item,
)
from taut.clinical.screening import PATIENT_RED_FLAG_SETS, RED_FLAG_SETS, RedFlagQuestion
from taut.clinical.wording import gettext_noop as _


def _i(text: str, *sources: str) -> Item:
    return Item(text, sources)


class Kind(StrEnum):
    """The self-check's outcomes, most urgent first."""

    EMERGENCY = "emergency"
    SEE_DOCTOR_SOON = "see_doctor_soon"
    NOT_FIRST_STEP = "not_first_step"
    WORTH_DISCUSSING = "worth_discussing"


@dataclass(frozen=True)
class Choice:
    """A choice of the self-check: the id its answers carry and the words a patient reads."""

    id: str
    label: str


# Where it hurts: a short list for a phone, each an atlas region (``atlas.REGIONS``) that
# stands for the wider area its label names. Not a rule: Taut's wording.
# fmt: off
SELFCHECK_AREAS: tuple[Choice, ...] = (
    Choice("head_temporal", _("Head")),
    Choice("tmj", _("Jaw or face")),
    Choice("neck_posterior_lower", _("Neck")),
    Choice("shoulder_top", _("Shoulder")),
    Choice("thoracic_upper", _("Upper back")),
    Choice("upper_arm_lateral", _("Arm or elbow")),
    Choice("forearm_dorsal", _("Forearm, wrist, or hand")),
    Choice("chest_anterior", _("Chest")),
    Choice("abdomen_lower_quadrant", _("Belly")),
    Choice("low_back", _("Low back")),
    Choice("buttock", _("Buttock or hip")),
    Choice("thigh_anterior", _("Thigh or knee")),
    Choice("calf", _("Lower leg or foot")),
)

# How long it has hurt. The 6-week line: BCBS-MA asks for 6 weeks of failed conservative
# care before TPI [S56]; the AAFP reserves TPI for pain that other care has not helped [S3].
DURATIONS: tuple[Choice, ...] = (
    Choice("under_6_weeks", _("Less than 6 weeks")),
    Choice("6_weeks_to_3_months", _("6 weeks to 3 months")),
    Choice("over_3_months", _("More than 3 months")),
)

NOTHING = "nothing"
TRIED: tuple[Choice, ...] = (
    Choice("stretching_or_exercise", _("Stretching or exercise at home")),
    Choice("physical_therapy", _("Physical therapy")),
    Choice("massage", _("Massage, or care from a chiropractor or osteopath")),
    Choice("heat_or_ice", _("Heat, ice, or rest")),
    Choice("pain_medicine", _("Pain medicine")),
    Choice("injections", _("Shots (injections) for this pain before")),
    Choice(NOTHING, _("Nothing yet")),
)
# fmt: on

# The care the AAFP names as first-line for trigger point pain (massage, physical therapy,
# manual medicine) and stretching with exercise [S3]: having tried one of them is what
# makes an injection a next step rather than a first one.
FIRST_STEPS: tuple[Item, ...] = (
    _i(_("Gentle stretching and staying active."), "S3", "S8"),
    _i(_("Massage."), "S3"),
    _i(_("Physical therapy, with exercises to do at home."), "S3"),
)

#: The red-flag questions the self-check asks, each with its patient wording: the neck set,
#: then the back set (``screening.PATIENT_RED_FLAG_SETS``). Source: as each question's
#: ([S25], [S26], [S27]).
SELFCHECK_RED_FLAGS: tuple[RedFlagQuestion, ...] = tuple(
    question for questions in PATIENT_RED_FLAG_SETS.values() for question in questions
)

_AREA_IDS = {choice.id: choice for choice in SELFCHECK_AREAS}
_DURATION_IDS = {choice.id: choice for choice in DURATIONS}
_TRIED_IDS = {choice.id: choice for choice in TRIED}
_RED_FLAG_IDS = {question.id: question for question in SELFCHECK_RED_FLAGS}
_KEYS = ("regions", "duration", "tried", "red_flags")


@dataclass(frozen=True)
class Reason:
    """Why the self-check gave its outcome: ``text`` in plain words, and ``detail`` (a
    question the patient said yes to, in its patient wording) when there is one."""

    text: str
    sources: tuple[str, ...]
    detail: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the self-check says. ``heading`` and ``lines`` first (for an emergency: call the
    emergency number now), then ``reasons``, then ``next_steps`` (what usually comes
    first, for ``not_first_step``). ``offer_request`` says whether to offer an appointment
    request (never for an emergency). Every page showing it also shows the clinic's phone.
    Texts containing ``{number}`` take the clinic's emergency number."""

    kind: Kind
    heading: str
    lines: tuple[str, ...]
    reasons: tuple[Reason, ...]
    next_steps: tuple[Item, ...] = ()
    version: str = VERSION

    @property
    def emergency(self) -> bool:
        return self.kind is Kind.EMERGENCY

    @property
    def offer_request(self) -> bool:
        return self.kind is not Kind.EMERGENCY

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source of the outcome, each once."""
        cited = [s for reason in self.reasons for s in reason.sources]
        cited += [s for step in self.next_steps for s in step.sources]
        return tuple(dict.fromkeys(cited))


NOT_A_DIAGNOSIS = _("This is not a diagnosis. Only a clinician who examines you can say what "
                    "is causing your pain.")  # fmt: skip

_EMERGENCY_LINES = (
    _("Call {number} now."),
    _("Do not drive yourself. Do not wait for an appointment."),
)
_SOON_LINES = (
    _("Please call us or your own doctor today."),
    _("Some of your answers mean a different check should come first, before anyone "
      "thinks about shots."),
)  # fmt: skip
_NOT_FIRST_LINES = (
    _("Trigger point injections are usually not the first step."),
    _("Other care usually comes first. You can still ask us about your pain."),
)
_WORTH_LINES = (
    _("Trigger point injections may be worth talking about with us."),
    _("We will examine you and talk about your choices."),
)
_HEADINGS = {
    Kind.EMERGENCY: _("Get help now"),
    Kind.SEE_DOCTOR_SOON: _("Please see a doctor soon"),
    Kind.NOT_FIRST_STEP: _("Try other care first"),
    Kind.WORTH_DISCUSSING: _("This may be worth talking about"),
}
_SAID_YES = _("You said yes to this question:")
_SHORT = _("Your pain started less than 6 weeks ago. Muscle pain often gets better with "
           "time and simple care.")  # fmt: skip
_NOTHING_TRIED = _("You have not tried other care for this pain yet.")
_LONG_ENOUGH = _("Your pain has lasted 6 weeks or more.")
_HAS_TRIED = _("You have tried other care, and the pain is still there.")


def _read_ids(value: object, field: str, known: Mapping[str, Choice]) -> list[str]:
    if not isinstance(value, list):
        raise ValueError(f"{field}: expected a list of choices, got {value!r}")
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in known:
            raise ValueError(f"{field}[{index}]: unknown choice {item!r}")
    if len(set(value)) != len(value):
        raise ValueError(f"{field}: a choice is listed twice")
    return list(value)


@dataclass(frozen=True)
class Answers:
    """The self-check's answers as ``read_answers`` checked them."""

    regions: tuple[str, ...]
    duration: str
    tried: tuple[str, ...]
    red_flags: Mapping[str, bool]


def read_answers(answers: object) -> Answers:
    """The self-check's answers, checked: a dict with exactly the keys ``regions``,
    ``duration``, ``tried`` and ``red_flags`` as the module docstring describes them. A
    ValueError names the first field that is wrong.

    Not a rule: input checking (the choices are this module's)."""
    if not isinstance(answers, Mapping):
        raise ValueError(f"answers: expected a mapping, got {answers!r}")
    unknown = sorted(set(answers) - set(_KEYS), key=str)
    if unknown:
        raise ValueError(f"answers: unknown field {unknown[0]!r}")
    missing = [key for key in _KEYS if key not in answers]
    if missing:
        raise ValueError(f"{missing[0]}: missing")
    regions = _read_ids(answers["regions"], "regions", _AREA_IDS)
    if not regions:
        raise ValueError("regions: choose at least one place")
    duration = answers["duration"]
    if not isinstance(duration, str) or duration not in _DURATION_IDS:
        raise ValueError(f"duration: unknown choice {duration!r}")
    tried = _read_ids(answers["tried"], "tried", _TRIED_IDS)
    if not tried:
        raise ValueError("tried: choose at least one, or 'nothing'")
    if NOTHING in tried and len(tried) > 1:
        raise ValueError("tried: 'nothing' cannot go with other choices")
    flags = answers["red_flags"]
    if not isinstance(flags, Mapping):
        raise ValueError(f"red_flags: expected a mapping of question id to answer, got {flags!r}")
    for key, value in flags.items():
        if key not in _RED_FLAG_IDS:
            raise ValueError(f"red_flags: unknown question {key!r}")
        if not isinstance(value, bool):
            raise ValueError(f"red_flags[{key!r}]: expected True or False, got {value!r}")
    for key in _RED_FLAG_IDS:
        if key not in flags:
            raise ValueError(f"red_flags[{key!r}]: not answered")
    return Answers(tuple(regions), duration, tuple(tried), {k: flags[k] for k in _RED_FLAG_IDS})


def _red_flag_reasons(ratings: tuple[urgency.Rating, ...]) -> tuple[Reason, ...]:
    reasons = []
    for rating in ratings:
        question = _RED_FLAG_IDS[rating.code]
        sources = tuple(s.strip() for s in question.source.split(","))
        reasons.append(Reason(_SAID_YES, sources, detail=question.patient_text))
    return tuple(reasons)


def selfcheck(answers: object) -> Outcome:
    """The self-check's outcome for ``answers`` (see the module docstring), most urgent
    first:

    1. ``emergency`` if any red-flag answer is rated an emergency by
       ``urgency.RATINGS`` (new bladder or bowel trouble, numbness between the legs,
       tearing neck pain or stroke signs): call the emergency number now. It wins over
       everything else; no appointment is offered.
    2. ``see_doctor_soon`` if any other red-flag answer is yes: a different check first.
    3. ``not_first_step`` if the pain began less than 6 weeks ago or nothing has been tried
       yet, with what usually comes first (stretching and exercise, massage, physical
       therapy).
    4. ``worth_discussing`` otherwise.

    Every outcome carries its reasons with their sources. Bad answers raise ValueError
    (``read_answers``).

    Source: red flags [S25], [S26], [S27] with the tiers of ``urgency.RATINGS`` (clinic
    policy, issue 11 review); first-line care before TPI and TPI for pain that other care
    has not helped [S3]; 6 weeks of conservative care first [S56]. Status: verified (the
    sources); the outcome wording and the 4 outcomes are Taut's (unverified).
    """
    checked = read_answers(answers)
    assessment = urgency.assess(urgency.intake_reports(dict(checked.red_flags)))
    if assessment.tier is urgency.Tier.EMERGENCY:
        emergencies = tuple(r for r in assessment.ratings if r.tier is urgency.Tier.EMERGENCY)
        return Outcome(
            Kind.EMERGENCY,
            _HEADINGS[Kind.EMERGENCY],
            _EMERGENCY_LINES,
            _red_flag_reasons(emergencies),
        )
    if assessment.ratings:
        return Outcome(
            Kind.SEE_DOCTOR_SOON,
            _HEADINGS[Kind.SEE_DOCTOR_SOON],
            _SOON_LINES,
            _red_flag_reasons(assessment.ratings),
        )
    short = checked.duration == "under_6_weeks"
    nothing = checked.tried == (NOTHING,)
    if short or nothing:
        reasons = []
        if short:
            reasons.append(Reason(_SHORT, ("S56", "S3")))
        if nothing:
            reasons.append(Reason(_NOTHING_TRIED, ("S3", "S56")))
        return Outcome(
            Kind.NOT_FIRST_STEP,
            _HEADINGS[Kind.NOT_FIRST_STEP],
            _NOT_FIRST_LINES,
            tuple(reasons),
            next_steps=FIRST_STEPS,
        )
    return Outcome(
        Kind.WORTH_DISCUSSING,
        _HEADINGS[Kind.WORTH_DISCUSSING],
        _WORTH_LINES,
        (Reason(_LONG_ENOUGH, ("S56",)), Reason(_HAS_TRIED, ("S3", "S56"))),
    )


_STAFF_OUTCOMES = {
    Kind.EMERGENCY: "Emergency: told to call the emergency number now",
    Kind.SEE_DOCTOR_SOON: "See a doctor soon: a red flag needs a different check first",
    Kind.NOT_FIRST_STEP: "Usually not the first step: short duration or nothing tried yet",
    Kind.WORTH_DISCUSSING: "May be worth discussing",
}
_CLINICIAN_TEXT = {q.id: q.text for questions in RED_FLAG_SETS.values() for q in questions}


def selfcheck_summary(answers: object) -> list[str]:
    """The self-check's answers and outcome as plain English lines for staff (the front
    desk reads them with an appointment request): the outcome, the places, how long, what
    was tried, and each red-flag question answered yes in the clinician's wording (or
    that none was). Bad answers raise ValueError (``read_answers``).

    Source: the outcome as ``selfcheck`` ([S3], [S25], [S26], [S27], [S56]); the red-flag
    wording of ``screening.RED_FLAG_SETS``."""
    checked = read_answers(answers)
    outcome = selfcheck(answers)
    lines = [
        f"Self-check outcome: {_STAFF_OUTCOMES[outcome.kind]} (rules version {VERSION}).",
        "Where it hurts: " + ", ".join(_AREA_IDS[r].label for r in checked.regions) + ".",
        f"How long: {_DURATION_IDS[checked.duration].label}.",
        "Tried: " + ", ".join(_TRIED_IDS[t].label for t in checked.tried) + ".",
    ]
    yes = [key for key in _RED_FLAG_IDS if checked.red_flags[key]]
    if yes:
        lines += [f"Red flag, answered yes: {_CLINICIAN_TEXT[key]}" for key in yes]
    else:
        lines.append(f"Red flags: none answered yes ({len(_RED_FLAG_IDS)} asked).")
    return lines


def _check_sources() -> None:
    """Every cited id is listed (an import-time guard: a typo fails the first import)."""
    cited = {s for section in SECTIONS for s in section.sources}
    cited |= {s for step in FIRST_STEPS for s in step.sources}
    unknown = cited - SOURCE_IDS
    if unknown:
        raise ValueError(f"patient_education: unlisted sources {sorted(unknown)}")
    unknown_areas = [choice.id for choice in SELFCHECK_AREAS if choice.id not in REGIONS]
    if unknown_areas:
        raise ValueError(f"SELFCHECK_AREAS: not atlas regions {unknown_areas}")


_check_sources()
