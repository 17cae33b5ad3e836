"""PDFs off the request: signing queues the renders, the worker renders and stores them,
a download serves the stored PDF of the facts as they stand and never renders; a newer
addendum or check-in makes the page say "Preparing the PDF…" until the worker has
rendered the new one (docs/decisions/0019-pdfs-rendered-once.md). Downloads of PDFs
already rendered are in test_printing_stored.py, the real worker in
test_printing_worker.py."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from taut.aftercare import services as aftercare
from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.tests.once import built_once_per_module
from taut.tests.renders import queued_renders, run_renders
from taut.visits.models import PrintedDocument
from taut.workflows import printing
from taut.workflows.tasks import render_document_task

Kind = PrintedDocument.Kind


def note_pdf(visit):
    return reverse("visits:pdf", args=[visit.patient.public_id, visit.public_id])


def handout_pdf(visit):
    return reverse("aftercare:instructions_pdf", args=[visit.patient.public_id, visit.public_id])


def summary_pdf(patient):
    return reverse("outcomes:summary_pdf", args=[patient.public_id])


def prints():
    return AuditEvent.objects.filter(action=Action.PRINT).count()


def is_preparing(response) -> bool:
    return response.status_code == 200 and "Preparing the PDF" in response.content.decode()


def asked_renders(subject) -> int:
    """Renders queued for someone waiting (ahead of everything else)."""
    return DBTaskResult.objects.filter(
        task_path=render_document_task.module_path,
        priority=printing.ASKED,
        args_kwargs__args__1=str(subject),
    ).count()


def signed_session(cast):
    return flow.signed(cast.patient, cast.clinician)


# Every test has the signed session, so the module signs it once (taut/tests/once.py); the
# test that commits for a real worker is in test_printing_worker.py, where nothing is shared.
visit, _visit_once = built_once_per_module(signed_session, name="visit")


def test_it_queues_the_note_and_handout_renders_in_the_signing_transaction(cast, visit):
    subject = str(visit.public_id)
    assert queued_renders() == [[Kind.NOTE, subject], [Kind.AFTERCARE, subject]]
    assert not PrintedDocument.objects.exists()  # nothing rendered in the request


def test_it_renders_and_stores_both_pdfs_in_the_worker(cast, visit):
    assert run_renders() == ["rendered", "rendered"]
    stored = {d.kind: d for d in PrintedDocument.objects.all()}
    assert set(stored) == {Kind.NOTE, Kind.AFTERCARE}
    note = stored[Kind.NOTE]
    content = bytes(note.content)
    assert content.startswith(b"%PDF") and note.sha256 == hashlib.sha256(content).hexdigest()
    assert (note.visit, note.patient, note.addenda) == (visit, cast.patient, 0)
    assert note.rendered_at is not None and note.subject == visit.public_id
    event = AuditEvent.objects.get(object_type="printed_document", details__document="Signed note")
    assert event.patient_id == cast.patient.public_id and event.actor_username == "taut worker"
    # Queued again (a second ask, a second worker): the same facts are not rendered twice.
    printing.queue_signed(visit)
    assert run_renders() == ["already stored", "already stored"]


def test_it_audits_a_served_download_once_as_a_print_and_the_preparing_page_as_a_view(
    client, cast, signed_in, visit
):
    """A download commits one audit row (the print names what was seen), not a view and a
    print: every commit waits for the disk, so a second row cost a second flush."""
    signed_in(cast.clinician)
    before = AuditEvent.objects.count()
    assert is_preparing(client.get(note_pdf(visit)))
    waited = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.object_type) for e in waited] == [(Action.VIEW, "note")]
    run_renders()
    before = AuditEvent.objects.count()
    assert client.get(note_pdf(visit)).content.startswith(b"%PDF")
    assert client.get(handout_pdf(visit)).content.startswith(b"%PDF")
    served = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.object_type, e.object_id, e.patient_id) for e in served] == [
        (Action.PRINT, "note", str(visit.public_id), cast.patient.public_id),
        (Action.PRINT, "aftercare_instructions", str(visit.public_id), cast.patient.public_id),
    ]


@pytest.mark.usefixtures("visit")
def test_it_queues_a_waiting_persons_render_once_and_again_when_it_is_lost(client, cast, signed_in):
    signed_in(cast.clinician)
    url = summary_pdf(cast.patient)
    assert is_preparing(client.get(url)) and is_preparing(client.get(url))
    assert asked_renders(cast.patient.public_id) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert is_preparing(client.get(url))
    assert asked_renders(cast.patient.public_id) == 2


def test_it_sends_the_preparing_pages_poll_on_to_the_download(client, cast, signed_in, visit):
    signed_in(cast.clinician)
    url = summary_pdf(cast.patient)
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and "every 2s" in page
    poll = client.get(url, headers={"HX-Request": "true"})
    assert 'id="pdf-status"' in poll.content.decode() and "<html" not in poll.content.decode()
    run_renders(Kind.OUTCOMES)
    before = prints()
    ready = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'data-download="{url}"' in ready and "hx-get" not in ready  # polling stops
    assert prints() == before  # the browser downloads it next
    assert client.get(url).content.startswith(b"%PDF") and prints() == before + 1


def test_it_makes_a_new_outcomes_summary_when_a_check_in_is_answered(
    client, cast, signed_in, visit
):
    signed_in(cast.clinician)
    url = summary_pdf(cast.patient)
    client.get(url)
    run_renders(Kind.OUTCOMES)
    assert client.get(url).content.startswith(b"%PDF")
    checkin = visit.checkins.order_by("due_on").first()
    aftercare.record_checkin(
        checkin=checkin,
        answers=flow.answers(checkin, nrs=3),
        actor=flow.on_due_day(cast.nurse, checkin),
    )
    assert is_preparing(client.get(url))
    assert is_preparing(client.get(note_pdf(visit)))  # its appendix shows follow-ups too
    run_renders(Kind.OUTCOMES)
    assert client.get(url).content.startswith(b"%PDF")
    assert PrintedDocument.objects.filter(kind=Kind.OUTCOMES).count() == 1


def test_it_asks_for_nothing_for_an_outsider_or_a_role_without_the_need(
    client, cast, signed_in, visit
):
    for user, status in ((cast.outsider, 404), (cast.front_desk, 403)):
        signed_in(user)
        assert client.get(summary_pdf(cast.patient)).status_code == status
        assert client.get(note_pdf(visit)).status_code == status
    client.logout()
    assert client.get(note_pdf(visit)).status_code == 302
    assert not PrintedDocument.objects.exists() and prints() == 0
