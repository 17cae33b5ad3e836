"""Downloads of PDFs already rendered: served as stored, never rendered on the request, in a
few queries; an addendum makes the page say "Preparing the PDF…" until the worker has
rendered the note again. Every test starts from one signed session whose note and handout
the worker has rendered, built once for the module (taut/tests/once.py)."""

import shutil
import subprocess
from unittest import mock

import pytest

from taut.aftercare import services as aftercare
from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.tests.cast import acting
from taut.tests.once import built_once_per_module
from taut.tests.query_counts import queries_to_get
from taut.tests.renders import queued_renders, run_renders
from taut.visits.models import PrintedDocument
from taut.workflows import notes
from taut.workflows.tests.test_printing import (
    handout_pdf,
    is_preparing,
    note_pdf,
    prints,
)

Kind = PrintedDocument.Kind
POPPLER = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def rendered_session(cast):
    """A signed session whose note and handout PDFs the worker has rendered and stored."""
    visit = flow.signed(cast.patient, cast.clinician)
    assert run_renders() == ["rendered", "rendered"]
    return visit


visit, _visit_once = built_once_per_module(rendered_session, name="visit")


def own_queries(ran) -> list[str]:
    """The queries a download runs besides appending its audit events (the audit chain's
    cost is the audit trail's own; docs/decisions/0002-audit-trail.md)."""
    return [q for q in ran if "audit_" not in q and "SAVEPOINT" not in q]


def test_it_serves_the_stored_bytes_without_rendering(client, cast, signed_in, visit):
    import weasyprint  # here, not at the top: every pytest-xdist worker would pay 0.5 s for it

    stored = {d.kind: bytes(d.content) for d in PrintedDocument.objects.all()}
    signed_in(cast.nurse)
    with mock.patch.object(weasyprint, "HTML", wraps=weasyprint.HTML) as html:
        note = client.get(note_pdf(visit))
        handout = client.get(handout_pdf(visit))
    assert html.call_count == 0
    assert note.content == stored[Kind.NOTE] and handout.content == stored[Kind.AFTERCARE]
    assert note["Content-Type"] == "application/pdf"
    assert note["Content-Disposition"].startswith('attachment; filename="tpi-note-')
    printed = AuditEvent.objects.filter(action=Action.PRINT, object_id=str(visit.public_id))
    assert sorted(printed.values_list("object_type", flat=True)) == [
        "aftercare_instructions",
        "note",
    ]


def test_it_serves_the_stored_note_in_a_few_queries_however_many_records(
    client, cast, signed_in, visit
):
    signed_in(cast.clinician)
    few = own_queries(queries_to_get(client, note_pdf(visit)))
    assert len(few) <= 10, few
    for number in range(3):
        notes.add_addendum(
            note=visit.note, text=f"Addendum {number}.", actor=acting(cast.clinician)
        )
    for checkin in visit.checkins.order_by("due_on")[:3]:
        aftercare.record_checkin(
            checkin=checkin,
            answers=flow.answers(checkin, nrs=3),
            actor=flow.on_due_day(cast.nurse, checkin),
        )
    run_renders(Kind.NOTE)
    more = own_queries(queries_to_get(client, note_pdf(visit)))
    assert client.get(note_pdf(visit)).content.startswith(b"%PDF")
    assert len(more) == len(few), more


def test_it_serves_a_stored_pdf_in_eight_queries_or_fewer(client, cast, signed_in, visit):
    """The session, the member with their clinic, the patient, the visit (with the note,
    or the handout's intake, sites and goals), the fingerprint's facts (the note: addenda
    and the outcome facts in one statement), the stored PDF, and one audit insert."""
    signed_in(cast.clinician)
    note = queries_to_get(client, note_pdf(visit))
    handout = queries_to_get(client, handout_pdf(visit))
    assert len(note) == 8, note
    assert len(handout) == 9, handout
    assert sum("INSERT" in q for q in note + handout) == 2


@POPPLER
def test_it_says_preparing_after_an_addendum_until_the_worker_renders_it_again(
    client, cast, signed_in, visit, tmp_path
):
    signed_in(cast.clinician)
    assert client.get(note_pdf(visit)).content.startswith(b"%PDF")
    before = prints()
    notes.add_addendum(
        note=visit.note, text="Left side was the right side.", actor=acting(cast.clinician)
    )
    assert [Kind.NOTE, str(visit.public_id)] in queued_renders()
    page = client.get(note_pdf(visit))
    assert is_preparing(page) and prints() == before  # the older PDF is not served
    assert f'href="{note_pdf(visit)}"' in page.content.decode()  # try again
    run_renders(Kind.NOTE)
    document = client.get(note_pdf(visit)).content
    (tmp_path / "note.pdf").write_bytes(document)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "note.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Left side was the right side." in text and prints() == before + 1
    assert PrintedDocument.objects.get(kind=Kind.NOTE).addenda == 1  # the older one is gone
