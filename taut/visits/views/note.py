"""The procedure note: the draft, signing, addenda and the printed PDF."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taut.accounts.reauth import require_recent_auth
from taut.accounts.roles import Need
from taut.lib.refusals import Refused, show_on_form
from taut.patients.access import get_record_for_user, patient_view, seen
from taut.patients.printing import stored_pdf_download
from taut.visits import queries
from taut.visits.forms import AddendumForm, SignForm
from taut.visits.models import Visit
from taut.visits.views.common import confirmed, get_visit, resubmitted, visit_context
from taut.workflows import notes, printing, rendering


def draft_context(visit, *, sign_form=None):
    """The draft note for an unsigned visit, or what is missing before it can be drafted.
    Its payer checks count from the day of the session, as the signed note's do."""
    missing = queries.missing_before_signing(visit)
    if missing:
        return {"missing": missing}
    context = notes.note_context(visit, today=queries.session_date(visit))
    form = sign_form or SignForm(
        initial={
            "version": visit.version,
            "icd_codes": [s.code for s in context["icd_suggestions"][:1]],
        },
        suggestions=context["icd_suggestions"],
    )
    shown = {k: v for k, v in context.items() if k not in ("visit", "patient")}
    return {**shown, "draft": context, "sign_form": form}


def _page(request, visit, *, sign_form=None, addendum_form=None, status=200, **more):
    signed = queries.signed_note(visit)
    extra = {"note_record": signed, "addendum_form": addendum_form or AddendumForm(), **more}
    if signed is None:
        extra.update(draft_context(visit, sign_form=sign_form))
    else:
        seen(request, visit, as_type="note")
        extra["intact"] = queries.note_is_intact(signed)
    context = visit_context(request, visit, **extra)
    return render(request, "visits/note.html", context, status=status)


def _back(patient, visit):
    return redirect("visits:note", patient_id=patient.public_id, visit_id=visit.public_id)


@patient_view(Need.CLINICAL_READ)
def note(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_READ)
    return _page(request, visit)


@require_POST
@patient_view(Need.SIGN)
@require_recent_auth
def sign(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.SIGN)
    ready = not queries.missing_before_signing(visit)
    suggestions = queries.icd_suggestions(visit) if ready else []
    form = SignForm(request.POST, suggestions=suggestions)
    status = 400
    if form.is_valid() and not confirmed(request):
        # First post: the summary to confirm (sites, dose, codes, warnings); nothing signed.
        chosen = set(form.cleaned_data["icd_codes"])
        summary = {
            "icd": [s for s in suggestions if s.code in chosen],
            "fields": resubmitted(request),
        }
        return _page(request, visit, sign_form=form, sign_summary=summary)
    if form.is_valid():
        try:
            notes.sign_note(
                visit=visit,
                version=form.cleaned_data["version"],
                icd_codes=form.cleaned_data["icd_codes"],
                actor=request.actor,
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(
                request,
                "Note signed. It can no longer be changed; add an addendum for any correction.",
            )
            return _back(patient, visit)
    if not ready:  # nothing to sign: the page shows what is missing, and why it was refused
        messages.error(
            request, " ".join(map(str, form.non_field_errors())) or "Nothing to sign yet."
        )
    return _page(request, visit, sign_form=form if ready else None, status=status)


@require_POST
@patient_view(Need.SIGN)
def addendum(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.SIGN)
    form = AddendumForm(request.POST)
    signed = getattr(visit, "note", None)
    status = 400
    if signed is None:
        form.add_error(None, "Sign the note first; until then, correct the records directly.")
    elif form.is_valid():
        try:
            notes.add_addendum(note=signed, text=form.cleaned_data["text"], actor=request.actor)
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, "Addendum signed and added.")
            return _back(patient, visit)
    return _page(request, visit, addendum_form=form, status=status)


@patient_view(Need.CLINICAL_READ)
def pdf(request, patient, visit_id):
    """The signed note with its addenda as a PDF, with the clinic header, as the worker
    rendered it from the note as it stands (or the page saying it is being prepared)."""
    with_note = Visit.objects.select_related("note")
    visit = get_record_for_user(request, Visit, visit_id, patient=patient,
                                need=Need.CLINICAL_READ, queryset=with_note)  # fmt: skip
    signed = getattr(visit, "note", None)
    if signed is None:
        messages.error(request, "Only a signed note can be printed.")
        return _back(patient, visit)
    seen(request, visit, as_type="note")
    printable = rendering.note_printable(visit, patient)
    document = printing.stored_or_queued(printable, now=request.actor.now)
    return stored_pdf_download(
        request,
        document=document,
        title="The signed note",
        back=reverse("visits:note", args=[patient.public_id, visit.public_id]),
        filename=f"tpi-note-{visit.scheduled_for:%Y-%m-%d}-{patient.mrn}.pdf",
        patient=patient,
        object_type="note",
        object_id=visit.public_id,
    )
