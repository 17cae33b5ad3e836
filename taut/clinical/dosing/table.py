"""Maximum-dose tables and the rules for one preparation: mg, maximum mg and volume.

Every limit is ``min(mg_per_kg × weight_kg, cap_mg)`` read from a :class:`DoseTable`.
The default table takes the lower published figure where Olson's *Poisoning & Drug
Overdose* [S30] and the Medscape LAST table [S29] disagree; a clinic may configure its
own table (stored as JSON, rebuilt with :meth:`DoseTable.from_dict`) and every result
names the table it was computed with.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any, cast

from taut.clinical.dosing._inputs import (
    MAX_WEIGHT_KG,
    floor_volume,
    read_bounded,
    read_percent,
    read_volume,
    read_weight,
    to_float,
)
from taut.clinical.dosing.agents import Agent, read_agent
from taut.clinical.inputs import Number, read_flag

VERSION = "2026.1"

# Sanity bounds for a configured table: they catch a mg typed as mg/kg, not clinical limits.
MAX_TABLE_MG_PER_KG = 20
MAX_TABLE_CAP_MG = 2000


@dataclass(frozen=True)
class Limit:
    """One maximum: ``min(mg_per_kg × weight_kg, cap_mg)``."""

    mg_per_kg: Fraction
    cap_mg: Fraction

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "mg_per_kg", read_bounded(self.mg_per_kg, "mg_per_kg", MAX_TABLE_MG_PER_KG)
        )
        object.__setattr__(self, "cap_mg", read_bounded(self.cap_mg, "cap_mg", MAX_TABLE_CAP_MG))

    def max_mg(self, weight_kg: Fraction) -> Fraction:
        return min(self.mg_per_kg * weight_kg, self.cap_mg)


@dataclass(frozen=True)
class AgentLimits:
    """The limits of one agent; ``epinephrine=None`` means epinephrine does not raise it."""

    plain: Limit
    epinephrine: Limit | None = None

    def limit(self, epinephrine: bool) -> Limit:
        if epinephrine and self.epinephrine is not None:
            return self.epinephrine
        return self.plain


@dataclass(frozen=True)
class DoseTable:
    """A named, versioned, sourced table of maximum doses, one entry per agent.

    The table is read-only (its ``limits`` is a mapping proxy) so that no caller can
    change the limits another request will use.
    """

    name: str
    version: str
    source: str
    limits: Mapping[Agent, AgentLimits]

    def __post_init__(self) -> None:
        for field in ("name", "version", "source"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{field}: expected non-empty text, got {value!r}")
        if not isinstance(self.limits, Mapping) or not self.limits:
            raise ValueError("limits: expected a non-empty mapping of agent to limits")
        frozen = {}
        for key, value in self.limits.items():
            agent = read_agent(key, "limits")
            if not isinstance(value, AgentLimits):
                raise ValueError(f"limits.{agent}: expected AgentLimits, got {value!r}")
            frozen[agent] = value
        object.__setattr__(self, "limits", MappingProxyType(frozen))

    def for_agent(self, agent: Agent) -> AgentLimits:
        if agent not in self.limits:
            raise ValueError(f"agent: {agent} is not in dose table {self.name!r}")
        return self.limits[agent]

    @classmethod
    def from_dict(cls, data: object) -> "DoseTable":
        """Build and validate a table from plain data (as stored in JSON).

        Shape: ``{"name", "version", "source", "agents": {agent: {"mg_per_kg",
        "cap_mg", "epinephrine": {"mg_per_kg", "cap_mg"} | None}}}``. Numbers may be
        int, float or Decimal. Unknown keys are refused so a typo cannot drop a limit.
        Every error is a ValueError naming the field path (e.g.
        ``agents.lidocaine.cap_mg``).
        """
        table = _mapping(data, {"name", "version", "source", "agents"}, "table")
        agents = table.get("agents")
        if not isinstance(agents, Mapping) or not agents:
            raise ValueError("agents: expected a non-empty mapping of agent to limits")
        limits = {}
        for key, value in agents.items():
            agent = read_agent(key, "agents")
            path = f"agents.{agent}"
            entry = _mapping(value, {"mg_per_kg", "cap_mg", "epinephrine"}, path)
            epi = entry.get("epinephrine")
            if epi is not None:
                epi = _mapping(epi, {"mg_per_kg", "cap_mg"}, f"{path}.epinephrine")
            limits[agent] = AgentLimits(
                plain=_limit_from(entry, path),
                epinephrine=None if epi is None else _limit_from(epi, f"{path}.epinephrine"),
            )
        # Passed as stored (None when missing): DoseTable refuses anything but non-empty text.
        return cls(
            name=cast(str, table.get("name")),
            version=cast(str, table.get("version")),
            source=cast(str, table.get("source")),
            limits=limits,
        )

    def to_dict(self) -> dict[str, object]:
        """The plain-data form :meth:`from_dict` reads (numbers as int or float)."""

        def plain(limit: Limit) -> dict[str, object]:
            return {
                "mg_per_kg": _json_number(limit.mg_per_kg),
                "cap_mg": _json_number(limit.cap_mg),
            }

        agents = {}
        for agent, limits in self.limits.items():
            entry = plain(limits.plain)
            entry["epinephrine"] = None if limits.epinephrine is None else plain(limits.epinephrine)
            agents[str(agent)] = entry
        return {"name": self.name, "version": self.version, "source": self.source, "agents": agents}


def _mapping(data: object, allowed: set[str], path: str) -> Mapping[str, Any]:
    """``data`` if it is a mapping with only the allowed keys (a typo must not drop a limit).

    Its values are as stored (JSON: any type); ``Limit`` and ``DoseTable`` check them.
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: expected a mapping, got {data!r}")
    for key in data:
        if key not in allowed:
            raise ValueError(f"{path}.{key}: unknown field; allowed: {', '.join(sorted(allowed))}")
    return data


def _limit_from(entry: Mapping[str, Any], path: str) -> Limit:
    try:
        return Limit(entry["mg_per_kg"], entry["cap_mg"])
    except KeyError as missing:
        raise ValueError(f"{path}.{missing.args[0]}: missing") from None
    except ValueError as error:  # "mg_per_kg: …" becomes "agents.lidocaine.mg_per_kg: …"
        raise ValueError(f"{path}.{error}") from None


def _json_number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def _limits(mg_per_kg: str, cap_mg: int, epi: tuple[str, int] | None = None) -> AgentLimits:
    plain = Limit(Fraction(mg_per_kg), Fraction(cap_mg))
    return AgentLimits(plain, None if epi is None else Limit(Fraction(epi[0]), Fraction(epi[1])))


DEFAULT_TABLE = DoseTable(
    name="Taut default (lower published adult maximum)",
    version=VERSION,
    source=(
        "Olson, Poisoning & Drug Overdose, Table II-2 [S30]; Medscape LAST agent table [S29]; "
        "lidocaine label monograph [S28]. Lower figure where they differ (clinical.md §4)."
    ),
    limits={
        Agent.LIDOCAINE: _limits("4.5", 300, ("7", 500)),
        Agent.BUPIVACAINE: _limits("2", 175, ("3", 225)),
        Agent.ROPIVACAINE: _limits("3", 200),
        Agent.MEPIVACAINE: _limits("4.5", 350, ("7", 500)),
        Agent.PROCAINE: _limits("7", 350),
        Agent.CHLOROPROCAINE: _limits("10", 800, ("12", 1000)),
    },
)


# --- single-preparation rules ---------------------------------------------------------------


def read_table(value: object) -> DoseTable:
    """``value`` if it is a ``DoseTable``. Not a rule: input checking."""
    if not isinstance(value, DoseTable):
        raise ValueError(f"table: expected a DoseTable, got {value!r}")
    return value


def limit_mg(agent: Agent, weight_kg: Fraction, epinephrine: bool, table: DoseTable) -> Fraction:
    """The exact maximum dose of :func:`max_dose_mg`, for the session check.

    Source: as ``max_dose_mg`` ([S30], [S29], [S28], or the table's own).
    """
    return table.for_agent(agent).limit(epinephrine).max_mg(weight_kg)


def max_dose_mg(
    agent: str, weight_kg: Number, *, epinephrine: bool = False, table: DoseTable = DEFAULT_TABLE
) -> float:
    """Maximum single-session dose in mg: ``min(mg_per_kg × weight_kg, cap_mg)``.

    Pass the dosing weight the clinic's policy chooses (see :func:`dosing_weight_kg`).
    Source: [S30] Olson Table II-2 and [S29] Medscape (lower figure), [S28] lidocaine
    label; formula clinical.md R1. Status: table values seen; reading "mg/kg or cap" as
    whichever is reached first is unverified (memory) but is the conservative reading.
    """
    max_mg = limit_mg(
        read_agent(agent),
        read_weight(weight_kg),
        read_flag(epinephrine, "epinephrine"),
        read_table(table),
    )
    return to_float(max_mg)


def mg_from_ml(ml: Number, percent: Number) -> float:
    """Milligrams in a volume: ``ml × percent × 10`` (1 % = 10 mg/mL).

    Source: [S31] Narkosguiden, [S65]. Status: seen.
    """
    return to_float(read_volume(ml) * read_percent(percent) * 10)


def max_volume_ml(
    agent: str,
    percent: Number,
    weight_kg: Number,
    *,
    epinephrine: bool = False,
    table: DoseTable = DEFAULT_TABLE,
) -> float:
    """Largest volume of one preparation allowed on its own: ``max_mg / (percent × 10)``.

    Rounded down to 0.01 mL. Source: clinical.md §4 and R1 ([S30], [S29], [S31]).
    Status: seen (formula and worked example: 70 kg, plain lidocaine 1 % → 30 mL).
    """
    max_mg = limit_mg(
        read_agent(agent),
        read_weight(weight_kg),
        read_flag(epinephrine, "epinephrine"),
        read_table(table),
    )
    return floor_volume(max_mg / (read_percent(percent) * 10))


def dosing_weight_kg(*, actual_kg: Number, ideal_kg: Number | None = None) -> float:
    """The weight to dose by: the lower of actual and ideal (or lean) body weight.

    Source: clinical.md §4 dose modifiers ("make it configurable and default to the lower
    weight"). Status: unverified (memory / secondary only); a clinic policy, not a
    guideline.
    """
    actual = read_weight(actual_kg)
    if ideal_kg is None:
        return float(actual)
    return float(min(actual, read_bounded(ideal_kg, "ideal_kg", MAX_WEIGHT_KG)))
