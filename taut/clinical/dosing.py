"""Local-anaesthetic dose limits for a trigger point injection session.

Every limit is ``min(mg_per_kg × weight_kg, cap_mg)`` read from a :class:`DoseTable`.
The default table takes the lower published figure where Olson's *Poisoning & Drug
Overdose* [S30] and the Medscape LAST table [S29] disagree; a clinic may configure its
own table (stored as JSON, rebuilt with :meth:`DoseTable.from_dict`) and every result
names the table it was computed with.

Arithmetic is exact. Each number is read as the decimal it prints as (a float ``0.2`` is
two tenths, not the binary value just above it) and all sums and comparisons are done on
:class:`fractions.Fraction`, so no rounding can turn a total above the maximum into
"caution". Floats appear only in results, and volumes handed back are rounded *down*.

Saline and dry needling carry no anaesthetic: they are simply not passed to
:func:`check_session`, and a session with none of them checks as "ok" with a message.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

VERSION = "2026.1"


class Agent(StrEnum):
    LIDOCAINE = "lidocaine"
    BUPIVACAINE = "bupivacaine"
    ROPIVACAINE = "ropivacaine"
    MEPIVACAINE = "mepivacaine"
    PROCAINE = "procaine"
    CHLOROPROCAINE = "chloroprocaine"


AGENTS = tuple(Agent)


class DoseStatus(StrEnum):
    OK = "ok"
    CAUTION = "caution"
    EXCEEDED = "exceeded"


# Below CAUTION_FRACTION of the maximum: ok; from it up to MAX_FRACTION inclusive:
# caution; above MAX_FRACTION: exceeded. The caution level is a clinic policy
# (clinical.md R1: "warn above a configurable fraction"); check_session takes caution_at.
CAUTION_FRACTION = Fraction(4, 5)
MAX_FRACTION = Fraction(1)

# Input ranges. Anything outside is refused rather than guessed at.
MAX_WEIGHT_KG = 400
MAX_PERCENT = 5
# Sanity bounds for a configured table: they catch a mg typed as mg/kg, not clinical limits.
MAX_TABLE_MG_PER_KG = 20
MAX_TABLE_CAP_MG = 2000

# Volumes handed back are rounded down to this step (mL).
VOLUME_STEP = Fraction(1, 100)
NO_ANAESTHETIC = "No local anaesthetic recorded: saline or dry needling adds nothing to the dose."


def _exact(value: object, field: str) -> Fraction:
    """Read a number exactly; refuse bools, text, NaN and infinities."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise ValueError(f"{field}: expected a number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{field}: must be a finite number, got {value!r}")
        return Fraction(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{field}: must be a finite number, got {value!r}")
    return Fraction(value)


def _bounded(value: object, field: str, upper: int) -> Fraction:
    number = _exact(value, field)
    if not 0 < number <= upper:
        raise ValueError(f"{field}: must be more than 0 and at most {upper}, got {value!r}")
    return number


def _agent(value: object, field: str = "agent") -> Agent:
    try:
        return Agent(value)
    except ValueError:
        known = ", ".join(AGENTS)
        raise ValueError(f"{field}: unknown agent {value!r}; known agents: {known}") from None


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{field}: expected True or False, got {value!r}")
    return value


def _float(value: Fraction) -> float:
    """A result as a float; absurd inputs (a 1e-300 % solution) give inf, not OverflowError."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _floor_volume(ml: Fraction) -> float:
    steps = math.floor(ml / VOLUME_STEP)
    return _float(max(steps, 0) * VOLUME_STEP)


def _number(value: Fraction) -> str:
    """Short display of an exact number: 300, 4.5, 62.35."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


# --- the table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """One maximum: ``min(mg_per_kg × weight_kg, cap_mg)``."""

    mg_per_kg: Fraction
    cap_mg: Fraction

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "mg_per_kg", _bounded(self.mg_per_kg, "mg_per_kg", MAX_TABLE_MG_PER_KG)
        )
        object.__setattr__(self, "cap_mg", _bounded(self.cap_mg, "cap_mg", MAX_TABLE_CAP_MG))

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
            agent = _agent(key, "limits")
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
        _mapping(data, {"name", "version", "source", "agents"}, "table")
        agents = data.get("agents")
        if not isinstance(agents, Mapping) or not agents:
            raise ValueError("agents: expected a non-empty mapping of agent to limits")
        limits = {}
        for key, entry in agents.items():
            agent = _agent(key, "agents")
            path = f"agents.{agent}"
            _mapping(entry, {"mg_per_kg", "cap_mg", "epinephrine"}, path)
            epi = entry.get("epinephrine")
            if epi is not None:
                _mapping(epi, {"mg_per_kg", "cap_mg"}, f"{path}.epinephrine")
            limits[agent] = AgentLimits(
                plain=_limit_from(entry, path),
                epinephrine=None if epi is None else _limit_from(epi, f"{path}.epinephrine"),
            )
        return cls(
            name=data.get("name"),
            version=data.get("version"),
            source=data.get("source"),
            limits=limits,
        )

    def to_dict(self) -> dict:
        """The plain-data form :meth:`from_dict` reads (numbers as int or float)."""

        def plain(limit: Limit) -> dict:
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


def _mapping(data: object, allowed: set[str], path: str) -> None:
    """Refuse anything but a mapping with only the allowed keys (a typo must not drop a limit)."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: expected a mapping, got {data!r}")
    for key in data:
        if key not in allowed:
            raise ValueError(f"{path}.{key}: unknown field; allowed: {', '.join(sorted(allowed))}")


def _limit_from(entry: Mapping, path: str) -> Limit:
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


# --- single-agent rules -------------------------------------------------------------------


def _weight(value: object) -> Fraction:
    return _bounded(value, "weight_kg", MAX_WEIGHT_KG)


def _percent(value: object, field: str = "percent") -> Fraction:
    return _bounded(value, field, MAX_PERCENT)


def _volume(value: object, field: str = "ml") -> Fraction:
    number = _exact(value, field)
    if number < 0:
        raise ValueError(f"{field}: must not be negative, got {value!r}")
    return number


def _max_mg(agent: Agent, weight: Fraction, epinephrine: bool, table: DoseTable) -> Fraction:
    return table.for_agent(agent).limit(epinephrine).max_mg(weight)


def _table(value: object) -> DoseTable:
    if not isinstance(value, DoseTable):
        raise ValueError(f"table: expected a DoseTable, got {value!r}")
    return value


def max_dose_mg(
    agent: str, weight_kg: float, *, epinephrine: bool = False, table: DoseTable = DEFAULT_TABLE
) -> float:
    """Maximum single-session dose in mg: ``min(mg_per_kg × weight_kg, cap_mg)``.

    Pass the dosing weight the clinic's policy chooses (see :func:`dosing_weight_kg`).
    Source: [S30] Olson Table II-2 and [S29] Medscape (lower figure), [S28] lidocaine
    label; formula clinical.md R1. Status: table values seen; reading "mg/kg or cap" as
    whichever is reached first is unverified (memory) but is the conservative reading.
    """
    max_mg = _max_mg(
        _agent(agent), _weight(weight_kg), _flag(epinephrine, "epinephrine"), _table(table)
    )
    return _float(max_mg)


def mg_from_ml(ml: float, percent: float) -> float:
    """Milligrams in a volume: ``ml × percent × 10`` (1 % = 10 mg/mL).

    Source: [S31] Narkosguiden, [S65]. Status: seen.
    """
    return _float(_volume(ml) * _percent(percent) * 10)


def max_volume_ml(
    agent: str,
    percent: float,
    weight_kg: float,
    *,
    epinephrine: bool = False,
    table: DoseTable = DEFAULT_TABLE,
) -> float:
    """Largest volume of one preparation allowed on its own: ``max_mg / (percent × 10)``.

    Rounded down to 0.01 mL. Source: clinical.md §4 and R1 ([S30], [S29], [S31]).
    Status: seen (formula and worked example: 70 kg, plain lidocaine 1 % → 30 mL).
    """
    max_mg = _max_mg(
        _agent(agent), _weight(weight_kg), _flag(epinephrine, "epinephrine"), _table(table)
    )
    return _floor_volume(max_mg / (_percent(percent) * 10))


def dosing_weight_kg(*, actual_kg: float, ideal_kg: float | None = None) -> float:
    """The weight to dose by: the lower of actual and ideal (or lean) body weight.

    Source: clinical.md §4 dose modifiers ("make it configurable and default to the lower
    weight"). Status: unverified (memory / secondary only); a clinic policy, not a
    guideline.
    """
    actual = _weight(actual_kg)
    if ideal_kg is None:
        return float(actual)
    return float(min(actual, _bounded(ideal_kg, "ideal_kg", MAX_WEIGHT_KG)))


def allergy_conflicts(agents: Iterable[str], *, allergies: Iterable[str]) -> tuple[Agent, ...]:
    """The planned agents the patient is allergic to: a hard stop for each (clinical.md R3).

    Both are agent ids; pass only local-anaesthetic allergies (an unknown id raises rather
    than being ignored, so a typo cannot hide an allergy). Cross-reactivity between agents
    (ester vs amide) is not modelled: it is unverified (memory, clinical.md §2b).
    Source: [S9] (allergy to the planned anaesthetic). Status: seen.
    """
    planned = [_agent(item, "agents") for item in _items(agents, "agents")]
    allergic = {_agent(item, "allergies") for item in _items(allergies, "allergies")}
    return tuple(dict.fromkeys(agent for agent in planned if agent in allergic))


def _items(value: object, field: str) -> list:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValueError(f"{field}: expected a list of agent ids, got {value!r}")
    return list(value)


# --- a whole session ------------------------------------------------------------------------


@dataclass(frozen=True)
class Injection:
    """One injection: ``ml`` of ``agent`` at ``percent`` strength, with or without epinephrine.

    A plain 4-tuple ``(agent, percent, ml, epinephrine)`` is accepted wherever an Injection is.
    """

    agent: str
    percent: float
    ml: float
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


def _injection(item: object, index: int) -> tuple[Agent, Fraction, Fraction, bool]:
    field = f"injections[{index}]"
    if isinstance(item, Injection):
        item = (item.agent, item.percent, item.ml, item.epinephrine)
    if isinstance(item, str | bytes) or not isinstance(item, tuple | list) or len(item) != 4:
        raise ValueError(f"{field}: expected (agent, percent, ml, epinephrine), got {item!r}")
    agent, percent, ml, epinephrine = item
    return (
        _agent(agent, f"{field}.agent"),
        _percent(percent, f"{field}.percent"),
        _volume(ml, f"{field}.ml"),
        _flag(epinephrine, f"{field}.epinephrine"),
    )


def _status(fraction: Fraction, caution_at: Fraction) -> DoseStatus:
    if fraction > MAX_FRACTION:
        return DoseStatus.EXCEEDED
    if fraction >= caution_at:
        return DoseStatus.CAUTION
    return DoseStatus.OK


def _float_up(value: Fraction) -> float:
    """The nearest float not below ``value``, so a float fraction never understates."""
    result = _float(value)
    return math.nextafter(result, math.inf) if Fraction(result) < value else result


def _percent_text(fraction: Fraction) -> str:
    """A fraction as a percentage, rounded *up* to 0.1 % so an excess never shows as 100 %."""
    return _number(Fraction(math.ceil(fraction * 1000), 10)) + " %"


def check_session(
    weight_kg: float,
    injections: Iterable,
    *,
    table: DoseTable = DEFAULT_TABLE,
    caution_at: Fraction = CAUTION_FRACTION,
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

    Source: [S30], [S29], [S28] (limits), clinical.md R1 and R2. Status: limits seen;
    additivity of mixtures is unverified (memory, clinical.md §4), used because it is
    the conservative assumption.
    """
    weight = _weight(weight_kg)
    table = _table(table)
    caution = _bounded(caution_at, "caution_at", 1)
    if isinstance(injections, str | bytes | Mapping) or not isinstance(injections, Iterable):
        raise ValueError(f"injections: expected a list of injections, got {injections!r}")
    parsed = [_injection(item, index) for index, item in enumerate(injections)]

    mg: dict[Agent, Fraction] = {}
    forms: dict[Agent, set[bool]] = {}
    preparations: dict[Preparation, Fraction] = {}
    for agent, percent, ml, epinephrine in parsed:
        table.for_agent(agent)
        mg[agent] = mg.get(agent, Fraction(0)) + ml * percent * 10
        forms.setdefault(agent, set()).add(epinephrine)
        # Two strengths that print as the same float share a key; keep the stronger one.
        prep = Preparation(agent, float(percent), epinephrine)
        preparations[prep] = max(preparations.get(prep, percent), percent)

    max_mg = {
        agent: min(_max_mg(agent, weight, epi, table) for epi in forms[agent]) for agent in mg
    }
    fraction = sum((mg[agent] / max_mg[agent] for agent in mg), Fraction(0))
    status = _status(fraction, caution)
    left = max(MAX_FRACTION - fraction, Fraction(0))
    remaining = {
        prep: _floor_volume(left * max_mg[prep.agent] / (percent * 10))
        for prep, percent in preparations.items()
    }

    messages = [] if mg else [NO_ANAESTHETIC]
    for agent in mg:
        basis = "with epinephrine" if forms[agent] == {True} else "plain"
        messages.append(
            f"{agent.capitalize()}: {_number(mg[agent])} mg of {_number(max_mg[agent])} mg "
            f"maximum ({basis}, {_percent_text(mg[agent] / max_mg[agent])})."
        )
        if len(forms[agent]) > 1:
            messages.append(
                f"{agent.capitalize()} was given both with and without epinephrine: all of it "
                "is counted against the lower (plain) maximum."
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
        total_mg_by_agent={agent: _float(total) for agent, total in mg.items()},
        max_mg_by_agent={agent: _float(limit) for agent, limit in max_mg.items()},
        fraction=_float_up(fraction),
        fraction_exact=fraction,
        status=status,
        remaining_ml=remaining,
        messages=tuple(messages),
        table_name=table.name,
        table_version=table.version,
    )
