from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taut.accounts.access import require_need
from taut.accounts.roles import Need
from taut.clinical import atlas, fibromyalgia
from taut.drawings.queries import drawings_for_patient
from taut.lib.refusals import Refused, show_on_form
from taut.patients.access import patient_view
from taut.visits import intake_prefill
from taut.visits.clearance import clearance_for, red_flag_choices
from taut.visits.forms import DecisionForm, FibromyalgiaForm, VersionedForm
from taut.visits.intake_form import IntakeForm
from taut.visits.services import intake as services
from taut.visits.views.common import get_visit, refused, visit_context

DRAFT_KEY = "intake-draft:{}"


def keep_draft(request, visit, drawings) -> None:
    """Keep what was typed in the intake form, unsaved, in the user's (server-side)
    session while they draw: only they see it, and saving the intake drops it. Answers
    still as pre-filled are left out, to be pre-filled again (from the new drawing)."""
    typed = IntakeForm.values_of(request.POST)
    if getattr(visit, "intake", None) is None:
        shown = next((d for d in drawings if str(d.public_id) == typed.get("drawing")), None)
        prefilled = intake_prefill.new_intake_prefill(visit, shown).initial
        typed = {k: v for k, v in typed.items() if k not in prefilled or not _same(v, prefilled[k])}
    request.session[DRAFT_KEY.format(visit.public_id)] = typed


def drop_draft(request, visit) -> None:
    request.session.pop(DRAFT_KEY.format(visit.public_id), None)


def _same(value, prefilled) -> bool:
    if isinstance(value, list):
        return sorted(map(str, value)) == sorted(map(str, prefilled or []))
    return str(value).lower() == str(prefilled).lower()


def start_form(request, visit, drawings, *, typed=None) -> IntakeForm:
    """The intake form before it is sent: the saved intake, or a new one pre-filled (see
    ``intake_prefill``), with what was typed (``typed``, or the draft kept while drawing)
    over it. Each pre-filled answer still as pre-filled shows where it came from."""
    chosen = visit.drawing or (drawings[0] if drawings else None)
    intake = getattr(visit, "intake", None)
    if intake is not None:
        initial, sources = intake_prefill.saved_answers(intake, visit), {}
    else:
        prefill = intake_prefill.new_intake_prefill(visit, chosen)
        initial, sources = prefill.initial, prefill.sources
    initial["version"] = visit.version
    if chosen is not None:
        initial["drawing"] = str(chosen.public_id)
    if typed is None:
        typed = request.session.get(DRAFT_KEY.format(visit.public_id))
        if typed:
            typed = {k: v for k, v in typed.items() if k != "drawing"}  # the new drawing
            messages.info(request, "What you typed before drawing is back (not saved yet).")
    for name, value in (typed or {}).items():
        if value in (None, "", []):
            continue
        if name in sources and not _same(value, initial.get(name)):
            del sources[name]
        initial[name] = value
    return IntakeForm(initial=initial, drawings=drawings, sources=sources)


def latest_drawings(visit) -> list:
    """The patient's latest ten drawings (marks prefetched) for the form to offer; the
    visit's own drawing, if among them, is read from this list with its marks."""
    drawings = list(drawings_for_patient(visit.patient)[:10])
    own = next((d for d in drawings if d.pk == visit.drawing_id), None)
    if own is not None:
        visit.drawing = own
    return drawings


def wpi_from_drawing(visit):
    if visit.drawing is None:
        return set()
    marks = [(m.region, m.side or None, m.intensity) for m in visit.drawing.marks.all()]
    return atlas.wpi_areas(marks)


def _page(request, visit, *, form=None, decision_form=None, fm_form=None, status=200):
    """The intake page: the intake form, the screening verdict, the clinician's decision
    and the fibromyalgia survey (each form as submitted when it was refused)."""
    if form is None:
        form = start_form(request, visit, latest_drawings(visit))
    wpi = wpi_from_drawing(visit)
    context = visit_context(
        request,
        visit,
        form=form,
        intake_record=getattr(visit, "intake", None),
        decision_form=decision_form
        or DecisionForm(initial={"version": visit.version}, red_flags=red_flag_choices(visit)),
        clearance=clearance_for(visit),
        fm_offer=fibromyalgia.survey_indicated(wpi),
        fm_form=fm_form
        or FibromyalgiaForm(initial={"version": visit.version, "painful_areas": sorted(wpi)}),
        fm_survey=getattr(visit, "fm_survey", None),
    )
    return render(request, "visits/intake.html", context, status=status)


def _back(patient, visit):
    return redirect("visits:intake", patient_id=patient.public_id, visit_id=visit.public_id)


@patient_view(Need.CLINICAL_READ)
def intake(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_READ)
    if request.method != "POST":
        return _page(request, visit)
    require_need(request, Need.NURSING_WRITE, object_type="visit", object_id=str(visit_id),
                 patient=patient)  # fmt: skip
    drawings = latest_drawings(visit)
    if "draw" in request.POST:
        keep_draft(request, visit, drawings)
        intake_url = reverse("visits:intake", args=[patient.public_id, visit.public_id])
        draw_url = reverse("drawings:new", args=[patient.public_id])
        return redirect(f"{draw_url}?{urlencode({'next': intake_url})}")
    if "none_present" in request.POST:  # without JavaScript: answer the group, save nothing
        typed = IntakeForm.none_present(
            IntakeForm.values_of(request.POST), request.POST["none_present"]
        )
        return _page(request, visit, form=start_form(request, visit, drawings, typed=typed))
    form = IntakeForm(request.POST, drawings=drawings)
    status = 400
    if form.is_valid():
        try:
            services.save_intake(
                visit=visit,
                version=form.cleaned_data["version"],
                data=form.intake_data(),
                goals=form.goals(),
                drawing=form.chosen_drawing(),
                actor=request.actor,
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            drop_draft(request, visit)
            messages.success(request, "Intake saved and screened.")
            return _back(patient, visit)
    return _page(request, visit, form=form, status=status)


@require_POST
@patient_view(Need.NURSING_WRITE)
def review(request, patient, visit_id):
    """Mark the intake the patient reported as reviewed by staff."""
    visit = get_visit(request, patient, visit_id, need=Need.NURSING_WRITE)
    form = VersionedForm(request.POST)
    # A version that is not one (past the column, not a number) is refused as bad input.
    version = form.cleaned_data["version"] if form.is_valid() else form.data.get("version")
    try:
        services.mark_intake_reviewed(visit=visit, version=version, actor=request.actor)
    except Refused as error:
        return _page(request, visit, status=refused(request, error))
    messages.success(request, "The patient's intake is marked reviewed.")
    return _back(patient, visit)


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def decision(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_WRITE)
    form = DecisionForm(request.POST, red_flags=red_flag_choices(visit))
    status = 400
    if form.is_valid():
        try:
            services.record_decision(
                visit=visit,
                version=form.cleaned_data["version"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                named=form.cleaned_data["named"],
                actor=request.actor,
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return _back(patient, visit)
    return _page(request, visit, decision_form=form, status=status)


@require_POST
@patient_view(Need.NURSING_WRITE)
def fm_survey(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.NURSING_WRITE)
    form = FibromyalgiaForm(request.POST)
    status = 400
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            _, result = services.save_fm_survey(
                visit=visit, version=form.cleaned_data["version"], data=data, actor=request.actor
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            verdict = "meets" if result.meets else "does not meet"
            messages.success(
                request, f"ACR 2016: WPI {result.wpi}, SSS {result.sss} — {verdict} the criteria."
            )
            return _back(patient, visit)
    return _page(request, visit, fm_form=form, status=status)
