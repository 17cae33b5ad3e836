"""Reads for the whole-patient dose check: local anaesthetic from the 24 hours around a
session (other sessions' sites and doses given elsewhere), steroid over three months, the
patient's age and the reductions the clinician applied.

The rules are ``taut.clinical.dosing`` and ``taut.clinical.steroids``; these functions only
gather the records for them. ``queries.dose_check`` reads ``earlier_doses`` from here.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from taut.clinical import atlas, dosing, steroids
from taut.lib.dates import day_bounds
from taut.visits.models import InjectionSite, Procedure, Visit

ANAESTHETIC = InjectionSite.Kind.ANAESTHETIC


def other_anaesthetic_rows(procedure: Procedure) -> list[dict[str, Any]]:
    """The doses recorded as given elsewhere, as stored, with their place in the list, the
    time read back and whether they fall within 24 hours of this session."""
    rows = []
    for index, entry in enumerate(procedure.other_anaesthetic):
        given_at = datetime.fromisoformat(entry["given_at"])
        rows.append(
            {
                "index": index,
                "agent": entry["agent"],
                "mg": Decimal(entry["mg"]),
                "epinephrine": bool(entry.get("epinephrine")),
                "given_at": given_at,
                "where": entry.get("where", ""),
                "counts": dosing.counts_toward(given_at, session_at=procedure.started_at),
            }
        )
    return rows


def other_sessions_sites(procedure: Procedure) -> list[InjectionSite]:
    """Anaesthetic sites of the patient's other sessions within 24 hours of this one, signed
    or not (a recorded site is an injection given), in one query per procedure: the dose
    guard, the dose panel and the note each ask, and no write of this session changes them."""
    start = procedure.started_at
    read = getattr(procedure, "other_sessions_read", None)
    if read is not None and read[0] == start:
        return read[1]
    near = (
        InjectionSite.objects.filter(
            procedure__visit__patient_id=procedure.visit.patient_id,
            kind=ANAESTHETIC,
            recorded_at__gt=start - dosing.WINDOW,
            recorded_at__lt=start + dosing.WINDOW,
        )
        .exclude(procedure_id=procedure.pk)
        .order_by("recorded_at", "id")
    )
    found = [s for s in near if dosing.counts_toward(s.recorded_at, session_at=start)]
    setattr(procedure, "other_sessions_read", (start, found))  # noqa: B010 (not a field)
    return found


def earlier_doses(procedure: Procedure) -> list[dosing.EarlierDose]:
    """Everything that adds to this session's dose: other sessions' sites and doses given
    elsewhere, both within 24 hours of the session (``dosing.counts_toward``)."""
    zone = procedure.visit.patient.clinic.zone()
    doses = [
        dosing.EarlierDose(
            site.agent,
            _mg(site),
            site.epinephrine,
            f"another session at {site.recorded_at.astimezone(zone):%-d %b %H:%M}",
        )
        for site in other_sessions_sites(procedure)
    ]
    doses += [
        dosing.EarlierDose(row["agent"], row["mg"], row["epinephrine"], row["where"])
        for row in other_anaesthetic_rows(procedure)
        if row["counts"]
    ]
    return doses


def steroid_given(procedure: Procedure, *, today: date) -> list[tuple[date, str, Decimal]]:
    """Steroid at the patient's other sessions, (day on the clinic's clock, agent, mg), from
    a little before the three-month window (the rule picks the days exactly)."""
    zone = procedure.visit.patient.clinic.zone()
    since, _ = day_bounds(steroids.window_start(today), zone)
    sites = (
        InjectionSite.objects.filter(
            procedure__visit__patient_id=procedure.visit.patient_id,
            recorded_at__gte=since - timedelta(days=1),
            steroid_mg__isnull=False,
        )
        .exclude(steroid="")
        .exclude(procedure_id=procedure.pk)
    )
    return [
        (s.recorded_at.astimezone(zone).date(), s.steroid, s.steroid_mg)
        for s in sites
        if s.steroid_mg is not None
    ]


def steroid_check(
    procedure: Procedure, *, today: date, extra: InjectionSite | None = None
) -> steroids.SteroidCheck:
    """Steroid over three months (other sessions, this one's sites, and ``extra`` if
    given) against the clinic's limit."""
    sites = list(procedure.sites.all()) + ([extra] if extra is not None else [])
    planned = [(s.steroid, s.steroid_mg) for s in sites if s.steroid and s.steroid_mg]
    return steroids.check_steroid(
        given=steroid_given(procedure, today=today),
        planned=planned,
        today=today,
        limit_mg=procedure.visit.patient.clinic.steroid_limit_mg,
    )


def guard_steroid(
    procedure: Procedure, *, today: date, proposed: InjectionSite | None = None
) -> steroids.SteroidCheck | None:
    """The steroid total for the dose guard, with the site being typed if its steroid can be
    read; None when no steroid is recorded or proposed (the guard then says nothing)."""
    sites = list(procedure.sites.all())
    if proposed is not None and proposed.steroid and proposed.steroid_mg:
        try:
            steroids.methylprednisolone_mg(proposed.steroid, proposed.steroid_mg)
        except ValueError:
            proposed = None
    else:
        proposed = None
    if proposed is None and not any(s.steroid for s in sites):
        return None
    return steroid_check(procedure, today=today, extra=proposed)


def steroid_label(agent: str) -> str:
    steroid = steroids.STEROIDS.get(agent)  # type: ignore[call-overload]  # a StrEnum key
    return steroid.label if steroid else agent


def _muscle(muscle_id: str) -> str:
    """The site's name: a muscle, ligament or tendon."""
    site = atlas.SITES.get(muscle_id)
    return site.name if site else muscle_id


def _mg(site: InjectionSite) -> float:
    """An anaesthetic site's mg (``services.validate_site`` requires strength and volume)."""
    if site.percent is None or site.volume_ml is None:
        raise ValueError("An anaesthetic site needs the agent, concentration and volume.")
    return dosing.mg_from_ml(site.volume_ml, site.percent)


def dose_panel(visit: Visit, *, today: date) -> dict[str, Any]:
    """What the procedure page shows about the patient in dosing: age, reductions
    (suggested and applied, each with its source), doses from the last 24 hours, and
    steroid over three months against the clinic's limit."""
    patient = visit.patient
    age = dosing.age_on(patient.date_of_birth, today)
    procedure: Procedure | None = getattr(visit, "procedure", None)
    applied = set(procedure.dose_reductions) if procedure else set()
    intake = getattr(visit, "intake", None)
    suggested = dosing.suggested_reductions(
        date_of_birth=patient.date_of_birth,
        today=today,
        pregnant=intake.pregnant if intake is not None else None,
    )
    context: dict[str, Any] = {
        "dose_age": age,
        "dose_age_refusal": dosing.adult_table_refusal(
            date_of_birth=patient.date_of_birth, today=today
        ),
        "dose_reductions": [
            {
                "reduction": reduction,
                "applied": str(factor) in applied,
                "suggested": factor in suggested,
            }
            for factor, reduction in dosing.REDUCTIONS.items()
        ],
        "dose_other_rows": [],
        "dose_other_sessions": [],
        "steroid": None,
    }
    if procedure is not None:
        context["dose_other_rows"] = other_anaesthetic_rows(procedure)
        context["dose_other_sessions"] = [
            {"site": site, "mg": _mg(site)} for site in other_sessions_sites(procedure)
        ]
        context["steroid"] = steroid_check(procedure, today=today)
    return context


def note_dose(visit: Visit, *, today: date) -> dict[str, Any]:
    """What the note states about the whole-patient dose: the reductions applied with their
    basis, the doses from the last 24 hours, steroid given, and a weight override."""
    procedure = visit.procedure
    return {
        "note_reductions": [
            dosing.REDUCTIONS[dosing.Factor(f)]
            for f in procedure.dose_reductions
            if f in dosing.Factor
        ],
        "note_earlier": earlier_doses(procedure),
        "note_steroid_sites": [
            {"site": s, "label": steroid_label(s.steroid), "muscle": _muscle(s.muscle)}
            for s in procedure.sites.all()
            if s.steroid and s.steroid_mg
        ],
        "note_steroid": steroid_check(procedure, today=today),
    }
