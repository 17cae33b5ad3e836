from django.db.models import QuerySet

from taut.atlas.forms import MarkInput
from taut.drawings.models import PainDrawing
from taut.patients.models import Patient


def drawings_for_patient(patient: Patient) -> QuerySet[PainDrawing]:
    """Newest first, from the (patient, recorded_at) index; slice it before reading (the
    marks are fetched for the rows read)."""
    return (
        PainDrawing.objects.filter(patient=patient)
        .select_related("recorded_by")
        .prefetch_related("marks")
        .order_by("-recorded_at", "-id")
    )


def marks_of(drawing: PainDrawing) -> list[MarkInput]:
    return [
        MarkInput(m.region, m.side_or_none, m.intensity, tuple(m.qualities))
        for m in drawing.marks.all()
    ]
