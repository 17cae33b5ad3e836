"""``response_at`` and ``relief_end``: the 2- and 6-week responses and the time until
≥ 50 % relief ended, as the clinic analytics count them (docs/clinical-rules.md, "Clinic
analytics"). Thresholds: IMMPACT [S34]; sustained relief [S49], [S51]; soreness [S10],
[S13]. The windows (10–21 and 35–56 days) and the event definition are Taut's own."""

from datetime import date, datetime, timedelta

import pytest

from taut.clinical.outcomes import SIX_WEEKS, TWO_WEEKS, ReliefEnd, relief_end, response_at

SESSION = date(2026, 3, 2)


def on(*scores: tuple[int, float]) -> list[tuple[date, float]]:
    """Follow-ups as (days after the session, NRS)."""
    return [(SESSION + timedelta(days=day), nrs) for day, nrs in scores]


@pytest.mark.parametrize(
    ("window", "baseline", "scores", "expected"),
    [
        # The one nearest the target day (14, 42) counts.
        (TWO_WEEKS, 8, [(11, 2), (15, 6), (20, 1)], (15, 6)),
        (SIX_WEEKS, 8, [(36, 1), (40, 7), (55, 0)], (40, 7)),
        # A tie (13 and 15 are both a day from 14): the later.
        (TWO_WEEKS, 8, [(13, 2), (15, 6)], (15, 6)),
        (SIX_WEEKS, 8, [(45, 6), (39, 2)], (45, 6)),
        # The window's ends are in it.
        (TWO_WEEKS, 8, [(10, 4)], (10, 4)),
        (TWO_WEEKS, 8, [(21, 4)], (21, 4)),
        (SIX_WEEKS, 8, [(35, 4)], (35, 4)),
        (SIX_WEEKS, 8, [(56, 4)], (56, 4)),
        # Outside the window (day 7, day 84, just outside): no answer, not a non-responder.
        (TWO_WEEKS, 8, [(7, 1), (9, 1), (22, 1)], None),
        (SIX_WEEKS, 8, [(34, 1), (57, 1), (84, 1)], None),
        (TWO_WEEKS, 8, [], None),
    ],
)
def test_it_picks_the_score_nearest_the_checkpoint(window, baseline, scores, expected):
    found = response_at(window, session_date=SESSION, baseline=baseline, followups=on(*scores))
    assert (None if found is None else (found.day, found.nrs)) == expected
    if found is not None:
        assert found.window == window


@pytest.mark.parametrize(
    ("baseline", "nrs", "relief", "at_least_30", "at_least_50"),
    [
        (10, 5, 50.0, True, True),  # exactly 50 %: a responder [S34]
        (8, 4, 50.0, True, True),
        (6, 3.1, pytest.approx(48.333, abs=1e-3), True, False),
        (10, 7, 30.0, True, False),  # exactly 30 %: moderate [S34]
        (7, 5, pytest.approx(28.571, abs=1e-3), False, False),
        (7, 7, 0.0, False, False),
        (4, 6, -50.0, False, False),  # worse
        (6, 0, 100.0, True, True),
        (7.5, 3.75, 50.0, True, True),  # exact, even with halves
    ],
)
def test_it_reads_30_and_50_percent_relief_exactly(baseline, nrs, relief, at_least_30, at_least_50):
    found = response_at(TWO_WEEKS, session_date=SESSION, baseline=baseline, followups=on((14, nrs)))
    assert found is not None
    assert (found.relief, found.at_least_30, found.at_least_50) == (
        relief,
        at_least_30,
        at_least_50,
    )


def relief_end_of(baseline, *scores, **kwargs):
    return relief_end(session_date=SESSION, baseline=baseline, followups=on(*scores), **kwargs)


@pytest.mark.parametrize(
    ("baseline", "scores", "expected"),
    [
        # Soreness in the first 3 days (below 50 %) is set aside [S10], [S13].
        (8, [(1, 9), (3, 7), (14, 2), (42, 3)], ReliefEnd(days=42, ended=False)),
        # ... but a score of ≥ 50 % relief in those days counts.
        (8, [(2, 3)], ReliefEnd(days=2, ended=False)),
        # A score below 50 % on day 4 is no longer soreness: it ends relief.
        (8, [(4, 5), (14, 2)], ReliefEnd(days=4, ended=True)),
        # The first drop below 50 % is the event day, whatever follows.
        (8, [(7, 2), (14, 3), (28, 6), (42, 2)], ReliefEnd(days=28, ended=True)),
        # No ≥ 50 % relief at the first counted score: ended on that day.
        (8, [(14, 6), (42, 2)], ReliefEnd(days=14, ended=True)),
        # Still holding at the last score: censored there.
        (10, [(14, 5), (42, 4), (84, 5)], ReliefEnd(days=84, ended=False)),
        # In date order, not the order given.
        (8, [(42, 6), (14, 2)], ReliefEnd(days=42, ended=True)),
        # On a shared day the worse first: relief ended that day.
        (8, [(14, 2), (14, 6)], ReliefEnd(days=14, ended=True)),
        (8, [(14, 6), (14, 2)], ReliefEnd(days=14, ended=True)),
        # No counted score (none, or only soreness): left out of the curve.
        (8, [], None),
        (8, [(0, 9), (3, 8)], None),
    ],
)
def test_it_dates_the_end_of_relief(baseline, scores, expected):
    assert relief_end_of(baseline, *scores) == expected


def test_it_sets_aside_as_many_soreness_days_as_it_is_told():
    assert relief_end_of(8, (4, 6), (14, 2), soreness_days=5) == ReliefEnd(14, ended=False)
    assert relief_end_of(8, (1, 6), (14, 2), soreness_days=0) == ReliefEnd(1, ended=True)


@pytest.mark.parametrize("rule", ["response_at", "relief_end"])
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"baseline": 0}, "baseline: is 0"),  # no relief can be measured from nothing
        ({"baseline": 11}, "baseline"),
        ({"baseline": "8"}, "baseline"),
        ({"session_date": datetime(2026, 3, 2, 9)}, "session_date"),
        ({"session_date": "2026-03-02"}, "session_date"),
        ({"followups": [(SESSION, 11)]}, "followups[0].value"),
        ({"followups": [(SESSION, True)]}, "followups[0].value"),
        ({"followups": on((14, 2), (20, -1))}, "followups[1].value"),
        ({"followups": [("2026-03-16", 2)]}, "followups[0].date"),
        ({"followups": [(SESSION - timedelta(days=1), 2)]}, "followups[0].date"),
        ({"followups": [(SESSION,)]}, "followups[0]"),
        ({"followups": 5}, "followups"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(rule, changes, field):
    arguments = {"session_date": SESSION, "baseline": 8, "followups": on((14, 2))} | changes
    with pytest.raises(ValueError, match=f"^{field.replace('[', r'\[').replace(']', r'\]')}"):
        if rule == "response_at":
            response_at(TWO_WEEKS, **arguments)
        else:
            relief_end(**arguments)


def test_a_window_closes_the_day_after_its_last_day():
    """A session 21 days ago can still get its 2-week score today (day 21 is in the window);
    one 22 days ago cannot, so the figures count it, scored or not."""
    today = date(2026, 6, 30)
    assert TWO_WEEKS.closed_through(today) == date(2026, 6, 8)  # 22 days before
    assert SIX_WEEKS.closed_through(today) == date(2026, 5, 4)  # 57 days before
