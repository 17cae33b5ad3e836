"""Appointment requests sent from a clinic's public page (their throttle counts live in
``taut.accounts.throttles``, with the sign-in throttles).

A request is what a visitor typed (never shown back to them or to anyone outside the clinic),
read by the clinic's staff through ``request_access`` and turned into a patient and a booked
visit, or dismissed. It expires (``expires_at``, the clinic's ``request_days()`` after it was
sent) and ``taut purge-requests`` deletes it then (docs/decisions/0025-appointment-requests.md).
"""

import uuid

from django.db import models

from taut.accounts.models import Clinic
from taut.patients.models import Patient
from taut.visits.models import Visit


class AppointmentRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "To call back"
        BOOKED = "booked", "Booked"
        DISMISSED = "dismissed", "Dismissed"

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Spanish"

    class Time(models.TextChoices):
        MORNINGS = "mornings", "Mornings"
        AFTERNOONS = "afternoons", "Afternoons"
        ANY = "any", "Any time"

    class DismissReason(models.TextChoices):
        NOT_WANTED = "not_wanted", "Called back: no appointment wanted"
        UNREACHABLE = "unreachable", "Could not reach them"
        DUPLICATE = "duplicate", "A duplicate of another request"
        NOT_GENUINE = "not_genuine", "Not a genuine request"
        ELSEWHERE = "elsewhere", "Referred elsewhere"

    class Notice(models.TextChoices):
        """The email that tells the clinic a request came (it names nobody)."""

        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Not sent (no clinic email)"

    AUDIT_TYPE = "appointment_request"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    language = models.CharField(max_length=2, choices=Language, default=Language.ENGLISH)
    preferred_time = models.CharField(max_length=10, choices=Time, default=Time.ANY)
    consent = models.BooleanField(default=False)  # to be contacted: the form requires it
    # The self-check's answers as the visitor's token carried them (None: none attached).
    answers = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    version = models.PositiveIntegerField(default=1)
    # What staff made of it: the patient (chosen or registered) and the visit booked.
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismiss_reason = models.CharField(max_length=20, choices=DismissReason, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notice = models.CharField(max_length=10, choices=Notice, default=Notice.PENDING)
    notice_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The clinic's open requests, oldest first (the list and the day list's section).
            models.Index(fields=["clinic", "status", "created_at"], name="request_open_list"),
            # The purge: everything past its expiry.
            models.Index(fields=["expires_at"], name="request_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phone="", email=""), name="request_phone_or_email"
            ),
        ]

    def __str__(self):
        return f"Appointment request {self.public_id} ({self.status})"

    @property
    def display_name(self) -> str:
        return f"{self.family_name}, {self.given_name}"
