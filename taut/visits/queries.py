"""Reads for visits: lists, and everything the visit page and the note show.

Every rule comes from ``taut.clinical``; these functions gather the visit's records for it.
Writes (``services``) import these reads, never the other way round.
"""

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from taut.accounts.models import Clinic, User
from taut.clinical import atlas, coding, consent, dosing, payer, screening
from taut.lib.dates import day_bounds
from taut.patients.allergy_queries import chart_allergens
from taut.patients.models import Measurement, Patient
from taut.visits import dose_queries, observation, sites
from taut.visits.clearance import clearance_for, exam_support_for
from taut.visits.models import (
    Addendum,
    InjectionSite,
    Intake,
    Note,
    PrintedDocument,
    Procedure,
    ScreeningDecision,
    Visit,
)
from taut.visits.models.visit import CLOSED_STATES

INDICATION_LABELS = {
    "myofascial_pain": "myofascial pain syndrome with active trigger points",
    "fibromyalgia": "fibromyalgia",
    "tension_type_headache": "tension-type headache",
    "neck_muscle_pain": "neck muscle pain",
    "low_back_muscle_pain": "low-back muscle pain",
}


def visits_for_patient(patient: Patient) -> QuerySet[Visit]:
    """Latest first, from the (patient, scheduled_for) index; the chart's card pages it."""
    return (
        Visit.objects.filter(patient=patient)
        .select_related("clinician", "note")
        .order_by("-scheduled_for", "-id")
    )


def _on_day(clinic: Clinic, day: date, clinician: User | None) -> QuerySet[Visit]:
    """The clinic's visits on ``day`` (the clinic's day, in its time zone): a range on the
    ``scheduled_for`` index, or on (clinician, scheduled_for) for one clinician's."""
    start, end = day_bounds(day, clinic.zone())
    visits = Visit.objects.filter(
        patient__clinic=clinic, scheduled_for__gte=start, scheduled_for__lt=end
    )
    return visits.filter(clinician=clinician) if clinician else visits


def visits_for_day(clinic: Clinic, day: date, *, clinician: User | None = None) -> QuerySet[Visit]:
    """The day's visits in time order (ties by id, so pages never overlap); the day list
    pages them."""
    return (
        _on_day(clinic, day, clinician)
        .select_related("patient", "clinician", "intake")
        .order_by("scheduled_for", "id")
    )


def visit_today_for_patient(patient: Patient, today: date) -> Visit | None:
    """The patient's booked visit on ``today`` (the clinic's day) that has not started, for
    the portal's "I'm here"; the earliest if there are two."""
    start, end = day_bounds(today, patient.clinic.zone())
    return (
        Visit.objects.filter(
            patient=patient,
            scheduled_for__gte=start,
            scheduled_for__lt=end,
            state__in=(Visit.State.SCHEDULED, Visit.State.INTAKE_DONE),
        )
        .select_related("clinician")
        .order_by("scheduled_for")
        .first()
    )


def can_check_in(visit: Visit) -> bool:
    """Whether the patient can still be checked in or shown into the room."""
    not_started = visit.state in (Visit.State.SCHEDULED, Visit.State.INTAKE_DONE)
    return not_started and visit.arrival != Visit.Arrival.IN_ROOM


def day_counts(clinic: Clinic, day: date, *, clinician: User | None = None) -> dict[str, int]:
    """How the whole day stands, whatever page of it is shown: every visit, those booked,
    arrived (waiting or in the room) and waiting, and those cancelled or missed. One
    aggregate over the day's range of the index."""
    closed = Q(state__in=(Visit.State.CANCELLED, Visit.State.NO_SHOW))
    counts = _on_day(clinic, day, clinician).aggregate(
        total=Count("id"),
        cancelled=Count("id", filter=closed),
        arrived=Count("id", filter=~closed & ~Q(arrival=Visit.Arrival.EXPECTED)),
        waiting=Count("id", filter=~closed & Q(arrival=Visit.Arrival.WAITING)),
    )
    return {**counts, "booked": counts["total"] - counts["cancelled"]}


def reports_to_review(
    clinic: Clinic, *, after: datetime, clinician: User | None = None
) -> QuerySet[Visit]:
    """Coming visits (from ``after`` on, today's included) whose intake the patient sent
    through the portal and nobody has reviewed yet, soonest first."""
    visits = (
        Visit.objects.filter(
            patient__clinic=clinic,
            scheduled_for__gte=after,
            intake__source=Intake.Source.PATIENT,
            intake__reviewed_at__isnull=True,
        )
        .exclude(state__in=CLOSED_STATES)
        .select_related("patient", "clinician", "intake")
        .order_by("scheduled_for")
    )
    return visits.filter(clinician=clinician) if clinician else visits


def visits_with_records() -> QuerySet[Visit]:
    """Visits with what every visit page reads, in a fixed number of queries: the intake,
    procedure (and its sites), consent, time-out and survey joined, the findings and the
    screening decisions prefetched. (The patient comes from the gate: ``get_visit``.)"""
    sites = InjectionSite.objects.order_by("id")
    decisions = ScreeningDecision.objects.select_related("decided_by")
    return Visit.objects.select_related(
        "clinician",
        "drawing",
        "updated_by",
        "intake__reviewed_by",
        "procedure",
        "consent",
        "time_out__done_by",
        "fm_survey",
    ).prefetch_related(
        "findings",
        Prefetch("decisions", queryset=decisions),
        Prefetch("procedure__sites", queryset=sites),
    )


def signed_note(visit: Visit) -> Note | None:
    """The visit's signed note with who signed it and its addenda with theirs, in two
    queries however many addenda (None before signing: no query while the visit's state
    says it is not signed, as the note is created with that state)."""
    if visit.state != Visit.State.SIGNED:
        return None
    addenda = Addendum.objects.select_related("signed_by")
    return (
        Note.objects.filter(visit=visit)
        .select_related("signed_by")
        .prefetch_related(Prefetch("addenda", queryset=addenda))
        .first()
    )


def muscle_name(muscle_id: str) -> str:
    """The name of an atlas site: a muscle, ligament or tendon (``sites.site_name``)."""
    return sites.site_name(muscle_id)


def conservative_programme(visit: Visit) -> bool | None:
    intake: Intake | None = getattr(visit, "intake", None)
    if intake is None or intake.conservative_care_weeks is None:
        return None
    return intake.conservative_care_weeks > 0


def _strength_and_volume(site: InjectionSite) -> tuple[Decimal, Decimal]:
    """An anaesthetic site's percent and mL (``services.validate_site`` requires both)."""
    if site.percent is None or site.volume_ml is None:
        raise ValueError("An anaesthetic site needs the agent, concentration and volume.")
    return site.percent, site.volume_ml


def site_rows(procedure: Procedure) -> list[dict[str, Any]]:
    rows = []
    for site in procedure.sites.all():
        mg = None
        if site.kind == InjectionSite.Kind.ANAESTHETIC:
            percent, ml = _strength_and_volume(site)
            mg = dosing.mg_from_ml(ml, percent)
        rows.append(
            {
                "site": site,
                "muscle": muscle_name(site.muscle),
                "kind": "" if sites.is_muscle(site.muscle) else sites.kind_label(site.muscle),
                "mg": mg,
            }
        )
    return rows


def icd_suggestions(visit: Visit) -> list[coding.IcdSuggestion]:
    intake = getattr(visit, "intake", None)
    if intake is None:
        return []
    procedure = getattr(visit, "procedure", None)
    # The M79.1x/M54.x regions are the muscles' (a ligament or tendon has no region there).
    muscles = (
        [s.muscle for s in procedure.sites.all() if sites.is_muscle(s.muscle)] if procedure else []
    )
    regions = [str(r) for r in coding.icd_regions_for_muscles(muscles)]
    found: dict[str, coding.IcdSuggestion] = {}
    for indication in intake.indications or ():  # None: not assessed yet
        diagnosis = coding.diagnosis_for_indication(indication)
        if diagnosis:
            for suggestion in coding.icd10_suggestions(diagnosis=diagnosis, regions=regions):
                found.setdefault(suggestion.code, suggestion)
    return list(found.values())


def planned_sites(visit: Visit) -> list[tuple[str, str]]:
    """Sites examined or injected at this visit, as (site id, side): muscles, ligaments
    and tendons (consent reads them all)."""
    planned = [(f.muscle, f.side) for f in visit.findings.all()]
    procedure = getattr(visit, "procedure", None)
    if procedure is not None:
        planned += [(s.muscle, s.side) for s in procedure.sites.all()]
    return list(dict.fromkeys(planned))


def steroid_planned(visit: Visit) -> bool:
    """Whether a steroid is planned or given at this visit: the intake says so, or a site
    carries one (consent then lists a steroid's effects)."""
    intake = getattr(visit, "intake", None)
    procedure = getattr(visit, "procedure", None)
    given = procedure is not None and any(s.steroid for s in procedure.sites.all())
    return bool(intake is not None and intake.steroid_planned) or given


def recent_weight(patient: Patient, *, window_days: int, today: date) -> Measurement | None:
    """The latest weight measured within the window before ``today``, or None (weigh again)."""
    latest = Measurement.objects.filter(patient=patient, measured_on__lte=today).first()
    if latest and latest.measured_on >= today - timedelta(days=window_days):
        return latest
    return None


def injections(sites: Iterable[InjectionSite]) -> list[dosing.Injection]:
    """The anaesthetic doses of ``sites`` as dosing.check_session expects them."""
    return [
        dosing.Injection(s.agent, *_strength_and_volume(s), s.epinephrine)
        for s in sites
        if s.kind == InjectionSite.Kind.ANAESTHETIC
    ]


def dose_check(
    procedure: Procedure,
    *,
    extra: InjectionSite | None = None,
    without: InjectionSite | None = None,
    weight_kg: Decimal | None = None,
) -> dosing.DoseCheck:
    """The session's dose check, optionally with a proposed site added or one left out, or
    at another weight; with the anaesthetic of the 24 hours around the session and the
    reductions applied (``dose_queries``)."""
    sites = [s for s in procedure.sites.all() if without is None or s.pk != without.pk]
    if extra is not None:
        sites.append(extra)
    table = procedure.visit.patient.clinic.dose_table()
    return dosing.check_session(
        procedure.weight_kg if weight_kg is None else weight_kg,
        injections(sites),
        table=table,
        earlier=dose_queries.earlier_doses(procedure),
        reductions=procedure.dose_reductions,
    )


def anaesthetic_allergies(visit: Visit) -> set[str]:
    """Local-anaesthetic allergen codes (agents, classes, excipients) of the patient, from
    the intake and the chart (``taut.patients.allergy_queries.chart_allergens``)."""
    intake = getattr(visit, "intake", None)
    from_intake = set(intake.anaesthetic_allergies) if intake else set()
    return from_intake | chart_allergens(visit.patient)


def procedure_gate(visit: Visit) -> tuple[bool, str]:
    """Whether screening lets a procedure be documented, and if not, why (a lapsed decision
    names the reasons that are new: ``taut.visits.clearance``)."""
    result = clearance_for(visit)
    return result.allowed, result.why


def missing_before_signing(visit: Visit) -> list[str]:
    """What must still be recorded before the note can be signed (empty: nothing)."""
    missing = []
    if visit.state != Visit.State.PROCEDURE_DOCUMENTED:
        missing.append("at least one injection site")
    if getattr(visit, "consent", None) is None:
        missing.append("consent")
    if getattr(visit, "time_out", None) is None:
        missing.append("the time-out")
    procedure = getattr(visit, "procedure", None)
    if procedure is None or procedure.nrs_before is None or procedure.nrs_after is None:
        missing.append("pain scores just before and after")
    if procedure is None or not procedure.complications:
        missing.append("complications (or “none”)")
    allowed, why = procedure_gate(visit)
    if not allowed:
        missing.append(f"a screening decision that stands ({why})")
    support = exam_support_for(visit)
    muscles = procedure is not None and any(
        sites.is_muscle(s.muscle) for s in procedure.sites.all()
    )
    if muscles and not support.supported:
        missing.append(f"an active trigger point on the exam ({support.why})")
    return missing + observation.observation_missing(visit)


def note_is_intact(note: Note) -> bool:
    """Whether the signed note's text still matches the SHA-256 taken at signing."""
    return hashlib.sha256(note.body_html.encode()).hexdigest() == note.sha256


def coding_for(visit: Visit) -> coding.CptCoding:
    """The 20552/20553 code (with the muscle count behind it) for the visit's injected
    muscles with a documented trigger point; dry needling is coded apart
    (``taut.visits.sites.coding_for``)."""
    return sites.coding_for(visit).injection


def session_date(visit: Visit) -> date:
    """The day the session took place, on the clinic's clock: payer rules count from it,
    not from the signing."""
    return visit.scheduled_for.astimezone(visit.patient.clinic.zone()).date()


def payer_decision(
    visit: Visit, *, history: Sequence[payer.SessionRecord], today: date
) -> payer.Decision:
    """Repeat-session checks of the clinic's payer policy for this visit's sites, given the
    patient's earlier sessions (``history``: read by the caller, with their follow-up scores
    and function readings; see ``taut.workflows.notes``)."""
    # The TPI LCDs' repeat rules read the muscles and pass over ligaments and tendons
    # (structure_checks): given all the sites, so a session of structures only is checked too.
    planned = frozenset(s.muscle for s in visit.procedure.sites.all())
    treatment = payer.TreatmentHistory(
        sessions=tuple(history),
        planned=payer.PlannedSession(
            sites=planned, conservative_programme_active=conservative_programme(visit)
        ),
    )
    return payer.repeat_eligibility(treatment, on=today, policy=visit.patient.clinic.payer_policy)


def structure_payer_checks(visit: Visit) -> tuple[payer.Check, ...]:
    """What the payer rules say of the session's ligament and tendon sites instead of the
    TPI LCDs, and of prolotherapy (NCD 150.7): ``payer.structure_checks``."""
    procedure = getattr(visit, "procedure", None)
    recorded = list(procedure.sites.all()) if procedure is not None else []
    structures = [(s.muscle, s.side) for s in recorded if not sites.is_muscle(s.muscle)]
    if not structures:
        return ()
    return payer.structure_checks(
        tuple(dict.fromkeys(structures)),
        prolotherapy=any(s.sclerosant for s in recorded),
        policy=visit.patient.clinic.payer_rules(),  # with the clinic's own limit, if any
    )


def note_context(
    visit: Visit,
    *,
    history: Sequence[payer.SessionRecord],
    today: date,
    icd_confirmed: Iterable[str] = (),
) -> dict[str, Any]:
    """Everything the procedure note states, computed from the visit's records; the payer
    checks read the patient's earlier sessions from ``history``."""
    intake = visit.intake
    procedure = visit.procedure
    check = dose_check(procedure)
    decision = payer_decision(visit, history=history, today=today)
    latest_decision = visit.decisions.first()
    muscle_coding = sites.coding_for(visit)
    codes = sites.codes_for(visit)
    structure_checks = structure_payer_checks(visit)
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
        "complications": procedure.complication_labels,
        # Each override by the site's name (never its id), side and the reason.
        "overrides": [
            {"muscle": muscle_name(s.muscle), "side": s.side, "override_reason": s.override_reason}
            for s in procedure.sites.all()
            if s.override_reason
        ],
        **observation.observation_record(procedure),
        "cpt": muscle_coding.injection,
        "coding": muscle_coding,
        # Every code line, muscles, ligaments and tendons, prolotherapy (``Note.codes``).
        "codes": sites.code_rows(codes),
        "code_warnings": [w for w in codes.warnings if w not in muscle_coding.warnings],
        "structure_checks": structure_checks,
        "steroid_cautions": sites.visit_steroid_cautions(visit),
        "structure_sites": list(
            dict.fromkeys(
                f"{sites.site_name(s.muscle)} ({s.side})"
                for s in procedure.sites.all()
                if not sites.is_muscle(s.muscle)
            )
        ),
        "site_notes": sites.site_notes(visit),
        "icd_suggestions": icd_suggestions(visit),
        "icd_confirmed": list(icd_confirmed),
        "payer": decision,
        "payer_warnings": [c for c in decision.checks if c.passed is not True],
        "goals": list(visit.goals.all()),
        "screening_version": screening.VERSION,
        **dose_queries.note_dose(visit, today=today),
    }


def printed_document(*, kind: str, subject: Any, fingerprint: str) -> PrintedDocument | None:
    """The stored PDF of ``kind`` for ``subject`` (a visit's or patient's public id) made
    from the facts ``fingerprint`` digests, rendered or still queued; None when nobody has
    asked for it."""
    return PrintedDocument.objects.filter(
        kind=kind, subject=subject, fingerprint=fingerprint
    ).first()
