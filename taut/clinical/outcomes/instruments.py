"""The patient-reported instruments: PEG, Goal Attainment Scaling and the PGIC.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

import math
from collections.abc import Iterable, Mapping
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from taut.clinical.inputs import member_of, read_between, read_collection, read_number
from taut.clinical.outcomes.relief import Immpact, read_nrs

GAS_RHO = 0.3
GAS_SCORES = (-2, -1, 0, 1, 2)


def peg(pain: float, enjoyment: float, activity: float) -> float:
    """PEG score: the mean of three 0–10 items (average Pain, interference with Enjoyment
    of life, interference with General activity) (Krebs et al., JGIM 2009).

    Source: [S36] (items), [S36b] (mean). Status: items seen; the mean seen in a
    secondary source only. No validated severity bands are applied.
    """
    items = (
        read_nrs(pain, "pain"),
        read_nrs(enjoyment, "enjoyment"),
        read_nrs(activity, "activity"),
    )
    return float(sum(items) / 3)


#: The GAS T-score when every goal lands exactly at its expected level: at or above it, the
#: goals were met as planned [S39].
GAS_EXPECTED_T = 50


def gas_t_score(
    scores: Iterable[int], weights: Iterable[float] | None = None, rho: float = GAS_RHO
) -> float:
    """Goal Attainment Scaling T-score (Kiresuk & Sherman 1968).

    ``T = 50 + 10·Σwᵢxᵢ / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²)`` with each score xᵢ in −2..+2 and
    weights wᵢ (default 1). T is 50 when every goal lands exactly as expected.
    Source: [S39] (formula), [S39b] (weights). Status: formula secondary; weights as
    importance × difficulty unverified (memory).
    """
    xs = list(read_collection(scores, "scores", "a list of goal scores"))
    if not xs:
        raise ValueError("scores: at least one goal is needed")
    for index, x in enumerate(xs):
        whole = isinstance(x, int) or (isinstance(x, float) and x.is_integer())
        if isinstance(x, bool) or not whole or int(x) not in GAS_SCORES:
            raise ValueError(f"scores[{index}]: expected a whole number from -2 to 2, got {x!r}")
    xs = [int(x) for x in xs]
    if weights is None:
        ws = [Fraction(1)] * len(xs)
    else:
        given = read_collection(weights, "weights", "a list of numbers")
        ws = [read_number(w, f"weights[{index}]") for index, w in enumerate(given)]
        if len(ws) != len(xs):
            raise ValueError(f"weights: {len(ws)} weights for {len(xs)} scores")
        for index, w in enumerate(ws):
            if w < 0:
                raise ValueError(f"weights[{index}]: must not be negative, got {w:g}")
    r = read_between(rho, "rho", 0, 1)
    total = sum(ws)
    if total == 0:
        raise ValueError("weights: at least one weight must be above 0")
    # T does not change when every weight is scaled alike; scaling to a largest weight of 1
    # keeps huge or tiny weights from overflowing the float square root.
    largest = max(ws)
    ws = [w / largest for w in ws]
    total = sum(ws)
    numerator = sum(w * x for w, x in zip(ws, xs, strict=True))
    variance = (1 - r) * sum(w * w for w in ws) + r * total * total
    return GAS_EXPECTED_T + 10 * float(numerator) / math.sqrt(variance)


class PGIC(StrEnum):
    """The 7-point PGIC, IMMPACT / NINDS form: 1 = very much improved … 7 = very much worse."""

    VERY_MUCH_IMPROVED = "very_much_improved"
    MUCH_IMPROVED = "much_improved"
    MINIMALLY_IMPROVED = "minimally_improved"
    NO_CHANGE = "no_change"
    MINIMALLY_WORSE = "minimally_worse"
    MUCH_WORSE = "much_worse"
    VERY_MUCH_WORSE = "very_much_worse"


class PGICHurstBolton(StrEnum):
    """The 7-category PGIC in Hurst & Bolton's wording: 1 = no change … 7 = a great deal better."""

    NO_CHANGE_OR_WORSE = "no_change_or_worse"
    ALMOST_THE_SAME = "almost_the_same"
    A_LITTLE_BETTER = "a_little_better"
    SOMEWHAT_BETTER = "somewhat_better"
    MODERATELY_BETTER = "moderately_better"
    BETTER = "better"
    A_GREAT_DEAL_BETTER = "a_great_deal_better"


PGIC_IMPROVED = frozenset({PGIC.VERY_MUCH_IMPROVED, PGIC.MUCH_IMPROVED})
PGIC_HURST_BOLTON_IMPROVED = frozenset(
    {
        PGICHurstBolton.MODERATELY_BETTER,
        PGICHurstBolton.BETTER,
        PGICHurstBolton.A_GREAT_DEAL_BETTER,
    }
)
PGIC_IMMPACT: Mapping[PGIC, Immpact] = MappingProxyType(
    {
        PGIC.VERY_MUCH_IMPROVED: Immpact.SUBSTANTIAL,
        PGIC.MUCH_IMPROVED: Immpact.MODERATE,
        PGIC.MINIMALLY_IMPROVED: Immpact.MINIMAL,
        PGIC.NO_CHANGE: Immpact.NONE,
        PGIC.MINIMALLY_WORSE: Immpact.WORSE,
        PGIC.MUCH_WORSE: Immpact.WORSE,
        PGIC.VERY_MUCH_WORSE: Immpact.WORSE,
    }
)


def _pgic(category: object) -> PGIC | PGICHurstBolton:
    answer = member_of(PGIC, category) or member_of(PGICHurstBolton, category)
    if answer is not None:
        return answer
    known = ", ".join([*PGIC, *PGICHurstBolton])
    raise ValueError(f"category: unknown PGIC category {category!r}; known: {known}")


def pgic_improved(category: str) -> bool:
    """Whether a PGIC answer counts as clinically important improvement.

    IMMPACT / NINDS form: "much improved" or "very much improved" (Farrar 2001 used these
    as the clinically important difference). Hurst & Bolton wording: categories 5–7
    ("moderately better" and above), as trials often count them.
    Source: [S35] (Farrar), [S37] (NINDS scale), [S38] (Hurst & Bolton). Status: Farrar's
    choice and both scales' end labels seen; the NINDS middle labels ("minimally",
    "much worse") and the 5–7 convention are secondary.
    """
    answer = _pgic(category)
    return answer in PGIC_IMPROVED or answer in PGIC_HURST_BOLTON_IMPROVED


def pgic_immpact_category(category: str) -> Immpact:
    """IMMPACT class of a PGIC answer (IMMPACT / NINDS form only).

    Very much improved: substantial; much improved: moderate; minimally improved:
    minimal; no change: none; any "worse": worse.
    Source: [S34]. Status: seen, except that Bandolier's copy labels the moderate level
    "moderately improved"; "much improved" (the NINDS wording) is unverified.
    """
    answer = _pgic(category)
    if not isinstance(answer, PGIC):
        raise ValueError(
            f"category: {answer!r} is a Hurst & Bolton answer, which IMMPACT does not grade"
        )
    return PGIC_IMMPACT[answer]
