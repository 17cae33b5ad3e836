"""Bulk Data export jobs (FHIR Bulk Data Access IG 2.0, decision 0045) and their files."""

import uuid

from django.conf import settings
from django.db import models

from taut.accounts.models import Clinic


class ExportJob(models.Model):
    """One ``$export``: asked for by a member of staff (``requested_by``) or an app
    (``client_id``; blank for a browser session), run by ``taut worker``
    (``taut.fhir.tasks.export_task``), its files served until ``expires_at``.

    Its state moves QUEUED → RUNNING → DONE or FAILED, each step a conditional UPDATE
    (``taut.fhir.bulk.services``); a DELETE from the client makes it CANCELLED at any
    point, which the worker notices between chunks. ``version`` counts the changes."""

    class Level(models.TextChoices):
        SYSTEM = "system", "Whole clinic ($export)"
        GROUP = "group", "The clinic's patients as a Group (Group/[id]/$export)"
        PATIENT = "patient", "Every patient (Patient/$export)"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    AUDIT_TYPE = "fhir_export"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=10, choices=Level)
    types = models.JSONField(default=list)  # resource type names, in export order
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.TextField()  # the kick-off request, for the manifest
    base_url = models.TextField()  # the FHIR base the references are written against
    # Kick-off parameters not supported and ignored (``Prefer: handling=lenient``): each
    # is reported in the manifest's error file.
    ignored = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    progress = models.CharField(max_length=60, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    patients = models.PositiveIntegerField(default=0)  # patients exported (for the audit)
    transaction_time = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)  # what failed, for the client (no patient data)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="fhir_export_expiry")]

    def __str__(self):
        return f"export {self.public_id}"


class ExportFile(models.Model):
    """One NDJSON file of a job: ``count`` resources of ``resource_type`` (``seq`` orders a
    type's files), stored under ``name`` in the export storage (``bulk.storage``).
    ``resource_type`` OperationOutcome: the job's error file."""

    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="files")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resource_type = models.CharField(max_length=40)
    seq = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    count = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.resource_type} file {self.seq} of {self.job}"
