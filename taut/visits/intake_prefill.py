"""What the staff intake form starts from, and where each pre-filled answer came from.

A saved intake is shown as saved. A new one starts from what cannot have changed since it
was last recorded: the chart (allergies, blood thinners among the medicines), the history
answers of the patient's last intake (``HISTORY_FIELDS``) and, for where the pain is, the
pain drawing chosen for the visit if it was drawn on the visit's day. Each pre-filled
answer carries its source ("from the chart", "from the visit on 3 Nov 2026", "from the
pain drawing") for the form to show.

Red flags and the other questions about the present (pain scores, infection or injury at
the site, pregnancy) are never carried over from a past visit: they are asked again.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from taut.drawings.models import PainDrawing
from taut.patients.allergy_queries import chart_allergens
from taut.patients.queries import chart_for_patient
from taut.visits.models import Intake, Visit
from taut.visits.services.intake import INTAKE_FIELDS

#: Answers about the patient's history, carried from the last intake: they describe the
#: past (or a lasting condition) and a clinician confirms them rather than asking afresh.
HISTORY_FIELDS = (
    "bleeding_disorder",
    "diabetes",
    "conservative_care",
    "conservative_care_weeks",
    "previous_tpi",
    "previous_tpi_details",
    "previous_tpi_relief",
)
FROM_CHART = "From the chart"
FROM_DRAWING = "From the pain drawing"


@dataclass
class Prefill:
    initial: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def take(self, name: str, value: Any, source: str) -> None:
        if value in (None, "") or name in self.initial:
            return
        self.initial[name] = value
        self.sources[name] = source


def saved_answers(intake: Intake, visit: Visit) -> dict[str, Any]:
    """The saved intake's answers under the form's field names."""
    initial = {name: getattr(intake, name) for name in INTAKE_FIELDS}
    initial.update({f"rf:{k}": v for k, v in intake.red_flags.items()})
    for number, goal in enumerate(visit.goals.all(), start=1):
        initial[f"goal_{number}"], initial[f"goal_{number}_level"] = goal.text, goal.baseline
    return initial


def last_intake(visit: Visit) -> Intake | None:
    """The patient's most recent intake from an earlier visit."""
    return (
        Intake.objects.filter(
            visit__patient=visit.patient, visit__scheduled_for__lt=visit.scheduled_for
        )
        .select_related("visit")
        .order_by("-visit__scheduled_for")
        .first()
    )


def main_pain(drawing: PainDrawing | None) -> tuple[str, str] | None:
    """(region, side) of the drawing's strongest mark (the first one drawn on a tie)."""
    if drawing is None or drawing.no_pain:
        return None
    marks = sorted(drawing.marks.all(), key=lambda m: (-m.intensity, m.pk))
    return (marks[0].region, marks[0].side or "") if marks else None


def new_intake_prefill(visit: Visit, drawing: PainDrawing | None) -> Prefill:
    """The answers a new intake starts from, with their sources (see the module doc)."""
    prefill = Prefill()
    chart = chart_for_patient(visit.patient)
    prefill.take(
        "anticoagulant_or_antiplatelet",
        bool(chart["antithrombotics"]),
        FROM_CHART + " (medicines)",
    )
    allergens = sorted(chart_allergens(visit.patient))
    prefill.take("anaesthetic_allergies", allergens or None, FROM_CHART + " (allergies)")
    zone = visit.patient.clinic.zone()
    last = last_intake(visit)
    if last is not None:
        day = timezone.localtime(last.visit.scheduled_for, zone).date()
        source = f"From the visit on {date_format(day, 'j M Y')}"
        for name in HISTORY_FIELDS:
            prefill.take(name, getattr(last, name), source)
    visit_day = timezone.localtime(visit.scheduled_for, zone).date()
    drawn_today = drawing is not None and (
        timezone.localtime(drawing.recorded_at, zone).date() == visit_day
    )
    pain = main_pain(drawing) if drawn_today else None  # an older drawing says nothing of now
    if pain is not None:
        prefill.take("index_region", pain[0], FROM_DRAWING)
        prefill.initial.setdefault("index_side", pain[1])
    return prefill
