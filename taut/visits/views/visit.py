from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taut.accounts.access import staff_view
from taut.accounts.roles import Need, Role, has_need
from taut.lib.dates import day_bounds
from taut.lib.paging import CountedPaginator, page_asked
from taut.lib.refusals import Refused, show_on_form
from taut.patients.access import patient_view
from taut.patients.sections import card_page, render_section
from taut.visits import calendar, queries
from taut.visits.booking_forms import ScheduleForm, clinicians_of, slot_initial
from taut.visits.forms import EndForm
from taut.visits.services import visit as services
from taut.visits.views.common import get_visit, visit_context
from taut.workflows import booking
from taut.workflows.pages import DAY_LIST_SECTIONS

# Visits a page of the day list shows (and prints: one A4 sheet with room for notes). A
# clinician's day fits on one; a large clinic's whole day is paged.
DAY_PAGE_SIZE = 25
# Coming patient reports listed under the day list; the rest show on their own days.
REVIEWS_SHOWN = 20


def _day_context(request) -> dict:
    """The day list's day (``?date=``, else the clinic's today), clinician (``?clinician=``
    or ``?mine=1``) and page (``?page=``): the page's visits, where each patient is, and
    how the whole day stands."""
    actor = request.actor
    clinic = request.user.clinic
    day = calendar.parse_day(request.GET.get("date"), default=actor.today)
    clinicians = list(clinicians_of(clinic))
    mine = request.GET.get("mine") == "1"
    wanted = str(request.user.public_id) if mine else request.GET.get("clinician", "")
    clinician = next((c for c in clinicians if str(c.public_id) == wanted), None)
    if mine and clinician is None:
        clinician = request.user
    counts = queries.day_counts(clinic, day, clinician=clinician)
    rows = queries.visits_for_day(clinic, day, clinician=clinician)
    page, page_notice = page_asked(
        CountedPaginator(rows, DAY_PAGE_SIZE, count=counts["total"]), request.GET.get("page")
    )
    visits = list(page.object_list)
    start, _ = day_bounds(day, actor.zone)
    can_book = has_need(request.user, Need.DEMOGRAPHICS_WRITE)
    return {
        "visits": visits,
        "page": page,
        "page_notice": page_notice,
        "day": day,
        "today": actor.today,
        "is_today": day == actor.today,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "clinicians": clinicians,
        "clinician": clinician,
        "mine": mine,
        "offer_mine": request.user.role == Role.CLINICIAN and clinician != request.user,
        "filter_query": f"&clinician={clinician.public_id}" if clinician else "",
        "counts": counts,
        "start": start,
        "clinic": clinic,
        "can_book": can_book,
        # Visits a check-in button shows for: today's, not started, not yet in the room.
        "checkable": {v.pk for v in visits if queries.can_check_in(v)}
        if can_book and day == actor.today
        else set(),
        "clinical": has_need(request.user, Need.CLINICAL_READ),
    }


@staff_view(Need.DEMOGRAPHICS_READ)
def day_list(request):
    """A day's visits for the clinic (or one clinician) with where each patient is: checked
    in, waiting, in the room; the day is the clinic's, today unless ``?date=`` says. A page
    at a time, in time order."""
    context = _day_context(request)
    if context["clinical"] and context["day"] >= context["today"]:
        coming = queries.reports_to_review(
            request.user.clinic, after=context["start"], clinician=context["clinician"]
        )
        reports = list(coming[: REVIEWS_SHOWN + 1])
        context["to_review"] = reports[:REVIEWS_SHOWN]
        context["more_to_review"] = len(reports) > REVIEWS_SHOWN
    context["sections"] = [
        {"title": title, "url": reverse(name) + "?open=1"} for title, name in DAY_LIST_SECTIONS
    ]
    return render(request, "visits/day_list.html", context)


@staff_view(Need.DEMOGRAPHICS_READ)
def day_print(request):
    """The day list for the morning huddle (no navigation or buttons), a printed sheet per
    page: each says which page of how many it is and what the other pages hold."""
    return render(request, "visits/day_print.html", _day_context(request))


@patient_view(Need.DEMOGRAPHICS_READ)
def chart_section(request, patient):
    """The chart's Visits card: every role sees when and with whom; clinical roles open the
    visit, and anyone who books opens its booking page. A page at a time (``?page=``),
    latest first."""
    page = card_page(request, queries.visits_for_patient(patient))
    context = {
        "patient": patient,
        "visits": page.object_list,
        "page": page,
        "can_schedule": has_need(request.user, Need.DEMOGRAPHICS_WRITE),
        "clinical": has_need(request.user, Need.CLINICAL_READ),
    }
    return render_section(
        request, title="Visits", template="visits/_chart_section.html", context=context
    )


@patient_view(Need.DEMOGRAPHICS_WRITE)
def schedule(request, patient):
    """Book a visit for the patient (from the chart, or from a slot of the schedule, whose
    time and clinician arrive as ``?at=`` and ``?clinician=``)."""
    clinic = patient.clinic
    initial = slot_initial(
        clinic, request.user, at=request.GET.get("at", ""), clinician=request.GET.get("clinician")
    )
    form = ScheduleForm(request.POST or None, clinic=clinic, initial=initial)
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
                when = visit.scheduled_for.astimezone(clinic.zone())
                messages.success(request, f"Visit scheduled. It is on {when:%A %-d %B at %H:%M}.")
                # Each role lands on a page it may see: clinical roles go on to the visit.
                page = (
                    "visits:detail"
                    if has_need(request.user, Need.CLINICAL_READ)
                    else "visits:booking"
                )
                return redirect(page, patient_id=patient.public_id, visit_id=visit.public_id)
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
