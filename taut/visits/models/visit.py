from django.conf import settings
from django.db import models

from taut.drawings.models import PainDrawing
from taut.patients.models import PatientRecord


class Visit(PatientRecord):
    """One clinic visit. Every write to any part of it bumps ``version`` (optimistic
    locking): a form opened at an older version is refused with who changed what.

    Its one-to-one parts (intake, consent, time_out, procedure, note) may not exist yet:
    read them as ``getattr(visit, "intake", None)`` (Django's RelatedObjectDoesNotExist is
    an AttributeError)."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        INTAKE_DONE = "intake_done", "Intake done"
        EXAMINED = "examined", "Examined"
        PROCEDURE_DOCUMENTED = "procedure_documented", "Procedure documented"
        SIGNED = "signed", "Signed"
        ENDED = "ended", "Ended without a procedure"

    class EndReason(models.TextChoices):
        NOT_ELIGIBLE = "not_eligible", "Not eligible for injections today"
        NO_ACTIVE_POINTS = "no_active_points", "No active trigger points found"
        DECLINED = "declined", "Patient declined"
        REFERRED = "referred", "Referred for other work-up"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        OTHER = "other", "Other"

    scheduled_for = models.DateTimeField()
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    state = models.CharField(max_length=24, choices=State, default=State.SCHEDULED)
    end_reason = models.CharField(max_length=20, choices=EndReason, blank=True)
    drawing = models.ForeignKey(
        PainDrawing, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-scheduled_for"]
        indexes = [models.Index(fields=["scheduled_for"])]

    def __str__(self):
        return f"visit on {self.scheduled_for:%Y-%m-%d %H:%M}"

    @property
    def locked(self) -> bool:
        """Signed or ended visits are closed: corrections are addenda."""
        return self.state in (self.State.SIGNED, self.State.ENDED)
