"""The appointment request: the visitor's form on the clinic's public side (no sign-in, in
the page's language) and the staff pages under /c/requests/ that read requests through
``request_access`` and turn them into a booked visit or dismiss them.

Nothing a visitor typed is shown back except on their own form when it has errors: the
"sent" page echoes nothing, the clinic's email names nobody, and no URL carries a name or
the self-check's answers (they are posted, with ``start``, from the result page).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from taut.accounts.access import actor_for, public, staff_view
from taut.accounts.actors import Actor
from taut.accounts.models import Clinic
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.http import client_ip
from taut.lib.paging import CappedPaginator
from taut.lib.refusals import Refused, show_on_form
from taut.public import request_queries as queries
from taut.public import request_services as services
from taut.public.models import AppointmentRequest
from taut.public.queries import clinic_for_public_page
from taut.public.request_access import request_view
from taut.public.request_forms import (
    NEW_PATIENT,
    TOKEN_MAX_LENGTH,
    BookFromRequestForm,
    DismissForm,
    RequestForm,
    read_answers,
)

# The largest request body the form accepts: its fields at their longest fit in a few KB.
MAX_BODY_BYTES = 16 * 1024
LIST_PAGE_SIZE = 15


def _clinic(slug: str) -> Clinic:
    """The clinic whose public side this is; 404 when there is none or its page is off."""
    return clinic_for_public_page(slug)


def _public(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    lang = translation.get_language()
    other = "es" if lang == "en" else "en"
    clinic = context["clinic"]
    context = {
        **context,
        "lang": lang,
        "other_lang": other,
        "other_url": reverse(
            f"public:{request.resolver_match.url_name}",
            kwargs={"clinic_slug": clinic.slug, "lang": other},
        ),
    }
    return render(request, template, context, status=status)


@never_cache
@public
def request_appointment(request, clinic_slug, lang):
    """The form. GET shows it blank (an ``?answers=`` in the address is ignored: health
    answers never travel in a URL). A POST with ``start`` (the self-check's result page, or
    the language switch) shows it blank with the self-check's answers token attached, storing
    and counting nothing; any other POST stores the request and redirects to "sent"
    (POST/redirect/GET)."""
    clinic = _clinic(clinic_slug)
    with translation.override(lang):
        if request.method != "POST":
            return _blank(request, clinic, lang, token="")
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
            return _public(request, "public/request_too_big.html", {"clinic": clinic}, status=413)
        if request.POST.get("start"):
            token = request.POST.get("answers", "")[:TOKEN_MAX_LENGTH]
            return _blank(request, clinic, lang, token=token)
        return _submit(request, clinic, lang)


def _blank(request, clinic: Clinic, lang: str, *, token: str) -> HttpResponse:
    form = RequestForm(initial={"language": lang, "answers": token})
    answers, unread = read_answers(token)
    attached = answers is not None
    context = {"clinic": clinic, "form": form, "attached": attached, "unread": unread,
               "carried": token if attached else ""}  # fmt: skip
    return _public(request, "public/request_form.html", context)


def _submit(request, clinic: Clinic, lang: str) -> HttpResponse:
    actor = Actor.visitor(clinic=clinic, now=timezone.now(), address=client_ip(request))
    sent = redirect("public:request_sent", clinic_slug=clinic.slug, lang=lang)
    form = RequestForm(request.POST, today=actor.today)
    try:
        if request.POST.get("website"):
            services.catch_honeypot(clinic=clinic, actor=actor)
            return sent
        if form.is_valid():
            data = form.cleaned_data
            visitor = services.Visitor(
                given_name=data["given_name"].strip(),
                family_name=data["family_name"].strip(),
                date_of_birth=data["date_of_birth"],
                phone=data["phone"],
                email=data["email"],
                language=data["language"],
                preferred_time=data["preferred_time"],
                consent=data["consent"],
                answers=data["answers"],
            )
            services.submit_request(clinic=clinic, visitor=visitor, actor=actor)
            return sent
        status = 400
    except services.Throttled as error:
        response = _public(request, "public/request_too_many.html", {"clinic": clinic}, status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    except Refused as error:
        status = show_on_form(form, error)
    token = request.POST.get("answers", "")
    attached = bool(token) and form.is_bound and not getattr(form, "answers_unread", True)
    context = {"clinic": clinic, "form": form, "attached": attached,
               "unread": getattr(form, "answers_unread", False),
               "carried": token if attached else ""}  # fmt: skip
    return _public(request, "public/request_form.html", context, status=status)


@never_cache
@public
def request_sent(request, clinic_slug, lang):
    """ "Thank you": the clinic's name and phone, what happens next; nothing typed."""
    clinic = _clinic(clinic_slug)
    with translation.override(lang):
        return _public(request, "public/request_sent.html", {"clinic": clinic})


# -- Staff --------------------------------------------------------------------------------


def _list_context(request) -> dict:
    clinic = request.user.clinic
    rows = queries.open_requests_for_clinic(clinic, now=request.actor.now)
    page = CappedPaginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    record_event(
        actor=request.actor,
        action=Action.VIEW,
        object_type="appointment_requests",
        details={"requests": page.paginator.count, "page": page.number},
    )
    return {"rows": page.object_list, "page": page}


@staff_view(Need.DEMOGRAPHICS_READ)
def request_list(request):
    """The clinic's open requests to call back, oldest first, a page at a time."""
    return render(request, "public/request_list.html", _list_context(request))


@staff_view(Need.DEMOGRAPHICS_READ)
def day_list_section(request):
    """The day list's "Requests to call back" card (htmx), or its own page."""
    context = _list_context(request) | {"open": not request.htmx or "open" in request.GET}
    template = "public/request_section.html"
    return render(request, f"{template}#section" if request.htmx else template, context)


def _detail(request, appointment_request, *, book=None, dismiss=None, status=200):
    # A refusal of a request no longer open (someone else acted first) shows above the page.
    refusals = [e for form in (book, dismiss) if form is not None for e in form.non_field_errors()]
    matches = queries.possible_matches(appointment_request)
    is_open = appointment_request.status == AppointmentRequest.Status.OPEN
    can_act = is_open and has_need(request.user, Need.DEMOGRAPHICS_WRITE)
    version = {"version": appointment_request.version}
    if can_act and book is None:
        book = BookFromRequestForm(clinic=request.user.clinic, matches=matches, initial=version)
    if can_act and dismiss is None:
        dismiss = DismissForm(initial=version)
    if is_open:
        record_event(
            actor=actor_for(request),
            action=Action.SEARCH,
            object_type="patient",
            details={"searched": "appointment request match", "results": len(matches)},
        )
    context = {
        "item": appointment_request,
        "refusals": refusals if not is_open else [],
        "matches": matches,
        "is_open": is_open,
        "can_act": can_act,
        "book": book,
        "dismiss": dismiss,
        "new_patient": NEW_PATIENT,
        "answers_summary": queries.selfcheck_lines(appointment_request),
    }
    return render(request, "public/request_detail.html", context, status=status)


@request_view(Need.DEMOGRAPHICS_READ)
def request_detail(request, appointment_request):
    """One request: what the visitor sent, possible existing patients, and what to do."""
    return _detail(request, appointment_request)


@require_POST
@request_view(Need.DEMOGRAPHICS_WRITE)
def request_book(request, appointment_request):
    """Book a visit from the request, for a chosen match or a new patient, in one step."""
    matches = queries.possible_matches(appointment_request)
    form = BookFromRequestForm(request.POST, clinic=request.user.clinic, matches=matches)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.book_from_request(
                appointment_request=appointment_request,
                version=data["version"],
                patient=form.chosen_patient(),
                mrn=data["mrn"],
                sex=data["sex"],
                kind=data["kind"],
                scheduled_for=data["scheduled_for"],
                clinician=data["clinician"],
                duration_minutes=data["duration_minutes"],
                override=data["override"],
                actor=request.actor,
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            when = visit.scheduled_for.astimezone(request.actor.zone)
            messages.success(request, f"Visit booked for {when:%A %-d %B at %H:%M}.")
            return redirect("visits:booking", patient_id=visit.patient.public_id,
                            visit_id=visit.public_id)  # fmt: skip
    return _detail(request, appointment_request, book=form, status=status)


@require_POST
@request_view(Need.DEMOGRAPHICS_WRITE)
def request_dismiss(request, appointment_request):
    """Close the request without booking, with a reason."""
    form = DismissForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.dismiss_request(
                appointment_request=appointment_request,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                actor=request.actor,
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, "Request dismissed.")
            return redirect("public:request_list")
    return _detail(request, appointment_request, dismiss=form, status=status)
