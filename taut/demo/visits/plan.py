"""The demo visits' plan: numbers, wording, the charts they read and when they fall."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from taut.accounts.actors import Actor
from taut.accounts.models import Clinic, User
from taut.accounts.roles import Role
from taut.clinical import screening
from taut.demo.stories import weekday
from taut.demo.visits.structures import STRUCTURE_SESSIONS
from taut.drawings.models import PainDrawing
from taut.patients.models import Allergy, Condition, Measurement, Medication
from taut.patients.queries import is_antithrombotic
from taut.visits.models import (
    Visit,
)

State = Visit.State

TREATED_SHARE = 0.32  # of patients with a pain drawing: about 75 of 240 have past sessions
SESSION_GAP_DAYS = 42  # payers want six weeks between sessions in one region (L34211)
MAX_SESSIONS = 3  # L34211 allows three sessions in a rolling 12 months
SAFE_FRACTION = 0.7  # of the weight-based maximum: the demo's everyday ceiling
CAUTION_VISITS = 2  # sessions that deliberately reach the caution band (80-100 %)
# Sessions where the clinician records a reason to go a little past the weight-based
# maximum (the dose guard's override), at most this many.
OVERRIDE_VISITS = 3
OVERRIDE_CEILING = 1.08
OVERRIDE_REASON = (
    "This site reproduces the patient's recognised pain; a few per cent over the weight-based "
    "maximum with 2 % lidocaine, no epinephrine. Discussed with the patient; watched for "
    "early signs of toxicity before discharge."
)
# Complications after the needle, at most this many past sessions each (a run-wide cap, as
# for the caution sessions): (kind, cap, chance per session (from one roll), what was done).
COMPLICATIONS = (
    ("vasovagal", 3, 0.04,
     "Laid flat with legs raised; recovered within five minutes. Observed for 30 minutes, "
     "blood pressure normal before going home."),
    ("haematoma", 3, 0.05,
     "Small haematoma at one site: firm pressure for five minutes and a cold pack; no "
     "further swelling before discharge. Bruising advice given."),
    ("bleeding", 1, 0.2,  # on a blood thinner only
     "Oozing at two sites (on a blood thinner): firm pressure for ten minutes and pressure "
     "dressings; bleeding stopped before discharge. Told what to do if it starts again."),
    ("pneumothorax", 1, 0.12,  # at a landmark site over the lung only
     "Sharp chest pain and breathlessness ten minutes after the last site over the lung; "
     "SpO2 93 %. Oxygen given, 911 called; transferred to the emergency department for a "
     "chest X-ray, with a handover to the ambulance crew."),
)  # fmt: skip
PNEUMOTHORAX_TRANSFER = (
    "Transferred to the emergency department by ambulance: suspected pneumothorax."
)
PNEUMOTHORAX_ADDENDUM = (
    "Emergency department letter: chest X-ray showed a small apical pneumothorax; observed for "
    "four hours, no drain needed, repeat X-ray clear at one week. No further needling over "
    "the chest wall without ultrasound."
)
STEROID = ("triamcinolone", 40)  # agent, mg on the first site: within the clinic's 80 mg
# How each treated patient's course is given (``Choices``): shares of patients.
SECOND_CLINICIAN_SHARE = 0.45  # seen by the second clinician
DRY_NEEDLING_SHARE = 0.18  # chose dry needling, no injectate
STEROID_SHARE = 0.3  # triamcinolone beside the anaesthetic at the first session
# Deep muscles (kidney, sciatic nerve, pleura, plexus beneath) that the clinic injects under
# ultrasound: demo habit, not a rule (``site_checks`` only suggests ultrasound at high-risk
# sites, and payers do not cover it).
ULTRASOUND_MUSCLES = frozenset(
    {"quadratus_lumborum", "gluteus_minimus", "lumbar_multifidi", "iliopsoas", "piriformis",
     "scalenes"}
)  # fmt: skip
# The second clinician scans the gluteus medius too (the first finds it by landmark).
SECOND_ULTRASOUND_MUSCLES = ULTRASOUND_MUSCLES | {"gluteus_medius"}
# A repeat intake's pain drifts from the last check-in back toward the first intake's, by
# at most this much, fully after this many days (demo numbers).
MAX_DRIFT = 1.5
WEAR_OFF_DAYS = 60
PAIN_BACK = 4  # a returning patient is booked when their last check-in's pain is this or more

# Clinic hours: half-hour slots, the first visit at 08:30 and the last at 16:00.
SLOT_TIMES = tuple(time(8 + i // 2, 30 * (i % 2)) for i in range(1, 17))

# Today's list for the demo clinician: (time, state it is left in).
TODAY_PLAN = (
    (time(8, 30), State.SIGNED),
    (time(9, 0), State.SIGNED),
    (time(9, 30), State.ENDED),
    (time(10, 0), State.PROCEDURE_DOCUMENTED),
    (time(10, 30), State.EXAMINED),
    (time(11, 0), State.INTAKE_DONE),
    (time(13, 30), State.SCHEDULED),
    (time(14, 30), State.SCHEDULED),
)

INDICATION_OF_CONDITION = {
    "Myofascial pain syndrome": screening.Indication.MYOFASCIAL_PAIN,
    "Fibromyalgia": screening.Indication.FIBROMYALGIA,
    "Tension-type headache": screening.Indication.TENSION_TYPE_HEADACHE,
    "Chronic low back pain": screening.Indication.LOW_BACK_MUSCLE_PAIN,
    "Neck pain (cervicalgia)": screening.Indication.NECK_MUSCLE_PAIN,
}
REGIONAL_INDICATIONS = {
    screening.Indication.TENSION_TYPE_HEADACHE: {"head_face", "neck"},
    screening.Indication.NECK_MUSCLE_PAIN: {"head_face", "neck", "shoulder_upper_back"},
    screening.Indication.LOW_BACK_MUSCLE_PAIN: {"back_pelvis", "hip_thigh"},
}
REASON_OF_GROUP = {
    "head_face": "Headaches and pain at the back of the head",
    "neck": "Neck pain",
    "shoulder_upper_back": "Neck, shoulder and upper back pain",
    "back_pelvis": "Low back pain",
    "hip_thigh": "Hip and buttock pain",
    "upper_limb": "Shoulder and arm pain",
    "knee_leg": "Leg pain",
    "chest_abdomen": "Chest wall pain",
}
GOALS_OF_GROUP = {
    "head_face": [
        "Fewer than two headache days a week",
        "Read for an hour without a headache",
        "Get through a work day without painkillers",
    ],
    "neck": [
        "Turn my head to check the blind spot when driving",
        "Sleep through the night without neck pain",
        "Work at the computer for an hour without stopping",
    ],
    "shoulder_upper_back": [
        "Sleep through the night without shoulder pain",
        "Carry the shopping home",
        "Work at the computer for an hour without stopping",
    ],
    "back_pelvis": [
        "Walk the dog for 30 minutes",
        "Sit through a film without getting up",
        "Lift my grandchild",
    ],
    "hip_thigh": ["Walk to the shops and back", "Sleep on my side", "Climb the stairs at work"],
    "upper_limb": ["Reach the top shelf", "Lift a full kettle", "Sleep on my side"],
    "knee_leg": ["Walk to the shops and back", "Stand to cook a meal"],
    "chest_abdomen": ["Take a deep breath without pain", "Swim again"],
}
CONSERVATIVE_CARE = [
    "Stretching programme and heat",
    "Physical therapy and a home exercise programme",
    "Physiotherapy, NSAIDs and posture advice",
    "Massage, stretching and paracetamol",
    "Home exercise programme and a work-station assessment",
]
ADDENDA = [
    "Telephone check on day 2: soreness at the sites settled with heat and paracetamol.",
    "Patient called on day 3: the treated areas feel looser; plan unchanged.",
    "Patient called the next day with bruising at one site; no swelling, advice given.",
    "Home exercise sheet for the treated muscles sent by e-mail as promised.",
]
# (red-flag question answered Yes, the clinician's reason), by where the main pain is.
RED_FLAG_REFERRALS = {
    "back": [
        (
            "back.progressive_deficit",
            "Worsening leg weakness: referred to the spine clinic for MRI.",
        ),
        ("back.fever", "Fever with new back pain: referred the same day for assessment."),
    ],
    "neck": [
        ("neck.cancer_or_weight_loss", "Unexplained weight loss: referred to the GP for work-up."),
        (
            "neck.progressive_deficit",
            "Worsening numbness in the hand: referred for MRI of the neck.",
        ),
    ],
}
BACK_GROUPS = {"back_pelvis", "hip_thigh", "knee_leg"}
FINDINGS: dict[str, dict[str, bool | None]] = {
    "active": {"taut_band": True, "spot_tenderness": True, "referred_pain": True, "recognised": True},
    "latent": {"taut_band": True, "spot_tenderness": True, "referred_pain": True, "recognised": False},
    "not_confirmed": {"taut_band": False, "spot_tenderness": True, "referred_pain": None, "recognised": None},
}  # fmt: skip
AMIDES = {"lidocaine", "bupivacaine"}


@dataclass
class Chart:
    """What a patient's chart says, read once for the whole run."""

    weights: list = field(default_factory=list)  # [(measured_on, kg)]
    antithrombotics: list = field(default_factory=list)
    anaesthetic_allergies: list = field(default_factory=list)
    conditions: list = field(default_factory=list)
    diabetes: bool = False


@dataclass
class Run:
    """State shared by one seeding run: who does what, taken slots, and rare events."""

    clinic: Clinic
    staff: dict
    now: datetime
    busy: set = field(default_factory=set)
    caution_left: int = CAUTION_VISITS
    override_left: int = OVERRIDE_VISITS
    complications_left: dict = field(
        default_factory=lambda: {kind: cap for kind, cap, _, _ in COMPLICATIONS}
    )
    # Past sessions that add a ligament or tendon (``structures``): each used once, one a
    # patient.
    structure_sessions: list = field(default_factory=lambda: list(STRUCTURE_SESSIONS))
    structure_patients: set = field(default_factory=set)
    seed: int = 0
    due_today: date | None = None  # a session day that puts a check-in due today, once
    second: User | None = None  # the second clinician (``schedule.SECOND_CLINICIAN``)
    seeing: User | None = None  # the clinician of the patient being documented

    @property
    def today(self) -> date:
        """The clinic's day at ``now``."""
        return self.now.astimezone(self.clinic.zone()).date()

    def act(self, user, at: datetime) -> Actor:
        """``user`` acting at ``at``: a past visit's steps are written on its day."""
        return Actor.staff(user, now=at)

    def ultrasound(self, muscle: str) -> bool:
        """Whether the clinician of the visit needles ``muscle`` under ultrasound."""
        second = self.seeing is not None and self.seeing == self.second
        return muscle in (SECOND_ULTRASOUND_MUSCLES if second else ULTRASOUND_MUSCLES)

    @property
    def clinician(self):
        """The clinician of the visit being documented (the demo clinician by default)."""
        return self.seeing or self.staff[Role.CLINICIAN]

    @property
    def nurse(self):
        return self.staff[Role.NURSE]

    @property
    def desk(self):
        return self.staff[Role.FRONT_DESK]


# --- reading the charts ---------------------------------------------------------------------


def _drawings(clinic) -> dict:
    drawings = defaultdict(list)
    rows = (
        PainDrawing.objects.filter(patient__clinic=clinic, no_pain=False)
        .select_related("patient__clinic")
        .prefetch_related("marks")
        .order_by("recorded_at")
    )
    for drawing in rows:
        drawings[drawing.patient_id].append(drawing)
    return drawings


def _charts(clinic) -> dict:
    charts: defaultdict[int, Chart] = defaultdict(Chart)
    mine = {"patient__clinic": clinic}
    for m in Measurement.objects.filter(**mine):
        charts[m.patient_id].weights.append((m.measured_on, m.weight_kg))
    for med in Medication.objects.filter(**mine, active=True):
        if is_antithrombotic(med):  # recognised by name, or ticked
            charts[med.patient_id].antithrombotics.append(med.name)
    for allergy in Allergy.objects.filter(**mine, active=True).exclude(anaesthetic=""):
        charts[allergy.patient_id].anaesthetic_allergies.append(allergy.anaesthetic)
    for condition in Condition.objects.filter(**mine, active=True):
        charts[condition.patient_id].conditions.append(condition.name)
        charts[condition.patient_id].diabetes |= condition.icd10.startswith("E11")
    return charts


def _marks(drawing) -> list[tuple]:
    return [(m.region, m.side or None, m.intensity) for m in drawing.marks.all()]


def _nearest(drawings, day: date):
    """The drawing nearest the day (the clinic's), the earlier one on a tie."""
    return min(
        drawings,
        key=lambda d: (
            abs((timezone.localtime(d.recorded_at, d.patient.clinic.zone()).date() - day).days),
            d.recorded_at,
        ),
    )


# --- when -----------------------------------------------------------------------------------


def _slot(run: Run, rng, day: date, *, at: time | None = None) -> datetime:
    """A free half-hour slot on the day (or the given time, on the clinic's clock), marked
    as taken."""
    zone = run.clinic.zone()
    if at is not None:
        when = datetime.combine(day, at, tzinfo=zone)
        run.busy.add(when)
        return when
    for _ in range(10):
        free = [
            when
            for t in SLOT_TIMES
            if (when := datetime.combine(day, t, tzinfo=zone)) not in run.busy
        ]
        if free:
            when = rng.choice(free)
            run.busy.add(when)
            return when
        day = weekday(day - timedelta(days=1))
    raise RuntimeError("no free slot for a demo visit")  # 160 slots: unreachable in practice


# --- one visit, step by step ------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """How a treated patient's past sessions are given: by which clinician, dry needling
    or an injectate, a steroid at the first session or not."""

    second_clinician: bool = False
    dry_needling: bool = False
    steroid: bool = False


def choices_for(seed: int, mrn: str) -> Choices:
    """A patient's ``Choices``, from their own random stream (seed and MRN): drawing them
    shifts nothing else of their history."""
    rng = random.Random(f"taut-demo-choices:{seed}:{mrn}")
    return Choices(
        second_clinician=rng.random() < SECOND_CLINICIAN_SHARE,
        dry_needling=rng.random() < DRY_NEEDLING_SHARE,
        steroid=rng.random() < STEROID_SHARE,
    )


@dataclass
class Course:
    """A patient's course of sessions: what carries from one visit to the next."""

    first_months: int
    goals: list
    care: str
    care_weeks: int
    previous: list = field(default_factory=list)  # [(day, muscles, nrs before, nrs after)]
    untreated: tuple | None = None  # (average pain, PEG enjoyment, PEG activity) at the first
    choices: Choices = field(default_factory=Choices)
