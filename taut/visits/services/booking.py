"""The schedule's writes: booking, moving, cancelling, no-shows and arrivals.

Each takes the actor (its role re-checked here), is atomic, version-checked through
``touch_visit`` (a stale form is refused naming who changed what) and writes one audit
event. What else a change does (emails to the patient) is composed in
``taut.workflows.booking``.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.models import User
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.patients.models import Patient
from taut.visits.models import Visit
from taut.visits.models.visit import KIND_MINUTES
from taut.visits.services.common import (
    VisitError,
    VisitInvalid,
    VisitNotAllowed,
    require,
    touch_visit,
)

State = Visit.State
Arrival = Visit.Arrival
NOT_STARTED = (State.SCHEDULED, State.INTAKE_DONE)
LONGEST = timedelta(minutes=240)  # the longest visit (the model's validator)


class DoubleBooked(VisitInvalid):
    """The clinician already has a visit overlapping this one; the override books anyway."""


def overlapping(
    *, clinician: User | None, start: datetime, minutes: int, excluding: Visit | None = None
) -> list[Visit]:
    """The clinician's booked visits that overlap ``start`` for ``minutes``."""
    if clinician is None:
        return []
    end = start + timedelta(minutes=minutes)
    near = Visit.objects.filter(
        clinician=clinician, scheduled_for__lt=end, scheduled_for__gt=start - LONGEST
    ).exclude(state__in=(State.CANCELLED, State.NO_SHOW))
    if excluding is not None:
        near = near.exclude(pk=excluding.pk)
    return [visit for visit in near.order_by("scheduled_for") if visit.ends_at > start]


def _check_slot(
    *,
    clinician: User | None,
    start: datetime,
    minutes: int,
    override: bool,
    actor: Actor,
    excluding: Visit | None = None,
) -> bool:
    """Refuse a double booking unless ``override``; returns whether it is one."""  # fmt: skip
    clashes = overlapping(clinician=clinician, start=start, minutes=minutes, excluding=excluding)
    if clashes and not override:
        first = clashes[0]
        zone = actor.zone
        assert clinician is not None  # only a clinician's visits clash
        raise DoubleBooked(
            {
                "scheduled_for": f"{clinician.display_name} already has a visit from "
                f"{first.scheduled_for.astimezone(zone):%H:%M} to "
                f"{first.ends_at.astimezone(zone):%H:%M} that day. Choose another time, or "
                "tick “Book anyway” to double-book on purpose."
            }
        )
    return bool(clashes)


def _check_clinician(clinician: User | None, patient: Patient) -> None:
    if clinician is not None and clinician.clinic_id != patient.clinic_id:
        raise VisitInvalid({"clinician": "Choose a clinician of this clinic."})


def schedule_visit(
    *,
    patient: Patient,
    scheduled_for: datetime,
    clinician: User | None = None,
    kind: str = Visit.Kind.NEW_ASSESSMENT,
    duration_minutes: int | None = None,
    override: bool = False,
    actor: Actor,
) -> Visit:
    """Book a visit (its type's usual length unless given). A clinician's overlapping slot is
    refused unless ``override``, which is recorded on the visit and in the audit event."""
    minutes = duration_minutes or KIND_MINUTES.get(kind, 30)  # type: ignore[call-overload]
    visit = Visit(
        patient=patient,
        scheduled_for=scheduled_for,
        clinician=clinician,
        kind=kind,
        duration_minutes=minutes,
        recorded_by=actor.user,
        recorded_at=actor.now,
        updated_by=actor.user,
        updated_at=actor.now,
    )
    require(actor, Need.DEMOGRAPHICS_WRITE, "Your role does not book visits.", visit=visit)
    try:
        visit.full_clean()
    except ValidationError as error:
        raise VisitInvalid({k: " ".join(v) for k, v in error.message_dict.items()}) from None
    _check_clinician(clinician, patient)
    with transaction.atomic():
        visit.double_booked = _check_slot(
            clinician=clinician, start=scheduled_for, minutes=minutes, override=override,
            actor=actor,
        )  # fmt: skip
        visit.save(force_insert=True)
        details = {"kind": kind, "minutes": minutes}
        if visit.double_booked:
            details["double_booked"] = True
        record_event(actor=actor, action=Action.CREATE, patient=patient, obj=visit, details=details)
    return visit


def _not_started(visit: Visit, doing: str) -> None:
    if visit.state not in NOT_STARTED or visit.arrival == Arrival.IN_ROOM:
        raise VisitError(f"Only a visit that has not started can be {doing}.")


def reschedule_visit(
    *,
    visit: Visit,
    version: int | str | None,
    scheduled_for: datetime,
    clinician: User | None,
    duration_minutes: int,
    override: bool = False,
    actor: Actor,
) -> Visit:
    """Move a visit that has not started to another time or clinician."""
    require(actor, Need.DEMOGRAPHICS_WRITE, "Your role does not move visits.", visit=visit)
    if not 5 <= duration_minutes <= 240:
        raise VisitInvalid({"duration_minutes": "A visit lasts 5 to 240 minutes."})
    _check_clinician(clinician, visit.patient)
    if not visit.locked:
        _not_started(visit, "moved")
    with transaction.atomic():
        double = _check_slot(
            clinician=clinician, start=scheduled_for, minutes=duration_minutes,
            override=override, actor=actor, excluding=visit,
        )  # fmt: skip
        when = scheduled_for.astimezone(actor.zone)
        who = clinician.display_name if clinician else "no clinician"
        change = f"moved to {when:%Y-%m-%d %H:%M} ({duration_minutes} min) with {who}"
        touch_visit(visit=visit, version=version, actor=actor, change=change + (
            ", double-booked on purpose" if double else ""))  # fmt: skip
        Visit.objects.filter(pk=visit.pk).update(
            scheduled_for=scheduled_for,
            clinician=clinician,
            duration_minutes=duration_minutes,
            double_booked=double,
            arrival=Arrival.EXPECTED,
            arrived_at=None,
        )
    visit.refresh_from_db()
    return visit


def cancel_visit(*, visit: Visit, version: int | str | None, reason: str, actor: Actor) -> Visit:
    """Cancel a visit that has not started, saying why."""
    require(actor, Need.DEMOGRAPHICS_WRITE, "Your role does not cancel visits.", visit=visit)
    reason = reason.strip()
    if not reason:
        raise VisitInvalid({"reason": "Say why the visit is cancelled."})
    if len(reason) > 200:
        raise VisitInvalid({"reason": "Keep the reason under 200 characters."})
    if not visit.locked:
        _not_started(visit, "cancelled")
    with transaction.atomic():
        touch_visit(
            visit=visit, version=version, actor=actor, change="cancelled", state=State.CANCELLED
        )
        Visit.objects.filter(pk=visit.pk).update(cancel_reason=reason)
    visit.refresh_from_db()
    return visit


def mark_no_show(*, visit: Visit, version: int | str | None, actor: Actor) -> Visit:
    """The patient did not come: only once the visit's time has come, and not after arrival."""
    require(actor, Need.DEMOGRAPHICS_WRITE, "Your role does not mark no-shows.", visit=visit)
    if not visit.locked:
        if visit.arrival != Arrival.EXPECTED:
            raise VisitError("The patient has arrived: undo the check-in first.")
        _not_started(visit, "marked as missed")
        if visit.scheduled_for > actor.now:
            raise VisitError("A visit can be marked as missed once its time has come.")
    with transaction.atomic():
        touch_visit(
            visit=visit, version=version, actor=actor, change="did not attend", state=State.NO_SHOW
        )
    visit.refresh_from_db()
    return visit


def record_arrival(*, visit: Visit, version: int | str | None, arrival: str, actor: Actor) -> Visit:
    """Check the patient in (waiting), show them into the room, or undo the check-in; only
    on the visit's day, by the clinic's calendar."""
    require(actor, Need.DEMOGRAPHICS_WRITE, "Your role does not check patients in.", visit=visit)
    if arrival not in Arrival.values:
        raise VisitInvalid({"arrival": "Choose where the patient is."})
    if not visit.locked and visit.scheduled_for.astimezone(actor.zone).date() != actor.today:
        raise VisitError("A patient can only be checked in on the day of their visit.")
    with transaction.atomic():
        label = Arrival(arrival).label.lower()
        touch_visit(visit=visit, version=version, actor=actor, change=f"arrival: {label}")
        arrived_at = None if arrival == Arrival.EXPECTED else (visit.arrived_at or actor.now)
        Visit.objects.filter(pk=visit.pk).update(arrival=arrival, arrived_at=arrived_at)
    visit.refresh_from_db()
    return visit


def patient_arrived(*, visit: Visit, actor: Actor) -> Visit:
    """The patient taps "I'm here" in the portal on the day: checked in, waiting. Only their
    own visit, not started, on the clinic's day; a second tap changes nothing."""
    if actor.patient_id is None or actor.patient_id != visit.patient_id:
        raise VisitNotAllowed("This visit is not yours.")
    if visit.locked or visit.state not in NOT_STARTED:
        raise VisitError("This visit has started or is closed: please speak to the front desk.")
    if visit.scheduled_for.astimezone(actor.zone).date() != actor.today:
        raise VisitError("You can check in on the day of your visit.")
    if visit.arrival != Arrival.EXPECTED:
        return visit
    with transaction.atomic():
        touch_visit(
            visit=visit, version=visit.version, actor=actor, change="arrival: patient checked in"
        )
        Visit.objects.filter(pk=visit.pk).update(arrival=Arrival.WAITING, arrived_at=actor.now)
    visit.refresh_from_db()
    return visit
