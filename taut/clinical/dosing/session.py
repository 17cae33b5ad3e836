"""The dose check of a whole session: every local anaesthetic given, added up.

Saline and dry needling carry no anaesthetic: they are simply not passed to
:func:`check_session`, and a session with none of them checks as "ok" with a message.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from taut.clinical.dosing._inputs import (
    display,
    floor_volume,
    read_bounded,
    read_percent,
    read_volume,
    read_weight,
    to_float,
)
from taut.clinical.dosing.agents import Agent, read_agent
from taut.clinical.dosing.earlier import read_earlier
from taut.clinical.dosing.factors import (
    REDUCTIONS,
    Factor,
    Reduction,
    read_factors,
    reduction_fraction,
)
from taut.clinical.dosing.table import DEFAULT_TABLE, VERSION, DoseTable, limit_mg, read_table
from taut.clinical.inputs import Number, read_collection, read_flag


class DoseStatus(StrEnum):
    OK = "ok"
    CAUTION = "caution"
    EXCEEDED = "exceeded"


# Below CAUTION_FRACTION of the maximum: ok; from it up to MAX_FRACTION inclusive:
# caution; above MAX_FRACTION: exceeded. The caution level is a clinic policy
# (clinical.md R1: "warn above a configurable fraction"); check_session takes caution_at.
CAUTION_FRACTION = Fraction(4, 5)
MAX_FRACTION = Fraction(1)

NO_ANAESTHETIC = "No local anaesthetic recorded: saline or dry needling adds nothing to the dose."


@dataclass(frozen=True)
class Injection:
    """One injection: ``ml`` of ``agent`` at ``percent`` strength, with or without epinephrine.

    A plain 4-tuple ``(agent, percent, ml, epinephrine)`` is accepted wherever an Injection is.
    """

    agent: str
    percent: Number
    ml: Number
    epinephrine: bool = False


@dataclass(frozen=True)
class Preparation:
    """An agent at one strength, with or without epinephrine: the key of ``remaining_ml``."""

    agent: Agent
    percent: float
    epinephrine: bool


@dataclass(frozen=True)
class DoseCheck:
    """The dose check of one session; persist ``version`` and ``table_version`` with it."""

    total_mg_by_agent: dict[Agent, float]
    max_mg_by_agent: dict[Agent, float]
    fraction: float
    fraction_exact: Fraction
    status: DoseStatus
    remaining_ml: dict[Preparation, float]
    messages: tuple[str, ...]
    table_name: str
    table_version: str
    version: str = VERSION
    # Of the totals, what was given before this session (other sessions, elsewhere).
    earlier_mg_by_agent: dict[Agent, float] = field(default_factory=dict)
    # The reductions applied to every maximum, and what is left of it (1: none).
    reductions: tuple[Reduction, ...] = ()
    kept_fraction: Fraction = Fraction(1)


def _injection(item: object, index: int) -> tuple[Agent, Fraction, Fraction, bool]:
    field = f"injections[{index}]"
    if isinstance(item, Injection):
        item = (item.agent, item.percent, item.ml, item.epinephrine)
    if isinstance(item, str | bytes) or not isinstance(item, tuple | list) or len(item) != 4:
        raise ValueError(f"{field}: expected (agent, percent, ml, epinephrine), got {item!r}")
    agent, percent, ml, epinephrine = item
    return (
        read_agent(agent, f"{field}.agent"),
        read_percent(percent, f"{field}.percent"),
        read_volume(ml, f"{field}.ml"),
        read_flag(epinephrine, f"{field}.epinephrine"),
    )


def _status(fraction: Fraction, caution_at: Fraction) -> DoseStatus:
    if fraction > MAX_FRACTION:
        return DoseStatus.EXCEEDED
    if fraction >= caution_at:
        return DoseStatus.CAUTION
    return DoseStatus.OK


def _float_up(value: Fraction) -> float:
    """The nearest float not below ``value``, so a float fraction never understates."""
    result = to_float(value)
    return math.nextafter(result, math.inf) if Fraction(result) < value else result


def _percent_text(fraction: Fraction) -> str:
    """A fraction as a percentage, rounded *up* to 0.1 % so an excess never shows as 100 %."""
    return display(Fraction(math.ceil(fraction * 1000), 10)) + " %"


def check_session(
    weight_kg: Number,
    injections: Iterable[object],
    *,
    table: DoseTable = DEFAULT_TABLE,
    caution_at: Fraction = CAUTION_FRACTION,
    earlier: Iterable[object] = (),
    reductions: Iterable[object] = (),
    policy: Mapping[Factor, Reduction] = REDUCTIONS,
) -> DoseCheck:
    """Check every local anaesthetic given in one session against its maximum.

    Doses add across sites. Different agents add as fractions of each agent's own
    maximum, and the session fraction is their sum (``status``: "ok" below
    ``caution_at``, "caution" from it up to 1 inclusive, "exceeded" above 1).

    An agent given both with and without epinephrine in one session is counted as a
    single total against the *lower* of the maxima of the forms used (in practice the
    plain maximum): the conservative choice, since no source says how to split it.

    ``remaining_ml`` gives, for each preparation used, the volume that could still be
    given before the fraction reaches 1, rounded down to 0.01 mL and never negative.

    Saline and dry needling contain no anaesthetic and are not passed in; an empty
    session is "ok".

    ``earlier`` (``EarlierDose`` items) is anaesthetic given in the 24 hours around the
    session (``earlier.counts_toward``): it adds to the totals like a site of this session
    and leaves less to give. ``reductions`` (``Factor`` ids) lower every maximum by the
    clinic ``policy``'s percentages, multiplied (``factors.reduction_fraction``).

    Source: [S30], [S29], [S28] (limits), clinical.md R1 and R2. Status: limits seen;
    additivity of mixtures is unverified (memory, clinical.md §4), used because it is
    the conservative assumption. Earlier doses: [S65] (24-hour maximum, secondary);
    reductions: [S28], [S63], percentages clinic policy (unverified).
    """
    weight = read_weight(weight_kg)
    table = read_table(table)
    caution = read_bounded(caution_at, "caution_at", 1)
    items = read_collection(injections, "injections", "a list of injections")
    parsed = [_injection(item, index) for index, item in enumerate(items)]
    given = read_collection(earlier, "earlier", "a list of earlier doses")
    before = [read_earlier(item, index) for index, item in enumerate(given)]
    factors = read_factors(reductions)
    kept = reduction_fraction(factors, policy=policy)
    applied = tuple(policy[factor] for factor in factors)

    mg: dict[Agent, Fraction] = {}
    forms: dict[Agent, set[bool]] = {}
    earlier_mg: dict[Agent, Fraction] = {}
    for agent, dose, epinephrine, _where in before:
        table.for_agent(agent)
        mg[agent] = mg.get(agent, Fraction(0)) + dose
        earlier_mg[agent] = earlier_mg.get(agent, Fraction(0)) + dose
        forms.setdefault(agent, set()).add(epinephrine)
    preparations: dict[Preparation, Fraction] = {}
    for agent, percent, ml, epinephrine in parsed:
        table.for_agent(agent)
        mg[agent] = mg.get(agent, Fraction(0)) + ml * percent * 10
        forms.setdefault(agent, set()).add(epinephrine)
        # Two strengths that print as the same float share a key; keep the stronger one.
        prep = Preparation(agent, float(percent), epinephrine)
        preparations[prep] = max(preparations.get(prep, percent), percent)

    max_mg = {
        agent: kept * min(limit_mg(agent, weight, epi, table) for epi in forms[agent])
        for agent in mg
    }
    fraction = sum((mg[agent] / max_mg[agent] for agent in mg), Fraction(0))
    status = _status(fraction, caution)
    left = max(MAX_FRACTION - fraction, Fraction(0))
    remaining = {
        prep: floor_volume(left * max_mg[prep.agent] / (percent * 10))
        for prep, percent in preparations.items()
    }

    messages = [] if mg else [NO_ANAESTHETIC]
    for agent in mg:
        basis = "with epinephrine" if forms[agent] == {True} else "plain"
        messages.append(
            f"{agent.capitalize()}: {display(mg[agent])} mg of {display(max_mg[agent])} mg "
            f"maximum ({basis}, {_percent_text(mg[agent] / max_mg[agent])})."
        )
        if agent in earlier_mg:
            messages.append(
                f"{agent.capitalize()}: {display(earlier_mg[agent])} mg of it was given before "
                "this session, in the last 24 hours."
            )
        if len(forms[agent]) > 1:
            messages.append(
                f"{agent.capitalize()} was given both with and without epinephrine: all of it "
                "is counted against the lower (plain) maximum."
            )
    for reduction in applied:
        messages.append(f"{reduction.text}. {reduction.basis}.")
    if len(applied) > 1:
        messages.append(
            f"Reductions multiply: each maximum is {_percent_text(kept)} of the table's."
        )
    if len(mg) > 1:
        messages.append(
            "Mixture of agents: the fractions of each agent's maximum add up to "
            f"{_percent_text(fraction)} of the maximum."
        )
    if status is DoseStatus.EXCEEDED:
        messages.append(
            f"Exceeded: {_percent_text(fraction)} of the maximum dose. Do not give more; "
            "watch for local anaesthetic systemic toxicity."
        )
    elif status is DoseStatus.CAUTION:
        messages.append(
            f"Caution: {_percent_text(fraction)} of the maximum dose "
            f"(caution from {_percent_text(caution)})."
        )
    messages.append(f"Limits: {table.name}, version {table.version}. {table.source}")

    return DoseCheck(
        total_mg_by_agent={agent: to_float(total) for agent, total in mg.items()},
        max_mg_by_agent={agent: to_float(limit) for agent, limit in max_mg.items()},
        fraction=_float_up(fraction),
        fraction_exact=fraction,
        status=status,
        remaining_ml=remaining,
        messages=tuple(messages),
        table_name=table.name,
        table_version=table.version,
        earlier_mg_by_agent={agent: to_float(total) for agent, total in earlier_mg.items()},
        reductions=applied,
        kept_fraction=kept,
    )
