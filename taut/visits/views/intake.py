from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taut.accounts.access import require_need
from taut.accounts.roles import Need
from taut.clinical import atlas, fibromyalgia
from taut.drawings.queries import drawings_for_patient
from taut.lib.refusals import Refused, show_on_form
from taut.patients.access import patient_view
from taut.patients.allergy_queries import chart_allergens
from taut.patients.queries import chart_for_patient
from taut.visits.clearance import clearance_for, red_flag_choices
from taut.visits.forms import DecisionForm, FibromyalgiaForm, IntakeForm, VersionedForm
from taut.visits.services import intake as services
from taut.visits.views.common import get_visit, refused, visit_context


def initial_intake(visit) -> dict:
    """Answers pre-filled from the chart (medicines, allergies) or from the last intake."""
    intake = getattr(visit, "intake", None)
    if intake is not None:
        initial = {name: getattr(intake, name) for name in services.INTAKE_FIELDS}
        initial.update({f"rf:{k}": v for k, v in intake.red_flags.items()})
        for number, goal in enumerate(visit.goals.all(), start=1):
            initial[f"goal_{number}"], initial[f"goal_{number}_level"] = goal.text, goal.baseline
        return initial
    chart = chart_for_patient(visit.patient)
    return {
        "anticoagulant_or_antiplatelet": bool(chart["antithrombotics"]),
        "anaesthetic_allergies": sorted(chart_allergens(visit.patient)),
    }


def wpi_from_drawing(visit):
    if visit.drawing is None:
        return set()
    marks = [(m.region, m.side or None, m.intensity) for m in visit.drawing.marks.all()]
    return atlas.wpi_areas(marks)


def _page(request, visit, *, form=None, decision_form=None, fm_form=None, status=200):
    """The intake page: the intake form, the screening verdict, the clinician's decision
    and the fibromyalgia survey (each form as submitted when it was refused)."""
    if form is None:
        initial = {**initial_intake(visit), "version": visit.version}
        drawings = list(drawings_for_patient(visit.patient)[:10])
        if visit.drawing_id:
            initial["drawing"] = str(visit.drawing.public_id)
        elif drawings:
            initial["drawing"] = str(drawings[0].public_id)
        form = IntakeForm(initial=initial, drawings=drawings)
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
    drawings = list(drawings_for_patient(patient)[:10])
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
            messages.success(request, "Intake saved and screened.")
            return _back(patient, visit)
    return _page(request, visit, form=form, status=status)


@require_POST
@patient_view(Need.NURSING_WRITE)
def review(request, patient, visit_id):
    """Mark the intake the patient reported as reviewed by staff."""
    visit = get_visit(request, patient, visit_id, need=Need.NURSING_WRITE)
    form = VersionedForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
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
