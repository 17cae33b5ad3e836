"""The clinician's next-step decision after a session, kept beside the advice it answered."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from taut.accounts.models import Clinic
from taut.clinical import outcomes, schedule
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


class FunctionReading(models.Model):
    """The clinician's reading of function after a session (the payer's "functional
    improvement on a validated scale"), with the PEG evidence shown when it was made.

    Never edited: a later reading of the same session is a new row naming the one it
    supersedes (``previous``); the current reading is the one nobody followed. A session has
    one first reading, so two clinicians reading the same form cannot both be recorded.
    """

    PATIENT_PATH = "patient"

    class Scale(models.TextChoices):
        PEG = "peg_interference", "PEG interference items (enjoyment of life, general activity)"
        OTHER = "other", "Another validated function scale"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="function_readings")
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followed_by"
    )
    improved = models.BooleanField()
    scale = models.CharField(max_length=20, choices=Scale)
    scale_name = models.CharField(max_length=120, blank=True)  # when scale is "other"
    note = models.TextField(max_length=2000, blank=True)
    # taut.clinical.outcomes.FunctionEvidence.as_dict() as shown, and the rule version.
    evidence = models.JSONField(default=dict, blank=True)
    rule_version = models.CharField(max_length=20)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit"],
                condition=models.Q(previous__isnull=True),
                name="one_first_function_reading_per_visit",
            ),
            models.CheckConstraint(
                condition=~models.Q(scale="other") | ~models.Q(scale_name=""),
                name="function_reading_other_scale_named",
                violation_error_message="Name the validated scale you used.",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.recorded_at:%Y-%m-%d})"

    def clean(self):
        errors = {}
        if self.scale == self.Scale.OTHER:
            if not self.scale_name.strip():
                errors["scale_name"] = "Name the validated scale you used."
            if len(self.note.strip()) < 10:
                errors["note"] = "Give the scores on that scale (at least 10 characters)."
        elif self.scale == self.Scale.PEG and self.improved in (True, False):
            agrees = outcomes.function_reading_agrees(
                self.evidence.get("suggestion", "unknown"), self.improved
            )
            if agrees is None:
                errors["scale"] = (
                    "There are no PEG figures to read for this session: "
                    f"{self.evidence.get('text', '')} Choose another validated scale and "
                    "name it."
                )
            elif not agrees and len(self.note.strip()) < 10:
                errors["note"] = (
                    "This differs from what the PEG figures suggest: say why (at least 10 "
                    "characters)."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        return "Improved" if self.improved else "Not improved"

    @property
    def scale_label(self) -> str:
        return self.scale_name if self.scale == self.Scale.OTHER else "PEG interference"

    @property
    def agrees(self) -> bool | None:
        """Whether the reading agrees with what the PEG figures suggested (None: they
        suggested nothing, or another scale was used)."""
        if self.scale != self.Scale.PEG:
            return None
        return outcomes.function_reading_agrees(
            self.evidence.get("suggestion", "unknown"), self.improved
        )


class NextStepDue(models.Model):
    """The first day the patient's next-step decision is due (``schedule.next_step_due_from``),
    stored so the worklist reads "due on or before today" from an index.

    Derived, never edited by hand: ``services.refresh_next_step_due`` computes it again, in
    the transaction of every write that changes its facts (signing a session, a check-in's
    answers, a reading of function, a decision); ``taut refresh-next-steps`` after a change
    to the clinic's payer policy or "reconsider after". ``due_from`` None: not due until a
    fact changes (or no session yet).
    """

    PATIENT_PATH = "patient"

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="+")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    last_session = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_from = models.DateField(null=True, blank=True)
    rule_version = models.CharField(max_length=20)  # schedule.DUE_FROM_VERSION
    computed_at = models.DateTimeField()

    class Meta:
        # The worklist's order: longest due first, ties by patient (a page read from the
        # index; ordering ties by name sorted every due patient of the clinic: 47 ms at
        # 50,000 patients on SQLite).
        indexes = [
            models.Index(fields=["clinic", "due_from", "patient"], name="next_step_due_in_order")
        ]

    def __str__(self):
        return f"due from {self.due_from}" if self.due_from else "not due"


class Response(models.Model):
    """A session's response as the analytics count it (``facts.RESPONSES``): ≥ 30 % and
    ≥ 50 % relief at 2 and 6 weeks (None: no score in the window, or no baseline), and the
    durability time with its event (``relief_ended`` False: censored; None: no score).
    ``SessionOutcome`` holds it and each ``SessionFacet`` a copy."""

    resp30_2w = models.BooleanField(null=True, blank=True)
    resp50_2w = models.BooleanField(null=True, blank=True)
    resp30_6w = models.BooleanField(null=True, blank=True)
    resp50_6w = models.BooleanField(null=True, blank=True)
    relief_days = models.PositiveSmallIntegerField(null=True, blank=True)
    relief_ended = models.BooleanField(null=True, blank=True)

    class Meta:
        abstract = True


class SessionOutcome(Response):
    """One signed session as the clinic's analytics count it: what was done and how the
    patient responded (``facts.session_outcomes``).

    Derived, never edited by hand: stored again with the patient's next-step day
    (``services.refresh_next_step_due``) in the transaction of every write that changes its
    facts (signing a session, a check-in's answers), and for a whole clinic by
    ``taut refresh-next-steps``. The analytics group these rows in the database.
    ``None`` in a response column: no score in that window (or no baseline).
    """

    PATIENT_PATH = "patient"

    class Guidance(models.TextChoices):
        LANDMARK = "landmark", "Landmark"
        ULTRASOUND = "ultrasound", "Ultrasound"
        BOTH = "both", "Landmark and ultrasound"

    class Method(models.TextChoices):
        INJECTION = "injection", "Injection"
        DRY_NEEDLING = "dry_needling", "Dry needling"
        BOTH = "both", "Injection and dry needling"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()  # the session's day in the clinic's time zone
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session_number = models.PositiveSmallIntegerField()  # 1: the patient's first session
    days_since_previous = models.PositiveIntegerField(null=True, blank=True)  # None: first
    baseline = models.PositiveSmallIntegerField(null=True, blank=True)
    nrs_2w = models.PositiveSmallIntegerField(null=True, blank=True)
    nrs_6w = models.PositiveSmallIntegerField(null=True, blank=True)
    guidance = models.CharField(max_length=12, choices=Guidance)
    method = models.CharField(max_length=12, choices=Method)
    steroid = models.BooleanField(default=False)
    complications = models.PositiveSmallIntegerField(default=0)
    dose_override = models.BooleanField(default=False)
    payer_met = models.BooleanField(null=True, blank=True)  # None: a first session
    gas_t = models.FloatField(null=True, blank=True)
    gas_day = models.PositiveSmallIntegerField(null=True, blank=True)  # days after the session
    followups = models.PositiveSmallIntegerField(default=0)  # answered scores after it
    # The days of the patient's 1st to 4th sessions before this one (None: fewer before
    # it), and of the previous one with a durability time: the chains ``DayCount`` counts
    # patients with (``taut.outcomes.daycounts``).
    previous_day = models.DateField(null=True, blank=True)
    previous_day_2 = models.DateField(null=True, blank=True)
    previous_day_3 = models.DateField(null=True, blank=True)
    previous_day_4 = models.DateField(null=True, blank=True)
    previous_followed_day = models.DateField(null=True, blank=True)
    rule_version = models.CharField(max_length=20)  # outcomes.DURABILITY_VERSION
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["clinic", "day"], name="session_outcome_by_day")]

    def __str__(self):
        return f"session {self.session_number} on {self.day}"


class SessionFacet(Response):
    """One thing a session was (a muscle injected, an agent, an indication, its number…)
    with the session's response copied beside it, so a breakdown by any of them is one
    ``GROUP BY`` over this table. Derived with ``SessionOutcome``."""

    class Dimension(models.TextChoices):
        MUSCLE = "muscle", "Muscle"
        STRUCTURE = "structure", "Ligament or tendon"
        AGENT = "agent", "Agent and concentration"
        STEROID = "steroid", "Steroid"
        GUIDANCE = "guidance", "Guidance"
        METHOD = "method", "Injection or dry needling"
        INDICATION = "indication", "Indication"
        SESSION = "session", "Session number"
        CLINICIAN = "clinician", "Clinician"
        COMPLICATION = "complication", "Complication"

    outcome = models.ForeignKey(SessionOutcome, on_delete=models.CASCADE, related_name="facets")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    dimension = models.CharField(max_length=12, choices=Dimension)
    value = models.CharField(max_length=60)
    # The day of the patient's previous session in this group, and of the previous one
    # with a durability time (this one having one): see ``SessionOutcome``.
    previous_day = models.DateField(null=True, blank=True)
    previous_followed_day = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # The analytics' "only sessions with" filter: the period's sessions of one group
            # read from the index alone (docs/decisions/0037-analytics-at-scale.md).
            models.Index(
                fields=["clinic", "dimension", "value", "day", "outcome"],
                name="session_facet_by_value",
            ),
            # The period's rows, and the rows after a period whose chain reaches back before
            # it (decision 0040).
            models.Index(
                fields=["clinic", "day", "dimension", "value", "previous_day"],
                name="session_facet_by_day",
            ),
        ]

    def __str__(self):
        return f"{self.dimension}={self.value}"


class SessionCheckin(models.Model):
    """One check-in of a stored session, as the process figures count it: its checkpoint,
    the day it was due and whether it was answered. Derived with ``SessionOutcome``."""

    outcome = models.ForeignKey(SessionOutcome, on_delete=models.CASCADE, related_name="checkins")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()  # the session's
    checkpoint = models.CharField(max_length=30)
    offset_days = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=40)
    due_on = models.DateField()
    answered = models.BooleanField()

    def __str__(self):
        return f"{self.checkpoint} of the session on {self.day}"


def _count():
    # Not "positive": a count kept in step can never go below 0, and a check that it does
    # must not fail the clinical write that keeps it (a test compares it with a rebuild).
    return models.IntegerField(default=0)


class DayCount(models.Model):
    """The clinic's stored session outcomes of one day in one group (``dimension`` and
    ``value`` of ``SessionFacet``; both "" for all sessions), counted: the analytics page
    sums these rows instead of reading every facet (docs/decisions/0040-daily-counts.md).

    Derived from ``SessionOutcome`` and ``SessionFacet`` by ``taut.outcomes.daycounts``,
    in the transaction that stores them; never edited by hand. ``firsts``/``returns``
    count the chains of ``previous_day``: a row with none before it, and the rows whose
    previous session in the group was on this day. The columns after ``followed_returns``
    are filled for all sessions only."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=12, blank=True)
    value = models.CharField(max_length=60, blank=True)
    day = models.DateField()
    sessions = _count()
    scored_2w = _count()
    r30_2w = _count()
    r50_2w = _count()
    scored_6w = _count()
    r30_6w = _count()
    r50_6w = _count()
    firsts = _count()
    returns = _count()
    followed = _count()
    followed_firsts = _count()
    followed_returns = _count()
    firsts_2 = _count()
    returns_2 = _count()
    firsts_3 = _count()
    returns_3 = _count()
    firsts_4 = _count()
    returns_4 = _count()
    repeats = _count()
    repeats_met = _count()
    no_followup = _count()
    gap_short = _count()
    gap_mid = _count()
    gap_long = _count()
    gas = _count()
    gas_met = _count()
    gas_tenths = _count()  # the GAS T-scores summed, in tenths (they are kept to one)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "dimension", "value", "day"], name="one_day_count"
            )
        ]
        indexes = [models.Index(fields=["clinic", "day"], name="day_count_by_day")]

    def __str__(self):
        return f"{self.dimension or 'all'}={self.value} on {self.day}: {self.sessions}"


class ReliefCount(models.Model):
    """How many of a day's sessions in a group (as ``DayCount``) had each durability time
    and event: the Kaplan–Meier curves' counts. Derived like ``DayCount``."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=12, blank=True)
    value = models.CharField(max_length=60, blank=True)
    day = models.DateField()
    relief_days = models.PositiveSmallIntegerField()
    relief_ended = models.BooleanField()
    sessions = _count()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "dimension", "value", "day", "relief_days", "relief_ended"],
                name="one_relief_count",
            )
        ]

    def __str__(self):
        return f"{self.dimension or 'all'}={self.value} on {self.day}: {self.relief_days} days"


class CheckinCount(models.Model):
    """How many check-ins of a day's sessions (``SessionCheckin``) had each checkpoint and
    due day, and how many were answered. Derived like ``DayCount``."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    checkpoint = models.CharField(max_length=30)
    offset_days = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=40)
    due_on = models.DateField()
    due = _count()
    answered = _count()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "day", "checkpoint", "offset_days", "label", "due_on"],
                name="one_checkin_count",
            )
        ]

    def __str__(self):
        return f"{self.checkpoint} of the sessions on {self.day}: {self.answered}/{self.due}"
