"""``taut worker --queue printing`` renders the signed note's PDFs: a test that commits, so
the worker sees its records (apart from test_printing.py, whose tests share one session)."""

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from taut.aftercare.tests import flow
from taut.reminders.tasks import send_reminder_task
from taut.tests.renders import queued_renders
from taut.visits.models import PrintedDocument

Kind = PrintedDocument.Kind


@pytest.mark.usefixtures("committed_db")
def test_it_is_rendered_by_taut_worker_on_its_own_queue(cast):
    """``taut worker --queue printing`` renders the PDFs and leaves the emails alone."""
    visit = flow.signed(cast.patient, cast.clinician)
    email = send_reminder_task.enqueue(0)  # on "default", due now
    call_command("worker", "--batch", "--queue", "printing", verbosity=0)
    stored = PrintedDocument.objects.filter(visit=visit, rendered_at__isnull=False)
    assert sorted(stored.values_list("kind", flat=True)) == [Kind.AFTERCARE, Kind.NOTE]
    assert not queued_renders()
    assert DBTaskResult.objects.get(pk=email.id).status == TaskResultStatus.READY
