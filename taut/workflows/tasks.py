"""Tasks run by ``taut worker`` for the workflows: thin wrappers taking IDs.

The task is the edge: it reads the clock once and hands it on.
"""

from django.tasks import task
from django.utils import timezone

from taut.workflows.rendering import render_document


@task(queue_name="printing")
def render_document_task(kind: str, subject: str) -> str:
    """Render and store one PDF (``taut.workflows.rendering``)."""
    return render_document(kind=kind, subject=subject, now=timezone.now())
