"""The clinician's next-step decision after a session, kept beside the advice it answered."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from taut.clinical import schedule
from taut.patients.models import Patient
from taut.visits.models import Visit


class NextStepDecision(models.Model):
    """What the clinician decided after reading the next-step advice, and that advice.

    Never edited: a new decision is a new row naming the one it follows (``previous``).
    Each decision can be followed once, and a patient has one first decision, so two
    clinicians answering the same card cannot both be recorded.
    """

    PATIENT_PATH = "patient"

    class Choice(models.TextChoices):
        # Values are taut.clinical.schedule.NextStep (a test keeps them equal).
        REPEAT = "repeat", "Repeat session"
        CONTINUE = "continue", "Continue the current plan or self-care"
        REVIEW = "review", "Pause and review on a date"
        STOP = "stop", "Stop injections: refer or change the approach"
        OTHER = "other", "Other"

    class Advice(models.TextChoices):
        # Values are taut.clinical.schedule.Action.
        CONTINUE = "continue", "Continue the current plan"
        REPEAT = "repeat", "A repeat session is supported"
        RECONSIDER = "reconsider", "Reconsider injections"
        NEEDS_DATA = "needs_data", "Not enough follow-up to advise"

    class Eligible(models.TextChoices):
        YES = "yes", "Repeat eligible"
        NO = "no", "Repeat not eligible"
        UNKNOWN = "unknown", "Repeat eligibility unknown"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="next_step_decisions")
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followed_by"
    )
    # The advice shown when the clinician decided.
    advice_action = models.CharField(max_length=12, choices=Advice)
    rule_version = models.CharField(max_length=20)
    payer_policy = models.CharField(max_length=30)
    reconsider_after = models.PositiveSmallIntegerField()
    eligible = models.CharField(max_length=8, choices=Eligible)
    advice_checks = models.JSONField(default=dict, blank=True)  # reasons and payer checks
    # The decision.
    decision = models.CharField(max_length=10, choices=Choice)
    note = models.TextField(max_length=2000, blank=True)
    review_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(previous__isnull=True),
                name="one_first_next_step_decision_per_patient",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="review") | models.Q(review_on__isnull=False),
                name="next_step_review_has_a_date",
                violation_error_message="Give the date to review on.",
            ),
        ]

    def __str__(self):
        return f"{self.get_decision_display()} ({self.decided_at:%Y-%m-%d})"

    def clean(self):
        errors = {}
        if self.decision == self.Choice.REVIEW and self.review_on is None:
            errors["review_on"] = "Give the date to review on."
        known = self.advice_action in self.Advice.values and self.decision in self.Choice.values
        if known and not self.follows_advice and len(self.note.strip()) < 10:
            errors["note"] = "This differs from the advice: say why (at least 10 characters)."
        if errors:
            raise ValidationError(errors)

    @property
    def follows_advice(self) -> bool:
        return schedule.follows_advice(self.advice_action, self.decision)
