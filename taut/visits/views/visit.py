from datetime import datetime, time

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taut.accounts.access import staff_view
from taut.accounts.roles import Need, has_need
from taut.lib.refusals import Refused, show_on_form
from taut.patients.access import patient_view
from taut.patients.sections import render_section
from taut.visits import queries
from taut.visits.forms import EndForm, ScheduleForm
from taut.visits.services import visit as services
from taut.visits.views.common import get_visit, visit_context
from taut.workflows import booking


@staff_view(Need.DEMOGRAPHICS_READ)
def day_list(request):
    """Today's visits for the clinic (or one clinician) with where each stands; today is the
    clinic's day."""
    actor = request.actor
    today = actor.today
    mine = request.GET.get("mine") == "1"
    clinician = request.user if mine else None
    clinic = request.user.clinic
    start = datetime.combine(today, time.min, tzinfo=actor.zone)
    context = {
        "visits": queries.visits_for_day(clinic, today, clinician=clinician),
        "to_review": queries.reports_to_review(clinic, after=start, clinician=clinician),
        "today": today,
        "mine": mine,
        "clinical": has_need(request.user, Need.CLINICAL_READ),
    }
    return render(request, "visits/day_list.html", context)


@patient_view(Need.CLINICAL_READ)
def chart_section(request, patient):
    context = {
        "patient": patient,
        "visits": queries.visits_for_patient(patient),
        "can_schedule": has_need(request.user, Need.DEMOGRAPHICS_WRITE),
    }
    return render_section(
        request, title="Visits", template="visits/_chart_section.html", context=context
    )


@patient_view(Need.DEMOGRAPHICS_WRITE)
def schedule(request, patient):
    form = ScheduleForm(
        request.POST or None,
        clinic=patient.clinic,
        initial={"clinician": request.user if request.user.role == "clinician" else None},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                visit = booking.book_visit(
                    patient=patient, actor=request.actor, **form.cleaned_data
                )
            except Refused as error:
                status = show_on_form(form, error)
            else:
                messages.success(request, "Visit scheduled.")
                return redirect(
                    "visits:detail", patient_id=patient.public_id, visit_id=visit.public_id
                )
    context = {"patient": patient, "form": form}
    return render(request, "visits/schedule.html", context, status=status)


@patient_view(Need.CLINICAL_READ)
def detail(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_READ)
    form = EndForm(initial={"version": visit.version})
    return render(request, "visits/detail.html", visit_context(request, visit, end_form=form))


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def end(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_WRITE)
    form = EndForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.end_visit(
                visit=visit,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                actor=request.actor,
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, "Visit ended without a procedure.")
            return redirect("visits:detail", patient_id=patient.public_id, visit_id=visit.public_id)
    context = visit_context(request, visit, end_form=form)
    return render(request, "visits/detail.html", context, status=status)
