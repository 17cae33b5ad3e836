"""The local anaesthetics Taut doses and the strengths each is used at (allergy conflicts by
class and excipient: ``allergens``).

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from taut.clinical.dosing._inputs import display
from taut.clinical.inputs import Number, member_of, read_number


class Agent(StrEnum):
    LIDOCAINE = "lidocaine"
    BUPIVACAINE = "bupivacaine"
    ROPIVACAINE = "ropivacaine"
    MEPIVACAINE = "mepivacaine"
    PROCAINE = "procaine"
    CHLOROPROCAINE = "chloroprocaine"


AGENTS = tuple(Agent)


def read_agent(value: object, field: str = "agent") -> Agent:
    """``value`` as an ``Agent``, or a ValueError naming ``field``. Not a rule: input parsing."""
    agent = member_of(Agent, value)
    if agent is None:
        known = ", ".join(AGENTS)
        raise ValueError(f"{field}: unknown agent {value!r}; known agents: {known}")
    return agent


# --- strengths ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Concentration:
    """The strengths (percent, w/v) an agent is used at for trigger point injection.

    Each bound has its own source and status: "verified" when clinical.md marks it seen,
    "unverified" when it rests on product labels or memory that the reference does not
    hold yet. Both bounds are inclusive.
    """

    agent: Agent
    low: Fraction
    high: Fraction
    low_source: str
    low_status: str
    high_source: str
    high_status: str

    @property
    def source(self) -> str:
        if self.low_source == self.high_source:
            return self.low_source
        return f"{self.low_source}; {self.high_source}"

    @property
    def status(self) -> str:
        """The weaker of the two bounds' statuses."""
        statuses = {self.low_status, self.high_status}
        return "verified" if statuses == {"verified"} else "unverified"

    @property
    def text(self) -> str:
        return f"{display(self.low)}–{display(self.high)} %"


_LABEL = "not in clinical.md; product labels list it for infiltration or nerve block"
_UNVERIFIED = "unverified"
_VERIFIED = "verified"

# Lower bound: the weakest strength a TPI source uses (or the label's infiltration strength).
# Upper bound: the strongest commercial strength labelled for infiltration or peripheral
# (minor) nerve block, leaving out strengths meant for epidural or spinal use only.
# fmt: off
CONCENTRATIONS: Mapping[Agent, Concentration] = MappingProxyType({
    Agent.LIDOCAINE: Concentration(
        Agent.LIDOCAINE, Fraction("0.2"), Fraction(2),
        "[S61], [S20] (0.2–0.25 % water-diluted; also 0.5 % [S10], 1 % [S15b], [S64])",
        _VERIFIED,
        f"2 %: {_LABEL} (clinical.md has 2 % only as a conversion example [S31])",
        _UNVERIFIED,
    ),
    Agent.BUPIVACAINE: Concentration(
        Agent.BUPIVACAINE, Fraction("0.25"), Fraction("0.5"),
        "[S9], [S11], [S20] (0.25 %)", _VERIFIED,
        f"0.5 %: {_LABEL} (0.75 % is for epidural and retrobulbar use)", _UNVERIFIED,
    ),
    Agent.ROPIVACAINE: Concentration(
        Agent.ROPIVACAINE, Fraction("0.2"), Fraction("0.5"),
        f"0.2 %: {_LABEL}; [S20] names the agent without a strength", _UNVERIFIED,
        f"0.5 %: {_LABEL} (0.75 and 1 % are for epidural and major nerve block)", _UNVERIFIED,
    ),
    Agent.MEPIVACAINE: Concentration(
        Agent.MEPIVACAINE, Fraction("0.5"), Fraction(2),
        f"0.5 % (1 % diluted): {_LABEL}", _UNVERIFIED,
        f"2 %: {_LABEL}", _UNVERIFIED,
    ),
    Agent.PROCAINE: Concentration(
        Agent.PROCAINE, Fraction("0.5"), Fraction(2),
        "0.5 %: Travell & Simons' dilution for trigger points (memory); [S23] names the agent "
        "without a strength", _UNVERIFIED,
        f"2 %: {_LABEL} (1 % and 2 %)", _UNVERIFIED,
    ),
    Agent.CHLOROPROCAINE: Concentration(
        Agent.CHLOROPROCAINE, Fraction(1), Fraction(2),
        f"1 %: {_LABEL}", _UNVERIFIED,
        f"2 %: {_LABEL} (3 % is for epidural use)", _UNVERIFIED,
    ),
})
# fmt: on


def concentration_range(agent: str) -> tuple[float, float]:
    """The lowest and highest strength (percent) the agent is used at for TPI, inclusive.

    Source: clinical.md §3 agents table ([S61], [S20], [S10], [S15b], [S64] lidocaine;
    [S9], [S11], [S20] bupivacaine). Status: the lidocaine and bupivacaine lower bounds are
    verified; every other bound is unverified (product labels or memory, not yet in the
    reference): see ``CONCENTRATIONS[agent]``.
    """
    entry = CONCENTRATIONS[read_agent(agent)]
    return (float(entry.low), float(entry.high))


def check_concentration(agent: str, percent: Number) -> None:
    """Refuse a strength outside the agent's usual range: most likely a typing error.

    Raises ValueError naming ``percent``, e.g. "percent: lidocaine is used at 0.2–2 % for
    trigger point injection …; got 10". The number is read exactly (a float 0.2 is two
    tenths), so the bounds themselves pass. Source: as :func:`concentration_range`
    (clinical.md §3). Status: see ``CONCENTRATIONS``; unverified bounds are Taut's reading
    of the product labels and must be signed off by the clinical lead.
    """
    entry = CONCENTRATIONS[read_agent(agent)]
    value = read_number(percent, "percent")
    if not entry.low <= value <= entry.high:
        raise ValueError(
            f"percent: {entry.agent} is used at {entry.text} for trigger point injection, "
            f"got {percent!r}. Check the strength on the vial."
        )
