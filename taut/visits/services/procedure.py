"""Consent, time-out, weight, injection sites under the dose guard, pain and complications."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from taut.audit.models import Action
from taut.clinical import atlas, consent, dosing
from taut.patients import services as patients
from taut.patients.models import Allergy, Measurement
from taut.visits.models import Consent, InjectionSite, Procedure, TimeOut, Visit
from taut.visits.services.common import Blocked, audited, touch_visit
from taut.visits.services.intake import procedure_gate

State = Visit.State
Complication = Procedure.Complication


class DoseExceeded(Blocked):
    def __init__(self, check):
        self.check = check
        super().__init__(
            "This site would take the session above the weight-based maximum "
            f"({check.fraction:.0%} of it). Lower the volume or concentration, or record a "
            "clinician's override reason."
        )


def dose_table(clinic) -> dosing.DoseTable:
    """The clinic's own table if it configured one, else Taut's default."""
    return (
        dosing.DoseTable.from_dict(clinic.dosing_table)
        if clinic.dosing_table
        else (dosing.DEFAULT_TABLE)
    )


def planned_sites(visit: Visit) -> list[tuple[str, str]]:
    """Muscles examined or injected at this visit, as (muscle, side)."""
    sites = [(f.muscle, f.side) for f in visit.findings.all()]
    if hasattr(visit, "procedure"):
        sites += [(s.muscle, s.side) for s in visit.procedure.sites.all()]
    return list(dict.fromkeys(sites))


def record_consent(*, visit, version, consented_by, consented_at, risks, by, request=None):
    required = consent.required_risks(planned_sites(visit))
    missing = [risk for risk in required if str(risk) not in risks]
    if missing:
        raise Blocked(
            "Discuss and tick every required risk: "
            + ", ".join(consent.RISKS[risk].label for risk in missing)
        )
    record = Consent(
        visit=visit,
        consented_by=consented_by,
        consented_at=consented_at,
        risks=list(risks),
        obtained_by=by,
    )
    record.full_clean(exclude=["visit"])
    with transaction.atomic():
        touch_visit(visit=visit, version=version, by=by, request=request, change="consent")
        Consent.objects.filter(visit=visit).delete()
        record.save()
        audited(
            action=Action.CREATE,
            request=request,
            by=by,
            visit=visit,
            record=visit,
            object_type="consent",
            details={"risks": sorted(risks)},
        )
    return record


def record_time_out(*, visit, version, items, by, request=None):
    missing = [item for item in consent.TIME_OUT_ITEMS if str(item) not in items]
    if missing:
        raise Blocked("Confirm every time-out item before injecting.")
    if not hasattr(visit, "consent"):
        raise Blocked("Record consent before the time-out.")
    with transaction.atomic():
        touch_visit(visit=visit, version=version, by=by, request=request, change="time-out")
        TimeOut.objects.filter(visit=visit).delete()
        record = TimeOut.objects.create(visit=visit, items=list(items), done_by=by)
        audited(
            action=Action.CREATE,
            request=request,
            by=by,
            visit=visit,
            record=visit,
            object_type="time_out",
        )
    return record


def recent_weight(patient, *, window_days: int, today):
    """The latest weight measured within the window, or None (weigh again)."""
    latest = Measurement.objects.filter(patient=patient, measured_on__lte=today).first()
    if latest and latest.measured_on >= today - timedelta(days=window_days):
        return latest
    return None


def start_procedure(*, visit, version, by, request=None, weight_kg=None, today=None):
    """Open the procedure with the weight to dose by: a recent weight from the chart, or
    one measured now (which is also added to the chart)."""
    today = today or timezone.localdate()
    allowed, why = procedure_gate(visit)
    if not allowed:
        raise Blocked(why)
    clinic = visit.patient.clinic
    with transaction.atomic():
        if weight_kg is not None:
            measured = patients.add_chart_entry(
                patient=visit.patient,
                by=by,
                request=request,
                entry=Measurement(weight_kg=Decimal(weight_kg), measured_on=today),
            )
        else:
            measured = recent_weight(
                visit.patient, window_days=clinic.weight_window_days, today=today
            )
            if measured is None:
                raise Blocked(
                    f"No weight in the last {clinic.weight_window_days} days: weigh the "
                    "patient now."
                )
        touch_visit(visit=visit, version=version, by=by, request=request, change="weight")
        table = dose_table(clinic)
        procedure, _ = Procedure.objects.update_or_create(
            visit=visit,
            defaults={
                "weight_kg": measured.weight_kg,
                "weight_measured_on": measured.measured_on,
                "dosing_table": {
                    "name": table.name,
                    "version": table.version,
                    "source": table.source,
                },
            },
        )
        audited(
            action=Action.UPDATE,
            request=request,
            by=by,
            visit=visit,
            record=visit,
            object_type="procedure",
            details={"change": "weight"},
        )
    return procedure


def injections(sites) -> list[tuple]:
    """The anaesthetic doses of ``sites`` as dosing.check_session expects them."""
    return [
        (s.agent, s.percent, s.volume_ml, s.epinephrine)
        for s in sites
        if s.kind == InjectionSite.Kind.ANAESTHETIC
    ]


def dose_check(procedure: Procedure, *, extra=None, without=None):
    """The session's dose check, optionally with a proposed site added or one left out."""
    sites = [s for s in procedure.sites.all() if without is None or s.pk != without.pk]
    if extra is not None:
        sites.append(extra)
    return dosing.check_session(
        procedure.weight_kg, injections(sites), table=dose_table(procedure.visit.patient.clinic)
    )


def anaesthetic_allergies(visit: Visit) -> set[str]:
    """Local anaesthetics the patient is allergic to, from the intake and the chart."""
    intake = getattr(visit, "intake", None)
    from_intake = set(intake.anaesthetic_allergies) if intake else set()
    from_chart = set(
        Allergy.objects.filter(patient=visit.patient, active=True)
        .exclude(anaesthetic="")
        .values_list("anaesthetic", flat=True)
    )
    return from_intake | from_chart


def validate_site(site: InjectionSite) -> None:
    """Field rules for one site, with messages naming the field."""
    if site.muscle not in atlas.MUSCLES:
        raise Blocked("Choose a muscle from the atlas.")
    if site.kind == InjectionSite.Kind.ANAESTHETIC:
        if not site.agent or site.percent is None or site.volume_ml is None:
            raise Blocked("An anaesthetic site needs the agent, concentration and volume.")
        try:
            dosing.check_concentration(site.agent, site.percent)
        except ValueError as error:
            raise Blocked(str(error)) from None
    elif site.kind == InjectionSite.Kind.SALINE:
        site.agent, site.percent, site.epinephrine = "", None, False
        if site.volume_ml is None:
            raise Blocked("A saline site needs its volume.")
    else:
        site.agent, site.percent, site.volume_ml, site.epinephrine = "", None, None, False
    if site.volume_ml is not None and site.volume_ml <= 0:
        raise Blocked("The volume must be more than 0 mL.")
    site.full_clean(exclude=["procedure", "recorded_by"])


def add_site(*, visit, version, site: InjectionSite, by, request=None) -> InjectionSite:
    """Record an injection site if the dose guard allows it (or a clinician overrides)."""
    allowed, why = procedure_gate(visit)
    if not allowed:
        raise Blocked(why)
    if not hasattr(visit, "consent") or not hasattr(visit, "time_out"):
        raise Blocked("Record consent and the time-out before any site.")
    procedure = getattr(visit, "procedure", None)
    if procedure is None:
        raise Blocked("Record the weight to dose by first.")
    site.procedure = procedure
    site.recorded_by = by
    validate_site(site)
    if site.kind == InjectionSite.Kind.ANAESTHETIC:
        conflicts = dosing.allergy_conflicts([site.agent], allergies=anaesthetic_allergies(visit))
        if conflicts:
            raise Blocked(
                f"The patient is allergic to {', '.join(conflicts)}: choose another agent, "
                "saline or dry needling."
            )
    check = dose_check(procedure, extra=site)
    if check.status == dosing.DoseStatus.EXCEEDED and not site.override_reason.strip():
        raise DoseExceeded(check)
    site.dose_fraction = Decimal(str(round(check.fraction, 3)))
    with transaction.atomic():
        state = None if visit.state == State.PROCEDURE_DOCUMENTED else State.PROCEDURE_DOCUMENTED
        touch_visit(
            visit=visit,
            version=version,
            by=by,
            request=request,
            change="injection site",
            state=state,
        )
        site.save()
        audited(
            action=Action.CREATE,
            request=request,
            by=by,
            visit=visit,
            record=site,
            object_type="injection_site",
            details={
                "dose_status": str(check.status),
                "override": bool(site.override_reason.strip()),
            },
        )
    return site


def remove_site(*, site: InjectionSite, version, by, request=None) -> None:
    visit = site.procedure.visit
    with transaction.atomic():
        remaining = site.procedure.sites.exclude(pk=site.pk).exists()
        state = None if remaining else State.EXAMINED
        touch_visit(
            visit=visit,
            version=version,
            by=by,
            request=request,
            change="injection site removed",
            state=state,
        )
        audited(
            action=Action.DELETE,
            request=request,
            by=by,
            visit=visit,
            record=site,
            object_type="injection_site",
        )
        site.delete()


def record_immediate(
    *, visit, version, nrs_before, nrs_after, complications, action, by, request=None
):
    """Pain just before and after, and complications with what was done."""
    procedure = getattr(visit, "procedure", None)
    if procedure is None:
        raise Blocked("Record the weight to dose by first.")
    complications = list(dict.fromkeys(complications)) or [Complication.NONE]
    if Complication.NONE in complications and len(complications) > 1:
        raise Blocked("“None” cannot be ticked together with a complication.")
    if complications != [Complication.NONE] and not action.strip():
        raise Blocked("Say what was done about the complication.")
    procedure.nrs_before, procedure.nrs_after = nrs_before, nrs_after
    procedure.complications, procedure.complication_action = complications, action.strip()
    procedure.full_clean(exclude=["visit"])
    with transaction.atomic():
        touch_visit(
            visit=visit,
            version=version,
            by=by,
            request=request,
            change="pain scores and complications",
        )
        procedure.save()
        audited(
            action=Action.UPDATE,
            request=request,
            by=by,
            visit=visit,
            record=visit,
            object_type="procedure",
            details={"complications": complications},
        )
    return procedure
