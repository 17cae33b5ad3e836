"""Writing audit events: the one helper every app calls, ``record_event``.

Call it inside the same transaction as the change it describes, so the change and its
record commit or fail together. It takes the actor the gate built (who, their role and
clinic, the client's address), the patient concerned and the object seen or changed, and
derives the event's fields from them, so every app records events the same way.
"""

import re
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from taut.audit import chain
from taut.audit.models import Action, AuditEvent, ChainHead


class AuditActor(Protocol):
    """What the trail records of whoever acts (``taut.accounts.actors.Actor``)."""

    @property
    def label(self) -> str: ...
    @property
    def user_id(self) -> int | None: ...
    @property
    def role(self) -> str: ...
    @property
    def clinic_id(self) -> int | None: ...
    @property
    def address(self) -> str: ...


class AuditPatient(Protocol):
    @property
    def public_id(self) -> Any: ...
    @property
    def clinic_id(self) -> int: ...


def object_type_of(obj: Any) -> str:
    """How the trail names a kind of record: the model's ``AUDIT_TYPE`` if it sets one, else
    its class name in snake case (``PainDrawing`` → "pain_drawing")."""
    return (
        getattr(type(obj), "AUDIT_TYPE", "")
        or re.sub(r"(?<!^)(?=[A-Z])", "_", type(obj).__name__).lower()
    )


def record_event(
    *,
    actor: AuditActor,
    action: Action,
    patient: AuditPatient | None = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    details: dict[str, Any] | None = None,
    clinic_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain.

    ``obj`` is the record seen or changed (a model instance with a ``public_id``; a part
    without one is named through its owner, e.g. the visit as "note"): the event names its type
    (``object_type_of``; ``object_type`` overrides, e.g. "consent" for a part of a visit)
    and its public id.
    Without ``obj`` the event is about ``patient`` if given, else about ``object_type`` /
    ``object_id`` as passed (a user, the clinic, the audit log). The clinic is the
    patient's, else ``clinic_id``, else the actor's. ``details`` holds structured,
    non-clinical facts only (field names, versions, codes)."""
    if obj is not None:
        # Integer keys never leave the server (the audit log is exported): public ids only.
        object_type = object_type or object_type_of(obj)
        object_id = str(obj.public_id)
    elif patient is not None and not object_type:
        object_type, object_id = "patient", str(patient.public_id)
    if patient is not None:
        clinic_id = patient.clinic_id
    elif clinic_id is None:
        clinic_id = actor.clinic_id
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead(pk=1, seq=0, hash=chain.GENESIS)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),  # when the trail was written: the real clock, always
            clinic_id=clinic_id,
            actor_id=actor.user_id,
            actor_username=actor.label[:150],
            actor_role=actor.role,
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            patient_id=patient.public_id if patient is not None else None,
            client_ip=actor.address,
            details=details or {},
            prev_hash=head.hash,
        )
        event.hash = chain.event_hash(head.hash, chain.row_values(event))
        event.save(force_insert=True)
        head.seq = event.seq
        head.hash = event.hash
        head.mac = chain.head_mac(head.seq, head.hash)
        head.save()
    return event


def verify_chain() -> chain.Verdict:
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    return chain.verify(events, ChainHead.objects.filter(pk=1).first())
