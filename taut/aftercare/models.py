"""Follow-up after a signed session: scheduled check-ins and the alerts their answers raise."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from taut.clinical import checkins
from taut.patients.models import Patient
from taut.visits.models import Visit

ZERO_TO_TEN = [MinValueValidator(0), MaxValueValidator(10)]


class CheckIn(models.Model):
    """One follow-up check-in of a signed session, from the clinic's follow-up plan.

    ``answers`` maps a ``taut.clinical.checkins`` question id to its value (GAS as a
    mapping of the visit's goal ids to levels); the 0–10 scores are also kept as columns for
    queries and outcomes.
    """

    PATIENT_PATH = "patient"
    AUDIT_TYPE = "checkin"

    class Source(models.TextChoices):
        STAFF_PHONE = "staff_phone", "Staff, by phone"
        PATIENT = "patient", "The patient"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checkins")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    checkpoint = models.CharField(max_length=30)  # a schedule.Checkpoint key, e.g. "week_2"
    offset_days = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=40)
    due_on = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=12, choices=Source, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    nrs = models.PositiveSmallIntegerField(null=True, blank=True, validators=ZERO_TO_TEN)
    peg_pain = models.PositiveSmallIntegerField(null=True, blank=True, validators=ZERO_TO_TEN)
    peg_enjoyment = models.PositiveSmallIntegerField(null=True, blank=True, validators=ZERO_TO_TEN)
    peg_activity = models.PositiveSmallIntegerField(null=True, blank=True, validators=ZERO_TO_TEN)
    soreness = models.PositiveSmallIntegerField(null=True, blank=True, validators=ZERO_TO_TEN)
    # Empty when not asked (before week 1): ruff's DJ001 keeps one "no value" for text.
    pgic = models.CharField(max_length=24, blank=True)
    rule_version = models.CharField(max_length=20, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "checkpoint"], name="one_checkin_per_checkpoint"
            ),
        ]
        indexes = [
            models.Index(fields=["due_on"]),
            # The worklist's due and overdue check-ins (open ones by due day), and a
            # patient's open check-ins on the chart's portal card.
            models.Index(
                fields=["due_on", "id"],
                condition=models.Q(completed_at__isnull=True),
                name="checkin_open_by_due",
            ),
        ]

    def __str__(self):
        return f"{self.label} check-in"

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def pgic_label(self) -> str:
        return checkins.pgic_label(self.pgic)


class Alert(models.Model):
    """A warning sign reported at a check-in, waiting for a clinician or nurse to act."""

    PATIENT_PATH = "patient"

    class Severity(models.TextChoices):
        URGENT = "urgent", "Urgent: contact now"
        SOON = "soon", "Soon: contact today"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    # A check-in's answer, or (checkin None) an answer in the patient's pre-visit intake.
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    code = models.CharField(max_length=30)  # an aftercare.Sign value
    severity = models.CharField(max_length=10, choices=Severity)
    text = models.CharField(max_length=500)
    source = models.CharField(max_length=300, blank=True)
    rule_version = models.CharField(max_length=20, blank=True)
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        indexes = [models.Index(fields=["acknowledged_at"])]

    def __str__(self):
        return f"{self.get_severity_display()} alert: {self.code}"

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None
