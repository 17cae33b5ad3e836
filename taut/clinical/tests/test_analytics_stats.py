"""The statistics of clinic analytics, against oracles: Wilson intervals against statsmodels,
Kaplan–Meier curves, bands and medians against lifelines, to 1e-9.

statsmodels and lifelines are dev dependencies used here only (decision 0035). They are
imported where they are used, not at the top: together they take about 3 s to import, which
every pytest-xdist worker would otherwise pay while collecting. Source ids are those of
docs/clinical-rules.md ("Clinic analytics").
"""

import itertools
import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taut.clinical import analytics
from taut.clinical.analytics import (
    MIN_CELL_PATIENTS,
    Cell,
    InTens,
    Median,
    Point,
    Tens,
    cell,
    cell_within,
    describe,
    in_tens,
    kaplan_meier,
    proportion_cell,
    suppressed,
    survival_at,
    wilson,
)

TOLERANCE = 1e-9


# Wilson score interval [S79], [S80], [S81] -----------------------------------------------


def oracle_wilson(k, n, confidence):
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    return float(low), float(high)


WILSON_CASES = [
    (k, n, confidence)
    for confidence in (0.95, 0.9, 0.99)
    for n in (*range(1, 13), 20, 31, 52, 100, 1000, 123457)
    for k in sorted({0, 1, 2, n // 3, n // 2, n - 2, n - 1, n} & set(range(n + 1)))
]


def test_it_matches_statsmodels_wilson_across_counts():
    """Every (k, n) of the table, 0 and n included, at 90, 95 and 99 %."""
    for k, n, confidence in WILSON_CASES:
        p = wilson(k, n, confidence=confidence)
        low, high = oracle_wilson(k, n, confidence)
        assert p.estimate == k / n
        assert abs(p.low - low) < TOLERANCE, (k, n, confidence)
        assert abs(p.high - high) < TOLERANCE, (k, n, confidence)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_it_matches_statsmodels_wilson_for_any_count(kn):
    k, n = kn
    p = wilson(k, n)
    low, high = oracle_wilson(k, n, 0.95)
    assert abs(p.low - low) < TOLERANCE and abs(p.high - high) < TOLERANCE
    assert 0 <= p.low <= p.estimate <= p.high <= 1


def test_it_gives_exact_ends_at_zero_and_all():
    assert wilson(0, 7).low == 0.0
    assert wilson(7, 7).high == 1.0
    assert wilson(7, 7).estimate == 1.0


def test_it_estimates_nothing_with_no_patients():
    p = wilson(0, 0)
    assert (p.successes, p.n, p.estimate, p.low, p.high) == (0, 0, None, None, None)
    assert in_tens(p) is None
    assert describe(p) == "no patients yet"


@pytest.mark.parametrize(
    ("successes", "n", "confidence", "message"),
    [
        (-1, 5, 0.95, "successes: must not be negative"),
        (1, -5, 0.95, "n: must not be negative"),
        (6, 5, 0.95, r"successes: 6 is more than n \(5\)"),
        (True, 5, 0.95, "successes: expected a whole number"),
        (1, False, 0.95, "n: expected a whole number"),
        (1.0, 5, 0.95, "successes: expected a whole number"),
        (1, 5.5, 0.95, "n: expected a whole number"),
        ("1", 5, 0.95, "successes: expected a whole number"),
        (1, 5, 95, "confidence: must be between 0 and 1"),
        (1, 5, 1.0, "confidence: must be between 0 and 1"),
        (1, 5, 0, "confidence: must be between 0 and 1"),
        (1, 5, math.nan, "confidence: must be between 0 and 1"),
        (1, 5, True, "confidence: expected a number"),
    ],
)
def test_it_refuses_counts_it_cannot_read(successes, n, confidence, message):
    with pytest.raises(ValueError, match=message):
        wilson(successes, n, confidence=confidence)


# Words for patients ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [
        # Estimate to the nearest tenth, a half up; low end down, high end up.
        (31, 52, InTens(6, 4, 8, Tens.ABOUT)),  # 0.596 (0.461–0.718)
        (5, 20, InTens(3, 1, 5, Tens.ABOUT)),  # exactly 2.5 tenths: up (0.112–0.469)
        (7, 20, InTens(4, 1, 6, Tens.ABOUT)),  # exactly 3.5 tenths: up, not to even
        (600, 1000, InTens(6, 5, 7, Tens.ABOUT)),  # 0.570–0.630
        (1, 30, InTens(0, 0, 2, Tens.FEWER_THAN_ONE)),  # 0.033: "fewer than 1 in 10"
        (29, 30, InTens(10, 8, 10, Tens.MORE_THAN_NINE)),  # 0.967: "more than 9 in 10"
        (0, 5, InTens(0, 0, 5, Tens.ZERO)),  # 0 of 5 (0–0.434)
        (12, 12, InTens(10, 7, 10, Tens.TEN)),  # 12 of 12 (0.758–1)
        (1, 20, InTens(1, 0, 3, Tens.ABOUT)),  # exactly 0.5 tenths rounds up to 1
    ],
)
def test_it_puts_a_proportion_in_tens(k, n, expected):
    assert in_tens(wilson(k, n)) == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_it_keeps_the_tens_inside_their_interval(kn):
    k, n = kn
    p = wilson(k, n)
    words = in_tens(p)
    assert 0 <= words.low_tens <= words.estimate_tens <= words.high_tens <= 10
    assert words.low_tens < words.high_tens
    # The words never claim more than the interval: it lies within the tenths named.
    assert words.low_tens / 10 <= p.low and p.high <= words.high_tens / 10
    assert abs(words.estimate_tens - 10 * k / n) <= 0.5


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [
        (31, 52, "about 6 in 10 (31 of 52; 95 % interval between 4 and 8 in 10)"),
        (1, 30, "fewer than 1 in 10 (1 of 30; 95 % interval between 0 and 2 in 10)"),
        (29, 30, "more than 9 in 10 (29 of 30; 95 % interval between 8 and 10 in 10)"),
        (0, 5, "0 in 10 (0 of 5; 95 % interval between 0 and 5 in 10)"),
        (12, 12, "10 in 10 (12 of 12; 95 % interval between 7 and 10 in 10)"),
    ],
)
def test_it_describes_a_proportion_for_staff(k, n, expected):
    assert describe(wilson(k, n)) == expected


def test_it_names_other_confidence_levels():
    assert describe(wilson(31, 52, confidence=0.9)).endswith("90 % interval between 4 and 8 in 10)")


# Small-cell suppression [S82] ------------------------------------------------------------


@pytest.mark.parametrize(
    ("patients", "expected"),
    [
        (0, Cell.EMPTY),  # "a value of zero does not violate the minimum cell size policy"
        (1, Cell.SUPPRESSED),
        (10, Cell.SUPPRESSED),  # no cell of 1 to 10
        (11, Cell.SHOWN),
        (12000, Cell.SHOWN),
    ],
)
def test_it_suppresses_cells_of_one_to_ten(patients, expected):
    assert MIN_CELL_PATIENTS == 11
    assert cell(patients) is expected
    assert suppressed(patients) is (expected is Cell.SUPPRESSED)


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [
        (0, 0, Cell.EMPTY),
        (3, 5, Cell.SUPPRESSED),  # n itself is 1 to 10
        (20, 40, Cell.SHOWN),
        (0, 40, Cell.SHOWN),  # 0 responders is no small cell
        (40, 40, Cell.SHOWN),
        (3, 40, Cell.SUPPRESSED),  # 3 responders can be worked out from 7.5 % of 40
        (35, 40, Cell.SUPPRESSED),  # 5 non-responders likewise
    ],
)
def test_it_suppresses_a_proportion_that_gives_away_a_small_cell(k, n, expected):
    assert proportion_cell(wilson(k, n)) is expected


@settings(max_examples=300, deadline=None)
@given(st.integers(-30, 40), st.integers(0, 40), st.integers(0, 40))
def test_a_cell_from_bounds_is_the_cell_of_every_count_between_them(low, high, n):
    """``cell_within`` never decides a cell that a count within its bounds would not have;
    and it leaves open only bounds that straddle 0 or 11."""
    found = cell_within(low, high)
    if found is not None and low <= n <= high:
        assert found is cell(n)
    if found is None:
        cells = {cell(k) for k in range(max(low, 0), high + 1)}
        assert len(cells) > 1


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (-5, 0, Cell.EMPTY),
        (1, 10, Cell.SUPPRESSED),
        (11, 40, Cell.SHOWN),
        (0, 5, None),
        (4, 11, None),
    ],
)
def test_it_decides_a_cell_from_bounds_when_they_agree(low, high, expected):
    assert cell_within(low, high) is expected


@pytest.mark.parametrize("patients", [-1, True, 2.0, None, "11"])
def test_it_refuses_a_count_of_patients_it_cannot_read(patients):
    with pytest.raises(ValueError, match="patients: "):
        cell(patients)


# Kaplan–Meier [S84]–[S87] against lifelines ----------------------------------------------


def lifelines_fit(rows, confidence):
    """lifelines on the same data, each aggregated row expanded into its subjects."""
    from lifelines import KaplanMeierFitter

    durations, observed = [], []
    for time, events, censored in rows:
        durations += [time] * (events + censored)
        observed += [1] * events + [0] * censored
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's log(0) at S = 0, handled by lifelines
        return KaplanMeierFitter(alpha=1 - confidence).fit(durations, observed)


def not_reached(value):
    return None if math.isinf(value) else int(value)


def assert_matches_lifelines(rows, confidence=0.95):
    from lifelines.utils import median_survival_times

    ours = kaplan_meier(rows, confidence=confidence)
    theirs = lifelines_fit(rows, confidence)
    curve = theirs.survival_function_.iloc[:, 0]
    band = theirs.confidence_interval_
    # Every time of lifelines' timeline (which starts at 0), read off our steps.
    for index, time in enumerate(curve.index):
        point = survival_at(ours, int(time))
        expected = (curve.iloc[index], band.iloc[index, 0], band.iloc[index, 1])
        got = (point.survival, point.low, point.high)
        assert all(abs(a - b) < TOLERANCE for a, b in zip(got, expected, strict=True)), (
            time,
            got,
            expected,
        )
    # Our steps are lifelines' event table, time 0 aside when nothing happened then.
    table = theirs.event_table
    for step in ours.steps:
        row = table.loc[step.time]
        assert (step.at_risk, step.events, step.censored) == (
            row["at_risk"],
            row["observed"],
            row["censored"],
        )
    low, high = median_survival_times(band).iloc[0]
    median = not_reached(theirs.median_survival_time_)
    assert (ours.median.low, ours.median.high) == (not_reached(low), not_reached(high))
    if ours.median.time != median:
        # Only where the curve is exactly one half: lifelines' S = exp(Σ log) can land a hair
        # above 0.5 (4 of 8 gives 0.5000000000000001); ours is checked exactly.
        assert abs(curve.loc[ours.median.time] - 0.5) < 1e-12, (ours.median, median)
    return ours


def test_it_matches_lifelines_without_censoring():
    survival = assert_matches_lifelines([(3, 1, 0), (5, 2, 0), (8, 1, 0), (13, 3, 0), (21, 2, 0)])
    assert survival.median == Median(13, 3, 21)
    assert survival.steps[-1].survival == 0.0
    assert (survival.steps[-1].low, survival.steps[-1].high) == (0.0, 0.0)


def test_it_matches_lifelines_with_heavy_censoring():
    rows = [(1, 1, 6), (4, 0, 9), (7, 2, 5), (10, 1, 8), (14, 0, 12), (30, 1, 3), (42, 0, 4)]
    survival = assert_matches_lifelines(rows)
    assert survival.median == Median(None, 30, None)  # only the band's lower edge gets there
    assert (survival.subjects, survival.events, survival.censored) == (52, 5, 47)


def test_it_counts_censorings_at_an_event_time_as_at_risk():
    """At a tie, events come first: the 2 censored at day 7 are among the 10 at risk."""
    survival = assert_matches_lifelines([(7, 3, 2), (2, 1, 1), (7, 0, 1), (12, 2, 0), (12, 1, 1)])
    day7 = next(step for step in survival.steps if step.time == 7)
    assert (day7.at_risk, day7.events, day7.censored) == (10, 3, 3)
    assert day7.survival == pytest.approx((11 / 12) * (7 / 10), abs=1e-15)


def test_it_matches_lifelines_when_all_are_censored():
    survival = assert_matches_lifelines([(5, 0, 3), (9, 0, 2)])
    assert all((s.survival, s.low, s.high) == (1.0, 1.0, 1.0) for s in survival.steps)
    assert survival.median == Median(None, None, None)


@pytest.mark.parametrize("rows", [[(6, 1, 0)], [(6, 0, 1)], [(0, 1, 0)], [(0, 0, 1)]])
def test_it_matches_lifelines_for_a_single_subject(rows):
    assert_matches_lifelines(rows)


def test_it_matches_lifelines_with_times_at_zero():
    survival = assert_matches_lifelines([(0, 2, 1), (0, 1, 0), (3, 2, 2), (9, 1, 4)])
    assert survival.steps[0].time == 0 and survival.steps[0].at_risk == 13


def test_it_gives_the_median_where_the_curve_is_exactly_one_half():
    """4 of 8 at day 4: S = 1/2 exactly, so the median is day 4 (lifelines' float says
    0.5000000000000001 and "not reached")."""
    survival = assert_matches_lifelines([(4, 4, 4)])
    assert survival.median.time == 4


def test_it_matches_lifelines_at_other_confidence_levels():
    rows = [(2, 1, 1), (3, 2, 0), (6, 1, 3), (9, 2, 1), (15, 1, 0)]
    for confidence in (0.8, 0.9, 0.99):
        assert kaplan_meier(rows, confidence=confidence).confidence == confidence
        assert_matches_lifelines(rows, confidence)


rows_strategy = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=7
).filter(lambda rows: any(events + censored for _, events, censored in rows))


@settings(max_examples=30, deadline=None)
@given(rows_strategy, st.sampled_from([0.95, 0.9]))
def test_it_matches_lifelines_for_any_rows(rows, confidence):
    survival = assert_matches_lifelines(rows, confidence)
    steps = survival.steps
    assert [s.time for s in steps] == sorted({t for t, e, c in rows if e + c})
    assert all(s.low <= s.survival <= s.high for s in steps)
    assert all(a.survival >= b.survival for a, b in itertools.pairwise(steps))


def test_it_reads_the_curve_at_a_time():
    survival = kaplan_meier([(10, 1, 0), (20, 1, 1), (40, 0, 2)])
    assert survival_at(survival, 0) == Point(0, 1.0, 1.0, 1.0)  # before the first step
    assert survival_at(survival, 15).survival == 0.8  # the step at day 10 holds
    assert survival_at(survival, 40).survival == pytest.approx(0.6)
    assert survival_at(survival, 41) is None  # nobody followed past day 40
    ended = kaplan_meier([(10, 1, 0), (20, 1, 0)])
    assert survival_at(ended, 400) == Point(400, 0.0, 0.0, 0.0)  # 0 stays 0
    assert survival_at(kaplan_meier([]), 5) is None


def test_it_has_no_steps_without_subjects():
    survival = kaplan_meier([(3, 0, 0)])
    assert (survival.steps, survival.subjects, survival.median) == ((), 0, Median(None, None, None))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(-1, 1, 0)], r"rows\[0\].time_days: must not be negative"),
        ([(1, 1, 0), (2, -1, 0)], r"rows\[1\].events: must not be negative"),
        ([(1, 1, True)], r"rows\[0\].censored: expected a whole number"),
        ([(1.5, 1, 0)], r"rows\[0\].time_days: expected a whole number"),
        ([(1, 1)], r"rows\[0\]: expected \(time_days, events, censored\)"),
        ("abc", "rows: expected a list of"),
        ({1: (1, 0)}, "rows: expected a list of"),
    ],
)
def test_it_refuses_rows_it_cannot_read(rows, message):
    with pytest.raises(ValueError, match=message):
        kaplan_meier(rows)


def test_it_reads_rows_from_any_iterable():
    """A generator (a database cursor) is read once, like a list."""
    rows = [(2, 1, 0), (5, 1, 1)]
    assert kaplan_meier(row for row in rows) == kaplan_meier(rows)


def test_it_exports_its_public_names():
    assert set(analytics.__all__) >= {"wilson", "in_tens", "kaplan_meier", "Cell", "VERSION"}
