"""What a clinic's public page tells people about trigger point injections, and the
self-check "Could trigger point injections help me?".

The page (``SECTIONS``) is plain words at about a 12-year-old's reading level (US grade 7
or lower), each fact tied to the sources it comes from (``SOURCES``, listed at the bottom of
the page). The sources are public patient leaflets from a hospital and a professional body
(P1, P2) and the reviews in ``shared/reference/clinical.md`` §9 (S1, S3, ...). The wording
is Taut's and is marked with ``gettext_noop`` for the translation catalogue: a page shows
it translated into the reader's language.

The self-check is education, never a diagnosis. ``selfcheck(answers)`` gives one of four
outcomes (``Outcome.kind``):

- ``emergency``: any red-flag answer that ``taut.clinical.urgency`` rates an emergency.
  Shown first and alone: call the emergency number (US 911) now. It wins over everything.
- ``see_doctor_soon``: any other red-flag answer (rated same day): a different check comes
  first, before anyone thinks about injections.
- ``not_first_step``: pain for less than 6 weeks, or nothing tried yet; with what usually
  comes first (stretching and exercise, massage, physical therapy).
- ``worth_discussing``: this may be worth discussing with the clinic.

**The answers** (a JSON-serialisable dict, as the self-check form builds it and as the
appointment request carries it, signed, in its ``answers`` query parameter)::

    {
        "regions": ["neck_posterior_lower", "low_back"],  # SELFCHECK_AREAS ids (atlas
                                                           # region ids); at least one
        "duration": "over_3_months",                      # a DURATIONS id
        "tried": ["stretching_or_exercise", "massage"],   # TRIED ids; ["nothing"] alone
                                                           # when nothing has been tried
        "red_flags": {"neck.bladder_bowel": False, ...},  # every SELFCHECK_RED_FLAGS id,
                                                           # True (yes) or False (no)
    }

``read_answers`` checks it (a ValueError names the field; unknown keys are refused) and
``selfcheck_summary(answers)`` gives plain English lines for staff.

Sources: as each section, outcome and reason names them. The red-flag questions are those
of ``taut.clinical.screening`` (their patient wording) and their urgency is
``taut.clinical.urgency.RATINGS``; nothing about them is restated here.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from taut.clinical import urgency
from taut.clinical.atlas import REGIONS
from taut.clinical.screening import PATIENT_RED_FLAG_SETS, RED_FLAG_SETS, RedFlagQuestion
from taut.clinical.wording import gettext_noop as _

VERSION = "2026.1"


@dataclass(frozen=True)
class Source:
    """A source listed at the bottom of the page: its id, title and public address."""

    id: str
    title: str
    url: str


# fmt: off
SOURCES: tuple[Source, ...] = (
    Source("P1", "WVU Medicine, Ruby Memorial Hospital Pain Management Center. Patient "
           "instructions: Trigger point injection.",
           "https://wvumedicine.org/ruby-memorial-hospital/services/wvu-specialty-clinics/"
           "pain-management-center/patient-instructions/trigger-point-injection/"),
    Source("P2", "Australasian Association of Musculoskeletal Medicine. Trigger points.",
           "https://aamm.org.au/trigger-points"),
    Source("S1", "Alvarez DJ, Rockwell PG. Trigger points: diagnosis and management. "
           "Am Fam Physician. 2002;65(4):653-660.",
           "https://www.aafp.org/pubs/afp/issues/2002/0215/p653.html"),
    Source("S3", "Shipton B, Sunkesula S, Mall N. Trigger point management. Am Fam "
           "Physician. 2023;107(2):159-164.",
           "https://www.aafp.org/pubs/afp/issues/2023/0200/trigger-point-management.html"),
    Source("S8", "Kishner S. Trigger point injection. Medscape.",
           "https://emedicine.medscape.com/article/1997731-overview"),
    Source("S9", "FPnotebook. Trigger point injection.",
           "https://fpnotebook.com/Rheum/Procedure/TrgrPntInjctn.htm"),
    Source("S10", "Hong CZ. Lidocaine injection versus dry needling to myofascial trigger "
           "point. Am J Phys Med Rehabil. 1994.",
           "https://pubmed.ncbi.nlm.nih.gov/8043247/"),
    Source("S13", "Patient Care. Trigger point injections.",
           "https://www.patientcareonline.com/view/trigger-point-injections"),
    Source("S15", "Roldan CJ, et al. Normal saline trigger point injections vs conventional "
           "active drug mix. Am J Emerg Med. 2020.",
           "https://mdanderson.elsevierpure.com/en/publications/"
           "normal-saline-trigger-point-injections-vs-conventional-active-dru"),
    Source("S17", "Scott NA, et al. Trigger point injections for chronic non-malignant "
           "musculoskeletal pain: a systematic review. Pain Med. 2009.",
           "https://academic.oup.com/painmedicine/article/10/1/54/1835487"),
    Source("S20", "Appasamy M, et al. Trigger point injections. Phys Med Rehabil Clin N "
           "Am. 2022.",
           "https://pmc.ncbi.nlm.nih.gov/articles/PMC9116734/"),
    Source("S25", "AHCPR. Acute low back problems in adults: red flags. NCBI Bookshelf.",
           "http://www.ncbi.nlm.nih.gov/books/NBK52120/table/A34364/"),
    Source("S26", "Childress MA, Stuek SJ. Neck pain: initial evaluation and management. "
           "Am Fam Physician. 2020;102(3):150-156.",
           "https://www.aafp.org/pubs/afp/issues/2020/0801/p150.html"),
    Source("S27", "GPonline. Neck pain: red flag symptoms.",
           "http://www.gponline.com/neck-pain-red-flag-symptoms/pain/musculoskeletal/"
           "article/1149841"),
    Source("S56", "Blue Cross Blue Shield of Massachusetts. Medical policy 604: trigger "
           "point and tender point injections.",
           "https://docslib.org/doc/4176588/trigger-point-and-tender-point-injections-604"),
)
# fmt: on

SOURCE_IDS = frozenset(source.id for source in SOURCES)


@dataclass(frozen=True)
class Item:
    """One fact of the page, in plain words, with the ids of the sources it comes from."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A part of the page: an ``id`` for its anchor, a heading, an optional lead sentence
    and its items (shown as a list)."""

    id: str
    heading: str
    items: tuple[Item, ...]
    lead: str = ""

    @property
    def sources(self) -> tuple[str, ...]:
        """The section's sources, each once, in the order its items cite them."""
        return tuple(dict.fromkeys(s for item in self.items for s in item.sources))


def _i(text: str, *sources: str) -> Item:
    return Item(text, sources)


# fmt: off
SECTIONS: tuple[Section, ...] = (
    Section("what", _("What are trigger points and trigger point injections?"), (
        _i(_("A trigger point is a tight, tender knot in a muscle."), "S1", "P2"),
        _i(_("It hurts when pressed. It can also send pain to other places, like from the "
             "neck up into the head."), "S1", "P2"),
        _i(_("In a trigger point injection, a clinician puts a thin needle into the knot."),
           "P1", "S8"),
        _i(_("Most often the shot has a numbing drug. Sometimes it has a steroid too."),
           "P1", "S9"),
        _i(_("The aim is less pain and easier movement."), "P1"),
    )),
    Section("who", _("Who can they help?"), (
        _i(_("People with muscle pain from trigger points, called myofascial pain."), "S8",
           "S1"),
        _i(_("People with a tight, sore neck, shoulders, or back."), "S17", "P2"),
        _i(_("Some people with headaches that start in the neck muscles."), "S9", "S17"),
        _i(_("For fibromyalgia, experts do not agree. Ask us if they could help you."),
           "S8", "S56"),
        _i(_("They are most often used when stretching, exercise, massage, or physical "
             "therapy have not helped enough."), "S3", "S56"),
    )),
    Section("not-for", _("Who should not have them, or needs a different check first?"), (
        _i(_("Not where the skin has an infection, a rash, or a cut."), "S9"),
        _i(_("Not if you have a fever or an infection in your body."), "S9"),
        _i(_("Not if you are allergic to the numbing drug. Tell us, since there are other "
             "choices."), "S9"),
        _i(_("Not in a muscle you hurt badly in the last few weeks."), "S9"),
        _i(_("Some pain needs a different check first. This is true if you have had "
             "cancer, lost weight without trying, or have pain at night that nothing "
             "helps."), "S9", "S25", "S26"),
        _i(_("It is also true if weakness or numbness in your arms or legs is getting "
             "worse."), "S25", "S26"),
    ), lead=_("Trigger point injections are not right for everyone.")),
    Section("emergency", _("When to call {number}"), (
        _i(_("You cannot control your bladder or bowel, and this is new."), "S25", "S26"),
        _i(_("The skin between your legs or around your bottom is numb."), "S25"),
        _i(_("You have sudden, tearing neck pain."), "S26"),
        _i(_("You have signs of a stroke. Your face droops, an arm is weak, or your speech "
             "is slurred."), "S26"),
    ), lead=_("Call {number} now if any of these happen. Do not wait for an appointment.")),
    Section("how-well", _("How well do they work?"), (
        _i(_("For many people the pain eases right away. The relief often lasts a short "
             "time, like days or weeks."), "S15", "S20"),
        _i(_("Some people feel better after one visit. Others need a few visits."), "P2",
           "S1"),
        _i(_("They work best as part of a plan with stretching, exercise, or physical "
             "therapy."), "S3", "P1"),
        _i(_("Studies are small, and they do not agree. Some find less pain. Others find no "
             "clear gain."), "S17", "S3"),
        _i(_("Studies find the same relief with different drugs, and even with salt "
             "water. So the needle itself may be what helps."), "S15", "S3"),
        _i(_("Your care team will tell you what they think, based on your health and your "
             "goals."), "S3"),
    )),
    Section("before", _("Before: what to tell us"), (
        _i(_("If you take a medicine that thins your blood, like warfarin or daily "
             "aspirin."), "S9", "S1"),
        _i(_("If you have allergies, most of all to numbing drugs."), "S9"),
        _i(_("If you are pregnant, or could be."), "S9"),
        _i(_("If you have diabetes. A steroid can raise your blood sugar."), "S9"),
        _i(_("If you are afraid of needles. That is fine. We will talk it through with "
             "you."), "P1"),
    )),
    Section("during", _("During: what happens"), (
        _i(_("It is done in the clinic. You stay awake."), "P1"),
        _i(_("You sit or lie down. We clean the skin."), "P1"),
        _i(_("We use a very thin needle. You may feel pressure and a short, sharp sting. "
             "The muscle may twitch."), "P1", "P2", "S8"),
        _i(_("We may treat a few spots in one visit."), "S8", "P2"),
        _i(_("It takes about 10 minutes. Then we watch you for about 15 minutes."), "P1"),
    )),
    Section("after", _("After: what to expect"), (
        _i(_("The spot may be sore or numb for a few days. This is common."), "S13",
           "S10"),
        _i(_("Ice, gentle stretches, and light use of the muscle can help."), "P1", "S8"),
        _i(_("Avoid hard work with that muscle for a day or two."), "S8"),
        _i(_("Call us if the spot gets red, warm, or swollen, or if you get a fever."),
           "S13"),
        _i(_("Call {number} if you have trouble breathing or chest pain. Also call {number} if "
             "your face or throat swells."), "S9", "S13"),
    )),
    Section("questions", _("Questions to ask your care team"), (
        _i(_("Could my pain come from trigger points, or from something else?"), "S3"),
        _i(_("What should I try first, or along with the shots?"), "S3"),
        _i(_("What drug will you use, and why?"), "S3"),
        _i(_("How many visits might I need? How will we know if it works?"), "S1", "S3"),
        _i(_("What should I do if the pain comes back?"), "S3"),
    )),
)
# fmt: on


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
