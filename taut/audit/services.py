"""Writing audit events: the one helper every app calls, ``record_event``, and the linker.

Call ``record_event`` inside the same transaction as the change it describes, so the change
and its record commit or fail together. It takes the actor the gate built (who, their role
and clinic, the client's address), the patient concerned and the object seen or changed, and
derives the event's fields from them, so every app records events the same way. It writes
one sealed, unchained row and takes no lock, so audited requests never wait on each other.

``link_events`` (run by ``taut worker`` every few seconds, by ``taut audit-link`` and first
thing by ``taut audit-verify``) chains the committed events into the hash chain under the
chain head's lock (decision 0016). ``anchor_head`` (run by the worker after linking)
copies the chain head, at most once a minute, to the anchor file outside the database
(decision 0028).
"""

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from taut.audit import anchors, chain
from taut.audit.models import Action, AuditEvent, ChainHead

logger = logging.getLogger("taut.audit")


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
    """Write one event, sealed; the linker chains it within seconds (``link_events``).

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
    event = AuditEvent(
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
    )
    event.seal = chain.seal(chain.row_values(event))
    event.save(force_insert=True)  # one INSERT, no lock: the linker chains it later
    return event


LINK_BATCH = 500


def link_events(*, batch_size: int = LINK_BATCH) -> int:
    """Chain every committed event not linked yet, oldest id first; return how many.

    Each batch is one transaction holding the chain head's lock, so linkers take turns
    and no event is linked twice. Only events not linked yet (``seq`` empty) are read,
    never "ids above the last linked", so an event whose transaction committed late with a
    lower id is linked by the next run rather than skipped: the chain's order is the order
    in which events became visible to the linker (id order within a run). Running it again
    with nothing new links nothing."""
    linked = 0
    # The common case, nothing waiting, takes no lock (one query on the partial index).
    while AuditEvent.objects.filter(seq=None).exists():
        with transaction.atomic():
            count = _link_batch(batch_size)
        linked += count
        if count < batch_size:
            break
    return linked


def _link_batch(batch_size: int) -> int:
    ChainHead.objects.get_or_create(
        pk=1, defaults={"seq": 0, "hash": chain.GENESIS, "mac": chain.head_mac(0, chain.GENESIS)}
    )
    head = ChainHead.objects.select_for_update().get(pk=1)
    # Read after the lock: a linker that held it before us has committed its links.
    events = list(AuditEvent.objects.filter(seq=None).order_by("id")[:batch_size])
    for event in events:
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        event.hash = chain.event_hash(head.hash, chain.row_values(event))
        head.seq, head.hash = event.seq, event.hash
    AuditEvent.objects.bulk_update(events, ["seq", "prev_hash", "hash"])
    head.mac = chain.head_mac(head.seq, head.hash)
    head.save(update_fields=["seq", "hash", "mac"])
    return len(events)


def anchor_head(*, path: str, now: datetime) -> anchors.Anchor | None:
    """Append the chain head to the anchor file at ``path`` if the file's last anchor is a
    minute old or more (``anchors.due``) and the head moved since; return the anchor
    written, or None. The file decides, not the caller's memory, so several workers
    together still write about one anchor a minute. One query, only when one is due."""
    previous = anchors.last(path)
    if not anchors.due(previous, now):
        return None
    head = ChainHead.objects.filter(pk=1).first()
    if head is None or head.seq == 0:
        return None  # nothing linked yet: nothing to anchor
    if previous is not None and (previous.seq, previous.hash) == (head.seq, head.hash):
        return None
    if previous is not None and head.seq < previous.seq:
        # Noticed live; taut audit-verify reports it in full.
        logger.error(
            "The audit chain head (#%s) is behind the last anchor (#%s): run taut audit-verify",
            head.seq,
            previous.seq,
        )
    anchor = anchors.Anchor(head.seq, head.hash, now)
    anchors.append(path, anchor)
    return anchor


def verify_chain(
    *, anchored: Iterable[anchors.Anchor] = (), using: str = DEFAULT_DB_ALIAS
) -> chain.Verdict:
    """Check the linked chain against the ``anchored`` heads (read them first: see
    ``chain.verify``) and the seal of every event not linked yet (it links nothing:
    ``taut audit-verify`` calls ``link_events`` first). ``using``: the database to read
    (``taut restore --check`` reads a scratch copy)."""
    head = ChainHead.objects.using(using).filter(pk=1).first()  # first: see chain.verify
    events = AuditEvent.objects.using(using).filter(seq__isnull=False).order_by("seq")
    unlinked = AuditEvent.objects.using(using).filter(seq=None).order_by("id")
    return chain.verify(
        events.iterator(chunk_size=2000),
        head,
        unlinked.iterator(chunk_size=2000),
        anchors=list(anchored),
    )
