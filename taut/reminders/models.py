"""Emails waiting to go out, one row per thing to tell someone, sent by ``taut worker``.

A ``Reminder`` is the unit of "at most once": its ``key`` is unique (one reminder per
check-in, per booked visit's intake link, per alert), and the worker may send it only after
moving it from PENDING to SENDING with a conditional UPDATE that exactly one process can win.
"""

import uuid

from django.db import models

from taut.accounts.models import Clinic
from taut.aftercare.models import Alert, CheckIn
from taut.patients.models import Patient
from taut.visits.models import Visit


class Reminder(models.Model):
    PATIENT_PATH = "patient"

    class Kind(models.TextChoices):
        CHECKIN = "checkin", "Check-in reminder to the patient"
        INTAKE = "intake", "Pre-visit intake link to the patient"
        ALERT = "alert", "Warning-sign alert to the clinic"
        PASSWORD = "password", "Portal password notice to the patient"
        MOVED = "moved", "Visit moved: notice to the patient"
        CANCELLED = "cancelled", "Visit cancelled: notice to the patient"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed: needs a person"
        SKIPPED = "skipped", "Not sent"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=80, unique=True)  # e.g. "checkin:<public_id>"
    kind = models.CharField(max_length=10, choices=Kind)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    # The patient's clinic, copied (a patient never changes clinic) so that the analytics'
    # reminder counts read one index (decision 0040).
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    send_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    to_address = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["send_after", "id"]
        indexes = [
            models.Index(fields=["status", "send_after"]),
            # "Emails not sent": failed and skipped reminders, newest first.
            models.Index(fields=["status", "updated_at"], name="reminder_status_updated"),
            # The analytics: a clinic's reminders of a period by status, from the index alone.
            models.Index(fields=["clinic", "send_after", "status"], name="reminder_clinic_period"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"
