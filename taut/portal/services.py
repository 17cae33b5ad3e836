"""Writes of the portal: a patient's password, portal sign-in and sign-out, and the audit of
links staff hand out. Keyword-only, atomic, audited (the patient as ``access.ACTOR``)."""

from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, check_password, make_password
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils import timezone
from django.utils.module_loading import import_string

from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.refusals import Conflict, Refused
from taut.portal import access
from taut.portal.models import PatientLogin
from taut.portal.queries import PatientLinks

# What a patient proving who they are (before setting or changing the password) reads.
PROOF_MESSAGES = {
    "current_password": "That is not your current password.",
    "date_of_birth": "That date of birth does not match the clinic's records.",
}


def _cooloff_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


class PortalError(Refused):
    """A write that cannot be made; the message says why, in plain words."""


class LoginRefused(PortalError):
    """A refused sign-in. ``reason`` ("invalid" or "locked") is for the audit trail only:
    the patient reads the same words either way, so a locked login does not show that the
    details were right (or that a login exists)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(
            "Those details don't match our records. Check your date of birth, email and "
            f"password, and try again. After too many tries, please wait {_cooloff_minutes()} "
            "minutes, or call the clinic."
        )


class ProofRefused(PortalError):
    """The patient could not show it is them: ``field`` is the answer that was wrong
    ("current_password" or "date_of_birth"), or None when too many tries locked it."""

    def __init__(self, field: str | None):
        self.field = field
        super().__init__(
            PROOF_MESSAGES[field]
            if field
            else f"Too many tries. Please wait {_cooloff_minutes()} minutes and try again, "
            "or call the clinic."
        )


class PasswordConflict(Conflict, PortalError):
    """The password changed (elsewhere) between reading it and saving the new one."""


def _event(*, action, request, patient, object_type, object_id="", details=None):
    record_event(
        action=action,
        request=request,
        actor_username=access.ACTOR,
        clinic_id=patient.clinic_id if patient else None,
        object_type=object_type,
        object_id=str(object_id),
        patient_id=patient.public_id if patient else None,
        details={"via": "portal", **(details or {})},
    )


# --- tries, counted before they are checked ---------------------------------------------------


def _reserve_try(login: PatientLogin, now: datetime) -> bool:
    """Count one try at ``login`` before checking it; False when it is locked.

    One conditional UPDATE: parallel requests cannot all read "not locked" and then each
    check a password, as every try is counted (and the one that reaches AXES_FAILURE_LIMIT
    sets the lock) before any password is looked at. A lock that has run out starts the
    count again. A success clears the count (``_clear_tries``).
    """
    limit = settings.AXES_FAILURE_LIMIT
    PatientLogin.objects.filter(pk=login.pk, locked_until__lte=now).update(
        failed_attempts=0, locked_until=None
    )
    reserved = PatientLogin.objects.filter(
        pk=login.pk, locked_until__isnull=True, failed_attempts__lt=limit
    ).update(
        failed_attempts=F("failed_attempts") + 1,
        locked_until=Case(
            When(failed_attempts__gte=limit - 1, then=Value(now + settings.AXES_COOLOFF_TIME)),
            default=Value(None),
            output_field=DateTimeField(),
        ),
    )
    return bool(reserved)


def _clear_tries(login: PatientLogin, **changes) -> int:
    return PatientLogin.objects.filter(pk=login.pk).update(
        failed_attempts=0, locked_until=None, **changes
    )


def _failure_reason(login: PatientLogin) -> str:
    """The audit reason for a wrong try: "locked_out" when it was the last one allowed."""
    locked = PatientLogin.objects.filter(pk=login.pk, locked_until__isnull=False).exists()
    return "locked_out" if locked else "invalid"


# --- the patient's password ------------------------------------------------------------------


def can_set_password(patient) -> bool:
    """Portal passwords are offered only where the clinic allows them and the patient has an
    email address to sign in with."""
    return bool(patient.clinic.portal_passwords and patient.email)


def set_password(
    *,
    patient,
    password: str,
    current_password: str | None = None,
    date_of_birth: date | None = None,
    request=None,
) -> PatientLogin:
    """Set the patient's first portal password, or change it, checked by Django's validators.

    A home link is a bearer credential (it can be forwarded), so the patient first shows it
    is them: the current password to change it, their date of birth to set the first one.
    Each try counts against the login's lockout, as a sign-in does. A new password ends every
    other portal session (their marker no longer matches); the one that made the change, if
    any, stays open. ``password_changed_at`` records when, for the patient's page.

    Raises ``PortalError`` when the clinic does not use portal passwords or the patient has
    no email, ``django.core.exceptions.ValidationError`` for a weak password (nothing is
    written for either), ``ProofRefused`` for a wrong current password or date of birth (the
    try is counted) or a locked login, ``PasswordConflict`` when the password changed
    meanwhile.
    """
    if not patient.clinic.portal_passwords:
        raise PortalError("Your clinic does not use passwords for this page.")
    if not patient.email:
        raise PortalError("You need an email address on file to sign in. Please call the clinic.")
    # The similarity check compares the password with the patient's own name and email (an
    # unsaved stand-in user carries them, as the validator reads a user's fields).
    person = get_user_model()(
        first_name=patient.given_name, last_name=patient.family_name, email=patient.email
    )
    password_validation.validate_password(password, user=person)
    now = timezone.now()
    # Before a first password, an unusable one: the row only counts the tries.
    login, _ = PatientLogin.objects.get_or_create(
        patient=patient, defaults={"password": make_password(None)}
    )
    had_password = login.has_password
    if not _reserve_try(login, now):
        _event(
            action=Action.DENIED,
            request=request,
            patient=patient,
            object_type="portal_login",
            object_id=patient.public_id,
            details={"change": "password", "reason": "locked"},
        )
        raise ProofRefused(None)
    if had_password:
        proof, shown = "current_password", check_password(current_password or "", login.password)
    else:
        proof, shown = "date_of_birth", date_of_birth == patient.date_of_birth
    if not shown:
        _event(
            action=Action.DENIED,
            request=request,
            patient=patient,
            object_type="portal_login",
            object_id=patient.public_id,
            details={"change": "password", "reason": f"wrong_{proof}"},
        )
        raise ProofRefused(proof)
    old = login.password
    login.password = make_password(password)
    login.password_changed_at = now
    login.failed_attempts, login.locked_until = 0, None
    login.full_clean()
    with transaction.atomic():
        # Only over the password that was checked: two changes at once cannot both win.
        saved = PatientLogin.objects.filter(pk=login.pk, password=old).update(
            password=login.password,
            password_changed_at=now,
            failed_attempts=0,
            locked_until=None,
            updated_at=now,
        )
        if not saved:
            raise PasswordConflict(
                "Your password was changed a moment ago, somewhere else. Nothing was saved. "
                "If that was not you, please call the clinic."
            )
        _event(
            action=Action.UPDATE if had_password else Action.CREATE,
            request=request,
            patient=patient,
            object_type="portal_login",
            object_id=patient.public_id,
            details={
                "change": "password_changed" if had_password else "password_set",
                "proof": proof,
                "other_sessions": "ended",
            },
        )
        if request is not None:
            access.keep_session(request, login)
        # Tell the patient by email (settings.AFTER_PORTAL_PASSWORD), so a change they
        # did not make does not go unnoticed.
        for hook in settings.AFTER_PORTAL_PASSWORD:
            import_string(hook)(login=login, first=not had_password, request=request)
    return login


def log_in(*, request, date_of_birth: date, email: str, password: str):
    """Open a portal session for the patient these details name, or raise ``LoginRefused``.

    Only patients of clinics with ``portal_passwords`` on, who set a password, can sign in.
    Each try is counted before the password is checked (``_reserve_try``); at
    AXES_FAILURE_LIMIT (the staff limit) the login is locked for AXES_COOLOFF_TIME, and a
    locked login is refused even with the right password. Every refusal reads the same, and
    every request hashes the password once per login it could be (a dummy hash when the
    details name no one or a locked login), so neither the words nor the time tell whether
    the details were right.
    """
    now = timezone.now()
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
        _event(
            action=Action.LOGIN_FAILED,
            request=request,
            patient=None,
            object_type="portal_login",
            details={"reason": "invalid"},
        )
        raise LoginRefused("invalid")
    failed = []
    for login in candidates:
        if not _reserve_try(login, now):
            make_password(password)  # the same work as a real check
            failed.append((login, "locked"))
        elif check_password(password, login.password):
            with transaction.atomic():
                _clear_tries(login, last_login_at=now)
                access.start_session(request, login)
                _event(
                    action=Action.LOGIN,
                    request=request,
                    patient=login.patient,
                    object_type="portal_login",
                    object_id=login.patient.public_id,
                )
            return login.patient
        else:
            failed.append((login, _failure_reason(login)))
    with transaction.atomic():
        for login, reason in failed:
            _event(
                action=Action.LOGIN_FAILED,
                request=request,
                patient=login.patient,
                object_type="portal_login",
                object_id=login.patient.public_id,
                details={"reason": reason},
            )
    all_locked = all(reason == "locked" for _, reason in failed)
    raise LoginRefused("locked" if all_locked else "invalid")


def log_out(*, request, patient) -> None:
    _event(
        action=Action.LOGOUT,
        request=request,
        patient=patient,
        object_type="portal_login",
        object_id=patient.public_id,
    )
    access.end_session(request)


def issue_links(*, request, patient, links: PatientLinks) -> None:
    """Record that a member of staff was shown the patient's portal links (an export)."""
    record_event(
        action=Action.EXPORT,
        request=request,
        object_type="portal_link",
        object_id=str(patient.public_id),
        patient_id=patient.public_id,
        details={"links": links.issued()},
    )
