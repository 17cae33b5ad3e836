"""Words for what the analytics count: nothing a person reads is an identifier."""

from taut.accounts.models import User
from taut.outcomes.models import SessionFacet, SessionOutcome
from taut.visits import queries as visits
from taut.visits.models import InjectionSite

D = SessionFacet.Dimension
DIMENSION_LABELS = dict(D.choices)
_FIXED: dict[str, dict[str, str]] = {
    D.STEROID: {"yes": "With a steroid", "no": "Without a steroid"},
    D.GUIDANCE: dict(SessionOutcome.Guidance.choices),
    D.METHOD: dict(SessionOutcome.Method.choices),
}


# A screening verdict's status (``taut.clinical.screening.Status``), as the intake page says it.
VERDICT_LABELS = {
    "eligible": "Eligible",
    "needs_review": "Needs clinician review",
    "not_eligible": "Not eligible",
    "pending": "Pending",
}


def _agent(value: str) -> str:
    if value == InjectionSite.Kind.DRY_NEEDLING:
        return "Dry needling (no injectate)"
    if value == InjectionSite.Kind.SALINE:
        return "Saline"
    agent, _, percent = value.partition(" ")
    return f"{agent.capitalize()} {percent}".strip()


def value_labels(groups, *, clinic_id: int) -> dict[tuple[str, str], str]:
    """A label for each (dimension, value) in ``groups`` (anything with those two names)."""
    pairs = {(g.dimension, g.value) for g in groups}
    clinicians = {int(v) for d, v in pairs if d == D.CLINICIAN and v.isdigit()}
    names = {
        str(u.pk): u.display_name
        for u in User.objects.filter(pk__in=clinicians, clinic_id=clinic_id)
    }
    return {(d, v): label_for(d, v, names) for d, v in pairs}


def label_for(dimension: str, value: str, names: dict[str, str] | None = None) -> str:
    if dimension in (D.MUSCLE, D.STRUCTURE):
        return visits.muscle_name(value)
    if dimension == D.AGENT:
        return _agent(value)
    if dimension == D.INDICATION:
        return visits.INDICATION_LABELS.get(value, value).capitalize()
    if dimension == D.SESSION:
        return f"Session {value}"
    if dimension == D.CLINICIAN:
        return (names or {}).get(value, "A former member of staff")
    return _FIXED.get(dimension, {}).get(value, value)


ALERT_LABELS = {
    "last_symptoms": "Symptoms of local anaesthetic toxicity",
    "breathing": "Breathing difficulty",
    "chest_pain": "Chest pain",
    "infection": "Signs of infection",
    "blood_sugar": "High blood sugar",
    "tendon_rupture": "Possible tendon rupture",
}


def alert_label(code: str) -> str:
    """An alert's kind in words (an unknown code made readable, never shown raw)."""
    return ALERT_LABELS.get(code, code.replace("_", " ").capitalize())
