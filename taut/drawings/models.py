from django.db import models

from taut.patients.models import PatientRecord


class PainDrawing(PatientRecord):
    """Where a patient hurts, at one moment. Never edited: a new drawing is a new record."""

    class Source(models.TextChoices):
        STAFF = "staff", "Recorded by staff"
        PATIENT = "patient", "Drawn by the patient"

    source = models.CharField(max_length=10, choices=Source, default=Source.STAFF)
    atlas_version = models.CharField(max_length=20)
    no_pain = models.BooleanField(default=False)
    # Muscles the clinician chose from the finder to examine first: [[muscle_id, side], …]
    examine_first = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        # The chart's drawing card and the comparison read a patient's newest first.
        indexes = [models.Index(fields=["patient", "-recorded_at"], name="drawing_patient_newest")]

    def __str__(self):
        return f"drawing of {self.recorded_at:%Y-%m-%d %H:%M}"


class PainMark(models.Model):
    """One marked region of a drawing, on one side (blank for midline regions)."""

    drawing = models.ForeignKey(PainDrawing, on_delete=models.CASCADE, related_name="marks")
    region = models.CharField(max_length=40)  # a taut.clinical.atlas region id
    side = models.CharField(max_length=5, blank=True)  # "left", "right" or "" (midline)
    intensity = models.PositiveSmallIntegerField()
    qualities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["drawing", "region", "side"], name="one_mark_per_place"
            ),
            models.CheckConstraint(condition=models.Q(intensity__lte=10), name="intensity_0_10"),
        ]

    def __str__(self):
        return f"{self.region} {self.side} {self.intensity}/10"

    @property
    def side_or_none(self):
        return self.side or None
