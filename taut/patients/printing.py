"""Printing patient data: one way to turn a page into a PDF, one way to hand it out
(audited), and the page shown while a PDF is being prepared by the worker."""

from django.http import HttpResponse
from django.shortcuts import render

from taut.accounts.access import actor_for
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.patients.access import audited

# Seconds the "Preparing the PDF…" page waits before it asks again.
PREPARING_REFRESH_SECONDS = 2


def pdf_bytes(html: str, *, base_url: str) -> bytes:
    """``html`` as a PDF (WeasyPrint; images and styles resolved against ``base_url``).
    Only the worker calls it (``taut.workflows.rendering``): never in a request, so
    WeasyPrint (about half a second to import, with its fonts) is imported here, not by
    every web process."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_download(
    request, *, document: bytes, filename: str, patient, object_type, object_id
) -> HttpResponse:
    """The PDF ``document`` as a download, the print audited against ``patient``: the
    request's one audit event (the gate adds no ``view`` of the same record)."""
    record_event(
        actor=actor_for(request),
        action=Action.PRINT,
        patient=patient,
        object_type=object_type,
        object_id=str(object_id),
    )
    audited(request)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stored_pdf_download(
    request,
    *,
    document: bytes | None,
    title: str,
    back: str,
    filename: str,
    patient,
    object_type,
    object_id,
) -> HttpResponse:
    """The stored PDF ``document`` as an audited download (``pdf_download``); while it is
    not ready (None), the "Preparing the PDF…" page, which asks again by itself every few
    seconds with htmx and starts the download once it is ready (``taut.js``), with a link
    to try again and one back to ``back``."""
    page = "patients/preparing_pdf.html"
    context = {
        "patient": patient,
        "title": title,
        "again": request.get_full_path(),
        "back": back,
        "refresh": PREPARING_REFRESH_SECONDS,
    }
    if document is None:
        return render(request, f"{page}#status" if request.htmx else page, context)
    if request.htmx:  # the preparing page's poll: it is ready, the browser downloads it
        return render(request, f"{page}#ready", context)
    return pdf_download(
        request,
        document=document,
        filename=filename,
        patient=patient,
        object_type=object_type,
        object_id=object_id,
    )
