from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from taut.patients.models import Patient
from taut.visits.models.visit import Visit

NRS = [MinValueValidator(0), MaxValueValidator(10)]
GAS = [MinValueValidator(-2), MaxValueValidator(2)]


def nrs_field(label, **kwargs):
    return models.PositiveSmallIntegerField(label, validators=NRS, help_text="0–10", **kwargs)


class Intake(models.Model):
    """What the patient reports before the exam, and the screening verdict it produced."""

    PATIENT_PATH = "visit__patient"

    class Source(models.TextChoices):
        STAFF = "staff", "Entered by staff"
        PATIENT = "patient", "Reported by the patient"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="intake")
    source = models.CharField(max_length=10, choices=Source, default=Source.STAFF)
    reason = models.CharField("Reason for visit", max_length=300)
    index_region = models.CharField("Where is the main pain?", max_length=40)
    index_side = models.CharField(max_length=5, blank=True)
    pain_months = models.PositiveSmallIntegerField(
        "How long (months)", validators=[MaxValueValidator(1200)]
    )
    nrs_now = nrs_field("Pain now")
    nrs_average = nrs_field("Average pain, last week")
    nrs_worst = nrs_field("Worst pain, last week")
    peg_pain = nrs_field("PEG: average pain")
    peg_enjoyment = nrs_field("PEG: interference with enjoyment of life")
    peg_activity = nrs_field("PEG: interference with general activity")
    red_flags = models.JSONField(default=dict, blank=True)  # question id -> True/False
    site_infection_or_broken_skin = models.BooleanField(null=True, blank=True)
    acute_muscle_trauma_at_site = models.BooleanField(null=True, blank=True)
    pregnant = models.BooleanField(null=True, blank=True)
    bleeding_disorder = models.BooleanField(null=True, blank=True)
    anticoagulant_or_antiplatelet = models.BooleanField(null=True, blank=True)
    anaesthetic_allergies = models.JSONField(default=list, blank=True)  # dosing agent ids
    needle_phobia = models.BooleanField(null=True, blank=True)
    # None: not decided yet (a patient's own intake leaves it to the clinician).
    steroid_planned = models.BooleanField(null=True, blank=True)
    diabetes = models.BooleanField(null=True, blank=True)
    diabetes_poorly_controlled = models.BooleanField(null=True, blank=True)
    conservative_care = models.CharField("Conservative care tried", max_length=300, blank=True)
    conservative_care_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(2000)]
    )
    previous_tpi = models.BooleanField("Previous trigger point injections", null=True, blank=True)
    previous_tpi_details = models.CharField("When and where", max_length=300, blank=True)
    previous_tpi_relief = models.PositiveSmallIntegerField(
        "Relief from them (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    # screening.Indication values; None until a clinician has assessed it (a patient's own
    # intake leaves it None, so its verdict stays pending).
    indications = models.JSONField(default=list, blank=True, null=True)
    payer_policy = models.CharField(max_length=30, blank=True)
    # The screening verdict when the intake was last saved, with the rule version.
    verdict_status = models.CharField(max_length=20, blank=True)
    verdict_reasons = models.JSONField(default=list, blank=True)
    verdict_version = models.CharField(max_length=20, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A patient-reported intake stays "to review" until staff mark it reviewed or save it.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            # The day list's coming reports to review: the few waiting, not every coming visit.
            models.Index(
                fields=["visit"],
                condition=models.Q(source="patient", reviewed_at__isnull=True),
                name="intake_awaiting_review",
            ),
        ]

    def __str__(self):
        return f"intake for {self.visit}"

    @property
    def awaiting_review(self) -> bool:
        """Reported by the patient and not yet reviewed by staff."""
        return self.source == self.Source.PATIENT and self.reviewed_at is None


class Goal(models.Model):
    """A goal in the patient's own words, scored on Goal Attainment Scaling (-2..+2)."""

    PATIENT_PATH = "patient"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField("Goal, in the patient's words", max_length=200)
    baseline = models.SmallIntegerField(
        "Level now (GAS)",
        validators=GAS,
        default=-1,
        help_text="−2 much less than expected … 0 expected outcome … +2 much more",
    )
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text


class FibromyalgiaSurvey(models.Model):
    """The ACR 2016 survey, its WPI pre-filled from the visit's drawing."""

    PATIENT_PATH = "visit__patient"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="fm_survey")
    painful_areas = models.JSONField(default=list)
    fatigue = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    unrefreshed = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    cognitive = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    headaches = models.BooleanField()
    lower_abdominal = models.BooleanField()
    depression = models.BooleanField()
    months = models.PositiveSmallIntegerField(validators=[MaxValueValidator(1200)])
    wpi = models.PositiveSmallIntegerField()
    sss = models.PositiveSmallIntegerField()
    generalized = models.BooleanField()
    meets = models.BooleanField()
    rule_version = models.CharField(max_length=20)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"ACR 2016 survey: WPI {self.wpi}, SSS {self.sss}"


class ScreeningDecision(models.Model):
    """A clinician's recorded decision on a "needs review" or "not eligible" verdict."""

    PATIENT_PATH = "visit__patient"

    class Kind(models.TextChoices):
        PROCEED = "proceed", "Proceed after review"
        OVERRIDE = "override", "Override: proceed although not eligible"
        DO_NOT_PROCEED = "do_not_proceed", "Do not proceed"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=20, choices=Kind)
    reason = models.CharField(max_length=500)
    verdict_status = models.CharField(max_length=20)
    # The verdict's reasons this decision was made on, [{code, kind, text}]: any new or
    # changed reason voids it (taut.clinical.screening.decision_covers).
    covers = models.JSONField(default=list, blank=True)
    verdict_version = models.CharField(max_length=20, blank=True)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            # The analytics' screening overrides, newest first (decision 0040).
            models.Index(
                fields=["-decided_at"],
                condition=models.Q(kind="override"),
                name="screening_overrides_by_time",
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.reason[:40]}"
