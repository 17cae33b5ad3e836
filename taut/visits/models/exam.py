import uuid

from django.conf import settings
from django.db import models

from taut.clinical import atlas, structure_exam, trigger_points
from taut.visits.models.visit import Visit


class TriggerPointFinding(models.Model):
    """One examined site: a muscle's trigger point (the trigger point criteria), or a
    ligament or tendon (issue 15: point tenderness, the recognised pain, pain on stretch
    or resisted movement, swelling); its side, where, and what was found."""

    PATIENT_PATH = "visit__patient"

    class Side(models.TextChoices):
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        # Only for the atlas's midline structures (the lumbar supraspinous and interspinous
        # ligaments): ``services.exam`` refuses it for a paired site.
        MIDLINE = "midline", "Midline"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    # Any taut.clinical.atlas SITE id: a muscle or a ligament/tendon structure (the field
    # keeps its name for the readers of muscles); atlas.kind_of() says which.
    muscle = models.CharField(max_length=40)
    side = models.CharField(max_length=7, choices=Side)
    location = models.CharField("Where the point is", max_length=200, blank=True)
    taut_band = models.BooleanField(null=True, blank=True)
    spot_tenderness = models.BooleanField(
        "Hypersensitive spot (spot tenderness)", null=True, blank=True
    )
    referred_pain = models.BooleanField(null=True, blank=True)
    referred_to = models.CharField("Referred where", max_length=200, blank=True)
    recognised = models.BooleanField("Patient recognises the pain", null=True, blank=True)
    twitch = models.BooleanField("Local twitch response", null=True, blank=True)
    jump_sign = models.BooleanField(null=True, blank=True)
    limited_stretch = models.BooleanField("Painful limit to stretch", null=True, blank=True)
    # A ligament or tendon (taut.clinical.structure_exam.Findings); ``recognised`` above is
    # shared: the pressure reproduces the patient's recognised pain.
    point_tenderness = models.BooleanField(
        "Point tenderness (origin/insertion or along the ligament)", null=True, blank=True
    )
    pain_on_stress = models.BooleanField(
        "Pain on stretch or resisted movement", null=True, blank=True
    )
    swelling = models.BooleanField(null=True, blank=True)
    # Pressure pain threshold, stored in kPa whatever unit it was entered in.
    ppt_kpa = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    ppt_unit = models.CharField(max_length=8, blank=True)
    # taut.clinical.trigger_points.Kind for a muscle, structure_exam.Kind for a structure.
    kind = models.CharField(max_length=20)
    rule_version = models.CharField(max_length=20)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "muscle", "side"], name="one_finding_per_muscle_side"
            ),
        ]

    def __str__(self):
        return f"{self.muscle} ({self.side})"

    @property
    def is_muscle(self) -> bool:
        return self.muscle in atlas.MUSCLES

    @property
    def kind_label(self) -> str:
        """The stored classification in words (``trigger_points.Kind.label`` for a muscle,
        ``structure_exam.Kind`` for a ligament or tendon)."""
        if self.is_muscle:
            return trigger_points.Kind(self.kind).label
        return structure_exam.Kind(self.kind).label
