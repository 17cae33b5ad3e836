"""Patient, Organization, Practitioner and PractitionerRole."""

from collections.abc import Iterator

from taut.accounts.models import User
from taut.accounts.roles import Role
from taut.fhir.mapping import people
from taut.fhir.mapping.base import Json
from taut.fhir.scope import Scope
from taut.patients.models import LANGUAGES, Patient

_LANGUAGE_NAMES = dict(LANGUAGES)


def patients(scope: Scope) -> Iterator[tuple[Patient | None, Json]]:
    for chunk in scope.patients():
        for patient in chunk:
            language = _LANGUAGE_NAMES.get(patient.preferred_language, patient.preferred_language)
            yield (
                patient,
                people.patient(patient, clinic_public_id=scope.clinic.public_id, language=language),
            )


def organizations(scope: Scope) -> Iterator[tuple[Patient | None, Json]]:
    yield None, people.organization(scope.clinic)


def _staff(scope: Scope):
    """The clinic's people: not the users that connected apps act as."""
    return User.objects.filter(clinic=scope.clinic).exclude(role=Role.SERVICE).order_by("pk")


def practitioners(scope: Scope) -> Iterator[tuple[Patient | None, Json]]:
    for user in _staff(scope).iterator():
        yield None, people.practitioner(user)


def practitioner_roles(scope: Scope) -> Iterator[tuple[Patient | None, Json]]:
    for user in _staff(scope).iterator():
        yield (
            None,
            people.practitioner_role(
                user, clinic_public_id=scope.clinic.public_id, role_label=user.get_role_display()
            ),
        )
