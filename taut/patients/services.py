"""Writes to the patient registry. Each is atomic and audited, and checks the actor's role."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from taut.accounts.actors import Actor
from taut.accounts.models import Clinic
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.queries import changes_since
from taut.audit.services import record_event
from taut.lib.refusals import Conflict, Invalid, NotAllowed
from taut.lib.search import fold
from taut.patients.allergy_services import code_allergy
from taut.patients.models import (
    Allergy,
    Condition,
    Measurement,
    Medication,
    Patient,
    PatientRecord,
)

DEMOGRAPHIC_FIELDS = (
    "given_name", "family_name", "date_of_birth", "sex", "mrn",
    "phone", "email", "address", "preferred_language",
)  # fmt: skip


class EditConflict(Conflict):
    """Someone else saved the record after this form was opened."""


class DuplicateMRN(Invalid):
    """The MRN is already another patient's here."""


def _require_own(actor: Actor, clinic_id: int, need: Need, why: str) -> None:
    if actor.user is not None:  # Taut itself (the demo) may write; people need the role
        actor.require(need, why)
    if actor.clinic_id != clinic_id:
        raise NotAllowed("This patient belongs to another clinic.")


def _not_after_today(value: date | None, *, field: str, what: str, actor: Actor) -> None:
    """Refuse a date after the clinic's today (the actor's)."""
    if value is not None and value > actor.today:
        raise Invalid({field: f"The {what} cannot be in the future."})


def name_search_fields(*, given_name: str, family_name: str) -> dict[str, str]:
    """The patient's search columns for these names: every write of a name sets them (a bulk
    insert too), so that search can answer from their indexes."""
    return {
        "search_name": fold(f"{family_name} {given_name}")[:255],
        "search_given": fold(f"{given_name} {family_name}")[:255],
    }


def register_patient(*, clinic: Clinic, actor: Actor, **fields: Any) -> Patient:
    _require_own(actor, clinic.pk, Need.DEMOGRAPHICS_WRITE, "Your role does not register patients.")
    born = fields.get("date_of_birth")
    _not_after_today(born, field="date_of_birth", what="date of birth", actor=actor)
    patient = Patient(clinic=clinic, updated_by=actor.user, **fields)
    names = name_search_fields(given_name=patient.given_name, family_name=patient.family_name)
    for column, value in names.items():
        setattr(patient, column, value)
    patient.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            patient.save(force_insert=True)
            record_event(actor=actor, action=Action.CREATE, patient=patient)
    except IntegrityError as error:
        raise DuplicateMRN(
            {"mrn": f"MRN {patient.mrn} already belongs to another patient here."}
        ) from error
    return patient


def update_patient(
    *, patient: Patient, version: int | None, actor: Actor, **fields: Any
) -> list[str]:
    """Save demographics if nobody else has since ``version``; returns the fields changed."""
    _require_own(
        actor, patient.clinic_id, Need.DEMOGRAPHICS_WRITE, "Your role does not edit patients."
    )
    if version is None:
        raise EditConflict("This form is missing its version: reload the page and try again.")
    with transaction.atomic():
        # Compare with the stored row: a bound ModelForm has already changed ``patient``.
        stored = (
            Patient.objects.filter(pk=patient.pk).values(*fields, "given_name", "family_name").get()
        )
        changed = [name for name, value in fields.items() if stored[name] != value]
        names = name_search_fields(
            given_name=fields.get("given_name", stored["given_name"]),
            family_name=fields.get("family_name", stored["family_name"]),
        )
        rows = Patient.objects.filter(pk=patient.pk, version=version).update(
            **fields,
            **names,
            version=F("version") + 1,
            updated_by=actor.user,
            updated_at=actor.now,
        )
        if rows == 0:
            raise EditConflict(describe_conflict(patient, since_version=version))
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=patient,
            details={"fields": changed, "version": version + 1},
        )
    patient.refresh_from_db()
    return changed


def describe_conflict(patient: Patient, *, since_version: int) -> str:
    return changes_since(
        object_type="patient", object_id=str(patient.public_id), version=since_version
    )


def add_chart_entry[E: PatientRecord](*, patient: Patient, entry: E, actor: Actor) -> E:
    """Save a new allergy, medication, condition or measurement on ``patient``'s chart."""
    _require_own(actor, patient.clinic_id, Need.NURSING_WRITE, "Your role does not add to charts.")
    entry.patient = patient
    entry.recorded_by = actor.user
    entry.recorded_at = actor.now
    if isinstance(entry, Allergy):
        code_allergy(entry)
    entry.full_clean()
    if isinstance(entry, Measurement):
        day = entry.measured_on
        _not_after_today(day, field="measured_on", what="measurement date", actor=actor)
    with transaction.atomic():
        entry.save(force_insert=True)
        record_event(actor=actor, action=Action.CREATE, patient=patient, obj=entry)
    return entry


def retire_chart_entry[E: (Allergy, Medication, Condition)](*, entry: E, actor: Actor) -> E:
    """Mark an allergy, medication or condition no longer current (kept in the chart)."""
    patient = entry.patient
    _require_own(actor, patient.clinic_id, Need.NURSING_WRITE, "Your role does not edit charts.")
    if not entry.active:
        return entry
    with transaction.atomic():
        entry.active = False
        entry.save(update_fields=["active"])
        record_event(
            actor=actor, action=Action.UPDATE, patient=patient, obj=entry,
            details={"fields": ["active"]},
        )  # fmt: skip
    return entry
