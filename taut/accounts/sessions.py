"""Signing staff in and out: the writes that work on the HTTP session itself.

These take the request because Django's ``login``/``logout`` do; every other write is a
service that takes an actor (``services.py``). Each is atomic and audited.
"""

import time

from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from taut.accounts.access import actor_for
from taut.accounts.actors import Actor
from taut.accounts.models import StaffSession, User
from taut.accounts.notices import Notice, notify_security_change
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.http import client_ip

STARTED = "taut_started"
SEEN = "taut_seen"
# When the member last entered their password or a second factor (``reauth.py``).
AUTHENTICATED = "taut_authenticated"
# Set at sign-in when the clinic requires a second factor the member has not set up: every
# page sends them to enrol first (``middleware.mfa_enrolment``).
MUST_ENROL = "taut_must_enrol"
# Between the password step and the second-factor step: who, since when, where to go after,
# and how many wrong codes so far. Nobody is signed in yet.
PENDING = "taut_mfa_pending"
PENDING_SECONDS = 300
PENDING_TRIES = 5


def home_for(user) -> str:
    """Staff start at the patient list; superusers (who have no clinic) at the admin."""
    return "patients:list" if user.clinic_id else "admin:index"


def log_in(request: HttpRequest, user: User, *, mfa: str = "", must_enrol: bool = False) -> None:
    """Sign ``user`` in (a new session key), audited with the second factor used if any."""
    with transaction.atomic():
        login(request, user)
        now = time.time()
        request.session[STARTED] = now
        request.session[SEEN] = now
        request.session[AUTHENTICATED] = now
        if must_enrol:
            request.session[MUST_ENROL] = True
        request.session.save()
        StaffSession.objects.get_or_create(user=user, session_key=request.session.session_key)
        details: dict[str, str | bool] = {"mfa": mfa} if mfa else {}
        if must_enrol:
            details["must_enrol"] = True
        record_event(actor=actor_for(request, fresh=True), action=Action.LOGIN, details=details)


def begin_second_factor(request: HttpRequest, user: User, *, next_path: str) -> None:
    """The password was right and ``user`` has a second factor: remember them, unsigned-in,
    for the second step. A new session key, so the pending state is not fixable."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk, "backend": user.backend, "at": time.time(), "next": next_path,
        "tries": 0, "hash": user.get_session_auth_hash(),
    }  # fmt: skip


def pending_user(request: HttpRequest) -> User | None:
    """Who passed the password step in this browser in the last five minutes, if anyone."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    # A password changed (reset, changed elsewhere) since the password step voids it, as it
    # ends signed-in sessions (Django's session hash).
    if user is None or not constant_time_compare(
        pending.get("hash", ""), user.get_session_auth_hash()
    ):
        return None
    return user


def second_factor_failed(request: HttpRequest, user: User, *, method: str) -> bool:
    """Audit a wrong second factor; after ``PENDING_TRIES`` the password step starts over.
    Returns True when it has."""
    pending = request.session[PENDING]
    pending["tries"] += 1
    request.session.modified = True
    record_event(
        actor=Actor.anonymous(
            user.username, now=actor_for(request).now, address=client_ip(request)
        ),
        action=Action.LOGIN_FAILED,
        clinic_id=user.clinic_id,
        details={"step": "mfa", "method": method},
    )
    if pending["tries"] >= PENDING_TRIES:
        del request.session[PENDING]
        return True
    return False


def finish_second_factor(request: HttpRequest, user: User, *, method: str) -> str:
    """Sign in the pending ``user`` who gave a right second factor; returns where to go."""
    pending = request.session.pop(PENDING)
    user.backend = pending["backend"]  # the backend that checked the password
    log_in(request, user, mfa=method)
    return pending["next"]


def log_out(request: HttpRequest, *, reason: str = "user") -> None:
    actor = actor_for(request)
    with transaction.atomic():
        StaffSession.objects.filter(session_key=request.session.session_key).delete()
        record_event(actor=actor, action=Action.LOGOUT, details={"reason": reason})
        logout(request)


def renew_key(request: HttpRequest) -> None:
    """A new session key after re-authentication (ASVS 5.0 V7.2.4), the member's
    ``StaffSession`` row following it so ending their sessions still finds this one."""
    old = request.session.session_key
    request.session.cycle_key()
    StaffSession.objects.filter(session_key=old).update(session_key=request.session.session_key)


REAUTH_TRIES = 5
REAUTH_FAILURES = "taut_reauth_failures"


def reauth_failed(request: HttpRequest) -> bool:
    """Count a wrong password or code on the re-authentication page; after ``REAUTH_TRIES``
    the member is signed out (the sign-in page has the lockout). True when signed out."""
    failures = request.session.get(REAUTH_FAILURES, 0) + 1
    if failures >= REAUTH_TRIES:
        log_out(request, reason="reauth_failures")
        return True
    request.session[REAUTH_FAILURES] = failures
    return False


def record_failed_login(
    request: HttpRequest, *, username: str, locked_out: bool = False, throttled: str = ""
) -> None:
    """Audit a failed sign-in; for a username that names a member of staff, in their
    clinic's log, so its lead sees the tries at their staff (an unknown one: no clinic).
    ``throttled`` names the shared throttle that refused it before any password check."""
    now = actor_for(request).now
    details: dict[str, object] = {"locked_out": locked_out}
    if throttled:
        details["throttled"] = throttled
    record_event(
        actor=Actor.anonymous(username, now=now, address=client_ip(request)),
        action=Action.LOGIN_FAILED,
        details=details,
        clinic_id=User.objects.filter(username=username)
        .values_list("clinic_id", flat=True)
        .first(),
    )


def change_password(request: HttpRequest, *, form: PasswordChangeForm) -> None:
    """Save a validated PasswordChangeForm, keep this session and end the others."""
    with transaction.atomic():
        user = form.save()
        keep = request.session.session_key
        others = StaffSession.objects.filter(user=user).exclude(session_key=keep)
        Session.objects.filter(session_key__in=others.values("session_key")).delete()
        others.delete()
        update_session_auth_hash(request, user)
        StaffSession.objects.filter(session_key=keep).update(
            session_key=request.session.session_key
        )
        record_event(
            actor=actor_for(request),
            action=Action.PRIVILEGE_CHANGE,
            obj=user,
            details={"change": "password"},
        )
        notify_security_change(user=user, what=Notice.PASSWORD_CHANGED)
