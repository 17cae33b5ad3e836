"""A visit on today's list whose screening decision has lapsed (issue 11, point 2).

The intake needed review (a blood thinner on the chart, or a fear of needles); the clinician
decided to proceed; then the nurse recorded a new red flag (a fever). The visit page shows
the decision has lapsed and which reason is new, and the procedure stays blocked until the
clinician decides again, naming the red flag. All through the real services.
"""

from datetime import datetime, time, timedelta

from taut.accounts.actors import Actor
from taut.accounts.models import Clinic
from taut.accounts.roles import Role
from taut.clinical import screening
from taut.patients.models import Allergy, Medication, Patient
from taut.visits.models import Visit
from taut.visits.services import intake, visit

REASON = "Neck and shoulder pain, worse at the desk"
AT = time(15, 30)


def _answers(*, on_thinner: bool, red_flag: bool) -> dict:
    flags = {q.id: False for questions in screening.RED_FLAG_SETS.values() for q in questions}
    flags["neck.fever"] = red_flag
    return {
        "reason": REASON,
        "index_region": "shoulder_top",
        "index_side": "left",
        "pain_months": 7,
        "nrs_now": 6,
        "nrs_average": 5,
        "nrs_worst": 8,
        "peg_pain": 5,
        "peg_enjoyment": 6,
        "peg_activity": 5,
        "red_flags": flags,
        "site_infection_or_broken_skin": False,
        "acute_muscle_trauma_at_site": False,
        "pregnant": False,
        "bleeding_disorder": False,
        "anticoagulant_or_antiplatelet": on_thinner,
        "anaesthetic_allergies": [],
        "needle_phobia": not on_thinner,
        "steroid_planned": False,
        "diabetes_poorly_controlled": None,
        "conservative_care": "Stretching programme and a desk set-up review",
        "conservative_care_weeks": 8,
        "previous_tpi": False,
        "previous_tpi_details": "",
        "previous_tpi_relief": None,
        "indications": [str(screening.Indication.MYOFASCIAL_PAIN)],
    }


def _patient(clinic: Clinic) -> Patient | None:
    """The first new patient (by MRN: no visit yet, so no check-in their intake should
    follow) with no anaesthetic allergy on the chart, preferring one on a blood thinner."""
    allergic = Allergy.objects.filter(active=True).exclude(anaesthetic="")
    candidates = (
        Patient.objects.filter(clinic=clinic)
        .exclude(pk__in=Visit.objects.values("patient_id"))
        .exclude(pk__in=allergic.values("patient_id"))
        .order_by("mrn")
    )
    thinned = Medication.objects.filter(active=True, antithrombotic=True)
    return candidates.filter(pk__in=thinned.values("patient_id")).first() or candidates.first()


def seed_lapsed_decision(*, clinic: Clinic, staff: dict, now: datetime) -> Visit | None:
    """Add the visit, unless today's list already has it; return it (None if added before
    or no patient fits)."""
    zone = clinic.zone()
    today = now.astimezone(zone).date()
    start = datetime.combine(today, time.min, tzinfo=zone)
    end = start + timedelta(days=1)
    today_visits = Visit.objects.filter(patient__clinic=clinic, scheduled_for__gte=start)
    if today_visits.filter(scheduled_for__lt=end, intake__reason=REASON).exists():
        return None
    patient = _patient(clinic)
    if patient is None:
        return None
    on_thinner = Medication.objects.filter(
        patient=patient, active=True, antithrombotic=True
    ).exists()
    nurse, clinician = staff[Role.NURSE], staff[Role.CLINICIAN]
    goals = [("Work a full day at the desk", -1)]
    v = visit.schedule_visit(
        patient=patient,
        scheduled_for=datetime.combine(today, AT, tzinfo=zone),
        clinician=clinician,
        actor=Actor.staff(nurse, now=now - timedelta(minutes=3)),
    )
    intake.save_intake(
        visit=v,
        version=v.version,
        data=_answers(on_thinner=on_thinner, red_flag=False),
        goals=goals,
        actor=Actor.staff(nurse, now=now - timedelta(minutes=2)),
    )
    v.refresh_from_db()
    reason = (
        "On a blood thinner: no bleeding history; fine needle and firm pressure at each site."
        if on_thinner
        else "Fear of needles talked through; the patient wants to go ahead lying down."
    )
    intake.record_decision(
        visit=v,
        version=v.version,
        kind="proceed",
        reason=reason,
        actor=Actor.staff(clinician, now=now - timedelta(minutes=1)),
    )
    v.refresh_from_db()
    intake.save_intake(
        visit=v,
        version=v.version,
        data=_answers(on_thinner=on_thinner, red_flag=True),
        goals=goals,
        actor=Actor.staff(nurse, now=now),
    )
    v.refresh_from_db()
    return v
