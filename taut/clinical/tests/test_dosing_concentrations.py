"""The strengths each local anaesthetic is used at: taut.clinical.dosing.CONCENTRATIONS.

Source ids are those of docs/clinical-rules.md (shared/reference/clinical.md §3, §9).
"""

import contextlib
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical import dosing
from taut.clinical.dosing import (
    AGENTS,
    CONCENTRATIONS,
    MAX_PERCENT,
    Agent,
    check_concentration,
    concentration_range,
)

RANGES = [
    # [S61], [S20]: water-diluted 0.2 % lidocaine; 2 % upper bound unverified (labels).
    ("lidocaine", 0.2, 2.0),
    # [S9], [S11], [S20]: 0.25 % bupivacaine; 0.5 % unverified (labels).
    ("bupivacaine", 0.25, 0.5),
    ("ropivacaine", 0.2, 0.5),  # unverified (labels)
    ("mepivacaine", 0.5, 2.0),  # unverified (labels)
    ("procaine", 0.5, 2.0),  # unverified (Travell & Simons' 0.5 %, memory; labels)
    ("chloroprocaine", 1.0, 2.0),  # unverified (labels)
]


@pytest.mark.parametrize(("agent", "low", "high"), RANGES)
def test_it_gives_each_agents_usual_range(agent, low, high):
    assert concentration_range(agent) == (low, high)


def test_it_has_a_range_for_every_agent():
    assert set(CONCENTRATIONS) == set(AGENTS)
    for agent, entry in CONCENTRATIONS.items():
        assert entry.agent is agent
        assert 0 < entry.low < entry.high <= MAX_PERCENT


@pytest.mark.parametrize(
    ("agent", "percent"),
    [
        ("lidocaine", 0.2),  # [S61]: the bound itself passes (0.2 read as two tenths)
        ("lidocaine", 0.25),  # [S61]
        ("lidocaine", 0.5),  # [S10] Hong 1994
        ("lidocaine", 1),  # [S15b], [S64]
        ("lidocaine", 2),
        ("lidocaine", Decimal("1.5")),
        ("lidocaine", Fraction(1, 2)),
        ("bupivacaine", 0.25),  # [S9], [S11]
        ("bupivacaine", 0.5),
        ("ropivacaine", 0.2),
        ("chloroprocaine", 1),
    ],
)
def test_it_accepts_a_usual_strength(agent, percent):
    assert check_concentration(agent, percent) is None


@pytest.mark.parametrize(
    ("agent", "percent"),
    [
        ("lidocaine", 10),  # 1 % typed as 10
        ("lidocaine", 2.01),
        ("lidocaine", 0.19),
        ("lidocaine", 0),
        ("lidocaine", -1),
        ("bupivacaine", 0.75),  # epidural strength
        ("bupivacaine", 1),
        ("ropivacaine", 1),
        ("chloroprocaine", 3),  # epidural strength
        ("procaine", 0.25),
    ],
)
def test_it_refuses_a_strength_outside_the_range_naming_percent(agent, percent):
    with pytest.raises(ValueError, match=rf"^percent: {agent} is used at "):
        check_concentration(agent, percent)


def test_it_says_the_range_in_the_message():
    with pytest.raises(ValueError) as error:
        check_concentration("lidocaine", 3)
    assert str(error.value) == (
        "percent: lidocaine is used at 0.2–2 % for trigger point injection, got 3. "
        "Check the strength on the vial."
    )


@pytest.mark.parametrize(
    ("agent", "percent", "message"),
    [
        ("cocaine", 1, r"^agent: unknown agent 'cocaine'"),
        ("Lidocaine", 1, r"^agent: unknown agent"),
        ("lidocaine", "1", r"^percent: expected a number"),
        ("lidocaine", True, r"^percent: expected a number"),
        ("lidocaine", None, r"^percent: expected a number"),
        ("lidocaine", float("nan"), r"^percent: must be a finite number"),
        ("lidocaine", float("inf"), r"^percent: must be a finite number"),
        ("lidocaine", Decimal("NaN"), r"^percent: must be a finite number"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(agent, percent, message):
    with pytest.raises(ValueError, match=message):
        check_concentration(agent, percent)


def test_it_refuses_an_unknown_agent_for_the_range():
    with pytest.raises(ValueError, match=r"^agent: unknown agent 'saline'"):
        concentration_range("saline")


def test_it_marks_which_bounds_are_verified():
    # Seen in clinical.md §3: lidocaine 0.2 % [S61] and bupivacaine 0.25 % [S9].
    verified_lows = {a for a, e in CONCENTRATIONS.items() if e.low_status == "verified"}
    assert verified_lows == {Agent.LIDOCAINE, Agent.BUPIVACAINE}
    assert "[S61]" in CONCENTRATIONS[Agent.LIDOCAINE].low_source
    assert "[S9]" in CONCENTRATIONS[Agent.BUPIVACAINE].low_source
    # Every upper bound rests on product labels the reference does not hold yet.
    assert all(e.high_status == "unverified" for e in CONCENTRATIONS.values())
    assert all(e.status == "unverified" for e in CONCENTRATIONS.values())
    for entry in CONCENTRATIONS.values():
        assert entry.source and entry.low_source in entry.source


def test_it_keeps_the_public_home_of_the_package():
    """Everything stays importable from taut.clinical.dosing, which reports itself as home."""
    for name in dosing.__all__:
        assert hasattr(dosing, name)
    assert check_concentration.__module__ == "taut.clinical.dosing"
    assert re.search(r"\[S\d+", concentration_range.__doc__)


agents = st.sampled_from(AGENTS)


@given(agents, st.floats(allow_nan=False, allow_infinity=False, min_value=-10, max_value=10))
def test_it_accepts_exactly_the_strengths_inside_the_range(agent, percent):
    low, high = concentration_range(agent)
    inside = Fraction(repr(low)) <= Fraction(repr(percent)) <= Fraction(repr(high))
    try:
        check_concentration(agent, percent)
        accepted = True
    except ValueError:
        accepted = False
    assert accepted is inside


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.fractions(),
    st.text(max_size=8),
    st.sampled_from([*AGENTS, "Lidocaine", ""]),
    st.lists(st.integers(), max_size=3),
)


@given(junk, junk)
def test_it_raises_only_value_error_on_bad_input(agent, percent):
    for call in (lambda: check_concentration(agent, percent), lambda: concentration_range(agent)):
        with contextlib.suppress(ValueError):  # any other exception fails
            call()
