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

from taut.accounts.access import actor_for
from taut.accounts.actors import Actor
from taut.accounts.models import StaffSession, User
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.http import client_ip

STARTED = "taut_started"
SEEN = "taut_seen"


def log_in(request: HttpRequest, user: User) -> None:
    with transaction.atomic():
        login(request, user)
        now = time.time()
        request.session[STARTED] = now
        request.session[SEEN] = now
        request.session.save()
        StaffSession.objects.get_or_create(user=user, session_key=request.session.session_key)
        record_event(actor=actor_for(request, fresh=True), action=Action.LOGIN)


def log_out(request: HttpRequest, *, reason: str = "user") -> None:
    actor = actor_for(request)
    with transaction.atomic():
        StaffSession.objects.filter(session_key=request.session.session_key).delete()
        record_event(actor=actor, action=Action.LOGOUT, details={"reason": reason})
        logout(request)


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
