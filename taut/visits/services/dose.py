"""The whole patient in the dose guard: anaesthetic given elsewhere in the last 24 hours,
the reductions a clinician applies, a new dosing weight re-checked against the recorded
sites, and the age and steroid checks of a new site.

``procedure.add_site`` and ``procedure.start_procedure`` call ``check_new_site`` and
``recheck_weight``; the rules are ``taut.clinical.dosing`` and ``taut.clinical.steroids``.
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import dosing, steroids
from taut.visits import dose_queries, queries
from taut.visits.models import InjectionSite, Procedure, Visit
from taut.visits.services.common import Blocked, VisitInvalid, require, touch_visit

# A device clock a little ahead of the server's is not "the future" (as for consent).
CLOCK_SLACK = timedelta(minutes=5)


class SteroidExceeded(Blocked):
    def __init__(self, check: steroids.SteroidCheck) -> None:
        self.check = check
        super().__init__(
            f"This site's steroid would take the patient to {float(check.total_mg):.1f} mg in "
            f"3 months (as methylprednisolone), above the clinic's limit of "
            f"{float(check.limit_mg):.0f} mg (clinic policy). Leave the steroid out or record "
            "a clinician's override reason."
        )


class WeightExceeded(Blocked):
    def __init__(self, check: dosing.DoseCheck) -> None:
        self.check = check
        super().__init__(
            "At this weight the sites already recorded are above the weight-based maximum "
            f"({check.fraction:.0%} of it). Check the weight, or record a clinician's override "
            "reason for it."
        )


def _procedure(visit: Visit) -> Procedure:
    procedure: Procedure | None = getattr(visit, "procedure", None)
    if procedure is None:
        raise Blocked("Record the weight to dose by first.")
    return procedure


def check_new_site(*, visit: Visit, site: InjectionSite, actor: Actor) -> None:
    """Refuse a site the patient's age or steroid total does not allow: the adult dose
    table under 18 (``dosing.adult_table_refusal``), a steroid without agent and dose, or
    steroid over the clinic's 3-month limit without an override reason."""
    if site.kind == InjectionSite.Kind.ANAESTHETIC:
        refusal = dosing.adult_table_refusal(
            date_of_birth=visit.patient.date_of_birth, today=actor.today
        )
        if refusal:
            raise Blocked(refusal)
    if not site.steroid and site.steroid_mg is None:
        return
    if site.kind == InjectionSite.Kind.DRY_NEEDLING:
        raise VisitInvalid({"steroid": "Dry needling has no injectate: it cannot carry a steroid."})
    if not site.steroid or site.steroid_mg is None:
        raise VisitInvalid({"steroid_mg": "A steroid needs both the agent and the dose (mg)."})
    try:
        steroids.methylprednisolone_mg(site.steroid, site.steroid_mg)
    except ValueError as error:
        raise VisitInvalid({"steroid_mg": str(error)}) from None
    check = dose_queries.steroid_check(_procedure(visit), today=actor.today, extra=site)
    if check.exceeded and not site.override_reason.strip():
        raise SteroidExceeded(check)


def recheck_weight(
    *, procedure: Procedure, weight_kg: Decimal, override_reason: str, actor: Actor
) -> str:
    """The weight override reason to store with a new dosing weight: refused (WeightExceeded)
    if the recorded sites would be above the maximum at that weight and no reason is given,
    or the reason is not a clinician's; blank when the new weight keeps them within it."""
    check = queries.dose_check(procedure, weight_kg=weight_kg)
    if check.status != dosing.DoseStatus.EXCEEDED:
        return ""
    if not override_reason.strip():
        raise WeightExceeded(check)
    if not actor.may(Need.CLINICAL_WRITE):
        raise Blocked(
            "At this weight the recorded sites are above the maximum: only a clinician can "
            "override that."
        )
    return override_reason.strip()


def record_other_anaesthetic(
    *,
    visit: Visit,
    version: int | str | None,
    agent: str,
    mg: Decimal,
    epinephrine: bool,
    given_at: datetime,
    where: str,
    actor: Actor,
) -> Procedure:
    """Record local anaesthetic the patient had elsewhere (another clinic, the dentist)
    within 24 hours of this session: the dose guard adds it to the session's."""
    require(actor, Need.CLINICAL_WRITE, "Only a clinician records earlier doses.", visit=visit)
    procedure = _procedure(visit)
    if agent not in dosing.AGENTS:
        raise VisitInvalid({"agent": "Choose a local anaesthetic from the list."})
    try:
        amount = Decimal(mg)
    except (InvalidOperation, TypeError):
        raise VisitInvalid({"mg": "Enter the dose in mg."}) from None
    if not 0 < amount <= dosing.MAX_TABLE_CAP_MG:
        raise VisitInvalid({"mg": f"Enter more than 0 and at most {dosing.MAX_TABLE_CAP_MG} mg."})
    if given_at > actor.now + CLOCK_SLACK:
        raise VisitInvalid({"given_at": "An earlier dose cannot be dated in the future."})
    if not dosing.counts_toward(given_at, session_at=procedure.started_at):
        raise VisitInvalid(
            {"given_at": "More than 24 hours from this session: it does not add to its dose."}
        )
    entry = {
        "agent": agent,
        "mg": str(amount),
        "epinephrine": bool(epinephrine),
        "given_at": given_at.isoformat(),
        "where": where.strip(),
    }
    procedure.other_anaesthetic = [*procedure.other_anaesthetic, entry]
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="anaesthetic given elsewhere")
        procedure.save(update_fields=["other_anaesthetic"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=visit.patient,
            obj=visit,
            object_type="procedure",
            details={"change": "earlier dose added", "agent": agent},
        )
    return procedure


def remove_other_anaesthetic(
    *, visit: Visit, version: int | str | None, index: int, actor: Actor
) -> Procedure:
    """Remove an earlier dose recorded by mistake (its place in the list)."""
    require(actor, Need.CLINICAL_WRITE, "Only a clinician removes earlier doses.", visit=visit)
    procedure = _procedure(visit)
    entries = list(procedure.other_anaesthetic)
    if not 0 <= index < len(entries):
        raise Blocked("That earlier dose is no longer recorded: reload the page.")
    removed = entries.pop(index)
    procedure.other_anaesthetic = entries
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="earlier dose removed")
        procedure.save(update_fields=["other_anaesthetic"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=visit.patient,
            obj=visit,
            object_type="procedure",
            details={"change": "earlier dose removed", "agent": removed.get("agent")},
        )
    return procedure


def apply_dose_reductions(
    *, visit: Visit, version: int | str | None, factors: list[str], actor: Actor
) -> Procedure:
    """Set the reductions that lower every maximum (age over 70, liver disease, heart
    failure, pregnancy); they are on the note with their basis."""
    require(actor, Need.CLINICAL_WRITE, "Only a clinician applies dose reductions.", visit=visit)
    procedure = _procedure(visit)
    unknown = [f for f in factors if f not in dosing.Factor]
    if unknown:
        raise VisitInvalid({"factors": "Choose reductions from the list."})
    procedure.dose_reductions = list(dict.fromkeys(factors))
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="dose reductions")
        procedure.save(update_fields=["dose_reductions"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=visit.patient,
            obj=visit,
            object_type="procedure",
            details={"change": "dose reductions", "factors": procedure.dose_reductions},
        )
    return procedure
