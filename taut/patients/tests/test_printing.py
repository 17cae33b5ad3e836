"""Printing patient data makes a PDF download and audits the print against the patient."""

from django.test import RequestFactory

from taut.audit.models import Action, AuditEvent
from taut.patients.printing import pdf_bytes, pdf_download


def test_it_sends_a_pdf_and_audits_the_print(cast):
    request = RequestFactory().get("/")
    request.user = cast.nurse
    response = pdf_download(
        request,
        document=pdf_bytes("<h1>Aftercare</h1>", base_url="/"),
        filename="aftercare.pdf",
        patient=cast.patient,
        object_type="aftercare_instructions",
        object_id="abc",
    )
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="aftercare.pdf"'
    event = AuditEvent.objects.get(action=Action.PRINT)
    assert (event.patient_id, event.object_type, event.actor_id) == (
        cast.patient.public_id,
        "aftercare_instructions",
        cast.nurse.pk,
    )
