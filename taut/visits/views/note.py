from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from taut.accounts.roles import Need
from taut.patients.access import patient_view
from taut.patients.printing import pdf_download
from taut.visits import queries
from taut.visits.forms import AddendumForm, SignForm
from taut.visits.services import note as services
from taut.visits.services.common import VisitError
from taut.visits.views.common import get_visit, visit_context


def draft_context(visit, *, sign_form=None):
    """The draft note for an unsigned visit, or None when it isn't ready to draft."""
    missing = services.missing_before_signing(visit)
    if missing:
        return {"missing": missing}
    context = queries.note_context(visit, today=timezone.localdate())
    form = sign_form or SignForm(
        initial={
            "version": visit.version,
            "icd_codes": [s.code for s in context["icd_suggestions"][:1]],
        },
        suggestions=context["icd_suggestions"],
    )
    shown = {k: v for k, v in context.items() if k not in ("visit", "patient")}
    return {**shown, "draft": context, "sign_form": form}


@patient_view(Need.CLINICAL_READ)
def note(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_READ)
    signed = getattr(visit, "note", None)
    extra = {"note_record": signed, "addendum_form": AddendumForm()}
    if signed is None:
        extra.update(draft_context(visit))
    else:
        extra["intact"] = services.note_is_intact(signed)
    return render(request, "visits/note.html", visit_context(request, visit, **extra))


@require_POST
@patient_view(Need.SIGN)
def sign(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.SIGN)
    context = (
        queries.note_context(visit, today=timezone.localdate())
        if not (services.missing_before_signing(visit))
        else {"icd_suggestions": []}
    )
    form = SignForm(request.POST, suggestions=context["icd_suggestions"])
    if form.is_valid():
        try:
            services.sign_note(
                visit=visit,
                version=form.cleaned_data["version"],
                icd_codes=form.cleaned_data["icd_codes"],
                by=request.user,
                request=request,
            )
        except VisitError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "Note signed. It can no longer be changed; add an addendum for any correction.",
            )
    else:
        messages.error(request, "The signing form was not valid: reload and try again.")
    return redirect("visits:note", patient_id=patient.public_id, visit_id=visit.public_id)


@require_POST
@patient_view(Need.SIGN)
def addendum(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.SIGN)
    form = AddendumForm(request.POST)
    signed = getattr(visit, "note", None)
    if signed is None:
        messages.error(request, "Sign the note first; until then, correct the records directly.")
    elif form.is_valid():
        try:
            services.add_addendum(
                note=signed, text=form.cleaned_data["text"], by=request.user, request=request
            )
        except VisitError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Addendum signed and added.")
    else:
        messages.error(request, "Write the addendum (up to 4000 characters).")
    return redirect("visits:note", patient_id=patient.public_id, visit_id=visit.public_id)


@patient_view(Need.CLINICAL_READ)
def pdf(request, patient, visit_id):
    """The signed note with its addenda as a PDF, with the clinic header."""
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_READ)
    signed = getattr(visit, "note", None)
    if signed is None:
        messages.error(request, "Only a signed note can be printed.")
        return redirect("visits:note", patient_id=patient.public_id, visit_id=visit.public_id)
    html = render_to_string(
        "visits/note_pdf.html",
        {
            "note": signed,
            "clinic": patient.clinic,
            "patient": patient,
            "visit": visit,
            "addenda": signed.addenda.select_related("signed_by"),
            "intact": services.note_is_intact(signed),
            "printed_at": timezone.now(),
            # Later apps' appendices (e.g. the outcomes chart), printed after the note and
            # its addenda; not part of the signed, hashed text.
            "appendices": [import_string(path)(visit=visit) for path in settings.NOTE_PDF_SECTIONS],
        },
    )
    return pdf_download(
        request,
        html=html,
        filename=f"tpi-note-{visit.scheduled_for:%Y-%m-%d}-{patient.mrn}.pdf",
        patient=patient,
        object_type="note",
        object_id=visit.public_id,
    )
