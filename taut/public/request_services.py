"""Writes of appointment requests: a visitor sending one (throttled, or a honeypot caught),
staff turning one into a patient and a booked visit or dismissing it, and the purge of
expired ones. Each is atomic and audited; staff writes are version-checked.

The throttle counts in the store every server process shares (``taut.accounts.throttles``:
the database, or Redis when configured), per client address per hour (a keyed hash of the
address, never the address) and per clinic per day (the clinic's day). With the database, a
refused request rolls its counts back with everything else.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from taut.accounts import throttles
from taut.accounts.actors import Actor
from taut.accounts.models import Clinic, User
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.queries import changes_since
from taut.audit.services import record_event
from taut.lib.dates import day_bounds
from taut.lib.refusals import Conflict, Invalid, NotAllowed, Refused
from taut.patients import services as patients
from taut.patients.models import Patient
from taut.public.models import AppointmentRequest
from taut.public.request_queries import possible_matches
from taut.public.request_tasks import notify_clinic_task
from taut.visits.models import Visit
from taut.workflows import booking

Status = AppointmentRequest.Status


class Throttled(Refused):
    """Too many requests from this address this hour, or for this clinic today."""

    def __init__(self, scope: str, *, retry_after: int):
        self.scope = scope  # "address" or "clinic"
        self.retry_after = retry_after  # seconds until the window ends
        super().__init__(f"Too many appointment requests ({scope}).")


class RequestConflict(Conflict):
    """Someone else acted on the request after this page was opened."""


@dataclass(frozen=True)
class Visitor:
    """What a visitor sent, as the public form cleaned it."""

    given_name: str
    family_name: str
    date_of_birth: date
    phone: str
    email: str
    language: str
    preferred_time: str
    consent: bool
    answers: dict[str, Any] | None = None


ADDRESS_LIMIT = "request-address"


def address_key(address: str) -> str:
    """The throttle's key for a client address: a keyed hash (SECRET_KEY), so the store
    holds no address and nobody without the key can test one against it."""
    return throttles.Limit(ADDRESS_LIMIT, 0, 3600).key(address or "-")


def _count_address(actor: Actor) -> None:
    """Count the request against its address's hour (inside the caller's transaction)."""
    counted = throttles.hit(address_key(actor.address), seconds=3600, now=actor.now)
    if counted > settings.APPOINTMENT_REQUEST_PER_ADDRESS_PER_HOUR:
        raise Throttled("address", retry_after=throttles.retry_after(actor.now, 3600))


def _count_clinic(clinic: Clinic, actor: Actor) -> None:
    """Count the request against the clinic's day (its own time zone's)."""
    start, end = day_bounds(actor.today, actor.zone)
    seconds = int((end - start).total_seconds())
    counted = throttles.add(f"request-clinic:{clinic.pk}", start=start, seconds=seconds)
    if counted > settings.APPOINTMENT_REQUEST_PER_CLINIC_PER_DAY:
        raise Throttled("clinic", retry_after=max(1, int((end - actor.now).total_seconds())))


def _require_visitor(clinic: Clinic, actor: Actor) -> None:
    if actor.user is not None or actor.clinic_id != clinic.pk:
        raise NotAllowed("An appointment request comes from the clinic's own public page.")


def submit_request(*, clinic: Clinic, visitor: Visitor, actor: Actor) -> AppointmentRequest:
    """Store a visitor's request for ``clinic`` (``actor``: ``Actor.visitor``), counted
    against its address and the clinic (``Throttled`` past either limit, nothing kept), and
    queue the clinic's email, which names nobody."""
    _require_visitor(clinic, actor)
    if not visitor.consent:
        raise Invalid({"consent": _("Tick this box so that we may contact you.")})
    if not (visitor.phone or visitor.email):
        raise Invalid({"phone": _("Give a phone number or an email address.")})
    if visitor.date_of_birth > actor.today:
        raise Invalid({"date_of_birth": _("The date of birth cannot be in the future.")})
    appointment_request = AppointmentRequest(
        clinic=clinic,
        given_name=visitor.given_name,
        family_name=visitor.family_name,
        date_of_birth=visitor.date_of_birth,
        phone=visitor.phone,
        email=visitor.email,
        language=visitor.language,
        preferred_time=visitor.preferred_time,
        consent=True,
        answers=visitor.answers,
        created_at=actor.now,
        expires_at=actor.now + timedelta(days=clinic.request_days()),
    )
    try:
        appointment_request.full_clean()
    except ValidationError as error:
        raise Invalid({k: " ".join(v) for k, v in error.message_dict.items()}) from None
    with transaction.atomic():
        _count_address(actor)
        _count_clinic(clinic, actor)
        appointment_request.save(force_insert=True)
        record_event(
            actor=actor,
            action=Action.CREATE,
            obj=appointment_request,
            details={
                "change": "received",
                "language": visitor.language,
                "self_check_attached": visitor.answers is not None,
            },
        )
        # A row of the database queue, in this transaction: no request, no email.
        notify_clinic_task.enqueue(appointment_request.pk)
    return appointment_request


def catch_honeypot(*, clinic: Clinic, actor: Actor) -> None:
    """A form whose hidden field was filled (a robot): nothing is kept but the address's
    count (``Throttled`` past the limit) and an audit event; the visitor sees "sent"."""
    _require_visitor(clinic, actor)
    with transaction.atomic():
        _count_address(actor)
        record_event(
            actor=actor,
            action=Action.DENIED,
            object_type=AppointmentRequest.AUDIT_TYPE,
            details={"change": "honeypot"},
        )


def _claim(
    appointment_request: AppointmentRequest,
    *,
    version: int | str | None,
    actor: Actor,
    **fields: Any,
) -> int:
    """Move the open request on from ``version`` (to BOOKED or DISMISSED, with ``fields``),
    or refuse with who acted on it since."""
    if version in (None, ""):
        raise RequestConflict("This form is missing its version: reload the page and try again.")
    rows = AppointmentRequest.objects.filter(
        pk=appointment_request.pk, version=int(version), status=Status.OPEN
    ).update(version=F("version") + 1, handled_at=actor.now, handled_by=actor.user, **fields)
    if not rows:
        raise RequestConflict(
            changes_since(
                object_type=AppointmentRequest.AUDIT_TYPE,
                object_id=str(appointment_request.public_id),
                version=int(version),
            )
        )
    return int(version) + 1


def _require_staff(appointment_request: AppointmentRequest, actor: Actor, why: str) -> None:
    actor.require(Need.DEMOGRAPHICS_WRITE, why)
    if actor.clinic_id != appointment_request.clinic_id:
        raise NotAllowed("This request belongs to another clinic.")


def _register(
    appointment_request: AppointmentRequest, *, mrn: str, sex: str, actor: Actor
) -> Patient:
    """A new patient from what the request holds (staff add the MRN and sex)."""
    try:
        return patients.register_patient(
            clinic=appointment_request.clinic,
            actor=actor,
            mrn=mrn,
            sex=sex,
            given_name=appointment_request.given_name,
            family_name=appointment_request.family_name,
            date_of_birth=appointment_request.date_of_birth,
            phone=appointment_request.phone,
            email=appointment_request.email,
            preferred_language=appointment_request.language,
        )
    except ValidationError as error:
        raise Invalid({k: " ".join(v) for k, v in error.message_dict.items()}) from None


def book_from_request(
    *,
    appointment_request: AppointmentRequest,
    version: int | str | None,
    patient: Patient | None,
    mrn: str = "",
    sex: str = "",
    kind: str,
    scheduled_for: datetime,
    clinician: User | None = None,
    duration_minutes: int | None = None,
    override: bool = False,
    actor: Actor,
) -> Visit:
    """Turn the request into a booked visit, in one transaction: for ``patient``, whom staff
    chose as the same person (one of the request's ``possible_matches``), or for a patient
    registered from the request (its names, date of birth, phone, email and language; staff
    add ``mrn`` and ``sex``). Nothing is merged into a chosen patient's record. Any refusal
    (a stale version, a taken MRN, a double booking) leaves everything as it was."""
    _require_staff(appointment_request, actor, "Your role does not book visits.")
    if patient is not None:
        matches = {p.pk for p in possible_matches(appointment_request)}
        if patient.pk not in matches:
            raise Invalid({"patient": "Choose one of the possible matches, or register anew."})
    elif not (mrn.strip() and sex):
        errors = {"mrn": "Give the new patient's MRN."} if not mrn.strip() else {}
        raise Invalid(errors | ({} if sex else {"sex": "Choose the new patient's sex."}))
    elif Patient.objects.filter(
        clinic_id=appointment_request.clinic_id, mrn__iexact=mrn.strip()
    ).exists():
        raise Invalid({"mrn": f"MRN {mrn.strip()} already belongs to another patient here."})
    with transaction.atomic():
        new_version = _claim(
            appointment_request, version=version, actor=actor, status=Status.BOOKED
        )
        chosen = "chosen" if patient is not None else "registered"
        if patient is None:
            patient = _register(appointment_request, mrn=mrn.strip(), sex=sex, actor=actor)
        visit = booking.book_visit(
            patient=patient,
            scheduled_for=scheduled_for,
            clinician=clinician,
            kind=kind,
            duration_minutes=duration_minutes,
            override=override,
            actor=actor,
        )
        AppointmentRequest.objects.filter(pk=appointment_request.pk).update(
            patient=patient, visit=visit
        )
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=patient,
            obj=appointment_request,
            details={"change": "booked", "patient": chosen, "version": new_version},
        )
    appointment_request.refresh_from_db()
    return visit


def dismiss_request(
    *, appointment_request: AppointmentRequest, version: int | str | None, reason: str,
    actor: Actor,
) -> AppointmentRequest:  # fmt: skip
    """Close the request without a booking, saying why (one of ``DismissReason``)."""
    _require_staff(appointment_request, actor, "Your role does not handle requests.")
    if reason not in AppointmentRequest.DismissReason.values:
        raise Invalid({"reason": "Choose why the request is dismissed."})
    with transaction.atomic():
        new_version = _claim(
            appointment_request, version=version, actor=actor, status=Status.DISMISSED,
            dismiss_reason=reason,
        )  # fmt: skip
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=appointment_request,
            details={"change": "dismissed", "reason": reason, "version": new_version},
        )
    appointment_request.refresh_from_db()
    return appointment_request


def purge_expired(*, now: datetime) -> int:
    """Delete every request past its expiry (open, booked or dismissed: a booked one lives
    on as its patient and visit) and throttle counts of closed windows; each deletion is
    audited. Returns how many requests went."""
    purged = 0
    expired = AppointmentRequest.objects.filter(expires_at__lte=now).select_related("clinic")
    for appointment_request in expired.iterator(chunk_size=500):
        with transaction.atomic():
            record_event(
                actor=Actor.system(
                    "taut purge-requests", now=now, clinic=appointment_request.clinic
                ),
                action=Action.DELETE,
                obj=appointment_request,
                clinic_id=appointment_request.clinic_id,
                details={"change": "expired", "status": appointment_request.status},
            )
            appointment_request.delete()
        purged += 1
    throttles.purge_counts(now=now)  # closed throttle windows (these requests' and sign-ins')
    return purged
