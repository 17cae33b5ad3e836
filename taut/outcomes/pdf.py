"""Outcomes on paper: the appendix printed after a signed note and the patient's summary.

Every figure comes from ``taut.outcomes.queries`` (and through it ``taut.clinical``); this
module chooses what goes on the page and lays it out for A4 in black and white. The chart's
geometry is ``taut.outcomes.chart``; ``outcomes/_print_chart.html`` draws it with dash
patterns and markers instead of colours.
"""

from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string

from taut.clinical import checkins, outcomes
from taut.outcomes import chart, queries
from taut.patients.printing import pdf_bytes
from taut.visits.models import Visit


@dataclass(frozen=True)
class Row:
    """One session's line in a printed table: ``followups`` were recorded by the time the
    note was signed (all of them in the summary), ``since`` after it."""

    session: queries.Session
    followups: tuple[dict, ...]
    since: tuple[dict, ...] = ()


def legend() -> str:
    """How to read the table, with its sources, from the rules themselves."""
    return (
        "Relief is measured against the average pain at intake. IMMPACT classes: "
        f"≥ {outcomes.SUBSTANTIAL_PERCENT}\u00a0% substantial, ≥ {outcomes.MODERATE_PERCENT}\u00a0% "
        f"moderate, ≥ {outcomes.MINIMAL_PERCENT}\u00a0% minimal (source S34). "
        f"“≥ {outcomes.SUSTAINED_RELIEF_PERCENT}\u00a0% relief lasted” counts the days from the "
        "session that relief held at that level (S49, S51). GAS T-score 50 means the goals "
        f"were met as expected (S39). Outcome rules {outcomes.VERSION}."
    )


def _level(value) -> str:
    """A GAS level as its number and the check-in's wording, e.g. "−1 Less than expected"."""
    words = {choice.value: choice.label for choice in checkins.GAS.choices}
    number = "0" if value == 0 else f"{value:+d}".replace("-", "−")
    return f"{number} {words[value]}" if value in words else number


def _goals(session: queries.Session) -> list[dict]:
    """The session's goals with their GAS level at intake and at the latest check-in that
    scored them (the same check-in the session's T-score comes from)."""
    scored = [c.answers["gas"] for c in session.checkins if c.answers.get("gas")]
    latest = scored[-1] if scored else {}
    return [
        {
            "text": goal.text,
            "baseline": _level(goal.baseline),
            "latest": _level(latest[str(goal.pk)]) if str(goal.pk) in latest else None,
        }
        for goal in session.goals
    ]


def note_section(*, visit: Visit, printed_at: datetime) -> str:
    """The outcomes appendix printed after a signed note (``taut.workflows.notes``), as of
    ``printed_at``: the chart and the response table for the sessions up to and including
    this one.

    What it shows, and why:

    - Later sessions are left out: they have their own notes. The chart stops the day
      before the next session, because scores after it answer to that session as well.
    - Follow-ups recorded after the note was signed are shown, in a column headed "Since
      this note". This session's own check-ins are only created at signing, so an "as of
      signing" table could never show its response, and a note is most often printed later
      precisely to show that response (for instance to a payer before a repeat session).
      Keeping them in their own column keeps what the clinician knew when signing apart
      from what was learnt afterwards.
    - It is an appendix, not part of the signed note: the note's text and SHA-256 do not
      change, and the appendix says it was computed when printed.

    Empty when the visit has no signed note.
    """
    note = getattr(visit, "note", None)
    if note is None:
        return ""
    sessions = queries.sessions_for_patient(visit.patient)
    index = next((i for i, s in enumerate(sessions) if s.visit.pk == visit.pk), None)
    if index is None:
        return ""
    shown, later = sessions[: index + 1], sessions[index + 1 :]
    points = queries.series_for_patient(visit.patient, shown)
    if later:
        points = [p for p in points if p.day < later[0].day]
    rows = []
    for session in shown:
        late = {
            c.label for c in session.checkins if c.completed_at and c.completed_at > note.signed_at
        }
        rows.append(
            Row(
                session=session,
                followups=tuple(f for f in session.followups if f["label"] not in late),
                since=tuple(f for f in session.followups if f["label"] in late),
            )
        )
    context = {
        "visit": visit,
        "note": note,
        "chart": chart.draw(points, shown),
        "chart_until": later[0].day if later else None,
        "rows": rows,
        "split": True,
        "legend": legend(),
        "sustained": outcomes.SUSTAINED_RELIEF_PERCENT,
        "printed_at": printed_at,
    }
    return render_to_string("outcomes/_note_section.html", context)


def summary_context(patient, *, printed_at) -> dict:
    """Everything the outcomes summary prints, as of ``printed_at``."""
    sessions = queries.sessions_for_patient(patient)
    points = queries.series_for_patient(patient, sessions)
    today = printed_at.astimezone(patient.clinic.zone()).date()
    advice = queries.next_step_for(patient, sessions, today=today)
    return {
        "patient": patient,
        "clinic": patient.clinic,
        "chart": chart.draw(points, sessions),
        "rows": [Row(session=s, followups=s.followups) for s in sessions],
        "split": False,
        "goals": [(s, _goals(s)) for s in sessions if s.goals],
        "advice": advice,
        "advice_label": queries.ACTION_LABELS.get(str(advice.action)) if advice else None,
        "gas_source": checkins.GAS.source,
        "legend": legend(),
        "sustained": outcomes.SUSTAINED_RELIEF_PERCENT,
        "printed_at": printed_at,
    }


def summary_html(patient, *, printed_at) -> str:
    """The page the outcomes summary PDF is printed from."""
    return render_to_string(
        "outcomes/summary_pdf.html", summary_context(patient, printed_at=printed_at)
    )


def summary_pdf(patient, *, printed_at, base_url) -> bytes:
    """The patient's outcomes summary as an A4 PDF."""
    return pdf_bytes(summary_html(patient, printed_at=printed_at), base_url=base_url)
