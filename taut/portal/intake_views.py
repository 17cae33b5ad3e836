"""The pre-visit intake and pain drawing a patient completes from the booking link.

Two steps on one URL: the questions, then the body map. Nothing is saved until the
drawing step is sent: the answers travel with the drawing page as hidden fields and are
checked again, so the link stays open between the steps and closes ("already sent") only
once the intake exists.
"""

from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy

from taut.atlas.display import painter_context
from taut.audit.models import Action
from taut.lib.languages import DEFAULT, offered
from taut.links import LinkRefused, Purpose
from taut.portal.access import audit, portal_view, refused, resolve
from taut.portal.intake_forms import PatientDrawingForm, PatientIntakeForm, drawing_fields
from taut.portal.queries import intake_message
from taut.visits.services.common import VisitError
from taut.workflows.intake import record_patient_intake

AGAIN = gettext_lazy("We could not save your answers just now. Please press Send again.")


def public_page_url(clinic) -> str:
    """The clinic's public page about trigger point injections in the page's language, or
    "" while the clinic has it switched off."""
    return clinic.public_page_path(offered(translation.get_language()) or DEFAULT)


def _render(request, access, template, status=200, **context):
    clinic = access.patient.clinic
    context.update(clinic=clinic, visit=access.record, token=access.token)
    context.setdefault("public_page", public_page_url(clinic))
    return render(request, f"portal/{template}", context, status=status)


def _drawing_page(request, access, answers, drawing, status=200):
    context = painter_context(drawing, whose="Your")
    context.update(answers=answers, drawing=context.pop("form"))
    return _render(request, access, "intake_drawing.html", status, **context)


@portal_view(Purpose.INTAKE)
def intake(request, access):
    if request.method != "POST":
        return _render(request, access, "intake.html", answers=PatientIntakeForm())
    answers = PatientIntakeForm(request.POST)
    if "back" in request.POST or not answers.is_valid():
        carried = drawing_fields(request.POST)
        status = 200 if "back" in request.POST else 400
        return _render(request, access, "intake.html", status, answers=answers, carried=carried)
    if request.POST.get("step") != "drawing":
        audit(request, access, action=Action.VIEW, details={"step": "drawing"})
        drawn = PatientDrawingForm(request.POST) if drawing_fields(request.POST) else None
        return _drawing_page(request, access, answers, drawn or PatientDrawingForm())
    drawing = PatientDrawingForm(request.POST)
    if not drawing.is_valid():
        return _drawing_page(request, access, answers, drawing, status=400)
    try:
        saved, _ = record_patient_intake(
            visit=access.record,
            data=answers.intake_data(),
            goals=answers.goals(),
            marks=drawing.cleaned_data["marks"],
            no_pain=drawing.cleaned_data["no_pain"],
            actor=request.actor,
        )
    except VisitError:
        try:
            # Sent meanwhile, or closed?
            access = resolve(access.token, Purpose.INTAKE, now=request.actor.now)
        except LinkRefused as error:
            return refused(request, error)
        drawing.add_error(None, AGAIN)
        return _drawing_page(request, access, answers, drawing, status=409)
    return _render(request, access, "intake_thanks.html", message=intake_message(saved))
