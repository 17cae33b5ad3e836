"""Session time limits and cache headers for signed-in pages."""

import time

from django.conf import settings
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect

from taut.accounts import sessions
from taut.accounts.access import send_to_login
from taut.accounts.sessions import SEEN, STARTED

SEEN_RESOLUTION_SECONDS = 60


def session_timeout(get_response):
    """End a session after SESSION_IDLE_SECONDS without a request or
    SESSION_ABSOLUTE_SECONDS after login, whichever comes first."""

    def middleware(request):
        if request.user.is_authenticated:
            now = time.time()
            # A session opened by another login path starts its clocks on its first request.
            started = request.session.setdefault(STARTED, now)
            seen = request.session.get(SEEN, now)
            reason = ""
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                reason = "absolute_timeout"
            elif now - seen > settings.SESSION_IDLE_SECONDS:
                reason = "idle_timeout"
            if reason:
                sessions.log_out(request, reason=reason)
                return send_to_login(request)
            # Stamp at most once a minute: the idle clock may run up to a minute
            # early, and most requests do not rewrite the session row.
            if SEEN not in request.session or now - seen >= SEEN_RESOLUTION_SECONDS:
                request.session[SEEN] = now
        return get_response(request)

    return middleware


def no_store(get_response):
    """Pages for signed-in staff may hold patient data: never let a browser or
    proxy cache them (ONC 170.315(d)(7))."""

    def middleware(request):
        response = get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware


def clinic_time_zone(get_response):
    """Staff requests run on their clinic's clock, so a staff page, a reminder and the
    portal agree on what "today" is and show times the same way (``Clinic.zone()``)."""

    def middleware(request):
        user = request.user
        if user.is_authenticated and user.clinic_id:
            timezone.activate(user.clinic.zone())
        else:
            timezone.deactivate()
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


# Pages a member who must set up a second factor may still open (decision 0031).
ENROLMENT_PATHS = ("/security/", "/reauthenticate/", "/passkeys/", "/logout/", "/static/")


def mfa_enrolment(get_response):
    """Send a member whose clinic requires a second factor they have not set up to the
    security page before anything else (the flag is set at sign-in; no query here)."""

    def middleware(request):
        if (
            request.user.is_authenticated
            and request.session.get(sessions.MUST_ENROL)
            and not request.path.startswith(ENROLMENT_PATHS)
        ):
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(resolve_url("accounts:security"))
            return redirect("accounts:security")
        return get_response(request)

    return middleware
