"""The portal's one gate: every portal view is a ``portal_view(purpose)``.

The gate reads the token, refuses with a plain message (and no data) when it is invalid,
expired, already used or closed, loads the one patient and record it names, builds the
request's actor (the patient, ``Actor.patient``: a member of staff signed in on the same
browser is not the actor) and audits every request (views as VIEW, refusals as DENIED)
with the patient as the subject. Views receive a ``PortalAccess`` and hand
``request.actor`` to services; they never look a patient up themselves.

A HOME view reached without a token (``/p/me/``) is opened by a portal session instead: a
patient who set a password signed in (``taut.portal.services.log_in``). The session ends
after SESSION_IDLE_SECONDS without a request or SESSION_ABSOLUTE_SECONDS after sign-in (as
staff sessions), when the clinic turns portal passwords off, or when the password changes
(the session keeps a marker made from the password hash, as Django's session auth hash); it
is audited the same way, with ``"by": "session"`` in the details. Portal pages are never
cached.

A page a POST answers with an error (status 400 and up) shows the patient's data again, so
it is audited as a VIEW too. Each view runs in the patient's clinic's time zone: "today", due
dates and times on the page are the clinic's, as in the reminders it sends; and in the
patient's language (``taut.portal.languages``: the switch, else the registry's preferred
language; before the patient is known, the browser's).
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from taut.accounts import throttles
from taut.accounts.access import AccessPolicy
from taut.accounts.actors import PORTAL_LABEL, Actor
from taut.aftercare.models import CheckIn
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.http import client_ip
from taut.links import Link, LinkRefused, Purpose, read_token
from taut.patients.models import Patient
from taut.portal import languages
from taut.portal.models import PatientLogin
from taut.visits.models import Visit

ACTOR = PORTAL_LABEL
# A portal session's keys, in its own session and cookie (taut.portal.middleware).
SESSION_PATIENT = "portal_patient"
SESSION_STARTED = "portal_started"
SESSION_SEEN = "portal_seen"
SESSION_HASH = "portal_hash"


@dataclass(frozen=True)
class PortalAccess:
    link: Link
    token: str  # empty when a portal session opened the page
    patient: Patient
    record: object  # the CheckIn, Visit or Patient the link opens

    @property
    def session(self) -> bool:
        return not self.token


def portal_actor(request, patient: Patient | None, *, now: datetime | None = None) -> Actor:
    """The request's actor: the patient the link or session names (or, for a refused link,
    an unknown patient), at ``now`` (the moment of the request: read here, at the edge),
    by the patient's clinic's clock."""
    now, address = now or timezone.now(), client_ip(request)
    if patient is None:
        return Actor(label=ACTOR, now=now, zone=timezone.get_default_timezone(), address=address)
    return Actor.patient(patient_id=patient.pk, clinic=patient.clinic, now=now, address=address)


def audit(request, access: PortalAccess | None, *, action: Action, details=None, patient=None):
    patient = access.patient if access else patient
    actor = getattr(request, "actor", None) or portal_actor(request, patient)
    record_event(
        actor=actor,
        action=action,
        patient=patient,
        object_type=f"portal_{access.link.purpose}" if access else "portal",
        object_id=access.link.object_id if access else "",
        details={
            "via": "portal",
            **({"by": "session"} if access and access.session else {}),
            **(details or {}),
        },
    )


def _record(link: Link, patient: Patient):
    """The record the link opens, only if it belongs to the link's patient."""
    if link.purpose is Purpose.CHECKIN:
        record = (
            CheckIn.objects.filter(public_id=link.object_id, patient=patient)
            .select_related("visit", "patient")
            .first()
        )
        if record is not None and record.completed:
            raise LinkRefused("used")
        return record
    if link.purpose is Purpose.INTAKE:
        visit = Visit.objects.filter(public_id=link.object_id, patient=patient).first()
        if visit is not None and getattr(visit, "intake", None) is not None:
            raise LinkRefused("used")
        if visit is not None and visit.locked:
            raise LinkRefused("closed")
        return visit
    return patient if str(patient.public_id) == link.object_id else None


def resolve(token: str, purpose: Purpose, *, now: datetime) -> PortalAccess:
    """The access a token grants at ``now``, or ``LinkRefused``."""
    link = read_token(token, purpose=purpose, now=now)
    patient = Patient.objects.filter(public_id=link.patient_id).select_related("clinic").first()
    if patient is None:
        raise LinkRefused("invalid")
    record = _record(link, patient)
    if record is None:
        raise LinkRefused("invalid")
    return PortalAccess(link=link, token=token, patient=patient, record=record)


def refused(request, error: LinkRefused):
    status = 410 if error.reason in ("expired", "used", "closed") else 404
    return render(request, "portal/refused.html", {"message": error.message}, status=status)


def password_marker(login: PatientLogin) -> str:
    """A value derived from the login's password hash: it changes when the password does,
    which ends every session that holds the old one."""
    return salted_hmac("taut.portal.session", login.password, algorithm="sha256").hexdigest()


def start_session(request, login: PatientLogin) -> None:
    """Open a portal session for ``login``'s patient (a new session key: no fixation)."""
    request.portal_session.cycle_key()
    now = time.time()
    request.portal_session[SESSION_PATIENT] = str(login.patient.public_id)
    request.portal_session[SESSION_STARTED] = now
    request.portal_session[SESSION_SEEN] = now
    request.portal_session[SESSION_HASH] = password_marker(login)


def keep_session(request, login: PatientLogin) -> None:
    """After the patient changed their password in this session: keep this one open (the
    others end), under a new key."""
    if request.portal_session.get(SESSION_PATIENT) == str(login.patient.public_id):
        request.portal_session.cycle_key()
        request.portal_session[SESSION_HASH] = password_marker(login)


def end_session(request) -> None:
    """Close the portal session (its own: a staff sign-in in the same browser stays)."""
    request.portal_session.flush()


class SessionRefused(Exception):
    def __init__(self, reason: str, patient: Patient | None = None):
        self.reason = reason
        self.patient = patient
        super().__init__(reason)


def resolve_session(request) -> PortalAccess:
    """The home page a portal session opens, or ``SessionRefused``."""
    patient_id = request.portal_session.get(SESSION_PATIENT)
    if not patient_id:
        raise SessionRefused("signed_out")
    patient = Patient.objects.filter(public_id=patient_id).select_related("clinic").first()
    if patient is None:
        raise SessionRefused("signed_out")
    now = time.time()
    if now - request.portal_session.get(SESSION_STARTED, 0) > settings.SESSION_ABSOLUTE_SECONDS:
        raise SessionRefused("absolute_timeout", patient)
    if now - request.portal_session.get(SESSION_SEEN, 0) > settings.SESSION_IDLE_SECONDS:
        raise SessionRefused("idle_timeout", patient)
    login = PatientLogin.objects.filter(patient=patient).first()
    if not patient.clinic.portal_passwords or login is None or not login.has_password:
        raise SessionRefused("passwords_off", patient)
    marker = request.portal_session.get(SESSION_HASH)
    if not marker:  # a session opened before sessions carried the marker
        raise SessionRefused("no_marker", patient)
    if not constant_time_compare(marker, password_marker(login)):
        raise SessionRefused("password_changed", patient)
    request.portal_session[SESSION_SEEN] = now
    expires = datetime.fromtimestamp(now + settings.SESSION_IDLE_SECONDS, tz=UTC)
    link = Link(Purpose.HOME, str(patient.public_id), str(patient.public_id), expires)
    return PortalAccess(link=link, token="", patient=patient, record=patient)


REFUSAL_WINDOW_SECONDS = 600


def count_refusal(request, *, now: datetime) -> int:
    """Count a refused link from the request's address; the count in this ten-minute
    window. Past PORTAL_REFUSALS_PER_ADDRESS the address gets a short answer and no more
    audit rows, so nobody can fill the audit trail (or the CPU) with made-up links. Valid
    links still open. The count lives in the store every process shares
    (``taut.accounts.throttles``), so several workers together allow the limit, not the
    limit each."""
    limit = throttles.Limit(
        "portal-refusals", settings.PORTAL_REFUSALS_PER_ADDRESS, REFUSAL_WINDOW_SECONDS
    )
    return throttles.hit(limit.key(client_ip(request) or "unknown"), seconds=limit.seconds, now=now)


def throttled(request, *, now: datetime):
    message = gettext(
        "Too many links that could not be opened came from your network. Please wait ten "
        "minutes, then use the most recent link the clinic sent you, or call the clinic."
    )
    response = render(request, "portal/refused.html", {"message": message}, status=429)
    response["Retry-After"] = str(throttles.retry_after(now, REFUSAL_WINDOW_SECONDS))
    return response


def _open(request, token, purpose: Purpose, view, args, kwargs):
    now = timezone.now()
    if token is None and purpose is Purpose.HOME:
        try:
            access = resolve_session(request)
        except SessionRefused as error:
            end_session(request)
            audit(
                request,
                None,
                action=Action.DENIED,
                patient=error.patient,
                details={"purpose": str(purpose), "reason": error.reason, "by": "session"},
            )
            ended = {"signed_out": "", "password_changed": "?ended=password"}.get(
                error.reason, "?ended=1"
            )
            return redirect(reverse("portal:login") + ended)
    else:
        try:
            # No token: only a home page has a session.
            access = resolve(token or "", purpose, now=now)
        except LinkRefused as error:
            refusals = count_refusal(request, now=now)
            if refusals > settings.PORTAL_REFUSALS_PER_ADDRESS:
                if refusals == settings.PORTAL_REFUSALS_PER_ADDRESS + 1:  # audited once
                    audit(request, None, action=Action.DENIED, details={"reason": "throttled"})
                return throttled(request, now=now)
            audit(
                request,
                None,
                action=Action.DENIED,
                details={"purpose": str(purpose), "reason": error.reason},
            )
            return refused(request, error)
    request.actor = portal_actor(request, access.patient, now=now)
    if request.method in ("GET", "HEAD"):
        audit(request, access, action=Action.VIEW)
    language = languages.language_for(request, access.patient)
    with timezone.override(access.patient.clinic.zone()), translation.override(language):
        response = view(request, access, *args, **kwargs)
    response.headers.setdefault("Content-Language", language)
    if request.method not in ("GET", "HEAD") and response.status_code >= 400:
        # A refused or invalid POST renders the page again, with the patient's data.
        details = {"method": request.method, "status": response.status_code}
        audit(request, access, action=Action.VIEW, details=details)
    return response


def portal_view(purpose: Purpose):
    """Decorate a view taking ``token``: it receives ``access`` (a ``PortalAccess``).

    A HOME view routed without ``token`` is opened by the portal session instead.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, token=None, *args, **kwargs):
            # Until the gate knows the patient (a refused link): the switch or the browser.
            with translation.override(languages.language_for(request)):
                response = _open(request, token, purpose, view, args, kwargs)
            languages.remember(request, response)
            add_never_cache_headers(response)  # patient data: never kept by a browser or proxy
            return response

        # A function attribute (read by the route inventory test), which typing does not model.
        wrapper.access_policy = AccessPolicy("portal")  # type: ignore[attr-defined]
        return wrapper

    return decorator
