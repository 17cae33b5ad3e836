"""Writes of the portal: a patient's password, portal sign-in and sign-out, and the audit of
links staff hand out. Keyword-only, atomic, audited (the patient as ``access.ACTOR``)."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from taut.audit.models import Action
from taut.audit.services import record_event
from taut.portal import access
from taut.portal.models import PatientLogin
from taut.portal.queries import PatientLinks

MESSAGES = {
    "invalid": "We could not sign you in. Check your date of birth, email and password, "
    "and try again.",
    "locked": "Too many tries. Please wait 15 minutes and try again, or call the clinic.",
}


class PortalError(Exception):
    """A write that cannot be made; the message says why, in plain words."""


class LoginRefused(PortalError):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(MESSAGES[reason])


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


def can_set_password(patient) -> bool:
    """Portal passwords are offered only where the clinic allows them and the patient has an
    email address to sign in with."""
    return bool(patient.clinic.portal_passwords and patient.email)


def set_password(*, patient, password: str, request=None) -> PatientLogin:
    """Set (or change) the patient's portal password, checked by Django's validators.

    Raises ``PortalError`` when the clinic does not use portal passwords or the patient has
    no email, ``django.core.exceptions.ValidationError`` for a weak password.
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
    with transaction.atomic():
        login, created = PatientLogin.objects.select_for_update().get_or_create(
            patient=patient, defaults={"password": "!"}
        )
        login.password = make_password(password)
        login.failed_attempts = 0
        login.locked_until = None
        login.full_clean()
        login.save()
        _event(
            action=Action.CREATE if created else Action.UPDATE,
            request=request,
            patient=patient,
            object_type="portal_login",
            object_id=patient.public_id,
            details={"change": "password_set"},
        )
    return login


def log_in(*, request, date_of_birth: date, email: str, password: str):
    """Open a portal session for the patient these details name, or raise ``LoginRefused``.

    Only patients of clinics with ``portal_passwords`` on, who set a password, can sign in.
    Each wrong password counts against that patient's login; at AXES_FAILURE_LIMIT (the staff
    limit) it is locked for AXES_COOLOFF_TIME. A locked login is refused even with the right
    password. Unknown details take as long as known ones (a hash is made either way).
    """
    now = timezone.now()
    candidates = list(
        PatientLogin.objects.filter(
            patient__email__iexact=email.strip(),
            patient__date_of_birth=date_of_birth,
            patient__clinic__portal_passwords=True,
        ).select_related("patient__clinic")
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
    open_logins = [c for c in candidates if not (c.locked_until and c.locked_until > now)]
    for login in open_logins:
        if check_password(password, login.password):
            with transaction.atomic():
                PatientLogin.objects.filter(pk=login.pk).update(
                    failed_attempts=0, locked_until=None, last_login_at=now
                )
                access.start_session(request, login.patient)
                _event(
                    action=Action.LOGIN,
                    request=request,
                    patient=login.patient,
                    object_type="portal_login",
                    object_id=login.patient.public_id,
                )
            return login.patient
    locked = [c for c in candidates if c not in open_logins]
    with transaction.atomic():
        for login in open_logins:
            PatientLogin.objects.filter(pk=login.pk).update(
                failed_attempts=F("failed_attempts") + 1
            )
            login.refresh_from_db(fields=["failed_attempts"])
            reason = "invalid"
            if login.failed_attempts >= settings.AXES_FAILURE_LIMIT:
                PatientLogin.objects.filter(pk=login.pk).update(
                    failed_attempts=0, locked_until=now + settings.AXES_COOLOFF_TIME
                )
                locked.append(login)
                reason = "locked_out"
            _event(
                action=Action.LOGIN_FAILED,
                request=request,
                patient=login.patient,
                object_type="portal_login",
                object_id=login.patient.public_id,
                details={"reason": reason},
            )
    raise LoginRefused("locked" if len(locked) == len(candidates) else "invalid")


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
