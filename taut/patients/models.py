import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from taut.accounts.models import Clinic
from taut.clinical.dosing import allergen_label

LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("pt", "Portuguese"),
    ("de", "German"),
    ("pl", "Polish"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
    ("ar", "Arabic"),
    ("ru", "Russian"),
    ("tl", "Tagalog"),
    ("ko", "Korean"),
    ("hi", "Hindi"),
]


class Sex(models.TextChoices):
    """Administrative sex, as FHIR's AdministrativeGender."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class Patient(models.Model):
    """A person the clinic treats. Scoped to one clinic; reach it only through
    ``taut.patients.access``."""

    # Patient-scoped models declare how to reach the patient, for the access gate.
    PATIENT_PATH = ""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mrn = models.CharField("MRN", max_length=30)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    preferred_language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    # The names as searches compare them (``taut.lib.search.fold``), written by the services
    # that register and edit patients: family name first, and given name first, so that a
    # search for the start of either is a prefix match on an index.
    search_name = models.CharField(max_length=255, editable=False, default="")
    search_given = models.CharField(max_length=255, editable=False, default="")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["family_name", "given_name", "date_of_birth"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "mrn"], name="mrn_unique_in_clinic"),
        ]
        indexes = [
            models.Index(fields=["clinic", "family_name", "given_name"]),
            models.Index(fields=["clinic", "date_of_birth"]),
            # The clinic's patient ids without reading their rows: every worklist section
            # counts a clinic's alerts, check-ins or reminders through this join
            # (docs/decisions/0021-bounded-pages.md).
            models.Index(fields=["clinic", "id"], name="patient_clinic_ids"),
            # Prefix searches (``__prefix``): PostgreSQL's LIKE 'x%' needs the pattern
            # operator class; SQLite ignores ``opclasses`` and compares by range.
            models.Index(
                fields=["clinic", "search_name"],
                name="patient_search_name",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["clinic", "search_given"],
                name="patient_search_given",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["clinic", "mrn"],
                name="patient_mrn_prefix",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.family_name}, {self.given_name}"


class PatientRecord(models.Model):
    """Common columns for the things recorded on a patient's chart."""

    PATIENT_PATH = "patient"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    recorded_at = models.DateTimeField()  # the actor's moment, from the service that records it
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class Measurement(PatientRecord):
    """Weight (and height, when taken) on a date. Dose limits use the latest weight."""

    weight_kg = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("400"))],
        help_text="0.5–400 kg",
    )
    height_cm = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("30")), MaxValueValidator(Decimal("260"))],
        help_text="30–260 cm (optional)",
    )
    measured_on = models.DateField()

    class Meta:
        ordering = ["-measured_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight_kg__gte=Decimal("0.5"), weight_kg__lte=Decimal("400")),
                name="weight_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.weight_kg} kg on {self.measured_on}"


class Allergy(PatientRecord):
    class Severity(models.TextChoices):
        MILD = "mild", "Mild"
        MODERATE = "moderate", "Moderate"
        SEVERE = "severe", "Severe (anaphylaxis)"
        UNKNOWN = "unknown", "Unknown"

    agent = models.CharField(max_length=120, help_text="What the patient reacts to")
    # A taut.clinical.dosing allergen code when the allergy concerns local anaesthetics: an
    # agent ("lidocaine"), a class ("amide", "ester") or an excipient ("paraben", "sulfite").
    # Blank: not coded (free text; a clinician must map an anaesthetic-looking one).
    anaesthetic = models.CharField(max_length=20, blank=True)
    # A clinician checked the free text and found it is not a local-anaesthetic allergy.
    not_anaesthetic = models.BooleanField(default=False)
    mapped_at = models.DateTimeField(null=True, blank=True)
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reaction = models.CharField(max_length=200)
    severity = models.CharField(max_length=10, choices=Severity, default=Severity.UNKNOWN)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-active", "agent"]
        verbose_name_plural = "allergies"

    def __str__(self):
        return self.agent

    @property
    def anaesthetic_label(self) -> str:
        """The allergen code as a person reads it ("Lidocaine (amide)"), or ""."""
        return allergen_label(self.anaesthetic) if self.anaesthetic else ""


class Medication(PatientRecord):
    name = models.CharField(max_length=120)
    dose = models.CharField(max_length=120, blank=True, help_text="e.g. 5 mg twice daily")
    antithrombotic = models.BooleanField(
        "Anticoagulant or antiplatelet",
        default=False,
        help_text="Blood thinners: warfarin, apixaban, rivaroxaban, clopidogrel, aspirin …",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-active", "name"]

    def __str__(self):
        return self.name


class Condition(PatientRecord):
    name = models.CharField(max_length=160)
    icd10 = models.CharField("ICD-10-CM", max_length=10, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-active", "name"]

    def __str__(self):
        return self.name
