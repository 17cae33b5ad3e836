"""Demo visits: past signed sessions, and today's schedule in every state.

Every visit is documented through the real visit services, step by step (intake and
screening, exam, consent, time-out, weight, sites under the dose guard, pain scores,
signing), so the demo holds only what the app itself would have let a clinic record.
The answers follow each patient's chart: the anticoagulant question from their
medicines, anaesthetic allergies from their allergies, the indication from their
conditions, the pain scores and muscles from their pain drawing.

Deterministic for a seed: each patient's history comes from its own random stream (seed
and MRN), so adding patients leaves the others' histories alone (only the clinic's free
slots and two run-wide caps on rare events are shared). Re-running adds nothing twice: a
patient who has any visit gets no past ones, and today's schedule is added only when the
clinic has no visit today yet (a run on a new day adds that day's).

Demo history only: the services stamp "now" on the records they create. Past visits
backdate the few stamps the visit pages and the note show (time-out, screening decision,
last change, note and addendum signatures) to the visit's day, and the note is signed
with the clock at that moment so its body, hash and payer checks agree with it. The
audit log keeps the true time of every write.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from taut.accounts.roles import Role
from taut.clinical import atlas, consent, dosing, payer, screening
from taut.drawings.models import PainDrawing
from taut.patients.models import Allergy, Condition, Measurement, Medication
from taut.visits import queries
from taut.visits.models import (
    InjectionSite,
    ScreeningDecision,
    TimeOut,
    TriggerPointFinding,
    Visit,
)
from taut.visits.services import exam, intake, note, procedure, visit

State = Visit.State

TREATED_SHARE = 0.32  # of patients with a pain drawing: about 75 of 240 have past sessions
HISTORY_DAYS = 300  # past sessions fall within the last ~10 months
SESSION_GAP_DAYS = 42  # payers want six weeks between sessions in one region (L34211)
MAX_SESSIONS = 3  # L34211 allows three sessions in a rolling 12 months
SAFE_FRACTION = 0.7  # of the weight-based maximum: the demo's everyday ceiling
CAUTION_VISITS = 2  # sessions that deliberately reach the caution band (80-100 %)
VASOVAGAL_VISITS = 2

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
VASOVAGAL_ACTION = (
    "Laid flat with legs raised; recovered within five minutes. Observed for 30 minutes, "
    "blood pressure normal before going home."
)
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
FINDINGS = {
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

    clinic: object
    staff: dict
    now: datetime
    busy: set = field(default_factory=set)
    caution_left: int = CAUTION_VISITS
    vasovagal_left: int = VASOVAGAL_VISITS

    @property
    def clinician(self):
        return self.staff[Role.CLINICIAN]

    @property
    def nurse(self):
        return self.staff[Role.NURSE]

    @property
    def desk(self):
        return self.staff[Role.FRONT_DESK]


def seed_visits(*, clinic, staff, seed: int, today: date, now: datetime) -> int:
    """Add past sessions and today's schedule to the demo clinic; return visits added."""
    run = Run(clinic=clinic, staff=staff, now=now)
    run.busy = set(
        Visit.objects.filter(patient__clinic=clinic).values_list("scheduled_for", flat=True)
    )
    with_visits = set(
        Visit.objects.filter(patient__clinic=clinic).values_list("patient_id", flat=True)
    )
    drawings = _drawings(clinic)
    charts = _charts(clinic)
    patients = sorted(
        {d.patient for ds in drawings.values() for d in ds}, key=lambda patient: patient.mrn
    )
    added = 0
    for patient in patients:
        rng = random.Random(f"taut-demo-visits:{seed}:{patient.mrn}")
        if patient.pk in with_visits or rng.random() >= TREATED_SHARE:
            continue
        added += _history(run, rng, patient, charts[patient.pk], drawings[patient.pk], today)
    if not Visit.objects.filter(patient__clinic=clinic, scheduled_for__date=today).exists():
        rng = random.Random(f"taut-demo-today:{seed}:{today.isoformat()}")
        added += _today(run, rng, patients, charts, drawings, today)
    return added


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
    charts = defaultdict(Chart)
    mine = {"patient__clinic": clinic}
    for m in Measurement.objects.filter(**mine):
        charts[m.patient_id].weights.append((m.measured_on, m.weight_kg))
    for med in Medication.objects.filter(**mine, active=True, antithrombotic=True):
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
    """The drawing nearest the day, the earlier one on a tie."""
    return min(
        drawings,
        key=lambda d: (abs((timezone.localdate(d.recorded_at) - day).days), d.recorded_at),
    )


# --- when -----------------------------------------------------------------------------------


def _weekday(day: date) -> date:
    """Move a weekend day back to the Friday before it."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _session_days(rng, drawings, today: date) -> list[date]:
    """1-3 past session days at least six weeks apart: drawing days first, then others."""
    wanted = rng.choice([1, 1, 2, 2, 2, 3, 3])
    candidates = [timezone.localdate(d.recorded_at) for d in drawings]
    candidates += [today - timedelta(days=rng.randint(7, HISTORY_DAYS)) for _ in range(12)]
    days = []
    for day in candidates:
        day = _weekday(day)
        if day >= today or len(days) == wanted:
            continue
        if all(abs((day - other).days) >= SESSION_GAP_DAYS for other in days):
            days.append(day)
    return sorted(days)


def _slot(run: Run, rng, day: date, *, at: time | None = None) -> datetime:
    """A free half-hour slot on the day (or the given time), marked as taken."""
    zone = timezone.get_current_timezone()
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
        day = _weekday(day - timedelta(days=1))
    raise RuntimeError("no free slot for a demo visit")  # 160 slots: unreachable in practice


def _backdate(model, pk, **stamps) -> None:
    """Demo history only: date an auto-stamped record at the visit, as shown on its pages."""
    model.objects.filter(pk=pk).update(**stamps)


# --- one visit, step by step ------------------------------------------------------------------


@dataclass
class Course:
    """A patient's course of sessions: what carries from one visit to the next."""

    first_months: int
    goals: list
    care: str
    care_weeks: int
    previous: list = field(default_factory=list)  # [(day, muscles, nrs before, nrs after)]


def _history(run: Run, rng, patient, chart: Chart, drawings, today: date) -> int:
    days = _session_days(rng, drawings, today)
    if not days:
        return 0
    first = _marks(_nearest(drawings, days[0]))
    group = _index(first)[2]
    course = Course(
        first_months=rng.randint(4, 48),
        goals=rng.sample(GOALS_OF_GROUP[group], k=rng.choice([1, 1, 2])),
        care=rng.choice(CONSERVATIVE_CARE),
        care_weeks=rng.choice([3, 4]) if rng.random() < 0.07 else rng.randint(6, 40),
    )
    ending = None
    if rng.random() < 0.1:
        ending = rng.choice(["declined", "referred", "no_active_points"])
    for number, day in enumerate(days):
        last = number == len(days) - 1
        when = _slot(run, rng, day)
        _visit(run, rng, patient, chart, drawings, course, when, end=ending if last else None)
    return len(days)


def _visit(run, rng, patient, chart, drawings, course, when, *, end=None, stop=State.SIGNED):
    """Walk one visit from scheduling to ``stop`` (or to an ending), as a clinic would.

    Every write refreshes the visit it is given (``touch_visit``), so ``v`` carries the
    current version from one step to the next.
    """
    past = when.date() < timezone.localdate(run.now)
    v = visit.schedule_visit(
        patient=patient, scheduled_for=when, clinician=run.clinician, by=run.desk
    )
    if stop == State.SCHEDULED:
        return v
    drawing = _nearest(drawings, when.date())
    marks = _marks(drawing)
    where = "back" if _index(marks)[2] in BACK_GROUPS else "neck"
    red_flag = rng.choice(RED_FLAG_REFERRALS[where]) if end == "referred" else None
    data = _intake_data(rng, chart, marks, course, when.date(), red_flag=red_flag)
    goals = [(text, rng.choice([-2, -1, -1])) for text in course.goals]
    intake.save_intake(
        visit=v, version=v.version, data=data, goals=goals, by=run.nurse, drawing=drawing
    )
    if stop == State.INTAKE_DONE:
        return v  # today's: screening verdict shown, the clinician's decision still to come
    decided = _decide(run, v, chart, red_flag)
    if past and decided is not None:
        _backdate(ScreeningDecision, decided.pk, decided_at=when + timedelta(minutes=8))
    if end == "referred":
        return _end(run, v, "referred", when, past)
    if not intake.procedure_gate(v)[0]:
        return _end(run, v, "not_eligible", when, past)  # a verdict the demo does not decide
    # A caution case or two: a light patient with a wide session, dosed near the maximum.
    latest = max(chart.weights, default=(None, 99))[1]
    roll = rng.random()
    caution = (
        run.caution_left > 0
        and end is None
        and latest < 66
        and not AMIDES & set(chart.anaesthetic_allergies)
        and roll < 0.35
    )
    findings = _examine(run, rng, v, marks, none_active=end == "no_active_points", wide=caution)
    if stop == State.EXAMINED:
        return v
    if end is not None:
        return _end(run, v, end, when, past)
    _consent(run, v, when, past)
    sites = _inject(run, rng, v, chart, findings, when.date(), caution=caution)
    nrs_before = max(1, min(10, data["nrs_now"] + rng.randint(-1, 0)))
    nrs_after = max(0, nrs_before - rng.randint(2, 5))
    roll = rng.random()  # drawn either way, so one patient's course never shifts another's
    fainted = run.vasovagal_left > 0 and roll < 0.04
    run.vasovagal_left -= fainted
    procedure.record_immediate(
        visit=v,
        version=v.version,
        nrs_before=nrs_before,
        nrs_after=nrs_after,
        complications=["vasovagal"] if fainted else ["none"],
        action=VASOVAGAL_ACTION if fainted else "",
        by=run.nurse,
    )
    course.previous.append((when.date(), [s.muscle for s in sites], nrs_before, nrs_after))
    if stop == State.PROCEDURE_DOCUMENTED:
        return v
    return _sign(run, rng, v, when, past)


def _index(marks) -> tuple[str, str, str]:
    """The main pain of a drawing: (region, side or "" for middle/both, region group)."""
    top = max(marks, key=lambda mark: mark[2])
    sides = {side for region, side, _ in marks if region == top[0]}
    region = atlas.REGIONS[top[0]]
    side = "" if region.midline or len(sides) > 1 else top[1]
    return top[0], side, region.group


def _intake_data(rng, chart, marks, course, day, *, red_flag=None) -> dict:
    region, side, group = _index(marks)
    top = max(mark[2] for mark in marks)
    now = max(1, min(10, top + rng.randint(-1, 1)))
    average = max(1, min(10, top + rng.randint(-2, 0)))
    worst = min(10, max(now, average) + rng.randint(0, 2))
    previous = course.previous[-1] if course.previous else None
    since_first = (day - course.previous[0][0]).days if previous else 0
    if previous:
        muscles = ", ".join(sorted({queries.muscle_name(m).lower() for m in previous[1]}))
        before, after = previous[2], previous[3]
        relief = round(100 * (before - after) / before) if before else 0
        history = (True, f"Here on {previous[0]:%-d %b %Y} ({muscles})", max(0, relief - 10))
    elif rng.random() < 0.15:
        history = (True, "Elsewhere, about two years ago (neck)", rng.choice([20, 30, 50]))
    else:
        history = (False, "", None)
    red_flags = {q.id: False for q in screening.NECK_RED_FLAGS + screening.BACK_RED_FLAGS}
    if red_flag:
        red_flags[red_flag[0]] = True
    known = [
        INDICATION_OF_CONDITION[name]
        for name in dict.fromkeys(chart.conditions)
        if name in INDICATION_OF_CONDITION
    ]
    # A regional indication counts where this visit's main pain is.
    here = [i for i in known if group in REGIONAL_INDICATIONS.get(i, {group})]
    indications = [str(i) for i in here or known]
    return {
        "reason": ("Follow-up: " if previous else "") + REASON_OF_GROUP[group],
        "index_region": region,
        "index_side": side,
        "pain_months": min(1200, course.first_months + since_first // 30),
        "nrs_now": now,
        "nrs_average": average,
        "nrs_worst": worst,
        "peg_pain": average,
        "peg_enjoyment": max(0, min(10, average + rng.randint(-2, 1))),
        "peg_activity": max(0, min(10, average + rng.randint(-2, 1))),
        "red_flags": red_flags,
        "site_infection_or_broken_skin": False,
        "acute_muscle_trauma_at_site": False,
        "pregnant": False,
        "bleeding_disorder": False,
        "anticoagulant_or_antiplatelet": bool(chart.antithrombotics),
        "anaesthetic_allergies": sorted(set(chart.anaesthetic_allergies)),
        "needle_phobia": False,
        "steroid_planned": False,
        "diabetes_poorly_controlled": False if chart.diabetes else None,
        "conservative_care": course.care,
        "conservative_care_weeks": course.care_weeks + since_first // 7,
        "previous_tpi": history[0],
        "previous_tpi_details": history[1],
        "previous_tpi_relief": history[2],
        "indications": indications,
    }


def _decide(run, v, chart, red_flag):
    """The clinician's recorded decision on a "needs review" or "not eligible" verdict."""
    status = v.intake.verdict_status
    if status == "not_eligible" and red_flag:
        kind, reason = ScreeningDecision.Kind.DO_NOT_PROCEED, red_flag[1]
    elif status == "needs_review":
        codes = {r["code"] for r in v.intake.verdict_reasons}
        parts = []
        if "anticoagulant_or_antiplatelet" in codes:
            drugs = " and ".join(sorted(set(chart.antithrombotics)))
            parts.append(
                f"On {drugs.lower()}: no bleeding or bruising history; 27 G needle and "
                "firm pressure at each site"
            )
        if "short_conservative_care" in codes:
            parts.append("Pain limits the exercise programme; injection lets it progress")
        if "fibromyalgia_investigational" in codes:
            parts.append("Active trigger points on examination; self-pay agreed")
        parts = parts or ["Reviewed with the patient: benefit outweighs the risk today"]
        kind, reason = ScreeningDecision.Kind.PROCEED, ". ".join(parts) + "."
    else:
        return None
    return intake.record_decision(
        visit=v, version=v.version, kind=kind, reason=reason, by=run.clinician
    )


def _examine(run, rng, v, marks, *, none_active=False, wide=False) -> list[TriggerPointFinding]:
    """1-5 findings on muscles the drawing suggests, most in one payer region."""
    suggestions = [
        s
        for s in atlas.rank(marks, limit=14)
        if not atlas.MUSCLES[s.muscle_id].high_risk
        and atlas.MUSCLES[s.muscle_id].evidence == atlas.Evidence.SEEN
    ] or atlas.rank(marks, limit=6)
    target = payer.MUSCLE_REGION[suggestions[0].muscle_id]
    same = [s for s in suggestions if payer.MUSCLE_REGION[s.muscle_id] == target][:6]
    other = [s for s in suggestions if payer.MUSCLE_REGION[s.muscle_id] != target][:3]
    wanted = 5 if wide else rng.choices([1, 2, 3, 4, 5], weights=[10, 25, 30, 20, 15])[0]
    chosen = [same[0], *rng.sample(same[1:], k=min(wanted - 1, len(same) - 1))]
    if len(chosen) < wanted and other:
        chosen.append(other[0])
    findings = []
    for number, suggestion in enumerate(chosen):
        if none_active:
            kind = "latent" if number == 0 else rng.choice(["latent", "not_confirmed"])
        elif number == 0 or wide:
            kind = "active"
        else:
            kind = rng.choices(["active", "latent", "not_confirmed"], weights=[80, 12, 8])[0]
        muscle = atlas.MUSCLES[suggestion.muscle_id]
        referred = suggestion.primary_matches or suggestion.secondary_matches
        data = {
            "muscle": muscle.id,
            "side": str(suggestion.side),
            "location": rng.choice(muscle.trp_locations)[:200] if muscle.trp_locations else "",
            "referred_to": ", ".join(
                dict.fromkeys(atlas.REGIONS[m.region_id].label.split(" (")[0] for m in referred)
            )[:200]
            if FINDINGS[kind]["referred_pain"]
            else "",
            **FINDINGS[kind],
            "twitch": rng.choice([True, None, None, False]) if kind != "not_confirmed" else None,
            "jump_sign": rng.choice([True, None]) if kind == "active" else None,
            "limited_stretch": rng.choice([True, None]) if kind != "not_confirmed" else None,
        }
        if rng.random() < 0.3:
            data["ppt"] = Decimal(rng.randint(14, 38)) / 10
            data["ppt_unit"] = "kg/cm2"
        findings.append(exam.add_finding(visit=v, version=v.version, data=data, by=run.clinician))
    return findings


def _end(run, v, reason, when, past):
    visit.end_visit(visit=v, version=v.version, reason=reason, by=run.clinician)
    if past:
        _backdate(Visit, v.pk, updated_at=when + timedelta(minutes=25))
    return v


def _consent(run, v, when, past) -> None:
    """Consent to the risks the examined sites call for, then the time-out."""
    risks = [str(r) for r in consent.required_risks(procedure.planned_sites(v))]
    procedure.record_consent(
        visit=v,
        version=v.version,
        consented_by="The patient",
        consented_at=when + timedelta(minutes=20) if past else run.now,
        risks=risks,
        by=run.clinician,
    )
    items = [str(item) for item in consent.TIME_OUT_ITEMS]
    done = procedure.record_time_out(visit=v, version=v.version, items=items, by=run.nurse)
    if past:
        _backdate(TimeOut, done.pk, done_at=when + timedelta(minutes=24))


def _weight(run, rng, chart, day):
    """Dose by the chart's latest weight if it is recent (and not from after the visit),
    else weigh the patient now: the service adds that weight to the chart, and so do we."""
    window = run.clinic.weight_window_days
    latest = max(chart.weights, default=None)
    if latest and day - timedelta(days=window) <= latest[0] <= day:
        return None
    known = min(chart.weights, key=lambda w: abs((w[0] - day).days))[1] if chart.weights else 75
    weight = Decimal(f"{float(known) + rng.uniform(-1.5, 1.5):.1f}")
    chart.weights.append((day, weight))
    return weight


def _plan(rng, chart, caution):
    """The injectate for the session: (kind, agent, percent)."""
    roll, strength = rng.random(), rng.choice([Decimal("0.5"), Decimal("1")])
    if AMIDES & set(chart.anaesthetic_allergies):
        return ("saline", "", None) if roll < 0.6 else ("dry_needling", "", None)
    if caution:
        return ("anaesthetic", "lidocaine", Decimal("2"))
    if roll < 0.7:
        return ("anaesthetic", "lidocaine", strength)
    if roll < 0.92:
        return ("anaesthetic", "bupivacaine", Decimal("0.25"))
    return ("dry_needling", "", None) if roll < 0.96 else ("saline", "", None)


def _needle(muscle, thin) -> tuple[int, Decimal]:
    region = payer.MUSCLE_REGION[muscle]
    if region in ("cephalic", "facial", "cervical"):
        return (27, Decimal("25"))
    if region in ("lumbar", "hip_gluteal", "lower_limb"):
        return (27 if thin else 25, Decimal("38"))
    return (27 if thin else 25, Decimal("32"))


def _inject(run, rng, v, chart, findings, day, *, caution=False) -> list[InjectionSite]:
    """Weight, then one site per active point in the main region, under the dose guard."""
    weight = _weight(run, rng, chart, day)
    procedure.start_procedure(visit=v, version=v.version, by=run.nurse, weight_kg=weight, today=day)
    region = payer.MUSCLE_REGION[findings[0].muscle]
    targets = [
        f for f in findings if f.kind == "active" and payer.MUSCLE_REGION[f.muscle] == region
    ][:5]
    kind, agent, percent = _plan(rng, chart, caution)
    ceiling = 0.95 if caution else SAFE_FRACTION
    lot, expiry = "", None
    if kind != "dry_needling" and rng.random() < 0.7:
        lot = (
            f"{(agent or 'saline')[:2].upper()}{day:%y}{rng.randint(100, 999)}{rng.choice('ABCD')}"
        )
        expiry = (day + timedelta(days=rng.randint(180, 600))).replace(day=1)
    sites = []
    for finding in targets:
        gauge, length = _needle(finding.muscle, thin=bool(chart.antithrombotics))
        site = InjectionSite(
            muscle=finding.muscle,
            side=finding.side,
            kind=kind,
            agent=agent,
            percent=percent,
            needle_gauge=gauge,
            needle_length_mm=length,
            aspiration=kind != "dry_needling",
            twitch=bool(finding.twitch) or rng.random() < 0.3,
            lot_number=lot,
            expiry=expiry,
        )
        if kind != "dry_needling":
            site.volume_ml = _volume(rng, v.procedure, site, ceiling, caution)
            if site.volume_ml is None:
                break  # even 1 mL more would pass the ceiling: stop here
        sites.append(procedure.add_site(visit=v, version=v.version, site=site, by=run.clinician))
    if caution:
        status = procedure.dose_check(v.procedure).status
        run.caution_left -= status == dosing.DoseStatus.CAUTION
    return sites


def _volume(rng, proc, site, ceiling, caution) -> Decimal | None:
    """The largest usual volume, from a typical one down to 1 mL, that keeps the session
    within ``ceiling`` of the weight-based maximum (checked with the service's dose check)."""
    small = payer.MUSCLE_REGION[site.muscle] in ("cephalic", "facial", "cervical", "upper_limb")
    if caution:
        start = Decimal("3")
    else:
        start = Decimal(rng.choice(["1", "1.5", "2"] if small else ["1.5", "2", "2.5", "3"]))
    volume = start
    while volume >= 1:
        site.volume_ml = volume
        if site.kind != "anaesthetic" or procedure.dose_check(proc, extra=site).fraction <= ceiling:
            return volume
        volume -= Decimal("0.5")
    return None


def _sign(run, rng, v, when, past):
    icd = [s.code for s in queries.icd_suggestions(v)[:1]]
    signed_at = when + timedelta(minutes=rng.randint(35, 150)) if past else None
    signed = note.sign_note(
        visit=v, version=v.version, icd_codes=icd, by=run.clinician, at=signed_at
    )
    if past:
        _backdate(Visit, v.pk, updated_at=signed_at)
    if rng.random() < 0.08:
        at = (signed_at or run.now) + timedelta(days=rng.randint(1, 3))
        if at < run.now:
            note.add_addendum(note=signed, text=rng.choice(ADDENDA), by=run.clinician, at=at)
    return v


# --- today's list -----------------------------------------------------------------------------


def _today(run: Run, rng, patients, charts, drawings, today: date) -> int:
    """Eight visits for the demo clinician today, left in every state a visit can be in."""
    # New patients, and patients back for a repeat session: their last visit was a signed
    # session at least six weeks ago, with room left in the payer's 12-month limit.
    history = defaultdict(list)
    for patient_id, state, when in (
        Visit.objects.filter(patient__clinic=run.clinic)
        .order_by("scheduled_for")
        .values_list("patient_id", "state", "scheduled_for")
    ):
        history[patient_id].append((state, timezone.localdate(when)))
    year_ago = today - timedelta(days=365)

    def ready_for_today(patient):
        visits = history.get(patient.pk)
        if not visits:
            return True
        state, last = visits[-1]
        sessions = sum(1 for s, day in visits if s == State.SIGNED and day > year_ago)
        return (
            state == State.SIGNED
            and (today - last).days >= SESSION_GAP_DAYS
            and sessions < MAX_SESSIONS
        )

    ready = [p for p in patients if ready_for_today(p)]
    # The intake left waiting for the clinician's review: a patient on a blood thinner.
    thinned = [p for p in ready if charts[p.pk].antithrombotics]
    thinned = [rng.choice(thinned)] if thinned else []
    others = [p for p in ready if p not in thinned]
    chosen = rng.sample(others, k=min(len(TODAY_PLAN) - len(thinned), len(others)))
    chosen[5:5] = thinned
    for patient, (at, state) in zip(chosen, TODAY_PLAN, strict=False):
        chart, mine = charts[patient.pk], drawings[patient.pk]
        group = _index(_marks(_nearest(mine, today)))[2]
        course = _course_so_far(patient) or Course(
            first_months=rng.randint(4, 48),
            goals=rng.sample(GOALS_OF_GROUP[group], k=rng.choice([1, 2])),
            care=rng.choice(CONSERVATIVE_CARE),
            care_weeks=rng.randint(6, 40),
        )
        when = _slot(run, rng, today, at=at)
        if state == State.ENDED:
            _visit(run, rng, patient, chart, mine, course, when, end="declined")
        else:
            _visit(run, rng, patient, chart, mine, course, when, stop=state)
    return len(chosen)


def _course_so_far(patient) -> Course | None:
    """A returning patient's course, from their signed sessions (None: a new patient)."""
    signed = list(
        Visit.objects.filter(patient=patient, state=State.SIGNED)
        .select_related("intake", "procedure")
        .prefetch_related("procedure__sites", "goals")
        .order_by("scheduled_for")
    )
    if not signed:
        return None
    first = signed[0].intake
    return Course(
        first_months=first.pain_months,
        goals=[goal.text for goal in signed[-1].goals.all()],
        care=first.conservative_care,
        care_weeks=first.conservative_care_weeks or 0,
        previous=[
            (
                timezone.localdate(v.scheduled_for),
                [s.muscle for s in v.procedure.sites.all()],
                v.procedure.nrs_before,
                v.procedure.nrs_after,
            )
            for v in signed
        ],
    )
