"""Set up visits through the real services, step by step, for the visit tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from taut.clinical import consent, screening
from taut.tests.cast import acting
from taut.visits.models import InjectionSite
from taut.visits.services import exam, intake, procedure
from taut.visits.services import observation as watch
from taut.workflows import booking

ELIGIBLE = {
    "reason": "Neck and shoulder pain at work",
    "index_region": "shoulder_top",
    "index_side": "left",
    "pain_months": 8,
    "nrs_now": 6,
    "nrs_average": 6,
    "nrs_worst": 8,
    "peg_pain": 6,
    "peg_enjoyment": 5,
    "peg_activity": 6,
    "red_flags": {},
    "site_infection_or_broken_skin": False,
    "acute_muscle_trauma_at_site": False,
    "pregnant": False,
    "bleeding_disorder": False,
    "anticoagulant_or_antiplatelet": False,
    "anaesthetic_allergies": [],
    "needle_phobia": False,
    "steroid_planned": False,
    "diabetes": False,
    "diabetes_poorly_controlled": None,
    "conservative_care": "Stretching programme and NSAIDs",
    "conservative_care_weeks": 8,
    "previous_tpi": False,
    "previous_tpi_details": "",
    "previous_tpi_relief": None,
    "indications": ["myofascial_pain", "neck_muscle_pain"],
}
NO_RED_FLAGS = dict.fromkeys(
    (
        "cauda_equina_signs",
        "myelopathy_signs",
        "fever_or_infection",
        "cancer_with_new_pain_or_weight_loss",
        "progressive_weakness_or_numbness",
        "vascular_neck_symptoms",
        "major_trauma",
    ),
    False,
)
ACTIVE = {
    "taut_band": True,
    "spot_tenderness": True,
    "referred_pain": True,
    "recognised": True,
    "twitch": True,
    "jump_sign": None,
    "limited_stretch": None,
}


def red_flag_answers():
    return {q.id: False for q in screening.NECK_RED_FLAGS + screening.BACK_RED_FLAGS}


def scheduled(patient, by, *, when=None):
    """A visit booked for ``when``, by default one that began a few minutes ago (so a session
    signed at once falls on today, even a minute before midnight)."""
    return booking.book_visit(
        patient=patient,
        actor=acting(by),
        scheduled_for=when or timezone.now() - timedelta(minutes=5),
    )


def with_intake(v, by, **changes):
    data = {**ELIGIBLE, "red_flags": red_flag_answers(), **changes}
    intake.save_intake(
        visit=v,
        version=v.version,
        data=data,
        goals=[("Sleep through the night", -1)],
        actor=acting(by),
    )
    v.refresh_from_db()
    return v


def examined(v, by, muscles=(("trapezius_upper", "left"),)):
    for muscle, side in muscles:
        exam.add_finding(
            visit=v,
            version=v.version,
            actor=acting(by),
            data={"muscle": muscle, "side": side, "location": "", **ACTIVE},
        )
        v.refresh_from_db()
    return v


def consented(v, by, weight=Decimal("70")):
    risks = [str(r) for r in consent.Risk]
    procedure.record_consent(
        visit=v,
        version=v.version,
        consented_by="The patient",
        consented_at=timezone.now(),
        risks=risks,
        actor=acting(by),
    )
    v.refresh_from_db()
    procedure.record_time_out(
        visit=v, version=v.version, actor=acting(by), items=[str(i) for i in consent.TIME_OUT_ITEMS]
    )
    v.refresh_from_db()
    procedure.start_procedure(visit=v, version=v.version, actor=acting(by), weight_kg=weight)
    v.refresh_from_db()
    return v


def site(
    muscle="trapezius_upper",
    side="left",
    *,
    agent="lidocaine",
    percent="1",
    ml="5",
    override="",
    **fields,
):
    """An anaesthetic site; ``fields`` sets any other InjectionSite field (say
    ``high_risk_confirmed=True`` or ``point_reason``)."""
    return InjectionSite(
        muscle=muscle,
        side=side,
        kind="anaesthetic",
        agent=agent,
        percent=Decimal(percent),
        volume_ml=Decimal(ml),
        needle_gauge=25,
        needle_length_mm=Decimal("25"),
        override_reason=override,
        **fields,
    )


def with_sites(v, by, sites):
    for s in sites:
        procedure.add_site(visit=v, version=v.version, site=s, actor=acting(by))
        v.refresh_from_db()
    return v


def finished(v, by):
    procedure.record_immediate(
        visit=v,
        version=v.version,
        nrs_before=6,
        nrs_after=2,
        complications=["none"],
        action="",
        actor=acting(by),
    )
    v.refresh_from_db()
    return discharged(v, by)


# Vital signs at discharge, all ordinary.
VITALS = {"heart_rate": 72, "systolic": 124, "diastolic": 78, "spo2": 98}


def discharged(v, by, *, after_minutes=None, cut_short=""):
    """The patient goes home ``after_minutes`` after the last injection (by default a minute
    after the end of the clinic's watch), with ordinary vital signs and no signs of LAST."""
    injected = max((s.recorded_at for s in v.procedure.sites.all()), default=None)
    if injected is None:
        return v  # no injection, nothing to watch
    minutes = v.procedure.observation_minutes + 1 if after_minutes is None else after_minutes
    at = injected + timedelta(minutes=minutes)
    watch.record_discharge(
        visit=v,
        version=v.version,
        discharged_at=at,
        vitals=VITALS,
        symptoms=[],
        cut_short=cut_short,
        actor=acting(by, now=max(at, timezone.now())),
    )
    v.refresh_from_db()
    return v


def ready_to_sign(patient, clinician):
    v = scheduled(patient, clinician)
    v = with_intake(v, clinician)
    v = examined(
        v,
        clinician,
        (("trapezius_upper", "left"), ("levator_scapulae", "left"), ("rhomboids", "left")),
    )
    v = consented(v, clinician)
    v = with_sites(v, clinician, [site(), site("levator_scapulae"), site("rhomboids")])
    return finished(v, clinician)
