"""The schedule: day and week calendars, booking from a slot, and each visit's booking page
(move, cancel, no-show, arrival).

Every role that books (front desk, nurses, clinicians, the lead) may read these pages, so
after each write the redirect lands on a page the writer may see: the visit's booking page,
or the day list it came from.
"""

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taut.accounts.access import staff_view
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.paging import page_asked
from taut.lib.refusals import Refused, show_on_form, status_for
from taut.patients import queries as patient_queries
from taut.patients.access import get_record_for_user, patient_view, patients_for_user
from taut.visits import calendar
from taut.visits.booking_forms import (
    ArrivalForm,
    CancelForm,
    FindPatientForm,
    MoveForm,
    NoShowForm,
    clinicians_of,
)
from taut.visits.models import Visit
from taut.visits.services import booking as services
from taut.visits.services.common import VisitInvalid
from taut.workflows import booking

BOOKABLE = (Visit.State.SCHEDULED, Visit.State.INTAKE_DONE)


@staff_view(Need.DEMOGRAPHICS_READ)
def schedule(request):
    """A day (the clinicians side by side, ``calendar.COLUMNS_SHOWN`` a page) or a week (one
    clinician) of the clinic's grid, each column headed by how many visits it holds."""
    clinic = request.user.clinic
    actor = request.actor
    day = calendar.parse_day(request.GET.get("date"), default=actor.today)
    week = request.GET.get("view") == "week"
    clinicians = list(clinicians_of(clinic))
    chosen = next((c for c in clinicians if str(c.public_id) == request.GET.get("clinician")), None)
    if week and chosen is None and clinicians:
        chosen = clinicians[0]
    page, page_notice = page_asked(
        Paginator([chosen] if chosen else clinicians, calendar.COLUMNS_SHOWN),
        request.GET.get("page"),
    )
    shown = list(page.object_list)
    if week:
        assert chosen is not None or not clinicians
        start = day - timedelta(days=day.weekday())
        end, step = start + timedelta(days=7), timedelta(days=7)
    else:
        start, end, step = day, day + timedelta(days=1), timedelta(days=1)
    counts = calendar.booked_counts(clinic, start, end, clinicians=shown) if shown else {}
    booked = calendar.booked_between(clinic, start, end, clinicians=shown)
    visits = list(booked[: calendar.VISITS_SHOWN]) if shown else []
    columns: list[tuple[Any, int]]
    if week and chosen is not None:
        rows = calendar.week_rows(clinic, start, clinician=chosen, visits=visits, now=actor.now)
        days = [start + timedelta(days=i) for i in range(7)]
        columns = [(d, sum(n for (_, on), n in counts.items() if on == d)) for d in days]
    else:
        rows = calendar.day_rows(clinic, day, clinicians=shown, visits=visits, now=actor.now)
        columns = [(c, sum(n for (by, _), n in counts.items() if by == c.pk)) for c in shown]
    context = {
        "day": day,
        "week": week,
        "start": start,
        "end": end - timedelta(days=1),
        "previous": day - step,
        "next": day + step,
        "today": actor.today,
        "clinicians": clinicians,
        "chosen": chosen,
        "columns": columns,  # (a clinician or a day, its visits)
        "rows": rows,
        "visits": visits,
        "left_out": sum(counts.values()) - len(visits),
        "page": page,
        "page_notice": page_notice,
        "can_book": has_need(request.user, Need.DEMOGRAPHICS_WRITE),
        "find_url": reverse("visits:find_patient"),  # each free slot's link: reversed once
        "clinic": clinic,
    }
    return render(request, "visits/schedule_calendar.html", context)


@staff_view(Need.DEMOGRAPHICS_WRITE)
def find_patient(request):
    """Booking from a slot: find the patient, then book on their schedule form with the slot
    filled in. The search POSTs, as the patient list's does (no names in URLs)."""
    slot = {k: request.GET.get(k, "") for k in ("at", "clinician")}
    form = FindPatientForm(request.POST or None)
    patients = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status = 200
            patients = patient_queries.search(
                patients_for_user(request.user), form.cleaned_data["q"]
            )[:20]
            record_event(
                actor=request.actor,
                action=Action.SEARCH,
                object_type="patient",
                details={"searched": True, "for": "booking", "results": len(patients)},
            )
    context = {"form": form, "patients": patients, "slot": slot, "query": urlencode(slot)}
    return render(request, "visits/find_patient.html", context, status=status)


def _visit(request, patient, visit_id, need=Need.DEMOGRAPHICS_READ) -> Visit:
    visit = get_record_for_user(request, Visit, visit_id, patient=patient, need=need)
    assert isinstance(visit, Visit)  # the gate returns the model asked for
    return visit


def booking_context(request, patient, visit: Visit, **forms: Any) -> dict[str, Any]:
    clinic = patient.clinic
    local = visit.scheduled_for.astimezone(clinic.zone())
    initial = {"version": visit.version}
    open_ = visit.state in BOOKABLE and visit.arrival != Visit.Arrival.IN_ROOM
    return {
        "patient": patient,
        "visit": visit,
        "local": local,
        "can_book": has_need(request.user, Need.DEMOGRAPHICS_WRITE),
        "clinical": has_need(request.user, Need.CLINICAL_READ),
        "open": open_,
        "on_the_day": local.date() == request.actor.today,
        "time_has_come": visit.scheduled_for <= request.actor.now,
        "arrivals": Visit.Arrival.choices,
        "move_form": forms.get("move_form")
        or MoveForm(
            clinic=clinic,
            initial={
                **initial,
                "scheduled_for": local.replace(tzinfo=None),
                "clinician": visit.clinician_id,
                "duration_minutes": visit.duration_minutes,
            },
        ),
        "cancel_form": forms.get("cancel_form") or CancelForm(initial=initial),
        "error": forms.get("error", ""),
    }


@patient_view(Need.DEMOGRAPHICS_READ)
def visit_booking(request, patient, visit_id):
    visit = _visit(request, patient, visit_id)
    return render(request, "visits/booking.html", booking_context(request, patient, visit))


def _done(request, patient, visit, message: str, *, back: str = ""):
    messages.success(request, message)
    if back == "day":
        day = visit.scheduled_for.astimezone(patient.clinic.zone()).date()
        return redirect(f"{reverse('visits:day_list')}?date={day.isoformat()}")
    return redirect("visits:booking", patient_id=patient.public_id, visit_id=visit.public_id)


def _refused(request, patient, visit, error: Refused, **forms: Any):
    """The booking page again, the refusal on its form or at the top, answered 400/403/409."""
    if "form" in forms:
        status = show_on_form(forms.pop("form"), error)
    else:
        messages.error(request, str(error))
        status = status_for(error)
    context = booking_context(request, patient, visit, **forms)
    return render(request, "visits/booking.html", context, status=status)


@require_POST
@patient_view(Need.DEMOGRAPHICS_WRITE)
def move(request, patient, visit_id):
    visit = _visit(request, patient, visit_id, Need.DEMOGRAPHICS_WRITE)
    form = MoveForm(request.POST, clinic=patient.clinic)
    if form.is_valid():
        data = form.cleaned_data
        try:
            visit = booking.move_visit(visit=visit, actor=request.actor, **data)
        except Refused as error:
            return _refused(request, patient, visit, error, form=form, move_form=form)
        when = visit.scheduled_for.astimezone(patient.clinic.zone())
        return _done(request, patient, visit, f"Visit moved to {when:%A %-d %B at %H:%M}.")
    context = booking_context(request, patient, visit, move_form=form)
    return render(request, "visits/booking.html", context, status=400)


@require_POST
@patient_view(Need.DEMOGRAPHICS_WRITE)
def cancel(request, patient, visit_id):
    visit = _visit(request, patient, visit_id, Need.DEMOGRAPHICS_WRITE)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            visit = booking.cancel_visit(visit=visit, actor=request.actor, **form.cleaned_data)
        except Refused as error:
            return _refused(request, patient, visit, error, form=form, cancel_form=form)
        return _done(request, patient, visit, "Visit cancelled. The patient is emailed.")
    context = booking_context(request, patient, visit, cancel_form=form)
    return render(request, "visits/booking.html", context, status=400)


@require_POST
@patient_view(Need.DEMOGRAPHICS_WRITE)
def no_show(request, patient, visit_id):
    visit = _visit(request, patient, visit_id, Need.DEMOGRAPHICS_WRITE)
    form = NoShowForm(request.POST)
    # A version that is not one (past the column, not a number) is refused as bad input.
    version = form.cleaned_data["version"] if form.is_valid() else form.data.get("version")
    try:
        visit = services.mark_no_show(visit=visit, version=version, actor=request.actor)
    except Refused as error:
        return _refused(request, patient, visit, error)
    return _done(request, patient, visit, "Marked as did not attend.")


ARRIVAL_MESSAGES = {
    Visit.Arrival.WAITING: "{name} checked in: waiting.",
    Visit.Arrival.IN_ROOM: "{name} is in the room.",
    Visit.Arrival.EXPECTED: "Check-in undone for {name}.",
}


@require_POST
@patient_view(Need.DEMOGRAPHICS_WRITE)
def arrival(request, patient, visit_id):
    visit = _visit(request, patient, visit_id, Need.DEMOGRAPHICS_WRITE)
    form = ArrivalForm(request.POST)
    if not form.is_valid():
        return _refused(request, patient, visit, VisitInvalid({"arrival": "Reload."}))
    try:
        visit = services.record_arrival(
            visit=visit,
            version=form.cleaned_data["version"],
            arrival=form.cleaned_data["arrival"],
            actor=request.actor,
        )
    except Refused as error:
        return _refused(request, patient, visit, error)
    message = ARRIVAL_MESSAGES[Visit.Arrival(visit.arrival)].format(name=patient.display_name)
    return _done(request, patient, visit, message, back=form.cleaned_data["back"])
