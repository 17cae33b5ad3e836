"""Outcome measures: relief, IMMPACT classes, PEG, GAS, PGIC and relief duration.

Source ids are those of docs/clinical-rules.md (shared/reference/clinical.md §9).
"""

import contextlib
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical import outcomes
from taut.clinical.outcomes import (
    PGIC,
    Immpact,
    PGICHurstBolton,
    gas_t_score,
    immpact_category,
    peg,
    pgic_immpact_category,
    pgic_improved,
    relief,
    relief_duration,
    relief_duration_days,
    relief_percent,
)


@pytest.mark.parametrize(
    ("baseline", "value", "expected"),
    [
        # (baseline − value) / baseline × 100 on the 0–10 NRS [S34], same scale [S51]
        (10, 5, 50),
        (8, 2, 75),
        (7, 7, 0),
        (10, 0, 100),
        (4, 6, -50),  # worse: negative relief
        (7.5, 3.75, 50),
        (2, 1.8, 10),  # a float computation gives 9.999999999999998
    ],
)
def test_it_measures_relief_percent(baseline, value, expected):
    assert relief_percent(baseline, value) == expected


IMMPACT_CASES = [
    # IMMPACT, Dworkin 2008 [S34]; classes as clinical.md R6. Boundaries exact.
    (10, 5, "substantial"),  # exactly 50 %
    (10, 5.1, "moderate"),  # 49 %
    (10, 7, "moderate"),  # exactly 30 %
    (10, 7.1, "minimal"),  # 29 %
    (10, 9, "minimal"),  # exactly 10 %
    (10, 9.1, "none"),  # 9 %
    (10, 10, "none"),  # no change
    (5, 6, "worse"),  # any increase
    (6, 6.1, "worse"),
    (0.1, 0, "substantial"),
    (10, 0, "substantial"),
    (7, 4.9, "moderate"),  # exactly 30 %; a float computation gives 29.999999999999993
    (2.3, 1.61, "moderate"),  # exactly 30 %; float: 29.99999999999999
    (2, 1.8, "minimal"),  # exactly 10 %; float: 9.999999999999998
    (8, 4, "substantial"),  # exactly 50 %
    (3, 2.7, "minimal"),  # exactly 10 %
]


@pytest.mark.parametrize(("baseline", "value", "expected"), IMMPACT_CASES)
def test_it_classifies_relief_by_immpact(baseline, value, expected):
    assert immpact_category(baseline, value) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        # PEG = mean of the three 0–10 items (Krebs 2009) [S36], [S36b]
        ((7, 5, 6), 6),
        ((0, 0, 0), 0),
        ((10, 10, 10), 10),
        ((4.5, 5, 5.5), 5),
        ((1, 1, 2), 4 / 3),
    ],
)
def test_it_scores_the_peg(items, expected):
    assert peg(*items) == pytest.approx(expected)


GAS_CASES = [
    # Kiresuk–Sherman T = 50 + 10·Σwx / √((1−ρ)Σw² + ρ(Σw)²), ρ = 0.3 [S39]
    ([0, 0, 0], None, 0.3, 50.0),  # every goal as expected
    ([1], None, 0.3, 60.0),  # 50 + 10·1/√(0.7 + 0.3) = 60
    ([-2], None, 0.3, 30.0),  # 50 − 10·2/1 = 30
    # Σwx = 2, Σw² = 2, (Σw)² = 4: √(1.4 + 1.2) = √2.6 = 1.61245; 50 + 20/1.61245 = 62.4035
    ([1, 1], None, 0.3, 62.4035),
    # Σwx = −3, Σw² = 3, (Σw)² = 9: √(2.1 + 2.7) = √4.8 = 2.19089; 50 − 30/2.19089 = 36.3069
    ([-1, -1, -1], None, 0.3, 36.3069),
    # unequal: w = 2, 1; Σwx = 1, Σw² = 5, (Σw)² = 9: √(3.5 + 2.7) = √6.2 = 2.48998;
    # 50 + 10/2.48998 = 54.0161
    ([1, -1], [2, 1], 0.3, 54.0161),
    ([1, -1], [4, 2], 0.3, 54.0161),  # scaling every weight alike changes nothing
    # w = 3, 2, 1; Σwx = 6 + 0 − 1 = 5, Σw² = 14, (Σw)² = 36: √(9.8 + 10.8) = √20.6 =
    # 4.53872; 50 + 50/4.53872 = 61.0163
    ([2, 0, -1], [3, 2, 1], 0.3, 61.0163),
    # ρ = 0: √2 = 1.41421; 50 + 20/1.41421 = 64.1421
    ([1, 1], None, 0, 64.1421),
    ([1, 2], [0, 1], 0.3, 70.0),  # a zero weight drops a goal: 50 + 10·2/1
]


@pytest.mark.parametrize(("scores", "weights", "rho", "expected"), GAS_CASES)
def test_it_scores_goal_attainment(scores, weights, rho, expected):
    assert gas_t_score(scores, weights, rho) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("category", "improved"),
    [
        # Farrar 2001 [S35]: much or very much improved is clinically important
        ("very_much_improved", True),
        ("much_improved", True),
        ("minimally_improved", False),
        ("no_change", False),
        ("minimally_worse", False),
        ("much_worse", False),
        ("very_much_worse", False),
        # Hurst & Bolton wording [S38]: trials count categories 5–7 as improved
        ("a_great_deal_better", True),
        ("better", True),
        ("moderately_better", True),
        ("somewhat_better", False),
        ("a_little_better", False),
        ("almost_the_same", False),
        ("no_change_or_worse", False),
    ],
)
def test_it_says_which_pgic_answers_count_as_improved(category, improved):
    assert pgic_improved(category) is improved


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        # IMMPACT [S34]: very much improved = substantial, much (Bandolier: "moderately")
        # improved = moderate, minimally improved = minimal
        (PGIC.VERY_MUCH_IMPROVED, "substantial"),
        (PGIC.MUCH_IMPROVED, "moderate"),
        (PGIC.MINIMALLY_IMPROVED, "minimal"),
        (PGIC.NO_CHANGE, "none"),
        (PGIC.MINIMALLY_WORSE, "worse"),
        (PGIC.VERY_MUCH_WORSE, "worse"),
    ],
)
def test_it_grades_pgic_answers_by_immpact(category, expected):
    assert pgic_immpact_category(category) == expected


def test_it_has_seven_categories_on_each_pgic_scale():
    assert len(PGIC) == 7
    assert len(PGICHurstBolton) == 7


SESSION = date(2026, 1, 1)


def day(n):
    return SESSION + timedelta(days=n)


DURATION_CASES = [
    # ≥ 50 % relief, dated, same scale [S49], [S51]; the run definition is Taut's.
    # Baseline 8: 2 → 75 %, 3 → 62.5 %, 4 → exactly 50 %, 6 → 25 %.
    ([(day(0), 2), (day(14), 3), (day(42), 4), (day(56), 6)], 42),
    ([(day(42), 4), (day(0), 2), (day(14), 3)], 42),  # order of input does not matter
    ([(day(7), 5)], 0),  # first follow-up at 37.5 %: no relief run
    ([(day(7), 2), (day(21), 6), (day(60), 1)], 7),  # a relapse ends the run for good
    ([(day(0), 1)], 0),  # a same-day score alone: day 0
    ([(day(14), 2), (day(14), 5), (day(50), 1)], 0),  # same date: the worse score first
    ([(day(90), 0)], 90),
    ([], None),  # nothing measured
    # Soreness in the first 3 days [S10], [S13] is set aside and does not end the run.
    ([(day(1), 8), (day(3), 7), (day(14), 3), (day(42), 4)], 42),
    ([(day(1), 2), (day(2), 7), (day(14), 3)], 14),  # a day-1 score at 75 % still counts
    ([(day(4), 7), (day(14), 3)], 0),  # day 4 is past the soreness days: it ends the run
    ([(day(2), 8)], None),  # only soreness-day scores: unknown, never 0
]


@pytest.mark.parametrize(("followups", "days"), DURATION_CASES)
def test_it_measures_how_long_relief_lasted(followups, days):
    assert relief_duration_days(session_date=SESSION, baseline=8, followups=followups) == days


def test_it_explains_the_relief_duration():
    result = relief_duration(
        session_date=SESSION, baseline=8, followups=[(day(14), 3), (day(42), 4), (day(56), 6)]
    )
    assert (result.days, result.last_date, result.followups_counted) == (42, day(42), 2)
    assert "through 2026-02-12: 42 days" in result.reason
    assert result.version == outcomes.VERSION
    first_low = relief_duration(session_date=SESSION, baseline=8, followups=[(day(7), 5)])
    assert "37 % relief, below 50 %" in first_low.reason


def test_it_says_which_scores_it_set_aside_as_soreness():
    result = relief_duration(
        session_date=SESSION, baseline=8, followups=[(day(1), 8), (day(14), 3), (day(42), 4)]
    )
    assert (result.days, result.followups_counted, result.set_aside) == (42, 2, 1)
    assert "1 score(s) from the first 3 days below 50 % set aside as expected soreness" in (
        result.reason
    )
    none = relief_duration(
        session_date=SESSION, baseline=8, followups=[(day(1), 8)], soreness_days=0
    )
    assert none.days == 0  # a clinic that sets no soreness days counts every score


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: relief_percent(0, 0), "baseline"),
        (lambda: relief_percent(11, 5), "baseline"),
        (lambda: relief_percent(-1, 0), "baseline"),
        (lambda: relief_percent(5, 10.5), "value"),
        (lambda: relief_percent(5, float("nan")), "value"),
        (lambda: relief_percent("5", 2), "baseline"),
        (lambda: immpact_category(0, 3), "baseline"),
        (lambda: immpact_category(5, None), "value"),
        (lambda: peg(1, 2, 11), "activity"),
        (lambda: peg(True, 2, 3), "pain"),
        (lambda: gas_t_score([]), "scores"),
        (lambda: gas_t_score([3]), r"scores\[0\]"),
        (lambda: gas_t_score([0.5]), r"scores\[0\]"),
        (lambda: gas_t_score([1, 1], [1]), "weights"),
        (lambda: gas_t_score([1], [-1]), r"weights\[0\]"),
        (lambda: gas_t_score([1], [0]), "weights"),
        (lambda: gas_t_score([1], rho=1.5), "rho"),
        (lambda: gas_t_score("12"), "scores"),
        (lambda: pgic_improved("great"), "category"),
        (lambda: pgic_improved(2), "category"),
        (lambda: pgic_immpact_category("better"), "category"),
        (
            lambda: relief_duration_days(session_date=SESSION, baseline=0, followups=[]),
            "baseline",
        ),
        (
            lambda: relief_duration_days(session_date="2026-01-01", baseline=8, followups=[]),
            "session_date",
        ),
        (
            lambda: relief_duration_days(
                session_date=datetime(2026, 1, 1, 9, 0), baseline=8, followups=[]
            ),
            "session_date",
        ),
        (
            lambda: relief_duration_days(
                session_date=SESSION, baseline=8, followups=[(day(-1), 2)]
            ),
            r"followups\[0\]\.date",
        ),
        (
            lambda: relief_duration_days(
                session_date=SESSION, baseline=8, followups=[(day(1), 2), (day(2), 12)]
            ),
            r"followups\[1\]\.value",
        ),
        (
            lambda: relief_duration_days(session_date=SESSION, baseline=8, followups=[day(1)]),
            r"followups\[0\]",
        ),
    ],
)
def test_it_refuses_bad_input_naming_the_field(call, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        call()


# --- properties ---------------------------------------------------------------------------------

nrs = st.one_of(
    st.integers(0, 10),
    st.floats(min_value=0, max_value=10),
    st.decimals(min_value=0, max_value=10, places=2),
)
RANK = {"substantial": 0, "moderate": 1, "minimal": 2, "none": 3, "worse": 4}


@given(nrs.filter(lambda b: b > 0), nrs, nrs)
def test_it_never_grades_a_higher_pain_score_as_more_relief(baseline, v1, v2):
    better, worse = sorted((v1, v2))
    assert RANK[immpact_category(baseline, better)] <= RANK[immpact_category(baseline, worse)]
    assert relief_percent(baseline, better) >= relief_percent(baseline, worse)


@given(st.lists(st.sampled_from([-2, -1, 0, 1, 2]), min_size=1, max_size=6), st.data())
def test_it_raises_the_gas_score_when_a_goal_improves(scores, data):
    index = data.draw(st.integers(0, len(scores) - 1))
    weights = data.draw(st.lists(st.integers(1, 9), min_size=len(scores), max_size=len(scores)))
    assert gas_t_score([0] * len(scores), weights) == pytest.approx(50)
    if scores[index] < 2:
        better = [*scores]
        better[index] += 1
        assert gas_t_score(better, weights) > gas_t_score(scores, weights)


followup = st.tuples(st.integers(0, 200).map(day), st.integers(0, 10))


@given(st.integers(1, 10), st.lists(followup, max_size=6), followup)
def test_it_never_shortens_relief_when_a_later_follow_up_is_added(baseline, followups, extra):
    last = max((when for when, _ in followups), default=SESSION)
    later = (last + timedelta(days=extra[0].toordinal() % 30 + 1), extra[1])
    before = relief_duration_days(session_date=SESSION, baseline=baseline, followups=followups)
    after = relief_duration_days(
        session_date=SESSION, baseline=baseline, followups=[*followups, later]
    )
    if after is None:  # only soreness-day scores, set aside [S10], [S13]
        assert (later[0] - SESSION).days <= outcomes.SORENESS_DAYS
        return
    assert after >= (before or 0)
    assert after <= (later[0] - SESSION).days


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.fractions(),
    st.text(max_size=6),
    st.dates(),
    st.lists(st.integers(-3, 3), max_size=3),
    st.lists(st.tuples(st.dates(), st.integers(-1, 11)), max_size=3),
)


@given(junk, junk, junk, junk)
def test_it_raises_only_value_error_on_bad_input(a, b, c, d):
    for call in (
        lambda: relief_percent(a, b),
        lambda: immpact_category(a, b),
        lambda: peg(a, b, c),
        lambda: gas_t_score(a, b, c),
        lambda: pgic_improved(a),
        lambda: pgic_immpact_category(a),
        lambda: relief_duration_days(session_date=a, baseline=b, followups=c),
        lambda: relief_duration_days(session_date=SESSION, baseline=d, followups=a),
    ):
        with contextlib.suppress(ValueError):  # any other exception fails
            call()


def test_it_gives_the_category_as_a_string():
    assert immpact_category(10, 5) == Immpact.SUBSTANTIAL == "substantial"


def test_it_gives_whole_scores_the_same_relief_as_exact_decimals():
    """Whole scores take a remembered path (the worklist asks for the same pairs hundreds of
    times a page); every pair gives what the exact computation gives for the same values
    as floats, a zero baseline and a score off the scale are refused every time, and no more
    than the 10 × 11 valid pairs are kept."""
    for baseline in range(1, 11):
        for value in range(11):
            whole, exact = (baseline, value), (float(baseline), float(value))
            assert outcomes.relief_percent(*whole) == outcomes.relief_percent(*exact)
            assert outcomes.immpact_category(*whole) == outcomes.immpact_category(*exact)
    for _ in range(2):
        with pytest.raises(ValueError, match="baseline: is 0"):
            outcomes.relief_percent(0, 3)
        with pytest.raises(ValueError, match="value: must be from 0 to 10"):
            outcomes.relief_percent(5, 11)
    with pytest.raises(ValueError, match="expected a number"):
        outcomes.relief_percent(True, 0)  # a bool is not a score, on either path
    assert relief._relief_of_whole_scores.cache_info().currsize <= 110
