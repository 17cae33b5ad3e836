"""A proportion of patients with its Wilson score interval, and the same in words for
patients: "about 6 in 10, between 5 and 7 in 10".

Sources are the ids of ``docs/clinical-rules.md`` ("Clinic analytics").
"""

import math
from dataclasses import dataclass
from enum import StrEnum

from taut.clinical.analytics._checks import read_confidence, read_count, z_for

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Proportion:
    """``successes`` of ``n`` patients, the estimate ``successes / n`` and its interval
    (``low``, ``high``) at ``confidence``. With no patients (``n == 0``) there is nothing to
    estimate: ``estimate``, ``low`` and ``high`` are None."""

    successes: int
    n: int
    estimate: float | None
    low: float | None
    high: float | None
    confidence: float = CONFIDENCE


def wilson(successes: int, n: int, *, confidence: float = CONFIDENCE) -> Proportion:
    """The proportion ``successes / n`` with its Wilson score interval.

    With z the two-sided normal quantile of ``confidence`` and p = successes / n, the
    interval is (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n): Wilson's score interval
    [S79], recommended over the Wald interval for small n and proportions near 0 or 1 by
    Newcombe [S80] and Brown, Cai & DasGupta [S81]. It never leaves [0, 1]; at 0 of n its
    low end is exactly 0 and at n of n its high end exactly 1 (as statsmodels clips them).
    ``n == 0`` gives estimate, low and high None. Negative counts, ``successes > n``, bools
    and non-integers are refused with a ValueError naming the field.

    Source: [S79], [S80], [S81]; matches statsmodels ``proportion_confint(method="wilson")``.
    Status: secondary (the papers were not read; the formula is checked against statsmodels).
    """
    level = read_confidence(confidence)
    k = read_count(successes, "successes")
    total = read_count(n, "n")
    if k > total:
        raise ValueError(f"successes: {k} is more than n ({total})")
    if total == 0:
        return Proportion(k, total, None, None, None, level)
    z = z_for(level)
    p = k / total
    z2 = z * z
    denominator = 1 + z2 / total
    centre = (p + z2 / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / denominator
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == total else min(1.0, centre + half)
    return Proportion(k, total, p, low, high, level)


class Tens(StrEnum):
    """How the estimate reads in tens ("about 6 in 10")."""

    ABOUT = "about"  # about 6 in 10
    FEWER_THAN_ONE = "fewer_than_one"  # rounds to 0 but some did: "fewer than 1 in 10"
    MORE_THAN_NINE = "more_than_nine"  # rounds to 10 but not all did: "more than 9 in 10"
    ZERO = "zero"  # none of the patients: "0 in 10"
    TEN = "ten"  # every patient: "10 in 10"


@dataclass(frozen=True)
class InTens:
    """A proportion as whole tens for patient pages: ``estimate_tens`` in 10, between
    ``low_tens`` and ``high_tens`` in 10; ``tens`` says how to word the estimate. Numbers
    only: the page's template words them in English or Spanish."""

    estimate_tens: int
    low_tens: int
    high_tens: int
    tens: Tens


def in_tens(proportion: Proportion) -> InTens | None:
    """The proportion in tens, or None when it has no patients.

    The estimate is rounded to the nearest tenth, a half up (exactly: 5 of 20 is 2.5 tenths,
    "about 3 in 10"). The interval is widened to whole tenths, its low end down and its high
    end up, so the words never claim more precision than the interval ("between 5 and 7 in
    10" for 0.52–0.68). Numbers are kept at the edges ("almost none" is not used): an
    estimate that rounds to 0 but is above 0 reads "fewer than 1 in 10"
    (``Tens.FEWER_THAN_ONE``), one that rounds to 10 but is below 1 "more than 9 in 10"
    (``Tens.MORE_THAN_NINE``); 0 of n is ``Tens.ZERO`` and n of n ``Tens.TEN``.
    Always ``low_tens ≤ estimate_tens ≤ high_tens`` and ``low_tens < high_tens``.

    Source: Taut's wording rule (docs/clinical-rules.md, "Clinic analytics"); the interval
    is [S79]'s. Status: unverified (a presentation choice).
    """
    if proportion.estimate is None or proportion.low is None or proportion.high is None:
        return None
    k, n = proportion.successes, proportion.n
    estimate_tens = (20 * k + n) // (2 * n)  # floor(10k/n + 1/2), in whole numbers
    low_tens = min(max(math.floor(proportion.low * 10), 0), estimate_tens)
    high_tens = max(min(math.ceil(proportion.high * 10), 10), estimate_tens)
    if k == 0:
        tens = Tens.ZERO
    elif k == n:
        tens = Tens.TEN
    elif estimate_tens == 0:
        tens = Tens.FEWER_THAN_ONE
    elif estimate_tens == 10:
        tens = Tens.MORE_THAN_NINE
    else:
        tens = Tens.ABOUT
    return InTens(estimate_tens, low_tens, high_tens, tens)


_ESTIMATE_WORDS = {
    Tens.ABOUT: "about {} in 10",
    Tens.FEWER_THAN_ONE: "fewer than 1 in 10",
    Tens.MORE_THAN_NINE: "more than 9 in 10",
    Tens.ZERO: "0 in 10",
    Tens.TEN: "10 in 10",
}


def describe(proportion: Proportion) -> str:
    """The proportion in English for staff pages: "about 6 in 10 (31 of 52; 95 % interval
    between 5 and 7 in 10)", or "no patients yet".

    Source: ``in_tens`` (Taut's wording rule) and [S79]. Status: unverified (wording).
    """
    words = in_tens(proportion)
    if words is None:
        return "no patients yet"
    estimate = _ESTIMATE_WORDS[words.tens].format(words.estimate_tens)
    level = f"{proportion.confidence * 100:g} %"
    return (
        f"{estimate} ({proportion.successes} of {proportion.n}; {level} interval "
        f"between {words.low_tens} and {words.high_tens} in 10)"
    )
