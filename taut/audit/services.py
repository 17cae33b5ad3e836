"""Writing audit events. Call ``record_event`` inside the same transaction as the
change it describes, so the change and its record commit or fail together."""

from django.db import transaction
from django.utils import timezone

from taut.audit import chain
from taut.audit.models import Action, AuditEvent, ChainHead
from taut.lib.http import client_ip


def record_event(
    *,
    action: Action,
    request=None,
    actor=None,
    clinic_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    patient_id=None,
    details: dict | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one event to the chain. ``actor`` defaults to ``request.user`` unless
    ``actor_username`` names someone else (a patient in the portal, the worker): a member of
    staff signed in on the same browser is not the actor then."""
    if (
        actor is None
        and not actor_username
        and request is not None
        and request.user.is_authenticated
    ):
        actor = request.user
    if actor is not None:
        actor_username = actor.get_username()
        if clinic_id is None:
            clinic_id = getattr(actor, "clinic_id", None)
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead(pk=1, seq=0, hash=chain.GENESIS)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            clinic_id=clinic_id,
            actor_id=actor.pk if actor is not None else None,
            actor_username=actor_username[:150],
            actor_role=getattr(actor, "role", "") or "",
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            patient_id=patient_id,
            client_ip=client_ip(request) if request is not None else "",
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
