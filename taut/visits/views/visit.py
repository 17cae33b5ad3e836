from datetime import datetime, time

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from taut.accounts.access import staff_view
from taut.accounts.roles import Need, has_need
from taut.patients.access import patient_view
from taut.patients.sections import render_section
from taut.visits import queries
from taut.visits.forms import EndForm, ScheduleForm
from taut.visits.services import visit as services
from taut.visits.services.common import VisitError
from taut.visits.views.common import get_visit, visit_context


@staff_view(Need.DEMOGRAPHICS_READ)
def day_list(request):
    """Today's visits for the clinic (or one clinician) with where each stands."""
    today = timezone.localdate()
    mine = request.GET.get("mine") == "1"
    clinician = request.user if mine else None
    visits = queries.visits_for_day(request.user.clinic, today, clinician=clinician)
    start = timezone.make_aware(datetime.combine(today, time.min))
    context = {
        "visits": visits,
        "to_review": queries.reports_to_review(
            request.user.clinic, after=start, clinician=clinician
        ),
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
    if request.method == "POST" and form.is_valid():
        visit = services.schedule_visit(
            patient=patient, by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, "Visit scheduled.")
        return redirect("visits:detail", patient_id=patient.public_id, visit_id=visit.public_id)
    return render(request, "visits/schedule.html", {"patient": patient, "form": form})


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
    if form.is_valid():
        try:
            services.end_visit(
                visit=visit,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except VisitError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Visit ended without a procedure.")
            return redirect("visits:detail", patient_id=patient.public_id, visit_id=visit.public_id)
    context = visit_context(request, visit, end_form=form)
    return render(request, "visits/detail.html", context, status=400)
