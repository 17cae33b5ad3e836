"""What a demo session injects with: the dosing weight, the injectate and the needle."""

from datetime import timedelta
from decimal import Decimal

from taut.clinical import payer
from taut.demo.visits.plan import AMIDES


def _weight(run, rng, chart, day):
    """Dose by the chart's latest weight if it is recent (and not from after the visit),
    else weigh the patient now: the service adds that weight to the chart, and so do we."""
    window = run.clinic.weight_window_days
    latest = max(chart.weights, default=None)
    if latest and day - timedelta(days=window) <= latest[0] <= day:
        return None
    known = min(chart.weights, key=lambda w: abs((w[0] - day).days))[1] if chart.weights else 75
    weight = Decimal(f"{float(known) + rng.uniform(-1.5, 1.5):.1f}")
    chart.weights.append((day, weight))
    return weight


def _plan(rng, chart, caution, *, dry_needling=False):
    """The injectate for the session: (kind, agent, percent). ``dry_needling``: the patient
    chose needling without an injectate (unless the session is dosed near the maximum)."""
    roll, strength = rng.random(), rng.choice([Decimal("0.5"), Decimal("1")])
    if AMIDES & set(chart.anaesthetic_allergies):
        return ("saline", "", None) if roll < 0.6 else ("dry_needling", "", None)
    if caution:
        return ("anaesthetic", "lidocaine", Decimal("2"))
    if dry_needling:
        return ("dry_needling", "", None)
    if roll < 0.7:
        return ("anaesthetic", "lidocaine", strength)
    if roll < 0.92:
        return ("anaesthetic", "bupivacaine", Decimal("0.25"))
    return ("dry_needling", "", None) if roll < 0.96 else ("saline", "", None)


def _needle(muscle, thin, *, deep=False) -> tuple[int, Decimal]:
    """(gauge, length in mm); ``deep``: a deep muscle reached under ultrasound."""
    if deep:
        return (25 if thin else 22, Decimal("50"))
    region = payer.MUSCLE_REGION[muscle]
    if region in ("cephalic", "facial", "cervical"):
        return (27, Decimal("25"))
    if region in ("lumbar", "hip_gluteal", "lower_limb"):
        return (27 if thin else 25, Decimal("38"))
    return (27 if thin else 25, Decimal("32"))
