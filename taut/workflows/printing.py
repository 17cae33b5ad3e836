"""PDFs off the request: a download serves the stored PDF of the facts as they stand, or
queues its render and says it is being prepared (docs/decisions/0019-pdfs-rendered-once.md).

Signing a note and signing an addendum queue the renders (``queue_signed``) in the same
transaction as the signature, behind emails; someone waiting on a "Preparing the PDF…" page
queues theirs ahead of everything (``stored_or_queued``). No request ever renders.
"""

from datetime import datetime

from taut.visits import queries as visits
from taut.visits.models import Visit
from taut.visits.services import printing as documents
from taut.workflows.rendering import Kind, Printable
from taut.workflows.tasks import render_document_task

# Queue priorities (django-tasks-db runs the highest first; emails use the default, 0).
SIGNED = -10  # rendered ahead of anyone asking, when the worker has nothing more urgent
ASKED = 10  # someone is waiting on the "Preparing the PDF…" page


def queue_render(*, kind: str, subject: str, priority: int) -> None:
    render_document_task.using(priority=priority).enqueue(kind, subject)


def queue_signed(visit: Visit, *, handout: bool = True) -> None:
    """Queue the renders of a just-signed note (and, at signing, its aftercare handout).
    Called inside the signing transaction: the tasks commit or roll back with it."""
    queue_render(kind=Kind.NOTE, subject=str(visit.public_id), priority=SIGNED)
    if handout:
        queue_render(kind=Kind.AFTERCARE, subject=str(visit.public_id), priority=SIGNED)


def stored_or_queued(printable: Printable, *, now: datetime) -> bytes | None:
    """The stored PDF of ``printable``'s facts; or None, its render queued for the person
    waiting (once: again only if nobody has rendered it a while after the ask)."""
    stored = visits.printed_document(
        kind=printable.kind, subject=printable.subject, fingerprint=printable.fingerprint
    )
    if stored is not None and stored.content is not None:
        return bytes(stored.content)  # PostgreSQL hands out a memoryview
    if stored is not None:
        asked = documents.ask_again(document=stored, now=now)
    else:
        asked = documents.ask_for_document(
            kind=printable.kind,
            patient=printable.patient,
            visit=printable.visit,
            fingerprint=printable.fingerprint,
            addenda=printable.addenda,
            now=now,
        )
    if asked:
        queue_render(kind=printable.kind, subject=str(printable.subject), priority=ASKED)
    return None
