"""The named cast every test uses, and helpers to set up state through real services."""

import time
from dataclasses import dataclass
from datetime import date

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
    clinic = accounts.create_clinic(name="Test Clinic", slug="test")
    other = accounts.create_clinic(name="Other Clinic", slug="other")
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
    """Sign ``user`` in on ``client`` as the login view would (session start times set)."""
    client.force_login(user)
    session = client.session
    now = time.time()
    session["taut_started"] = now
    session["taut_seen"] = now
    session.save()
    return client
