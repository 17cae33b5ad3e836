"""Outcomes on paper for records other than test_pdf.py's answered session: a patient with
no sessions, two sessions, an unsigned visit, and the note PDF's appendix."""

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from taut.aftercare.tests import flow
from taut.outcomes import pdf
from taut.outcomes.tests.test_pdf import session, summary_html
from taut.tests.renders import run_renders
from taut.visits.models import PrintedDocument
from taut.visits.tests import flow as visit_flow


def test_it_says_when_there_is_nothing_to_summarise(cast):
    body = summary_html(cast.patient)
    assert "No signed sessions yet" in body and "<svg" not in body


def test_it_leaves_later_sessions_out_of_an_earlier_notes_appendix(cast):
    first = session(cast.patient, cast.clinician, days_ago=60)
    later = session(cast.patient, cast.clinician, days_ago=1, muscle="gluteus_medius")
    earlier_section = pdf.note_section(visit=first, printed_at=timezone.now())
    assert "Trapezius" in earlier_section and "Gluteus medius" not in earlier_section
    assert (
        f"until the next session on {timezone.localdate(later.scheduled_for):%-d %b %Y}"
        in earlier_section
    )
    later_section = pdf.note_section(visit=later, printed_at=timezone.now())
    assert "Trapezius" in later_section and "Gluteus medius" in later_section


def test_it_prints_nothing_for_an_unsigned_visit(cast):
    visit = visit_flow.ready_to_sign(cast.patient, cast.clinician)
    assert pdf.note_section(visit=visit, printed_at=timezone.now()) == ""


def test_it_prints_the_outcomes_appendix_after_the_note(client, cast, signed_in):
    """The note PDF prints the appendices ``taut.workflows.rendering.note_appendices``
    names."""
    visit = flow.signed(cast.patient, cast.clinician)
    with SimpleTestCase().assertTemplateUsed("outcomes/_note_section.html"):
        run_renders(PrintedDocument.Kind.NOTE)
    signed_in(cast.clinician)
    url = reverse("visits:pdf", args=[cast.patient.public_id, visit.public_id])
    assert client.get(url).content.startswith(b"%PDF")
