"""Signing a patient in and out of a portal session: the writes that work on the HTTP
session itself (they take the request, as Django's own sign-in does). Each is audited with
the patient as the actor (``access.portal_actor``)."""

from datetime import date, datetime
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, check_password, make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from taut.accounts import throttles
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.http import client_ip
from taut.patients.models import Patient
from taut.portal import access
from taut.portal.models import PatientLogin
from taut.portal.services import LoginRefused, clear_tries, failure_reason, reserve_try


def log_in(request: HttpRequest, *, date_of_birth: date, email: str, password: str) -> Patient:
    """Open a portal session for the patient these details name, or raise ``LoginRefused``.

    ``taut.accounts.throttles.Throttled`` (before any hash) when this address or email has
    failed too often, or the server is hashing as many passwords as it allows per second.
    Only patients of clinics with ``portal_passwords`` on, who set a password, can sign in.
    Each try is counted before the password is checked (``reserve_try``); at
    AXES_FAILURE_LIMIT (the staff limit) the login is locked for AXES_COOLOFF_TIME, and a
    locked login is refused even with the right password. Every refusal reads the same, and
    every request hashes the password once per login it could be (a dummy hash when the
    details name no one or a locked login), so neither the words nor the time tell whether
    the details were right.
    """
    now = timezone.now()  # the edge: this request's moment
    # Before any password is hashed: the shared throttles (taut.accounts.throttles).
    sign_in = throttles.take_sign_in(address=client_ip(request), username=email, now=now)
    candidates = list(
        PatientLogin.objects.filter(
            patient__email__iexact=email.strip(),
            patient__date_of_birth=date_of_birth,
            patient__clinic__portal_passwords=True,
        )
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .select_related("patient__clinic")
    )
    if not candidates:
        make_password(password)  # the same work as a real check
        _event(request, None, Action.LOGIN_FAILED, now=now, reason="invalid")
        raise LoginRefused("invalid")
    failed = []
    for login in candidates:
        if not reserve_try(login, now):
            make_password(password)  # the same work as a real check
            failed.append((login, "locked"))
        elif check_password(password, login.password):
            with transaction.atomic():
                clear_tries(login, last_login_at=now)
                sign_in.succeeded()
                access.start_session(request, login)
                _event(request, login.patient, Action.LOGIN, now=now)
            return login.patient
        else:
            failed.append((login, failure_reason(login)))
    with transaction.atomic():
        for login, reason in failed:
            _event(request, login.patient, Action.LOGIN_FAILED, now=now, reason=reason)
    all_locked = all(reason == "locked" for _, reason in failed)
    raise LoginRefused("locked" if all_locked else "invalid")


def record_throttled(request: HttpRequest, *, scope: str) -> None:
    """Audit a sign-in the shared throttles refused (no patient: none was looked up)."""
    _event(request, None, Action.LOGIN_FAILED, now=timezone.now(), reason="throttled", scope=scope)


def log_out(request: HttpRequest, *, patient: Patient) -> None:
    _event(request, patient, Action.LOGOUT, now=timezone.now())
    access.end_session(request)


def _event(
    request: HttpRequest, patient: Patient | None, action: Action, *, now: datetime, **details: Any
) -> None:
    record_event(
        actor=access.portal_actor(request, patient, now=now),
        action=action,
        patient=patient,
        object_type="portal_login",
        object_id=str(patient.public_id) if patient else "",
        details={"via": "portal", **details},
    )
