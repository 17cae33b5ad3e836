"""Stored PDFs (``PrintedDocument``): asking for one, and keeping what the worker rendered.

The rendering and the facts each document is made of are composed in
``taut.workflows.printing``; these writes only keep the rows (docs/decisions/0019-pdfs-rendered-once.md).
"""

import hashlib
import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from taut.accounts.actors import Actor
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.patients.models import Patient
from taut.visits.models import PrintedDocument, Visit

# An ask still unanswered this long after it was made is queued again (its task was lost,
# or no worker was running); a second render of the same facts is harmless.
ASK_AGAIN_AFTER = timedelta(minutes=2)


def _subject(patient: Patient, visit: Visit | None) -> uuid.UUID:
    return visit.public_id if visit is not None else patient.public_id


def ask_for_document(
    *,
    kind: str,
    patient: Patient,
    visit: Visit | None,
    fingerprint: str,
    addenda: int,
    now: datetime,
) -> bool:
    """Note that someone is waiting for the PDF of ``fingerprint``, which nobody has asked
    for yet. True when its render should be queued: two requests racing to ask insert one
    row between them (the unique key), so only one queues it."""
    subject = _subject(patient, visit)
    try:
        with transaction.atomic():
            PrintedDocument.objects.create(
                kind=kind,
                patient=patient,
                visit=visit,
                subject=subject,
                fingerprint=fingerprint,
                addenda=addenda,
                requested_at=now,
            )
    except IntegrityError:
        return False
    return True


def ask_again(*, document: PrintedDocument, now: datetime) -> bool:
    """Someone is still waiting for ``document``: True when its render should be queued
    again, the ask having gone unanswered for ``ASK_AGAIN_AFTER`` (one request wins)."""
    unanswered = PrintedDocument.objects.filter(
        pk=document.pk, rendered_at__isnull=True, requested_at__lt=now - ASK_AGAIN_AFTER
    )
    return unanswered.update(requested_at=now) == 1


def store_document(
    *,
    kind: str,
    patient: Patient,
    visit: Visit | None,
    fingerprint: str,
    addenda: int,
    content: bytes,
    actor: Actor,
) -> PrintedDocument:
    """Keep the PDF the worker rendered from the facts ``fingerprint`` digests; the same
    document's renders from older facts are dropped (they are never served again)."""
    subject = _subject(patient, visit)
    values = {
        "patient": patient,
        "visit": visit,
        "addenda": addenda,
        "content": content,
        "sha256": hashlib.sha256(content).hexdigest(),
        "rendered_at": actor.now,
    }
    with transaction.atomic():
        document, _ = PrintedDocument.objects.update_or_create(
            kind=kind,
            subject=subject,
            fingerprint=fingerprint,
            defaults=values,
            create_defaults={**values, "requested_at": actor.now},
        )
        PrintedDocument.objects.filter(
            kind=kind, subject=subject, rendered_at__isnull=False
        ).exclude(pk=document.pk).delete()
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=patient,
            object_type="printed_document",
            object_id=str(subject),
            details={"document": document.get_kind_display(), "addenda": addenda},
        )
    return document
