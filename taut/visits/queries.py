"""Reads for visits: lists, and everything the visit page and the note show."""

from django.db.models import Prefetch

from taut.clinical import atlas, coding, consent, dosing, screening
from taut.visits.models import InjectionSite, Intake, Procedure, Visit

INDICATION_LABELS = {
    "myofascial_pain": "myofascial pain syndrome with active trigger points",
    "fibromyalgia": "fibromyalgia",
    "tension_type_headache": "tension-type headache",
    "neck_muscle_pain": "neck muscle pain",
    "low_back_muscle_pain": "low-back muscle pain",
}


def visits_for_patient(patient):
    return Visit.objects.filter(patient=patient).select_related("clinician", "note")


def visits_for_day(clinic, day, *, clinician=None):
    visits = (
        Visit.objects.filter(patient__clinic=clinic, scheduled_for__date=day)
        .select_related("patient", "clinician", "intake")
        .order_by("scheduled_for")
    )
    return visits.filter(clinician=clinician) if clinician else visits


def reports_to_review(clinic, *, after, clinician=None):
    """Coming visits (from ``after`` on, today's included) whose intake the patient sent
    through the portal and nobody has reviewed yet, soonest first."""
    visits = (
        Visit.objects.filter(
            patient__clinic=clinic,
            scheduled_for__gte=after,
            intake__source=Intake.Source.PATIENT,
            intake__reviewed_at__isnull=True,
        )
        .exclude(state__in=[Visit.State.SIGNED, Visit.State.ENDED])
        .select_related("patient", "clinician", "intake")
        .order_by("scheduled_for")
    )
    return visits.filter(clinician=clinician) if clinician else visits


def visit_with_records(visit_id, patient):
    """The visit with everything its page shows, in a fixed number of queries."""
    sites = InjectionSite.objects.order_by("id")
    procedures = Procedure.objects.prefetch_related(Prefetch("sites", queryset=sites))
    return (
        Visit.objects.filter(public_id=visit_id, patient=patient)
        .select_related("patient__clinic", "clinician", "drawing", "updated_by")
        .prefetch_related(
            "findings", "goals", "decisions", Prefetch("procedure", queryset=procedures)
        )
        .first()
    )


def muscle_name(muscle_id: str) -> str:
    muscle = atlas.MUSCLES.get(muscle_id)
    return muscle.name if muscle else muscle_id


def conservative_programme(visit: Visit) -> bool | None:
    intake = getattr(visit, "intake", None)
    if intake is None or intake.conservative_care_weeks is None:
        return None
    return intake.conservative_care_weeks > 0


def site_rows(procedure) -> list[dict]:
    rows = []
    for site in procedure.sites.all():
        mg = None
        if site.kind == InjectionSite.Kind.ANAESTHETIC:
            mg = dosing.mg_from_ml(site.volume_ml, site.percent)
        rows.append({"site": site, "muscle": muscle_name(site.muscle), "mg": mg})
    return rows


def icd_suggestions(visit: Visit) -> list:
    intake = getattr(visit, "intake", None)
    if intake is None:
        return []
    muscles = [s.muscle for s in visit.procedure.sites.all()] if hasattr(visit, "procedure") else []
    regions = [str(r) for r in coding.icd_regions_for_muscles(muscles)]
    found = {}
    for indication in intake.indications or ():  # None: not assessed yet
        diagnosis = coding.diagnosis_for_indication(indication)
        if diagnosis:
            for suggestion in coding.icd10_suggestions(diagnosis=diagnosis, regions=regions):
                found.setdefault(suggestion.code, suggestion)
    return list(found.values())


def note_context(visit: Visit, *, today, icd_confirmed=()) -> dict:
    """Everything the procedure note states, computed from the visit's records."""
    from taut.visits.services.note import coding_for, payer_decision
    from taut.visits.services.procedure import dose_check

    intake = visit.intake
    procedure = visit.procedure
    check = dose_check(procedure)
    decision = payer_decision(visit, today=today)
    latest_decision = visit.decisions.first()
    return {
        "visit": visit,
        "patient": visit.patient,
        "clinic": visit.patient.clinic,
        "intake": intake,
        "indications": [INDICATION_LABELS.get(i, i) for i in intake.indications or ()],
        "index_region": atlas.REGIONS[intake.index_region].label
        if intake.index_region in atlas.REGIONS
        else intake.index_region,
        "verdict_reasons": intake.verdict_reasons,
        "decision": latest_decision,
        "consent": visit.consent,
        "risk_labels": [consent.RISKS[consent.Risk(r)].label for r in visit.consent.risks],
        "time_out": visit.time_out,
        "findings": [(muscle_name(f.muscle), f) for f in visit.findings.all()],
        "procedure": procedure,
        "sites": site_rows(procedure),
        "dose": check,
        "dose_totals": sorted(check.total_mg_by_agent.items()),
        "fraction_percent": round(check.fraction * 100),
        "complications": [
            Procedure.Complication(c).label
            for c in procedure.complications
            if c in Procedure.Complication.values
        ],
        "overrides": [s for s in procedure.sites.all() if s.override_reason],
        "cpt": coding_for(visit),
        "icd_suggestions": icd_suggestions(visit),
        "icd_confirmed": list(icd_confirmed),
        "payer": decision,
        "payer_warnings": [c for c in decision.checks if c.passed is not True],
        "goals": list(visit.goals.all()),
        "screening_version": screening.VERSION,
    }
