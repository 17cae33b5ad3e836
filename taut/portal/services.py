"""Writes of the portal: a patient's password and the audit of links staff hand out.
Keyword-only, atomic, audited with the actor the portal gate built (the patient).

Signing in and out of a portal session work on the HTTP session: ``sessions.py``.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils.translation import gettext, gettext_noop

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.refusals import Conflict, NotAllowed, Refused
from taut.patients.models import Patient
from taut.portal.models import PatientLogin
from taut.portal.queries import PatientLinks

# What a patient proving who they are (before setting or changing the password) reads.
# Marked for the catalogue; the refusal reads them in the patient's language.
PROOF_MESSAGES = {
    "current_password": gettext_noop("That is not your current password."),
    "date_of_birth": gettext_noop("That date of birth does not match the clinic's records."),
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
            gettext(
                "Those details don't match our records. Check your date of birth, email and "
                "password, and try again. After too many tries, please wait {minutes} "
                "minutes, or call the clinic."
            ).format(minutes=_cooloff_minutes())
        )


class ProofRefused(PortalError):
    """The patient could not show it is them: ``field`` is the answer that was wrong
    ("current_password" or "date_of_birth"), or None when too many tries locked it."""

    def __init__(self, field: str | None):
        self.field = field
        super().__init__(
            gettext(PROOF_MESSAGES[field])
            if field
            else gettext(
                "Too many tries. Please wait {minutes} minutes and try again, or call the clinic."
            ).format(minutes=_cooloff_minutes())
        )


class PasswordConflict(Conflict, PortalError):
    """The password changed (elsewhere) between reading it and saving the new one."""


# --- tries, counted before they are checked ---------------------------------------------------


def reserve_try(login: PatientLogin, now: datetime) -> bool:
    """Count one try at ``login`` before checking it; False when it is locked.

    One conditional UPDATE: parallel requests cannot all read "not locked" and then each
    check a password, as every try is counted (and the one that reaches AXES_FAILURE_LIMIT
    sets the lock) before any password is looked at. A lock that has run out starts the
    count again. A success clears the count (``clear_tries``).
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


def clear_tries(login: PatientLogin, **changes: Any) -> int:
    return PatientLogin.objects.filter(pk=login.pk).update(
        failed_attempts=0, locked_until=None, **changes
    )


def failure_reason(login: PatientLogin) -> str:
    """The audit reason for a wrong try: "locked_out" when it was the last one allowed."""
    locked = PatientLogin.objects.filter(pk=login.pk, locked_until__isnull=False).exists()
    return "locked_out" if locked else "invalid"


# --- the patient's password ------------------------------------------------------------------


def can_set_password(patient: Patient) -> bool:
    """Portal passwords are offered only where the clinic allows them and the patient has an
    email address to sign in with."""
    return bool(patient.clinic.portal_passwords and patient.email)


@dataclass(frozen=True)
class Proof:
    """The patient showed it is them (``kind``: "current_password" or "date_of_birth") for
    ``login``, whose password hash was then ``old``."""

    login: PatientLogin
    old: str
    kind: str

    @property
    def first(self) -> bool:
        """Whether this sets the first password (rather than changing one)."""
        return self.kind == "date_of_birth"


def prove_identity(
    *,
    patient: Patient,
    password: str,
    current_password: str | None = None,
    date_of_birth: date | None = None,
    actor: Actor,
) -> Proof:
    """Check that the patient may set ``password`` (the first step of a new password; the
    second is ``save_password``, both composed in ``taut.workflows.portal.set_password``).

    A home link is a bearer credential (it can be forwarded), so the patient first shows it
    is them: the current password to change it, their date of birth to set the first one.
    Each try counts against the login's lockout, as a sign-in does. A new password ends every
    other portal session (their marker no longer matches); the one that made the change, if
    any, stays open. ``password_changed_at`` records when, for the patient's page.

    Raises ``PortalError`` when the clinic does not use portal passwords or the patient has
    no email, ``django.core.exceptions.ValidationError`` for a weak password (nothing is
    written for either), ``ProofRefused`` for a wrong current password or date of birth (the
    try is counted) or a locked login, ``PasswordConflict`` when the password changed
    meanwhile. The try and a refusal are written at once (in their own transactions), so a
    refused proof is counted whatever the caller does next.
    """
    if actor.patient_id != patient.pk:
        raise NotAllowed("A patient sets their own password only.")
    if not patient.clinic.portal_passwords:
        raise PortalError(gettext("Your clinic does not use passwords for this page."))
    if not patient.email:
        raise PortalError(
            gettext("You need an email address on file to sign in. Please call the clinic.")
        )
    # The similarity check compares the password with the patient's own name and email (an
    # unsaved stand-in user carries them, as the validator reads a user's fields).
    person = get_user_model()(
        first_name=patient.given_name, last_name=patient.family_name, email=patient.email
    )
    password_validation.validate_password(password, user=person)
    now = actor.now
    # Before a first password, an unusable one: the row only counts the tries.
    login, _ = PatientLogin.objects.get_or_create(
        patient=patient, defaults={"password": make_password(None)}
    )
    had_password = login.has_password
    if not reserve_try(login, now):
        _portal_event(actor, Action.DENIED, patient, change="password", reason="locked")
        raise ProofRefused(None)
    if had_password:
        proof, shown = "current_password", check_password(current_password or "", login.password)
    else:
        proof, shown = "date_of_birth", date_of_birth == patient.date_of_birth
    if not shown:
        _portal_event(actor, Action.DENIED, patient, change="password", reason=f"wrong_{proof}")
        raise ProofRefused(proof)
    return Proof(login=login, old=login.password, kind=proof)


def save_password(*, proof: Proof, password: str, actor: Actor) -> PatientLogin:
    """Save the new password the patient proved they may set (``prove_identity``): it ends
    every other portal session (their marker no longer matches); the view keeps this
    browser's session open (``access.keep_session``). ``PasswordConflict`` when the password
    changed meanwhile."""
    login, now, had_password = proof.login, actor.now, not proof.first
    patient = login.patient
    login.password = make_password(password)
    login.password_changed_at = now
    login.failed_attempts, login.locked_until = 0, None
    login.full_clean()
    with transaction.atomic():
        # Only over the password that was checked: two changes at once cannot both win.
        saved = PatientLogin.objects.filter(pk=login.pk, password=proof.old).update(
            password=login.password,
            password_changed_at=now,
            failed_attempts=0,
            locked_until=None,
            updated_at=now,
        )
        if not saved:
            raise PasswordConflict(
                gettext(
                    "Your password was changed a moment ago, somewhere else. Nothing was saved. "
                    "If that was not you, please call the clinic."
                )
            )
        _portal_event(
            actor,
            Action.UPDATE if had_password else Action.CREATE,
            patient,
            change="password_changed" if had_password else "password_set",
            proof=proof.kind,
            other_sessions="ended",
        )
    return login


def issue_links(*, patient: Patient, links: PatientLinks, actor: Actor) -> None:
    """Record that a member of staff was shown the patient's portal links (an export)."""
    actor.require(Need.CLINICAL_READ, "Your role does not hand out portal links.")
    record_event(
        actor=actor,
        action=Action.EXPORT,
        patient=patient,
        object_type="portal_link",
        object_id=str(patient.public_id),
        details={"links": links.issued()},
    )


def _portal_event(actor: Actor, action: Action, patient: Patient | None, **details: Any) -> None:
    """An event about the patient's portal login (audited "via portal")."""
    record_event(
        actor=actor,
        action=action,
        patient=patient,
        object_type="portal_login",
        object_id=str(patient.public_id) if patient else "",
        details={"via": "portal", **details},
    )
