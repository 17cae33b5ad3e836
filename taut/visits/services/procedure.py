"""Consent, time-out, weight, injection sites under the dose guard, pain and complications."""

from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.models import Clinic
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import atlas, consent, dosing
from taut.patients import services as patients
from taut.patients.models import Measurement
from taut.visits import queries
from taut.visits.clearance import exam_support_for
from taut.visits.models import Consent, InjectionSite, Procedure, TimeOut, Visit
from taut.visits.services import dose
from taut.visits.services.allergies import check_site_allergies, require_mapped_allergies
from taut.visits.services.common import Blocked, VisitInvalid, require, touch_visit
from taut.visits.services.site_needs import require_site_needs
from taut.visits.sites import side_error

State = Visit.State
# A device clock a little ahead of the server's is not "the future".
CLOCK_SLACK = timedelta(minutes=5)
Complication = Procedure.Complication


class DoseExceeded(Blocked):
    def __init__(self, check: dosing.DoseCheck) -> None:
        self.check = check
        super().__init__(
            "This site would take the session above the weight-based maximum "
            f"({check.fraction:.0%} of it). Lower the volume or concentration, or record a "
            "clinician's override reason."
        )


def record_consent(
    *,
    visit: Visit,
    version: int | str | None,
    consented_by: str,
    consented_at: datetime,
    risks: Collection[str],
    actor: Actor,
) -> Consent:
    require(actor, Need.NURSING_WRITE, "Your role does not record consent.", visit=visit)
    if consented_at > actor.now + CLOCK_SLACK:
        raise VisitInvalid({"consented_at": "Consent cannot be dated in the future."})
    required = consent.required_risks(
        queries.planned_sites(visit), steroid=queries.steroid_planned(visit)
    )
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
        obtained_by=actor.user,
        recorded_at=actor.now,
    )
    record.full_clean(exclude=["visit"])
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="consent")
        Consent.objects.filter(visit=visit).delete()
        record.save()
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=visit.patient,
            obj=visit,
            object_type="consent",
            details={"risks": sorted(risks)},
        )
    return record


def record_time_out(
    *, visit: Visit, version: int | str | None, items: Collection[str], actor: Actor
) -> TimeOut:
    require(actor, Need.NURSING_WRITE, "Your role does not record the time-out.", visit=visit)
    missing = [item for item in consent.TIME_OUT_ITEMS if str(item) not in items]
    if missing:
        raise Blocked("Confirm every time-out item before injecting.")
    if not hasattr(visit, "consent"):
        raise Blocked("Record consent before the time-out.")
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="time-out")
        TimeOut.objects.filter(visit=visit).delete()
        record = TimeOut.objects.create(
            visit=visit, items=list(items), done_by=actor.user, done_at=actor.now
        )
        record_event(
            actor=actor, action=Action.CREATE, patient=visit.patient, obj=visit,
            object_type="time_out",
        )  # fmt: skip
    return record


def start_procedure(
    *,
    visit: Visit,
    version: int | str | None,
    actor: Actor,
    weight_kg: Decimal | float | str | None = None,
    weight_override_reason: str = "",
) -> Procedure:
    """Open the procedure with the weight to dose by: a recent weight from the chart (within
    the clinic's window, counted back from ``actor.today``), or one measured now (which is
    also added to the chart). A new weight once sites are recorded is re-checked against
    them and refused above the maximum without ``weight_override_reason``."""
    require(actor, Need.NURSING_WRITE, "Your role does not record the weight.", visit=visit)
    today = actor.today
    allowed, why = queries.procedure_gate(visit)
    if not allowed:
        raise Blocked(why)
    require_mapped_allergies(visit)
    clinic = visit.patient.clinic
    with transaction.atomic():
        measured: Measurement | None  # None: no recent weight, refused below
        if weight_kg is not None:
            measured = patients.add_chart_entry(
                patient=visit.patient,
                actor=actor,
                entry=Measurement(weight_kg=Decimal(weight_kg), measured_on=today),
            )
        else:
            measured = queries.recent_weight(
                visit.patient, window_days=clinic.weight_window_days, today=today
            )
            if measured is None:
                raise Blocked(
                    f"No weight in the last {clinic.weight_window_days} days: weigh the "
                    "patient now."
                )
        touch_visit(visit=visit, version=version, actor=actor, change="weight")
        table = clinic.dose_table()
        weighed = {
            "weight_kg": measured.weight_kg,
            "weight_measured_on": measured.measured_on,
            "dosing_table": {"name": table.name, "version": table.version, "source": table.source},
        }
        if getattr(visit, "procedure", None) is not None:
            weighed["weight_override_reason"] = dose.recheck_weight(
                procedure=visit.procedure,
                weight_kg=measured.weight_kg,
                override_reason=weight_override_reason,
                actor=actor,
            )
        procedure, _ = Procedure.objects.update_or_create(
            visit=visit,
            defaults=weighed,
            create_defaults={
                **weighed,
                "started_at": actor.now,
                "observation_minutes": clinic.observation_minutes,
            },
        )
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=visit.patient,
            obj=visit,
            object_type="procedure",
            details={"change": "weight", "override": bool(weighed.get("weight_override_reason"))},
        )
    return procedure


def validate_site(site: InjectionSite) -> None:
    """Field rules for one site, with messages naming the field. The site is any atlas site
    (a muscle, ligament or tendon) on a side that fits it (midline only for a midline
    structure); a sclerosant (prolotherapy) only at a ligament or tendon, injected."""
    if site.muscle not in atlas.SITES:
        raise Blocked("Choose a muscle, ligament or tendon from the atlas.")
    wrong_side = side_error(site.muscle, site.side)
    if wrong_side:
        raise VisitInvalid({"side": wrong_side})
    if site.sclerosant:
        if site.muscle in atlas.MUSCLES:
            raise VisitInvalid(
                {"sclerosant": "Prolotherapy is recorded at a ligament or tendon, not a muscle."}
            )
        if site.kind == InjectionSite.Kind.DRY_NEEDLING:
            raise VisitInvalid(
                {"sclerosant": "Dry needling has no injectate: leave the sclerosant blank."}
            )
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
    site.full_clean(exclude=["procedure", "recorded_by", "recorded_at"])


def require_vial(site: InjectionSite, *, clinic: Clinic, today: date) -> None:
    """Refuse an expired vial, and a site without its vial's lot number and expiry where
    the clinic requires them (``Clinic.require_lot_expiry``)."""
    errors = {}
    if clinic.require_lot_expiry:
        if not site.lot_number.strip():
            errors["lot_number"] = "Your clinic requires the vial's lot number for every site."
        if site.expiry is None:
            errors["expiry"] = "Your clinic requires the vial's expiry date for every site."
    if site.expiry is not None and site.expiry < today:
        errors["expiry"] = f"This vial expired on {site.expiry:%-d %b %Y}: use an in-date vial."
    if errors:
        raise VisitInvalid(errors)


def add_site(
    *, visit: Visit, version: int | str | None, site: InjectionSite, actor: Actor
) -> InjectionSite:
    """Record an injection site if the dose guard allows it (or a clinician overrides)."""
    require(actor, Need.CLINICAL_WRITE, "Only a clinician records injection sites.", visit=visit)
    allowed, why = queries.procedure_gate(visit)
    if not allowed:
        raise Blocked(why)
    if site.muscle in atlas.MUSCLES:
        # The TPI indication rests on the muscles' trigger points; a ligament or tendon is
        # examined by its own findings (``structure_exam``), shown on the exam page.
        support = exam_support_for(visit)
        if not support.supported:
            raise Blocked(support.why)
    if not hasattr(visit, "consent") or not hasattr(visit, "time_out"):
        raise Blocked("Record consent and the time-out before any site.")
    procedure = getattr(visit, "procedure", None)
    if procedure is None:
        raise Blocked("Record the weight to dose by first.")
    site.procedure = procedure
    site.recorded_by = actor.user
    site.recorded_at = actor.now
    validate_site(site)
    require_vial(site, clinic=visit.patient.clinic, today=actor.today)
    require_mapped_allergies(visit)
    allergy_override = check_site_allergies(visit, site)
    dose.check_new_site(visit=visit, site=site, actor=actor)  # age, steroid
    require_site_needs(visit=visit, site=site)
    check = queries.dose_check(procedure, extra=site)
    if check.status == dosing.DoseStatus.EXCEEDED and not site.override_reason.strip():
        raise DoseExceeded(check)
    site.dose_fraction = Decimal(str(round(check.fraction, 3)))
    with transaction.atomic():
        state = None if visit.state == State.PROCEDURE_DOCUMENTED else State.PROCEDURE_DOCUMENTED
        touch_visit(
            visit=visit,
            version=version,
            actor=actor,
            change="injection site",
            state=state,
        )
        site.save()
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=visit.patient,
            obj=site,
            object_type="injection_site",
            details={
                "dose_status": str(check.status),
                "override": bool(site.override_reason.strip()),
                **({"allergy_override": allergy_override.pk} if allergy_override else {}),
                # Like the override: that a reason was given, not its words (they are on
                # the site and the note).
                **({"steroid_site_reason": True} if site.steroid_site_reason else {}),
            },
        )
    return site


def remove_site(*, site: InjectionSite, version: int | str | None, actor: Actor) -> None:
    visit = site.procedure.visit
    require(actor, Need.CLINICAL_WRITE, "Only a clinician removes injection sites.", visit=visit)
    with transaction.atomic():
        remaining = site.procedure.sites.exclude(pk=site.pk).exists()
        state = None if remaining else State.EXAMINED
        touch_visit(
            visit=visit,
            version=version,
            actor=actor,
            change="injection site removed",
            state=state,
        )
        record_event(
            actor=actor,
            action=Action.DELETE,
            patient=visit.patient,
            obj=site,
            object_type="injection_site",
        )
        site.delete()


def record_immediate(
    *,
    visit: Visit,
    version: int | str | None,
    nrs_before: int,
    nrs_after: int,
    complications: Iterable[str],
    action: str,
    actor: Actor,
) -> Procedure:
    """Pain just before and after, and complications with what was done."""
    require(actor, Need.NURSING_WRITE, "Your role does not record pain scores.", visit=visit)
    procedure: Procedure | None = getattr(visit, "procedure", None)
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
            actor=actor,
            change="pain scores and complications",
        )
        procedure.save()
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=visit.patient,
            obj=visit,
            object_type="procedure",
            details={"complications": complications},
        )
    return procedure
