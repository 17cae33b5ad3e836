"""Corticosteroid with the anaesthetic: methylprednisolone equivalents and the clinic's
three-month limit.

Sources: equivalent doses Meikle & Tyler 1977 via GlobalRPh (secondary); steroid risks [S9],
[S22]; the limit and the three-month window are clinic policy (unverified).
"""

from datetime import date
from fractions import Fraction

import pytest

from taut.clinical import steroids
from taut.clinical.steroids import check_steroid, methylprednisolone_mg, window_start

# Methylprednisolone 4 mg = triamcinolone 4 mg = dexamethasone 0.75 mg = betamethasone 0.6 mg
# (Meikle & Tyler 1977 via GlobalRPh).
EQUIVALENT_CASES = [
    ("methylprednisolone", 40, "40"),
    ("triamcinolone", 40, "40"),
    ("dexamethasone", 4, "64/3"),  # 21.33 mg
    ("dexamethasone", 0.75, "4"),
    ("betamethasone", 6, "40"),
    ("betamethasone", 0.6, "4"),
]


@pytest.mark.parametrize(("agent", "mg", "equivalent"), EQUIVALENT_CASES)
def test_it_converts_to_methylprednisolone(agent, mg, equivalent):
    assert methylprednisolone_mg(agent, mg) == Fraction(equivalent)


@pytest.mark.parametrize(
    ("agent", "mg", "field"),
    [("prednisone", 5, "steroid"), ("triamcinolone", 0, "mg"), ("triamcinolone", 400, "mg")],
)
def test_it_refuses_what_it_cannot_read(agent, mg, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        methylprednisolone_mg(agent, mg)


# Three calendar months back (clinic policy), clamped to the shorter month.
WINDOW_CASES = [
    (date(2026, 6, 15), date(2026, 3, 15)),
    (date(2026, 5, 31), date(2026, 2, 28)),
    (date(2028, 5, 31), date(2028, 2, 29)),
    (date(2026, 2, 10), date(2025, 11, 10)),
    (date(2026, 1, 1), date(2025, 10, 1)),
]


@pytest.mark.parametrize(("today", "start"), WINDOW_CASES)
def test_it_counts_back_three_calendar_months(today, start):
    assert window_start(today) == start


TODAY = date(2026, 6, 15)

# (given earlier, planned now, limit, exceeded, total): the clinic's limit (default 80 mg
# methylprednisolone-equivalent in 3 months, clinic policy) is allowed exactly, refused above.
LIMIT_CASES = [
    ([(date(2026, 4, 1), "triamcinolone", 40)], [("triamcinolone", 40)], 80, False, "80"),
    ([(date(2026, 4, 1), "triamcinolone", 40)], [("dexamethasone", 4)], 60, True, "184/3"),
    ([(date(2026, 3, 14), "triamcinolone", 80)], [("triamcinolone", 40)], 80, False, "40"),
    ([(date(2026, 3, 15), "triamcinolone", 80)], [("triamcinolone", 40)], 80, True, "120"),
    ([], [], 80, False, "0"),
    ([], [("betamethasone", 6), ("methylprednisolone", 41)], 80, True, "81"),
]


@pytest.mark.parametrize(("given", "planned", "limit", "exceeded", "total"), LIMIT_CASES)
def test_it_sums_three_months_against_the_limit(given, planned, limit, exceeded, total):
    check = check_steroid(given=given, planned=planned, today=TODAY, limit_mg=limit)
    assert check.exceeded is exceeded
    assert check.total_mg == Fraction(total)
    assert "clinic policy, unverified" in check.messages[0]
    assert check.messages[-1] == steroids.EQUIVALENCE_SOURCE
    assert any("[S9]" in m for m in check.messages) is exceeded


def test_it_refuses_a_limit_of_zero():
    with pytest.raises(ValueError, match=r"^limit_mg"):
        check_steroid(given=[], planned=[], today=TODAY, limit_mg=0)


def test_every_steroid_has_a_label():
    assert {agent.label for agent in steroids.STEROIDS.values()} == {
        "Methylprednisolone",
        "Triamcinolone",
        "Dexamethasone",
        "Betamethasone",
    }
