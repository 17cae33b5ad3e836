"""Corticosteroid given with the anaesthetic at a trigger point: the agents, their
methylprednisolone-equivalent dose, and the total over the last three months against the
clinic's limit.

Steroid adds risk (raised blood sugar, skin or fat thinning, infection, suppression of the
body's own cortisol) [S9], [S22], and 3 of 4 comparative trials found no added benefit in
trigger point injection [S21]. The clinic limit (``Clinic.steroid_limit_mg``) is a clinic
policy, unverified: no source read gives a cumulative limit for intramuscular steroid.

Equivalent doses (the dose of each agent as strong as methylprednisolone 4 mg) are the
standard anti-inflammatory equivalence table (Meikle & Tyler, Am J Med 1977;63:200, via the
GlobalRPh corticosteroid converter; secondary). That table is for oral or intravenous
doses; applying it to intramuscular injection is unverified. Where tables differ
(betamethasone 0.6–0.75 mg) the lower equivalent dose is used, which counts more steroid.
"""

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from taut.clinical.inputs import Number, member_of, read_collection, read_date, read_number

VERSION = "2026.1"

# One site's steroid above this many mg is a typing error, not a dose.
MAX_SITE_MG = 200
# The total is counted over the three calendar months before the session.
WINDOW_MONTHS = 3

EQUIVALENCE_SOURCE = (
    "Equivalent doses: Meikle & Tyler, Am J Med 1977;63:200 (via GlobalRPh; secondary), "
    "for oral or intravenous doses; applied to injection (unverified)."
)


class Steroid(StrEnum):
    METHYLPREDNISOLONE = "methylprednisolone"
    TRIAMCINOLONE = "triamcinolone"
    DEXAMETHASONE = "dexamethasone"
    BETAMETHASONE = "betamethasone"


@dataclass(frozen=True)
class SteroidAgent:
    """A corticosteroid and the dose of it that equals methylprednisolone 4 mg."""

    steroid: Steroid
    label: str
    equivalent_mg: Fraction

    @property
    def factor(self) -> Fraction:
        """Methylprednisolone mg per mg of this agent."""
        return Fraction(4) / self.equivalent_mg


# fmt: off
STEROIDS: Mapping[Steroid, SteroidAgent] = MappingProxyType({
    Steroid.METHYLPREDNISOLONE: SteroidAgent(
        Steroid.METHYLPREDNISOLONE, "Methylprednisolone", Fraction(4)),
    Steroid.TRIAMCINOLONE: SteroidAgent(Steroid.TRIAMCINOLONE, "Triamcinolone", Fraction(4)),
    Steroid.DEXAMETHASONE: SteroidAgent(
        Steroid.DEXAMETHASONE, "Dexamethasone", Fraction("0.75")),
    Steroid.BETAMETHASONE: SteroidAgent(Steroid.BETAMETHASONE, "Betamethasone", Fraction("0.6")),
})
# fmt: on


def read_steroid(value: object, field: str = "steroid") -> Steroid:
    """``value`` as a ``Steroid``, or a ValueError naming ``field``. Not a rule: input parsing."""
    steroid = member_of(Steroid, value)
    if steroid is None:
        known = ", ".join(STEROIDS[s].label for s in Steroid)
        raise ValueError(f"{field}: unknown steroid {value!r}; known: {known}")
    return steroid


def read_site_mg(value: object, field: str = "steroid_mg") -> Fraction:
    """One site's steroid dose in mg: more than 0 and at most ``MAX_SITE_MG`` (more is a
    typing error). Not a rule: input checking."""
    mg = read_number(value, field)
    if not 0 < mg <= MAX_SITE_MG:
        raise ValueError(
            f"{field}: must be more than 0 and at most {MAX_SITE_MG} mg, got {value!r}"
        )
    return mg


def methylprednisolone_mg(steroid: str, mg: Number) -> Fraction:
    """``mg`` of ``steroid`` as methylprednisolone-equivalent mg (exact).

    Methylprednisolone 4 mg = triamcinolone 4 mg = dexamethasone 0.75 mg = betamethasone
    0.6 mg. Source: Meikle & Tyler 1977 via GlobalRPh (secondary); see ``EQUIVALENCE_SOURCE``.
    Status: secondary for oral and intravenous doses; unverified for injection.
    """
    agent = STEROIDS[read_steroid(steroid)]
    return read_site_mg(mg, "mg") * agent.factor


def window_start(today: date) -> date:
    """The first day counted: the same day three calendar months before ``today`` (the
    month's last day when that month is shorter: 31 May → 28 or 29 February).

    Source: issue 11 ("steroid in the last 3 months"); clinic policy, unverified.
    """
    on = read_date(today, "today")
    month = on.month - WINDOW_MONTHS
    year = on.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class SteroidCheck:
    """Steroid in the last three months plus what is planned, against the clinic limit.

    All mg are methylprednisolone-equivalent; ``exceeded`` means the total is above the
    limit (reaching it exactly is allowed).
    """

    earlier_mg: Fraction
    planned_mg: Fraction
    total_mg: Fraction
    limit_mg: Fraction
    since: date
    exceeded: bool
    messages: tuple[str, ...]
    version: str = VERSION


def check_steroid(
    *,
    given: Iterable[tuple[date, str, Number]],
    planned: Iterable[tuple[str, Number]],
    today: date,
    limit_mg: Number,
) -> SteroidCheck:
    """Sum the steroid given since ``window_start(today)`` (``given``: (date, agent, mg);
    earlier dates are left out) and the ``planned`` doses, as methylprednisolone-equivalent
    mg, and compare the total with ``limit_mg``.

    Source: the clinic's limit (clinic policy, unverified); equivalence as
    ``methylprednisolone_mg``; steroid risks [S9], [S22]. Status: clinic policy.
    """
    start = window_start(today)
    limit = read_number(limit_mg, "limit_mg")
    if limit <= 0:
        raise ValueError(f"limit_mg: must be more than 0, got {limit_mg!r}")
    earlier = Fraction(0)
    for index, item in enumerate(read_collection(given, "given", "a list of (date, agent, mg)")):
        if not isinstance(item, tuple | list) or len(item) != 3:
            raise ValueError(f"given[{index}]: expected (date, agent, mg), got {item!r}")
        on = read_date(item[0], f"given[{index}].date")
        if on >= start:
            earlier += methylprednisolone_mg(item[1], item[2])
    now = Fraction(0)
    for index, dose in enumerate(read_collection(planned, "planned", "a list of (agent, mg)")):
        if not isinstance(dose, tuple | list) or len(dose) != 2:
            raise ValueError(f"planned[{index}]: expected (agent, mg), got {dose!r}")
        now += methylprednisolone_mg(dose[0], dose[1])
    total = earlier + now
    exceeded = total > limit
    messages = [
        f"Steroid since {start:%-d %b %Y}: {_mg(earlier)} mg before this session and "
        f"{_mg(now)} mg now, {_mg(total)} mg in all (as methylprednisolone) against the "
        f"clinic's limit of {_mg(limit)} mg in 3 months (clinic policy, unverified).",
    ]
    if exceeded:
        messages.append(
            "Over the clinic's steroid limit: leave the steroid out, or record a clinician's "
            "reason. Steroid raises blood sugar and can thin skin and fat [S9], [S22]."
        )
    messages.append(EQUIVALENCE_SOURCE)
    return SteroidCheck(
        earlier_mg=earlier,
        planned_mg=now,
        total_mg=total,
        limit_mg=limit,
        since=start,
        exceeded=exceeded,
        messages=tuple(messages),
    )


def _mg(value: Fraction) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")
