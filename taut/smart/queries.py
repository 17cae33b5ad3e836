"""Reads for connected apps and the launch page."""

import uuid

from django.db.models import QuerySet

from taut.accounts.models import Clinic, User
from taut.patients.access import patients_for_user
from taut.patients.models import Patient
from taut.patients.queries import search
from taut.smart.models import ConnectedApp

# Patients listed on the launch's patient picker at once (a search narrows them).
PICKER_SIZE = 20


def apps_for_clinic(clinic: Clinic) -> QuerySet[ConnectedApp]:
    """The clinic's apps, connected first, by name."""
    return (
        ConnectedApp.objects.filter(clinic=clinic)
        .select_related("registered_by", "revoked_by")
        .order_by("revoked_at", "name", "pk")
    )


def app_for_clinic(clinic: Clinic, public_id: uuid.UUID) -> ConnectedApp | None:
    return apps_for_clinic(clinic).filter(public_id=public_id).first()


def patients_to_pick(user: User, text: str) -> list[Patient]:
    """The patients ``user`` may choose at launch, matching ``text`` (all of their clinic's,
    by name, when empty), at most ``PICKER_SIZE``."""
    patients = patients_for_user(user)
    found = search(patients, text) if text.strip() else patients.order_by("search_name", "pk")
    return list(found[:PICKER_SIZE])


def patient_to_pick(user: User, public_id: uuid.UUID) -> Patient | None:
    """One patient ``user`` may choose at launch, or None (another clinic's, or no such)."""
    patient: Patient | None = patients_for_user(user).filter(public_id=public_id).first()
    return patient
