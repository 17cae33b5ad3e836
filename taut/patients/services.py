"""Writes to the patient registry. Each is atomic and audited."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from taut.audit.models import Action
from taut.audit.queries import changes_since
from taut.audit.services import record_event
from taut.lib.refusals import Conflict, Refused
from taut.patients.models import Patient

DEMOGRAPHIC_FIELDS = (
    "given_name", "family_name", "date_of_birth", "sex", "mrn",
    "phone", "email", "address", "preferred_language",
)  # fmt: skip


class EditConflict(Conflict):
    """Someone else saved the record after this form was opened."""


class DuplicateMRN(Refused):
    pass


def register_patient(*, clinic, by, request=None, **fields) -> Patient:
    patient = Patient(clinic=clinic, updated_by=by, **fields)
    patient.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            patient.save(force_insert=True)
            record_event(
                action=Action.CREATE,
                request=request,
                actor=by,
                object_type="patient",
                object_id=str(patient.public_id),
                patient_id=patient.public_id,
            )
    except IntegrityError as error:
        raise DuplicateMRN(f"MRN {patient.mrn} already belongs to another patient here.") from error
    return patient


def update_patient(*, patient: Patient, version: int | None, by, request=None, **fields) -> list:
    """Save demographics if nobody else has since ``version``; returns the fields changed."""
    if version is None:
        raise EditConflict("This form is missing its version: reload the page and try again.")
    with transaction.atomic():
        # Compare with the stored row: a bound ModelForm has already changed ``patient``.
        stored = Patient.objects.filter(pk=patient.pk).values(*fields).get()
        changed = [name for name, value in fields.items() if stored[name] != value]
        rows = Patient.objects.filter(pk=patient.pk, version=version).update(
            **fields, version=F("version") + 1, updated_by=by, updated_at=timezone.now()
        )
        if rows == 0:
            raise EditConflict(describe_conflict(patient, since_version=version))
        record_event(
            action=Action.UPDATE,
            request=request,
            actor=by,
            object_type="patient",
            object_id=str(patient.public_id),
            patient_id=patient.public_id,
            details={"fields": changed, "version": version + 1},
        )
    patient.refresh_from_db()
    return changed


def describe_conflict(patient: Patient, *, since_version: int) -> str:
    return changes_since(object_type="patient", object_id=patient.public_id, version=since_version)


def add_chart_entry(*, patient: Patient, entry, by, request=None):
    """Save a new allergy, medication, condition or measurement on ``patient``'s chart."""
    entry.patient = patient
    entry.recorded_by = by
    entry.full_clean()
    with transaction.atomic():
        entry.save(force_insert=True)
        record_event(
            action=Action.CREATE,
            request=request,
            actor=by,
            object_type=entry._meta.model_name,
            object_id=str(entry.public_id),
            patient_id=patient.public_id,
        )
    return entry


def retire_chart_entry(*, entry, by, request=None):
    """Mark an allergy, medication or condition no longer current (kept in the chart)."""
    if not entry.active:
        return entry
    with transaction.atomic():
        entry.active = False
        entry.save(update_fields=["active"])
        record_event(
            action=Action.UPDATE,
            request=request,
            actor=by,
            object_type=entry._meta.model_name,
            object_id=str(entry.public_id),
            patient_id=entry.patient.public_id,
            details={"fields": ["active"]},
        )
    return entry
