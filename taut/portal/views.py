"""Portal pages for a patient: home (aftercare and progress), a check-in, an optional
password and sign-in; and, for staff, the chart section that hands the links out."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from taut import links
from taut.accounts import throttles
from taut.accounts.access import public
from taut.accounts.roles import Need
from taut.aftercare import queries as aftercare_queries
from taut.clinical import checkins
from taut.clinical.aftercare import advice_after_warnings
from taut.lib.refusals import Refused, show_on_form
from taut.links import Purpose
from taut.patients.access import patient_view
from taut.patients.sections import render_section
from taut.portal import access as gate
from taut.portal import queries, services, sessions
from taut.portal.access import portal_view
from taut.portal.forms import LoginForm, PasswordForm, PortalCheckInForm
from taut.portal.languages import in_portal_language
from taut.visits import queries as visit_queries
from taut.workflows import followup
from taut.workflows import portal as portal_workflow


def _page(access, **context) -> dict:
    return {"clinic": access.patient.clinic, "patient": access.patient, **context}


def _url(access, name: str) -> str:
    """A page of this patient's portal, the way they came in (the link or the session)."""
    if access.session:
        return reverse(f"portal:my_{name}")
    return reverse(f"portal:{name}", kwargs={"token": access.token})


@portal_view(Purpose.HOME)
def home(request, access):
    """The patient's own page: check-ins to answer, progress, aftercare for the last session."""
    patient = access.patient
    today, now = request.actor.today, request.actor.now
    sessions = queries.sessions_for_patient(patient)
    session = queries.latest_session(sessions)
    due, next_checkin = queries.checkins_for_patient(patient, today=today, now=now)
    context = _page(
        access,
        due=due,
        next_checkin=next_checkin,
        progress=queries.progress_for_patient(patient, sessions),
        session=session,
        handout=queries.handout_for(session) if session else None,
        can_set_password=services.can_set_password(patient),
        login=queries.login_for_patient(patient),
        password_url=_url(access, "password"),
        signed_in=access.session,
        visit_today=visit_queries.visit_today_for_patient(patient, today),
        here_url=_url(access, "here"),
    )
    return render(request, "portal/home.html", context)


@portal_view(Purpose.CHECKIN)
def checkin(request, access):
    """A follow-up check-in: every question on one page (a stepper with JavaScript)."""
    record = access.record
    status = checkins.due_status(record.due_on, today=request.actor.today, completed=False)
    if status is checkins.DueStatus.UPCOMING:
        context = _page(access, checkin=record)
        return render(
            request,
            "portal/checkin_not_yet.html",
            context,
            status=403 if request.method == "POST" else 200,
        )
    asked, facts = aftercare_queries.questions_for(record)
    form = PortalCheckInForm(request.POST or None, questions=asked, goals=facts.goals)
    if request.method == "POST":
        if form.is_valid():
            try:
                followup.record_checkin(checkin=record, answers=form.answers(), actor=request.actor)
            except Refused as error:
                show_on_form(form, error)
            else:
                return _thanks(request, access, record)
        context = _page(access, checkin=record, form=form, reminder=facts.site_reminder)
        return render(request, "portal/checkin.html", context, status=400)
    context = _page(access, checkin=record, form=form, reminder=facts.site_reminder)
    return render(request, "portal/checkin.html", context)


def _thanks(request, access, record):
    clinic = access.patient.clinic
    advice = advice_after_warnings(
        [alert.code for alert in record.alerts.all()],
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
        emergency_number=clinic.emergency_number,
    )
    # Whoever answered the (perhaps forwarded) check-in link gets this: a short-lived one.
    home_url = queries.home_path(
        access.patient, now=request.actor.now, lifetime=links.thanks_lifetime()
    )
    context = _page(access, checkin=record, advice=advice, home_url=home_url)
    return render(request, "portal/checkin_done.html", context)


@sensitive_post_parameters("password1", "password2", "current_password", "date_of_birth")
@portal_view(Purpose.HOME)
def password(request, access):
    """Set or change the portal password (only where the clinic allows it), once the
    patient gave their current password (or, for a first one, their date of birth)."""
    patient = access.patient
    if not patient.clinic.portal_passwords:
        context = _page(access, message=gettext("This page is not available."))
        return render(request, "portal/refused.html", context, status=404)
    login = queries.login_for_patient(patient)
    form = PasswordForm(request.POST or None, has_password=login is not None)
    context = _page(
        access,
        form=form,
        login=login,
        home_url=_url(access, "home"),
        can_set_password=services.can_set_password(patient),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                login = portal_workflow.set_password(
                    patient=patient,
                    password=form.cleaned_data["password1"],
                    actor=request.actor,
                    **form.proof(),
                )
            except ValidationError as error:
                form.password_errors(error)
            except services.ProofRefused as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            except Refused as error:
                form.add_error(None, str(error))
            else:
                gate.keep_session(request, login)
                return render(request, "portal/password_done.html", {**context, "login": login})
        return render(request, "portal/password.html", context, status=400)
    return render(request, "portal/password.html", context)


@public
@in_portal_language
@sensitive_post_parameters("password", "date_of_birth", "email")
def login(request):
    """Sign in with date of birth, email and password (patients who set one)."""
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sessions.log_in(request, **form.cleaned_data)
            except services.LoginRefused as error:
                form.add_error(None, str(error))  # the same words and status when locked
                status = 400
            except throttles.Throttled as error:
                return _throttled_sign_in(request, form, error)
            else:
                return redirect("portal:my_home")
        else:
            status = 400
    context = {"form": form, "ended": request.GET.get("ended", "")}
    return render(request, "portal/login.html", context, status=status)


def _throttled_sign_in(request, form, error: throttles.Throttled):
    """Too many sign-ins (this address, this email, or everyone at this second): 429 with
    Retry-After, before any password was hashed; the first refusal of a window audited."""
    if error.audited:
        sessions.record_throttled(request, scope=error.scope)
    if error.scope == throttles.HASHES:
        message = gettext(
            "Many people are signing in at this moment. Please try again in a few seconds."
        )
    else:
        message = gettext(
            "Too many tries. Please wait {minutes} minutes and try again, or call the clinic."
        ).format(minutes=error.minutes)
    form.add_error(None, message)
    context = {"form": form, "ended": ""}
    response = render(request, "portal/login.html", context, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@require_POST
@portal_view(Purpose.HOME)
def logout(request, access):
    if access.session:
        sessions.log_out(request, patient=access.patient)
    return redirect("portal:login")


@patient_view(Need.CLINICAL_READ)
def chart_section(request, patient):
    """Staff: the patient's open check-ins and upcoming visits; with ``?links=1`` also their
    portal links and the home link, to hand out (that request is audited as an export)."""
    issue = request.GET.get("links") == "1"
    actor = request.actor
    found = queries.links_for_patient(patient, today=actor.today, now=actor.now, issue=issue)
    if issue:
        services.issue_links(patient=patient, links=found, actor=actor)
    context = {"patient": patient, "links": found, "issued": issue}
    return render_section(
        request, title="Patient portal", template="portal/_chart_section.html", context=context
    )
