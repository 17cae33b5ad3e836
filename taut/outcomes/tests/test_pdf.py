"""Outcomes on paper: the summary PDF and the appendix printed after a signed note."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from taut.aftercare import services as aftercare
from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.outcomes import pdf
from taut.tests.cast import acting
from taut.tests.once import built_once_per_module
from taut.tests.renders import run_renders
from taut.visits import queries as visit_queries
from taut.visits.models import PrintedDocument
from taut.visits.tests import flow as visit_flow
from taut.workflows import notes

POPPLER = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def answer(checkin, by, nrs):
    aftercare.record_checkin(
        checkin=checkin, answers=flow.answers(checkin, nrs=nrs), actor=flow.on_due_day(by, checkin)
    )


def session(patient, clinician, *, days_ago, muscle="trapezius_upper"):
    """A signed session ``days_ago`` days back, on one muscle."""
    when = timezone.now() - timedelta(days=days_ago)
    visit = visit_flow.with_intake(visit_flow.scheduled(patient, clinician, when=when), clinician)
    visit = visit_flow.consented(
        visit_flow.examined(visit, clinician, [(muscle, "left")]), clinician
    )
    visit = visit_flow.with_sites(visit, clinician, [visit_flow.site(muscle)])
    visit = visit_flow.finished(visit, clinician)
    notes.sign_note(visit=visit, version=visit.version, icd_codes=[], actor=acting(clinician))
    visit.refresh_from_db()
    return visit


def text_of(document, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(document)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def answered_session(cast):
    """One signed session (intake pain now 6/10) with four check-ins answered."""
    visit = flow.signed(cast.patient, cast.clinician)
    for checkin, nrs in zip(visit.checkins.order_by("due_on")[:4], (3, 2, 3, 4), strict=True):
        answer(checkin, cast.nurse, nrs)
    return visit


# Every test here has it, so the module builds it once (taut/tests/once.py); the tests of
# other records are in test_pdf_appendix.py.
answered, _answered_once = built_once_per_module(answered_session, name="answered")


def summary_html(patient):
    context = pdf.summary_context(patient, printed_at=timezone.now())
    return render_to_string("outcomes/summary_pdf.html", context)


def test_it_prints_the_summary_as_an_audited_pdf(client, cast, signed_in, answered):
    signed_in(cast.nurse)
    url = reverse("outcomes:summary_pdf", args=[cast.patient.public_id])
    assert "Preparing the PDF" in client.get(url).content.decode()  # queued, not rendered here
    run_renders(PrintedDocument.Kind.OUTCOMES)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    printed = AuditEvent.objects.get(action=Action.PRINT, object_type="outcomes_summary")
    assert printed.patient_id == cast.patient.public_id
    assert printed.actor_id == cast.nurse.pk


@POPPLER
def test_it_puts_the_session_and_its_figures_on_the_printed_page(cast, answered, tmp_path):
    document = pdf.summary_pdf(cast.patient, printed_at=timezone.now(), base_url="/")
    info = subprocess.run(["pdfinfo", "-"], input=document, capture_output=True, check=True)
    assert int(re.search(rb"^Pages:\s+(\d+)", info.stdout, re.M).group(1)) >= 1
    text = text_of(document, tmp_path)
    assert "Outcomes summary" in text
    assert f"{timezone.localdate(answered.scheduled_for):%-d %b %Y}" in text
    assert re.search(r"67\s%", text)  # 6 -> 2 just after the injections
    assert "substantial" in text and "Next step" in text


def test_it_summarises_each_sessions_response_goals_and_next_step(cast, answered):
    """Relief and IMMPACT class per follow-up, relief duration, goals, advice and sources."""
    body = summary_html(cast.patient)
    first, second = answered.checkins.order_by("due_on")[:2]
    assert f"{timezone.localdate(answered.scheduled_for):%-d %b %Y}" in body
    assert "Trapezius" in body and "Lidocaine" in body.title()
    assert f"{first.label}, {first.due_on:%-d %b %Y}: 3/10, 50&nbsp;% substantial" in body
    assert f"{second.label}, {second.due_on:%-d %b %Y}: 2/10, 67&nbsp;% substantial" in body
    assert "moderate" in body  # the latest (4/10, 33 %)
    third = answered.checkins.order_by("due_on")[2]  # the last at or above 50 % relief
    assert f"{(third.due_on - timezone.localdate(answered.scheduled_for)).days} days" in body
    assert "Sleep through the night" in body and "−1 Less than expected" in body
    assert "Next step:" in body and "Payer check (L34211)" in body
    assert "source S34" in body  # the IMMPACT classes name their source


def test_it_draws_the_series_so_they_differ_without_colour(cast, answered):
    """Pain is solid with filled circles, PEG dashed with open squares, sessions dotted."""
    body = summary_html(cast.patient)
    assert 'stroke-dasharray="7 4"' in body  # PEG
    assert 'stroke-dasharray="1.5 3"' in body  # sessions
    assert body.count("<circle cx=") >= 5  # intake + 4 check-ins, plus the legend's
    assert body.count("<rect transform=") >= 5
    assert not any(ref in body for ref in ("href=", "src=", "url(", "@import"))  # nothing to fetch
    assert "#d7263d" not in body  # no screen colours


def test_it_links_the_summary_from_the_outcomes_card(client, cast, signed_in, answered):
    signed_in(cast.clinician)
    url = reverse("outcomes:chart_section", args=[cast.patient.public_id])
    body = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert reverse("outcomes:summary_pdf", args=[cast.patient.public_id]) in body
    assert "Print summary (PDF)" in body


def test_it_appends_the_outcomes_to_the_note_as_an_unsigned_appendix(cast, answered):
    """The session's follow-ups come after signing, so they sit under "Since this note";
    the signed note itself is untouched."""
    signed = answered.note
    section = pdf.note_section(visit=answered, printed_at=timezone.now())
    assert "Appendix: outcomes up to this session" in section
    assert "not part of the signed note" in section
    assert "<svg" in section and "Since this note" in section
    since = section.split('class="since"', 1)[1].split("</td>", 1)[0]
    assert "3/10, 50&nbsp;% substantial" in since
    signed.refresh_from_db()
    assert visit_queries.note_is_intact(signed)


@POPPLER
def test_it_prints_the_outcomes_appendix_with_the_signed_note(
    client, cast, signed_in, answered, tmp_path
):
    signed_in(cast.clinician)
    url = reverse("visits:pdf", args=[cast.patient.public_id, answered.public_id])
    run_renders(PrintedDocument.Kind.NOTE)  # queued at signing, with the follow-ups since
    text = text_of(client.get(url).content, tmp_path)
    assert text.index("procedure note") < text.index("Appendix: outcomes up to this session")
    flat = " ".join(text.split())  # the paragraph wraps where the date's length puts it
    assert "not part of the signed note" in flat and "Since this note" in flat
