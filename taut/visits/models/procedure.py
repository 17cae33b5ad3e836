import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from taut.visits.models.visit import Visit

NRS = [MinValueValidator(0), MaxValueValidator(10)]


class Consent(models.Model):
    PATIENT_PATH = "visit__patient"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="consent")
    consented_by = models.CharField(
        "Who consented",
        max_length=120,
        help_text="The patient, or the name of their representative",
    )
    consented_at = models.DateTimeField("When")
    risks = models.JSONField(default=list)  # taut.clinical.consent risk ids discussed
    obtained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self):
        return f"consent by {self.consented_by}"


class TimeOut(models.Model):
    PATIENT_PATH = "visit__patient"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="time_out")
    items = models.JSONField(default=list)  # every taut.clinical.consent time-out item confirmed
    done_at = models.DateTimeField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"time-out at {self.done_at:%H:%M}"


class Procedure(models.Model):
    """The injection session of a visit: the weight dosed by, pain before and after,
    complications, and the dosing table that was in force."""

    PATIENT_PATH = "visit__patient"

    class Complication(models.TextChoices):
        NONE = "none", "None"
        VASOVAGAL = "vasovagal", "Vasovagal reaction"
        HAEMATOMA = "haematoma", "Haematoma"
        BLEEDING = "bleeding", "Bleeding"
        PNEUMOTHORAX = "pneumothorax", "Suspected pneumothorax"
        LAST = "last", "Suspected local anaesthetic systemic toxicity (LAST)"
        OTHER = "other", "Other"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="procedure")
    weight_kg = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("400"))],
    )
    weight_measured_on = models.DateField()
    dosing_table = models.JSONField(default=dict)  # name, version, source of the table used
    nrs_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=NRS)
    nrs_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=NRS)
    complications = models.JSONField(default=list, blank=True)  # Complication values
    complication_action = models.CharField("What was done", max_length=500, blank=True)
    # Suspected LAST: the ASRA checklist steps taken (taut.clinical.last step ids).
    last_steps = models.JSONField(default=list, blank=True)
    # Dose reductions the clinician applied (taut.clinical.dosing factor ids), on the note.
    dose_reductions = models.JSONField(default=list, blank=True)
    # Local anaesthetic given elsewhere in the last 24 hours, [{agent, mg, epinephrine,
    # given_at, where}], added to the session's dose.
    other_anaesthetic = models.JSONField(default=list, blank=True)
    # Why a new dosing weight may put the recorded sites over the maximum.
    weight_override_reason = models.CharField(max_length=500, blank=True)
    # Observation after the last injection (clinic policy, minutes, copied at the start).
    observation_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharge_vitals = models.JSONField(default=dict, blank=True)
    discharge_symptoms = models.JSONField(default=list, blank=True)
    observation_cut_short = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField()

    def __str__(self):
        return f"procedure at {self.visit}"

    @property
    def complication_labels(self) -> list[str]:
        """The complications recorded, in words."""
        known = self.Complication.values
        return [self.Complication(c).label for c in self.complications if c in known]


class InjectionSite(models.Model):
    PATIENT_PATH = "procedure__visit__patient"

    class Kind(models.TextChoices):
        ANAESTHETIC = "anaesthetic", "Local anaesthetic"
        SALINE = "saline", "Saline"
        DRY_NEEDLING = "dry_needling", "Dry needling (no injectate)"

    class Guidance(models.TextChoices):
        LANDMARK = "landmark", "Landmark (palpation)"
        ULTRASOUND = "ultrasound", "Ultrasound"

    class Sclerosant(models.TextChoices):
        """Prolotherapy: a sclerosant injected (not covered by Medicare, NCD 150.7)."""

        DEXTROSE = "dextrose", "Dextrose (prolotherapy)"
        OTHER = "other", "Other sclerosant (prolotherapy)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="sites")
    # Any taut.clinical.atlas SITE id: a muscle or a ligament/tendon structure (the name is
    # kept for the muscle readers); "midline" sides only for midline structures.
    muscle = models.CharField(max_length=40)
    side = models.CharField(max_length=7)
    kind = models.CharField(max_length=15, choices=Kind, default=Kind.ANAESTHETIC)
    agent = models.CharField(max_length=20, blank=True)  # a taut.clinical.dosing agent
    percent = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    epinephrine = models.BooleanField(default=False)
    volume_ml = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    needle_gauge = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(18), MaxValueValidator(32)]
    )
    needle_length_mm = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("4")), MaxValueValidator(Decimal("150"))],
    )
    guidance = models.CharField(max_length=12, choices=Guidance, default=Guidance.LANDMARK)
    aspiration = models.BooleanField("Aspirated before injecting", default=False)
    twitch = models.BooleanField("Local twitch elicited", default=False)
    # The vial is preservative-free (no methylparaben): required for a paraben allergy.
    preservative_free = models.BooleanField(default=False)
    # A corticosteroid given with the anaesthetic (taut.clinical.steroids agent id, mg).
    steroid = models.CharField(max_length=30, blank=True)
    steroid_mg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # Prolotherapy: the sclerosant given (blank: not prolotherapy); coded and flagged apart.
    sclerosant = models.CharField(
        "Sclerosant (prolotherapy)", max_length=10, choices=Sclerosant, blank=True
    )
    # Why a muscle without a confirmed active trigger point is injected (latent / not
    # confirmed on the exam); on the note, and it decides whether the muscle is billed.
    point_reason = models.CharField(max_length=500, blank=True)
    # The clinician confirmed the risk of a landmark-guided injection at a high-risk site.
    high_risk_confirmed = models.BooleanField(default=False)
    # Why a steroid is given at a tendon the atlas says takes none (the Achilles insertion,
    # the patellar tendon: site_checks.steroid_reason_needed); on the note by the caution.
    steroid_site_reason = models.CharField(
        "Reason for a steroid at this tendon", max_length=500, blank=True
    )
    lot_number = models.CharField(max_length=40, blank=True)
    expiry = models.DateField(null=True, blank=True)
    # A clinician's reason for exceeding the weight-based maximum (audited; on the note).
    override_reason = models.CharField(max_length=500, blank=True)
    dose_fraction = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(volume_ml__isnull=True) | models.Q(volume_ml__gt=0),
                name="site_volume_positive",
                violation_error_message="The volume must be more than 0 mL.",
            ),
        ]
        indexes = [
            # The analytics' dose-guard overrides: the few sites with a reason, newest first
            # (docs/decisions/0040-daily-counts.md).
            models.Index(
                fields=["-recorded_at"],
                condition=~models.Q(override_reason=""),
                name="site_overrides_by_time",
            ),
        ]

    def __str__(self):
        return f"{self.muscle} ({self.side})"


class Note(models.Model):
    """The signed procedure note: an immutable snapshot with its SHA-256."""

    PATIENT_PATH = "visit__patient"

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="note")
    body_html = models.TextField()
    sha256 = models.CharField(max_length=64)
    cpt_code = models.CharField(max_length=10, blank=True)
    # Dry needling in the same session is coded on its own (20560/20561).
    dry_needling_code = models.CharField(max_length=10, blank=True)
    muscle_count = models.PositiveSmallIntegerField(default=0)
    # Every code line of the session (taut.clinical.coding.session_codes) as signed:
    # [{code, units, modifiers, sites: [{id, side, name}], reason}]; cpt_code,
    # dry_needling_code and muscle_count stay filled for their readers.
    codes = models.JSONField(default=list, blank=True)
    icd_codes = models.JSONField(default=list)  # codes the clinician confirmed
    signed_at = models.DateTimeField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"note signed {self.signed_at:%Y-%m-%d %H:%M}"


class Addendum(models.Model):
    """A signed correction or addition to a note; the original is never changed."""

    PATIENT_PATH = "note__visit__patient"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField(max_length=4000)
    sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self):
        return f"addendum {self.signed_at:%Y-%m-%d %H:%M}"
