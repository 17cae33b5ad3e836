"""Recording pain drawings. Drawings are never edited: each is a new record."""

from collections.abc import Iterable
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import atlas
from taut.drawings.models import PainDrawing, PainMark
from taut.lib.refusals import NotAllowed
from taut.patients.models import Patient


class Mark(Protocol):
    """One marked place (``taut.atlas.forms.MarkInput``)."""

    @property
    def region_id(self) -> str: ...
    @property
    def side(self) -> str | None: ...
    @property
    def intensity(self) -> int: ...
    @property
    def qualities(self) -> Iterable[str]: ...


def record_drawing(
    *,
    patient: Patient,
    marks: Iterable[Mark],
    no_pain: bool,
    examine: Iterable[tuple[str, str]] = (),
    actor: Actor,
) -> PainDrawing:
    """Save a drawing, recorded by staff or drawn by the patient in the portal (``actor``
    says which). ``examine`` is [(muscle_id, side)] chosen from the finder."""
    if actor.patient_id is not None:
        if actor.patient_id != patient.pk:
            raise NotAllowed("A patient draws on their own record only.")
        source = PainDrawing.Source.PATIENT
    else:
        actor.require(Need.NURSING_WRITE, "Your role does not record pain drawings.")
        source = PainDrawing.Source.STAFF
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
        recorded_by=actor.user,
        recorded_at=actor.now,
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
            actor=actor,
            action=Action.CREATE,
            patient=patient,
            obj=drawing,
            object_type="pain_drawing",
            details={"marks": len(marks), "source": str(source)},
        )
    return drawing
