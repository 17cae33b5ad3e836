"""Reads for the export views: which types a level exports, a caller's job, its manifest."""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from taut.accounts.models import Clinic
from taut.fhir import registry
from taut.fhir.bulk.callers import Exporter
from taut.fhir.mapping.base import Json, instant
from taut.fhir.models import ExportFile, ExportJob
from taut.patients.models import Patient

Level = ExportJob.Level


def exportable_types(level: str) -> tuple[str, ...]:
    """Every served type at the system level; the Patient compartment's at the Group and
    Patient levels (the IG's "resources in the Patient compartment")."""
    kinds = registry.KINDS.values()
    if level == Level.SYSTEM:
        return tuple(kind.name for kind in kinds)
    return tuple(kind.name for kind in kinds if kind.compartment)


def patient_count(clinic: Clinic) -> int:
    """How many patients the clinic's Group has: all of them."""
    return Patient.objects.filter(clinic=clinic).count()


def job_for(exporter: Exporter, public_id: UUID | str, *, now: datetime) -> ExportJob | None:
    """``exporter``'s own job ``public_id``: same clinic, same user, same app, not cancelled
    and not expired; else None (a 404 that tells nobody else's job exists)."""
    return (
        ExportJob.objects.filter(
            public_id=public_id,
            clinic=exporter.clinic,
            requested_by=exporter.user,
            client_id=exporter.client_id,
            expires_at__gt=now,
        )
        .exclude(state=ExportJob.State.CANCELLED)
        .first()
    )


def file_for(job: ExportJob, public_id: UUID | str) -> ExportFile | None:
    if job.state != ExportJob.State.DONE:
        return None
    return ExportFile.objects.filter(job=job, public_id=public_id).first()


def manifest(job: ExportJob, *, url: Callable[[ExportFile], str]) -> Json:
    """The Complete Status response body (IG 2.0, "Response - Complete Status"); ``url``
    gives a file's absolute download address."""
    output: list[Json] = []
    errors: list[Json] = []
    for file in ExportFile.objects.filter(job=job).order_by("pk"):
        entry = {"type": file.resource_type, "url": url(file), "count": file.count}
        (errors if file.resource_type == "OperationOutcome" else output).append(entry)
    return {
        "transactionTime": instant(job.transaction_time or job.created_at),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": output,
        "error": errors,
    }
