"""Reads: whether screening and the exam clear the visit for a procedure, and why not.

The rules are ``taut.clinical.screening.clearance`` (the intake's verdict and the latest
clinician's decision, which stands only while it covers every reason the verdict gives now)
and ``taut.clinical.tpi_support.exam_supports_tpi`` (an active trigger point on the exam).
"""

from taut.clinical import screening, tpi_support
from taut.patients.allergy_queries import allergens_of
from taut.patients.queries import chart_for_patient
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
    chart = chart_for_patient(visit.patient)
    unscreened = screening.unscreened_facts(
        screened_allergies=intake.anaesthetic_allergies,
        chart_allergies=allergens_of(chart["active_allergies"]),
        screened_antithrombotic=intake.anticoagulant_or_antiplatelet,
        chart_antithrombotics=[m.name for m in chart["antithrombotics"]],
    )
    return screening.clearance(
        status=intake.verdict_status,
        reasons=intake.verdict_reasons,
        decision=decision,
        unscreened=unscreened,
    )


def red_flag_choices(visit: Visit) -> list[tuple[str, str]]:
    """The red flags a decision to go ahead must name, as (code, text) for the form."""
    intake = getattr(visit, "intake", None)
    if intake is None:
        return []
    return [(b.code, b.text) for b in screening.unnamed_red_flags(intake.verdict_reasons, [])]


def exam_support_for(visit: Visit) -> tpi_support.Support:
    """Whether the visit's exam supports a TPI for its indications (uses the prefetched
    findings if there are)."""
    intake = getattr(visit, "intake", None)
    indications = intake.indications if intake is not None else None
    # The muscles' trigger points: a ligament or tendon finding is not a TPI finding.
    kinds = [f.kind for f in visit.findings.all() if f.is_muscle]
    return tpi_support.exam_supports_tpi(indications, kinds)
