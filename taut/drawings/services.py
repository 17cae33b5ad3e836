"""Recording pain drawings. Drawings are never edited: each is a new record."""

from django.core.exceptions import ValidationError
from django.db import transaction

from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import atlas
from taut.drawings.models import PainDrawing, PainMark


def record_drawing(
    *,
    patient,
    marks,
    no_pain: bool,
    examine=(),
    by=None,
    source=PainDrawing.Source.STAFF,
    request=None,
    actor_username="",
) -> PainDrawing:
    """Save a drawing. ``marks`` are atlas.forms.MarkInput-like (region_id, side, intensity,
    qualities); ``examine`` is [(muscle_id, side)] chosen from the finder. ``actor_username``
    names an actor who is not a staff user (the patient, via the portal)."""
    marks = list(marks)
    if no_pain and marks:
        raise ValidationError("A drawing cannot both say “no pain” and mark regions.")
    if not no_pain and not marks:
        raise ValidationError("Mark at least one region, or tick “No pain anywhere”.")
    try:
        atlas.rank([(m.region_id, m.side, m.intensity) for m in marks], limit=0)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    drawing = PainDrawing(
        patient=patient,
        recorded_by=by,
        source=source,
        atlas_version=atlas.VERSION,
        no_pain=no_pain,
        examine_first=[[muscle, side] for muscle, side in examine],
    )
    drawing.full_clean()
    with transaction.atomic():
        drawing.save(force_insert=True)
        PainMark.objects.bulk_create(
            PainMark(
                drawing=drawing,
                region=m.region_id,
                side=m.side or "",
                intensity=m.intensity,
                qualities=list(m.qualities),
            )
            for m in marks
        )
        record_event(
            action=Action.CREATE,
            request=request,
            actor=by,
            actor_username=actor_username,
            clinic_id=patient.clinic_id,
            object_type="pain_drawing",
            object_id=str(drawing.public_id),
            patient_id=patient.public_id,
            details={"marks": len(marks), "source": str(source)},
        )
    return drawing
