"""Reads: whether screening clears the visit for a procedure, and why not.

The rule is ``taut.clinical.screening.clearance``: the intake's verdict and the latest
clinician's decision, which stands only while it covers every reason the verdict gives now.
"""

from taut.clinical import screening
from taut.visits.models import Visit

NO_INTAKE = "Complete the intake first: screening comes before any procedure."


def clearance_for(visit: Visit) -> screening.Clearance:
    """The screening clearance of ``visit`` (uses the prefetched decisions if there are)."""
    intake = getattr(visit, "intake", None)
    if intake is None:
        return screening.Clearance(False, NO_INTAKE)
    latest = visit.decisions.first()
    decision = None
    if latest is not None:
        decision = screening.Decision(
            kind=latest.kind, verdict_status=latest.verdict_status, covers=tuple(latest.covers)
        )
    return screening.clearance(
        status=intake.verdict_status, reasons=intake.verdict_reasons, decision=decision
    )


def red_flag_choices(visit: Visit) -> list[tuple[str, str]]:
    """The red flags a decision to go ahead must name, as (code, text) for the form."""
    intake = getattr(visit, "intake", None)
    if intake is None:
        return []
    return [(b.code, b.text) for b in screening.unnamed_red_flags(intake.verdict_reasons, [])]
