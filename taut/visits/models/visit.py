from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "Did not attend"

    class Kind(models.TextChoices):
        NEW_ASSESSMENT = "new_assessment", "New TPI assessment"
        REPEAT_SESSION = "repeat_session", "Repeat TPI session"
        FOLLOW_UP = "follow_up", "Follow-up review"

    class Arrival(models.TextChoices):
        EXPECTED = "expected", "Not arrived"
        WAITING = "waiting", "Arrived, waiting"
        IN_ROOM = "in_room", "In room"

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
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.NEW_ASSESSMENT)
    duration_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    # Booked over another visit of the same clinician on purpose (the override is audited).
    double_booked = models.BooleanField(default=False)
    state = models.CharField(max_length=24, choices=State, default=State.SCHEDULED)
    arrival = models.CharField(max_length=10, choices=Arrival, default=Arrival.EXPECTED)
    arrived_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
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
        indexes = [
            models.Index(fields=["scheduled_for"]),
            # The chart's Visits card: one patient's visits, latest first.
            models.Index(fields=["patient", "-scheduled_for"], name="visit_patient_latest"),
            # One clinician's day (the day list's filter) and the schedule's columns.
            models.Index(fields=["clinician", "scheduled_for"], name="visit_clinician_day"),
        ]

    def __str__(self):
        return f"visit on {self.scheduled_for:%Y-%m-%d %H:%M}"

    @property
    def locked(self) -> bool:
        """Signed, ended, cancelled or missed visits are closed: corrections are addenda."""
        return self.state in CLOSED_STATES

    @property
    def ends_at(self) -> datetime:
        return self.scheduled_for + timedelta(minutes=self.duration_minutes)

    @property
    def whereabouts(self) -> str:
        """Where the patient is, for the day list: arrived, waiting or in the room; "Seen"
        for a visit under way or done that nobody checked in; else the closed state."""
        if not self.booked:
            return self.get_state_display()
        if self.arrival != self.Arrival.EXPECTED:
            return self.get_arrival_display()
        if self.state not in (self.State.SCHEDULED, self.State.INTAKE_DONE):
            return "Seen"
        return self.get_arrival_display()

    @property
    def booked(self) -> bool:
        """Still on the schedule (not cancelled nor missed): holds its clinician's slot."""
        return self.state not in (self.State.CANCELLED, self.State.NO_SHOW)


# Each visit type's usual length (minutes): the booking form's default, editable per visit.
KIND_MINUTES = {
    Visit.Kind.NEW_ASSESSMENT: 45,
    Visit.Kind.REPEAT_SESSION: 30,
    Visit.Kind.FOLLOW_UP: 15,
}
CLOSED_STATES = (
    Visit.State.SIGNED,
    Visit.State.ENDED,
    Visit.State.CANCELLED,
    Visit.State.NO_SHOW,
)
