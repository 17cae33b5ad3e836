"""The named cast every test uses, and helpers to set up state through real services."""

import time
from dataclasses import dataclass
from datetime import date
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from taut.accounts import services as accounts
from taut.accounts.actors import Actor
from taut.accounts.models import Clinic, User
from taut.accounts.roles import Role
from taut.patients import services as patients
from taut.patients.models import Patient

PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    clinic: Clinic
    other_clinic: Clinic
    clinician: User
    nurse: User
    front_desk: User
    lead: User
    outsider: User  # a clinician of another clinic
    patient: Patient
    other_patient: Patient  # belongs to the other clinic

    def staff(self):
        return {
            "clinician": self.clinician,
            "nurse": self.nurse,
            "front_desk": self.front_desk,
            "lead": self.lead,
            "outsider": self.outsider,
        }


def acting(user, *, now=None) -> Actor:
    """``user`` as the actor of a service call, at ``now`` (by default the test's clock,
    which a test moves with time_machine)."""
    return Actor.staff(user, now=now or timezone.now(), address="127.0.0.1")


def patient_acting(patient, *, now=None) -> Actor:
    """``patient`` acting through the portal, at ``now`` (the test's clock by default)."""
    return Actor.patient(
        patient_id=patient.pk, clinic=patient.clinic, now=now or timezone.now(), address=""
    )


def system(*, now=None) -> Actor:
    """Taut itself (set-up that no person does: a clinic's first staff)."""
    return Actor.system("test set-up", now=now or timezone.now())


def make_staff(clinic, username, role, first="Test", last="Person"):
    return accounts.add_staff(
        clinic=clinic,
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        role=role,
        password=PASSWORD,
        actor=system(),
    )


def make_patient(clinic, by, mrn="T0001", **overrides):
    fields = {
        "mrn": mrn,
        "given_name": "Ada",
        "family_name": "Quillbrook",
        "date_of_birth": date(1970, 5, 17),
        "sex": "female",
        "phone": "(555) 010-1234",
        "email": "ada@example.org",
        "address": "1 Example Way",
        "preferred_language": "en",
    }
    fields.update(overrides)
    return patients.register_patient(clinic=clinic, actor=acting(by), **fields)


def build_cast() -> "Cast":
    # Not requiring MFA (issue 16): the cast signs in with passwords alone.
    clinic = accounts.create_clinic(name="Test Clinic", slug="test", require_mfa=False)
    other = accounts.create_clinic(name="Other Clinic", slug="other", require_mfa=False)
    clinician = make_staff(clinic, "clinician", Role.CLINICIAN, "Casey", "Clinician")
    nurse = make_staff(clinic, "nurse", Role.NURSE, "Nico", "Nurse")
    desk = make_staff(clinic, "desk", Role.FRONT_DESK, "Dana", "Desk")
    lead = make_staff(clinic, "lead", Role.CLINIC_LEAD, "Lee", "Lead")
    outsider = make_staff(other, "outsider", Role.CLINICIAN, "Otto", "Outsider")
    return Cast(
        clinic=clinic,
        other_clinic=other,
        clinician=clinician,
        nurse=nurse,
        front_desk=desk,
        lead=lead,
        outsider=outsider,
        patient=make_patient(clinic, desk),
        other_patient=make_patient(other, outsider, mrn="O0001", given_name="Otis"),
    )


def sign_in(client, user):
    """Sign ``user`` in on ``client`` as the login view would (session start times set).

    The session ``django.contrib.auth.login`` leaves is written directly, in one save: the
    session keeps its data unless another user was signed in on it. Not through
    ``Client.force_login``, which saves the session twice and sends ``user_logged_in``
    (django-axes' access log, ``last_login``), which no test of a signed-in page reads;
    tests of signing in go through the login view."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        load_backend,
    )

    engine = import_module(settings.SESSION_ENGINE)
    user_key = user._meta.pk.value_to_string(user)
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    session = engine.SessionStore(cookie.value if cookie else None)
    auth_hash = user.get_session_auth_hash()
    if (session.get(SESSION_KEY, user_key), session.get(HASH_SESSION_KEY, auth_hash)) != (
        user_key,
        auth_hash,
    ):
        session.flush()  # as login() does when another user was signed in on it
    session[SESSION_KEY] = user_key
    session[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    session[HASH_SESSION_KEY] = auth_hash
    now = time.time()
    session["taut_started"] = now
    session["taut_seen"] = now
    session["taut_authenticated"] = now  # as after the password (re-authentication)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME].update(
        {
            "max-age": None,
            "path": "/",
            "domain": settings.SESSION_COOKIE_DOMAIN,
            "secure": settings.SESSION_COOKIE_SECURE or None,
            "expires": None,
        }
    )
    return client
