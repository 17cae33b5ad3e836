"""Printing patient data: one way to turn a page into a PDF download, audited."""

from django.http import HttpResponse
from weasyprint import HTML

from taut.accounts.access import actor_for
from taut.audit.models import Action
from taut.audit.services import record_event


def pdf_bytes(html: str, *, base_url: str) -> bytes:
    """``html`` as a PDF (WeasyPrint; images and styles resolved against ``base_url``)."""
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_download(request, *, html: str, filename: str, patient, object_type, object_id):
    """``html`` as a PDF download, the print audited against ``patient``."""
    document = pdf_bytes(html, base_url=request.build_absolute_uri("/"))
    record_event(
        actor=actor_for(request),
        action=Action.PRINT,
        patient=patient,
        object_type=object_type,
        object_id=str(object_id),
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
