from django.db import models

from taut.patients.models import Patient
from taut.visits.models.visit import Visit


class PrintedDocument(models.Model):
    """A PDF rendered once by the worker and served from here, so a download never renders
    (docs/decisions/0019-pdfs-rendered-once.md).

    ``fingerprint`` digests the facts the PDF is made of (the note and its addenda, the
    outcomes it appends, the clinic's details): a download asks for the document with the
    current facts' fingerprint, so a PDF made before an addendum or a new check-in is never
    served for the newer facts. The row exists from the moment the render is asked for;
    ``content`` is empty until the worker has rendered it.
    """

    PATIENT_PATH = "patient"

    class Kind(models.TextChoices):
        NOTE = "note", "Signed note"
        AFTERCARE = "aftercare", "Aftercare handout"
        OUTCOMES = "outcomes", "Outcomes summary"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    # The session it prints; empty for the patient's outcomes summary.
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="printed_documents"
    )
    kind = models.CharField(max_length=16, choices=Kind)
    # The visit's public id, or the patient's for the outcomes summary: the lookup key.
    subject = models.UUIDField()
    fingerprint = models.CharField(max_length=64)
    # The note's version it was rendered from: how many addenda the signed note had.
    addenda = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64, blank=True)
    requested_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "fingerprint"], name="printed_document_once"
            )
        ]

    def __str__(self):
        state = f"rendered {self.rendered_at:%Y-%m-%d %H:%M}" if self.rendered_at else "queued"
        return f"{self.get_kind_display()} ({state})"

    @property
    def ready(self) -> bool:
        return self.rendered_at is not None
