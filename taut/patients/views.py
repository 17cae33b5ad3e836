from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taut.accounts.access import staff_view
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.refusals import Refused, show_on_form
from taut.patients import queries, services
from taut.patients.access import get_record_for_user, patient_view, patients_for_user
from taut.patients.allergy_queries import unmapped_allergies
from taut.patients.forms import (
    AllergyForm,
    AllergyMapForm,
    ConditionForm,
    MeasurementForm,
    MedicationForm,
    PatientForm,
    SearchForm,
)
from taut.patients.models import Allergy, Condition, Medication
from taut.workflows.pages import BOOKING_SECTION, CHART_SECTIONS

PAGE_SIZE = 25

# Chart entries a nurse or clinician records: URL word -> (form, model, title).
CHART_ENTRIES = {
    "measurements": (MeasurementForm, None, "Weight and height"),
    "allergies": (AllergyForm, Allergy, "Allergy"),
    "medications": (MedicationForm, Medication, "Medication"),
    "conditions": (ConditionForm, Condition, "Condition"),
}


@staff_view(Need.DEMOGRAPHICS_READ)
def patient_list(request):
    """All the clinic's patients, and the search form (which POSTs: no names in URLs)."""
    patients = patients_for_user(request.user)
    form = SearchForm(request.POST or None)
    searched = request.method == "POST" and form.is_valid()
    if searched:
        patients = queries.search(patients, form.cleaned_data["q"])
    number = (form.cleaned_data.get("page") if searched else request.GET.get("page")) or 1
    page = Paginator(patients, PAGE_SIZE).get_page(number)
    record_event(
        actor=request.actor,
        action=Action.SEARCH,
        object_type="patient",
        details={"searched": searched, "page": page.number, "results": page.paginator.count},
    )
    context = {"form": form, "page": page, "searched": searched}
    if request.htmx:
        return render(request, "patients/list.html#results", context)
    return render(request, "patients/list.html", context)


@staff_view(Need.DEMOGRAPHICS_WRITE)
def patient_new(request):
    form = PatientForm(request.POST or None, clinic=request.user.clinic)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            patient = services.register_patient(
                clinic=request.user.clinic, actor=request.actor, **data
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, f"Registered {patient.display_name}.")
            return redirect("patients:chart", patient_id=patient.public_id)
    return render(request, "patients/form.html", {"form": form}, status=status)


@patient_view(Need.DEMOGRAPHICS_READ)
def patient_chart(request, patient):
    clinical = has_need(request.user, Need.CLINICAL_READ)
    context = {
        "patient": patient,
        "clinical": clinical,
        "can_edit_demographics": has_need(request.user, Need.DEMOGRAPHICS_WRITE),
        "can_record": has_need(request.user, Need.NURSING_WRITE),
    }
    if not clinical:
        # Front desk books from the chart: the Visits card shows when and with whom only.
        url = reverse(BOOKING_SECTION[1], kwargs={"patient_id": patient.public_id})
        context["booking_sections"] = [{"title": BOOKING_SECTION[0], "url": url}]
    if clinical:
        # Allergies and medicines read once: the chart and the unmapped allergies both
        # show them, and a GET changes neither.
        context.update(queries.chart_for_patient(queries.load_records(patient)))
        context["unmapped_allergies"] = unmapped_allergies(patient)
        context["can_map"] = has_need(request.user, Need.CLINICAL_WRITE)
        context["map_form"] = AllergyMapForm()
        context["sections"] = [
            {"title": title, "url": reverse(name, kwargs={"patient_id": patient.public_id})}
            for title, name in CHART_SECTIONS
        ]
    return render(request, "patients/chart.html", context)


@patient_view(Need.DEMOGRAPHICS_WRITE)
def patient_edit(request, patient):
    form = PatientForm(request.POST or None, instance=patient, clinic=patient.clinic)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_patient(
                patient=patient,
                version=form.cleaned_data["version"],
                actor=request.actor,
                **data,
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("patients:chart", patient_id=patient.public_id)
    context = {"form": form, "patient": patient}
    return render(request, "patients/form.html", context, status=status)


@patient_view(Need.NURSING_WRITE)
def chart_entry_add(request, patient, kind):
    if kind not in CHART_ENTRIES:
        raise Http404
    form_class, _, title = CHART_ENTRIES[kind]
    form = form_class(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.add_chart_entry(
                patient=patient, entry=form.save(commit=False), actor=request.actor
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, f"{title} recorded.")
            return redirect("patients:chart", patient_id=patient.public_id)
    context = {"form": form, "patient": patient, "title": title, "kind": kind}
    return render(request, "patients/entry_form.html", context, status=status)


@require_POST
@patient_view(Need.NURSING_WRITE)
def chart_entry_retire(request, patient, kind, entry_id):
    model = CHART_ENTRIES.get(kind, (None, None, None))[1]
    if model is None:
        raise Http404
    entry = get_record_for_user(request, model, entry_id, patient=patient, need=Need.NURSING_WRITE)
    services.retire_chart_entry(entry=entry, actor=request.actor)
    messages.success(request, f"{entry} marked as no longer current.")
    return redirect("patients:chart", patient_id=patient.public_id)
