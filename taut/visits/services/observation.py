"""The watch after the needle: discharge with vital signs and symptoms (or why the watch was
cut short), and what was done for suspected local anaesthetic systemic toxicity (LAST)."""

from collections.abc import Collection, Mapping
from datetime import datetime

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import last
from taut.visits import observation
from taut.visits.models import Procedure, Visit
from taut.visits.services.common import Blocked, VisitInvalid, require, touch_visit
from taut.visits.services.procedure import CLOCK_SLACK


def _procedure(visit: Visit) -> Procedure:
    procedure: Procedure | None = getattr(visit, "procedure", None)
    if procedure is None:
        raise Blocked("Record the weight to dose by first.")
    return procedure


def _vitals(values: Mapping[str, object] | None, *, needed: bool) -> dict[str, int]:
    if not values or all(v is None for v in values.values()):
        if needed:
            raise VisitInvalid({"heart_rate": "Record the vital signs at discharge."})
        return {}
    try:
        vitals = last.read_vitals(values)
    except ValueError as error:
        field, _, message = str(error).partition(": ")
        raise VisitInvalid({field: message.capitalize()}) from None
    return {name: getattr(vitals, name) for name in last.VITAL_RANGES}


def record_discharge(
    *,
    visit: Visit,
    version: int | str | None,
    discharged_at: datetime | None,
    vitals: Mapping[str, object] | None,
    symptoms: Collection[str],
    cut_short: str,
    actor: Actor,
) -> Procedure:
    """Record the end of the watch after the last injection.

    Either the time the patient went home with vital signs and any early signs of LAST, at
    or after the end of the clinic's watch (``taut.clinical.last``), or the reason the watch
    was cut short (with the discharge time and vital signs when they were taken). Refused
    before any site, for a time in the future or before the last injection, and while early
    signs of LAST are recorded without the "Suspected LAST" complication.
    """
    require(actor, Need.NURSING_WRITE, "Your role does not record the discharge.", visit=visit)
    procedure = _procedure(visit)
    injected = observation.last_injection_at(procedure)
    if injected is None:
        raise Blocked("Record the injection sites first: the watch starts at the last one.")
    if discharged_at is not None and discharged_at > actor.now + CLOCK_SLACK:
        raise VisitInvalid({"discharged_at": "The discharge cannot be in the future."})
    try:
        seen = tuple(last.Symptom(s) for s in symptoms)
    except ValueError:
        raise VisitInvalid({"symptoms": "Choose the symptoms from the list."}) from None
    vital_signs = _vitals(vitals, needed=discharged_at is not None)
    minutes = observation.observation_minutes(procedure)
    problems = last.discharge_problems(
        last_injection_at=injected,
        minutes=minutes,
        discharged_at=discharged_at,
        symptoms=seen,
        last_recorded=observation.last_recorded(procedure),
        cut_short=cut_short,
    )
    if problems:
        raise Blocked(" ".join(problems))
    procedure.observation_minutes = minutes
    procedure.discharged_at = discharged_at
    procedure.discharge_vitals = vital_signs
    procedure.discharge_symptoms = [str(s) for s in seen]
    procedure.observation_cut_short = cut_short.strip()
    procedure.full_clean(exclude=["visit"])
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="discharge")
        procedure.save(
            update_fields=[
                "observation_minutes",
                "discharged_at",
                "discharge_vitals",
                "discharge_symptoms",
                "observation_cut_short",
            ]
        )
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=visit.patient,
            obj=visit,
            object_type="procedure",
            details={"change": "discharge", "cut_short": bool(procedure.observation_cut_short)},
        )
    return procedure


def record_last_steps(
    *, visit: Visit, version: int | str | None, steps: Collection[str], actor: Actor
) -> Procedure:
    """Record which steps of the ASRA LAST checklist were taken for a suspected LAST (the
    complication must be recorded first); the signed note lists them."""
    require(actor, Need.NURSING_WRITE, "Your role does not record complications.", visit=visit)
    procedure = _procedure(visit)
    if not observation.last_recorded(procedure):
        raise Blocked("Tick “Suspected LAST” under complications first.")
    try:
        taken = last.read_steps(steps)
    except ValueError:
        raise VisitInvalid({"steps": "Choose the steps from the checklist."}) from None
    if not taken:
        raise VisitInvalid({"steps": "Tick each checklist step that was taken."})
    procedure.last_steps = [str(step) for step in taken]
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="LAST checklist")
        procedure.save(update_fields=["last_steps"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=visit.patient,
            obj=visit,
            object_type="procedure",
            details={"change": "LAST checklist", "steps": procedure.last_steps},
        )
    return procedure
