"""Payer repeat rules: taut.clinical.payer. Sources: clinical.md §7c (ids of §9)."""

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taut.clinical import payer
from taut.clinical.payer import (
    MUSCLE_REGION,
    POLICIES,
    AnatomicalRegion,
    PlannedSession,
    Policy,
    SessionRecord,
    TreatmentHistory,
    region_of,
    repeat_eligibility,
)

LCD = POLICIES["L34211"]
BCBSA = POLICIES["BCBSA-2.01.103"]
NECK = {"trapezius_upper"}
LOW_BACK = {"quadratus_lumborum"}


def session(day: date, sites=NECK, *, relief_until: int | None = 42, **changes) -> SessionRecord:
    """A session whose index pain fell from 8 to 4 (50 %) and stayed there ``relief_until`` days."""
    followups = () if relief_until is None else ((day + timedelta(days=relief_until), 4),)
    fields = {
        "date": day,
        "sites": sites,
        "baseline": 8,
        "baseline_date": day,
        "followups": followups,
        "functional_improvement": True,
    }
    return SessionRecord(**{**fields, **changes})


def history(*sessions, sites=NECK, programme=True) -> TreatmentHistory:
    planned = PlannedSession(sites=sites, conservative_programme_active=programme)
    return TreatmentHistory(sessions=sessions, planned=planned)


def check(decision, code):
    return decision.check(code)


def test_it_allows_a_repeat_that_meets_every_lcd_check():
    decision = repeat_eligibility(
        history(session(date(2026, 1, 5))), on=date(2026, 3, 2), policy=LCD
    )
    assert decision.eligible
    assert all(c.passed is True for c in decision.checks)
    assert decision.policy_id == "L34211"
    assert decision.version == payer.VERSION


def test_it_refuses_a_fourth_session_in_12_months_and_names_the_dates():
    # LCD: at most 3 sessions per rolling 12 months, including the planned one: S49, S52.
    sessions = (
        session(date(2025, 7, 1), LOW_BACK),
        session(date(2025, 10, 6), {"deltoid"}),
        session(date(2026, 1, 5)),
    )
    decision = repeat_eligibility(history(*sessions), on=date(2026, 5, 11), policy=LCD)
    count = check(decision, "sessions_in_12_months")
    assert count.passed is False
    assert count.text == (
        "3 sessions since 2025-05-12 (2025-07-01, 2025-10-06, 2026-01-05); with the planned "
        "one that makes 4. The policy allows 3 in a rolling 12 months, including the planned "
        "one."
    )
    assert not decision.eligible


@pytest.mark.parametrize(
    ("earliest", "on", "counted"),
    [
        # The window is the year up to ``on``, from the day after the same date a year earlier.
        (date(2025, 5, 11), date(2026, 5, 11), 2),  # exactly a year before: outside
        (date(2025, 5, 12), date(2026, 5, 11), 3),  # a year less a day: inside
        (date(2027, 2, 28), date(2028, 2, 29), 2),  # leap day: window opens 2027-03-01
        (date(2027, 3, 1), date(2028, 2, 29), 3),
    ],
)
def test_it_counts_sessions_in_a_rolling_12_month_window(earliest, on, counted):
    sessions = (
        session(earliest, {"deltoid"}),
        session(on - timedelta(days=200), LOW_BACK),
        session(on - timedelta(days=100)),
    )
    decision = repeat_eligibility(history(*sessions), on=on, policy=LCD)
    count = check(decision, "sessions_in_12_months")
    assert count.passed is (counted < 3)
    assert f"makes {counted + 1}." in count.text


def test_it_allows_four_sessions_under_bcbsa():
    # BCBS-MA 604 / BCBSA 2.01.103: no more than 4 injections in 12 months: S56.
    sessions = (session(date(2025, 7, 1)), session(date(2025, 10, 6)), session(date(2026, 1, 5)))
    decision = repeat_eligibility(history(*sessions), on=date(2026, 5, 11), policy=BCBSA)
    assert check(decision, "sessions_in_12_months").passed is True


@pytest.mark.parametrize(
    ("days", "passed"),
    [
        (42, True),  # exactly 6 weeks: LCD, at least 6 weeks in the same location, S51
        (41, False),
        (90, True),
    ],
)
def test_it_needs_six_weeks_since_the_last_injection_in_the_same_region(days, passed):
    last = date(2026, 1, 5)
    on = last + timedelta(days=days)
    decision = repeat_eligibility(history(session(last)), on=on, policy=LCD)
    interval = check(decision, "interval_same_region")
    assert interval.passed is passed
    assert f"{days} days before {on}" in interval.text
    if not passed:
        assert "the earliest date is 2026-02-16" in interval.text


def test_it_counts_the_interval_within_the_region_only():
    # "Same location" is read as the same anatomical region (LCD definition, S49).
    sessions = (session(date(2026, 1, 5)), session(date(2026, 2, 20), LOW_BACK))
    decision = repeat_eligibility(history(*sessions), on=date(2026, 2, 23), policy=LCD)
    assert check(decision, "interval_same_region").passed is True
    assert "2026-01-05, 49 days" in check(decision, "interval_same_region").text


def test_it_treats_left_and_right_and_neighbouring_muscles_as_one_region():
    assert region_of("trapezius_upper") is region_of("levator_scapulae")
    assert region_of("cervical") is AnatomicalRegion.CERVICAL
    decision = repeat_eligibility(
        history(session(date(2026, 1, 5)), sites={"levator_scapulae"}),
        on=date(2026, 1, 20),
        policy=LCD,
    )
    assert check(decision, "interval_same_region").passed is False


@pytest.mark.parametrize(
    ("followups", "passed"),
    [
        # LCD repeat rule: at least 50 % relief of the index pain lasting at least 6 weeks,
        # with dated scores on the same scale: S49, S51. Baseline 10.
        (((14, 5), (42, 5)), True),  # 50 % for exactly 6 weeks
        (((14, 5), (42, 5.1)), False),  # 49 % at week 6: the run ends at day 14
        (((14, 5.1), (42, 5)), False),  # 49 % first: relief never reached 50 %
        (((14, 5), (41, 5), (50, 6)), False),  # 50 % for 41 days, then 40 %
        (((14, 3), (60, 4)), True),
        (((14, 5), (41, 5)), None),  # held, but no score from day 42: unknown
        ((), None),  # no follow-up data: unknown, not a pass
    ],
)
def test_it_needs_fifty_percent_relief_for_six_weeks(followups, passed):
    day = date(2026, 1, 5)
    record = session(
        day,
        baseline=10,
        followups=tuple((day + timedelta(days=d), v) for d, v in followups),
    )
    decision = repeat_eligibility(history(record), on=date(2026, 4, 1), policy=LCD)
    relief = check(decision, "relief")
    assert relief.passed is passed
    assert decision.eligible is (passed is True)


def test_it_explains_relief_with_dated_scores():
    day = date(2026, 1, 5)
    record = session(day, baseline=10, followups=((date(2026, 1, 19), 5), (date(2026, 2, 16), 5)))
    relief = check(repeat_eligibility(history(record), on=date(2026, 3, 2), policy=LCD), "relief")
    assert relief.text == (
        "Relief of 50% or more after 2026-01-05 lasted 42 days (baseline 10/10 obtained "
        "2026-01-05 (0–10 pain scale); scores obtained 2026-01-19 (day 14): 50%; "
        "2026-02-16 (day 42): 50%); the policy needs 50% relief or more for 42 days (6 weeks)."
    )


@pytest.mark.parametrize(
    ("changes", "passed", "phrase"),
    [
        ({"baseline": None}, None, "No baseline pain score"),
        ({"baseline": 0, "followups": ()}, None, "Baseline pain was 0"),
        # LCD: measured on the SAME pain scale as baseline: S51.
        ({"followup_scale": "vas"}, False, "same scale as baseline"),
    ],
)
def test_it_does_not_count_relief_it_cannot_measure(changes, passed, phrase):
    record = session(date(2026, 1, 5), **changes)
    relief = check(repeat_eligibility(history(record), on=date(2026, 3, 2), policy=LCD), "relief")
    assert relief.passed is passed
    assert phrase in relief.text


def test_it_refuses_two_regions_in_one_session_under_the_lcd():
    # LCD not covered: injections into multiple anatomical regions in one session: S49.
    planned = {"trapezius_upper", "quadratus_lumborum"}
    decision = repeat_eligibility(history(sites=planned), on=date(2026, 3, 2), policy=LCD)
    region = check(decision, "one_region")
    assert region.passed is False
    assert region.text == (
        "The planned session covers 2 anatomical regions (cervical: Trapezius - upper fibres; "
        "lumbar: Quadratus lumborum); the policy covers one region per session."
    )
    assert not decision.eligible
    bcbsa = repeat_eligibility(history(sites=planned), on=date(2026, 3, 2), policy=BCBSA)
    assert check(bcbsa, "one_region").passed is True


@pytest.mark.parametrize(
    ("programme", "passed"),
    [
        (True, True),
        (False, False),  # LCD: an ongoing conservative programme is required: S51
        (None, None),  # not recorded: unknown
    ],
)
def test_it_needs_an_active_conservative_programme(programme, passed):
    decision = repeat_eligibility(
        history(session(date(2026, 1, 5)), programme=programme), on=date(2026, 3, 2), policy=LCD
    )
    assert check(decision, "conservative_programme").passed is passed
    assert decision.eligible is (passed is True)


@pytest.mark.parametrize(("improved", "passed"), [(True, True), (False, False), (None, None)])
def test_it_needs_functional_improvement_under_the_lcd(improved, passed):
    # L36859 summary: objective functional improvement on a validated scale: S50.
    record = session(date(2026, 1, 5), functional_improvement=improved)
    decision = repeat_eligibility(history(record), on=date(2026, 3, 2), policy=LCD)
    assert check(decision, "functional_improvement").passed is passed


def test_it_applies_no_repeat_criteria_to_a_first_session_in_a_region():
    decision = repeat_eligibility(
        history(session(date(2026, 1, 5), LOW_BACK, relief_until=None)),
        on=date(2026, 1, 12),
        policy=LCD,
    )
    assert decision.eligible
    assert "first session there" in check(decision, "relief").text


def test_it_accepts_a_policy_id():
    decision = repeat_eligibility(history(), on=date(2026, 3, 2), policy="L36859")
    assert decision.policy_id == "L36859"


# -- Policies as data ---------------------------------------------------------


def test_it_holds_the_lcd_parameters_from_the_reference():
    # clinical.md §3 and §7c: 3 per rolling 12 months, 6 weeks, 50 % for 6 weeks.
    assert LCD.max_sessions_per_12_months == 3
    assert LCD.min_interval_days == 42
    assert (LCD.required_relief_percent, LCD.required_relief_days) == (50, 42)
    assert LCD.one_region_per_session and LCD.requires_conservative_programme
    assert LCD.status["min_interval_days"] == "verified"  # S51 seen
    assert LCD.status["max_sessions_per_12_months"] == "secondary"  # S49, S52 seen-2°
    assert POLICIES["L36859"].max_sessions_per_12_months == 3
    for f in dataclasses.fields(LCD):  # S50: L36859 has the same content as L34211
        if f.name not in {"id", "name", "source"}:
            assert getattr(POLICIES["L36859"], f.name) == getattr(LCD, f.name)


def test_it_holds_the_bcbsa_parameters_from_the_reference():
    # S56: 6 weeks of failed conservative care, comprehensive programme, ≤ 4 a year,
    # fibromyalgia investigational.
    assert BCBSA.max_sessions_per_12_months == 4
    assert BCBSA.fibromyalgia_investigational is True
    assert BCBSA.requires_conservative_programme is True
    assert BCBSA.required_relief_percent is None


def test_it_places_every_atlas_muscle_in_one_region():
    from taut.clinical import atlas

    assert set(MUSCLE_REGION) == set(atlas.MUSCLES)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"required_relief_percent": 60.0}, "required_relief_percent"),
        ({"required_relief_days": None}, "required_relief_percent"),
        ({"min_interval_days": 0}, "min_interval_days"),
        ({"max_sessions_per_12_months": 2.5}, "max_sessions_per_12_months"),
        ({"status": {"min_interval_days": "verified"}}, "status"),
    ],
)
def test_it_rejects_a_malformed_policy(changes, field):
    with pytest.raises(ValueError, match=field):
        dataclasses.replace(LCD, **changes)


# -- Bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: session(date(2026, 1, 5), {"big_toe_muscle"}), "sites"),
        (lambda: session(date(2026, 1, 5), set()), "sites"),
        (lambda: session(date(2026, 1, 5), "trapezius_upper"), "sites"),
        (lambda: session(date(2026, 1, 5), baseline=11), "baseline"),
        (lambda: session(date(2026, 1, 5), followups=((date(2026, 1, 4), 3),)), "followups"),
        (lambda: session(datetime(2026, 1, 5, 9, 0)), "date"),
        (
            lambda: PlannedSession(sites={"cervical"}, conservative_programme_active="y"),
            "conservative_programme_active",
        ),
        (lambda: history(sites=set()), "planned.sites"),
    ],
)
def test_it_rejects_bad_records_naming_the_field(build, field):
    with pytest.raises(ValueError, match=field):
        build()


def test_it_rejects_a_session_after_the_planned_date():
    with pytest.raises(ValueError, match="history"):
        repeat_eligibility(history(session(date(2026, 3, 3))), on=date(2026, 3, 2), policy=LCD)


def test_it_rejects_an_unknown_policy_and_a_datetime():
    with pytest.raises(ValueError, match="policy"):
        repeat_eligibility(history(), on=date(2026, 3, 2), policy="L99999")
    with pytest.raises(ValueError, match="on"):
        repeat_eligibility(history(), on=datetime(2026, 3, 2, 9, 0), policy=LCD)


# -- Properties -----------------------------------------------------------------

SITES = ["trapezius_upper", "levator_scapulae", "quadratus_lumborum", "deltoid", "piriformis"]
START = date(2025, 1, 1)


@st.composite
def records(draw):
    day = START + timedelta(days=draw(st.integers(0, 500)))
    offsets = draw(st.lists(st.integers(0, 120), max_size=4))
    return SessionRecord(
        date=day,
        sites=draw(st.frozensets(st.sampled_from(SITES), min_size=1, max_size=2)),
        baseline=draw(st.none() | st.integers(0, 10)),
        baseline_date=draw(st.sampled_from([None, day])),
        followups=tuple((day + timedelta(days=o), draw(st.integers(0, 10))) for o in offsets),
        functional_improvement=draw(st.sampled_from([None, True, False])),
    )


@st.composite
def histories(draw):
    return TreatmentHistory(
        sessions=tuple(draw(st.lists(records(), max_size=5))),
        planned=PlannedSession(
            sites=draw(st.frozensets(st.sampled_from(SITES), min_size=1, max_size=2)),
            conservative_programme_active=draw(st.sampled_from([None, True, False])),
        ),
    )


@settings(max_examples=100, deadline=None)
@given(histories(), st.sampled_from(sorted(POLICIES)))
def test_it_is_deterministic_and_never_eligible_with_a_failed_or_unknown_check(h, policy_id):
    on = START + timedelta(days=500)
    first = repeat_eligibility(h, on=on, policy=policy_id)
    assert first == repeat_eligibility(h, on=on, policy=policy_id)
    if any(c.passed is not True for c in first.checks):
        assert not first.eligible
    else:
        assert first.eligible
    assert all(c.text for c in first.checks)


def test_it_sorts_sessions_by_date():
    later, earlier = session(date(2026, 2, 1), LOW_BACK), session(date(2026, 1, 1))
    assert history(later, earlier).sessions == (earlier, later)


def test_it_rejects_a_policy_with_an_unknown_status_word():
    fields = {f.name: getattr(LCD, f.name) for f in dataclasses.fields(LCD)}
    with pytest.raises(ValueError, match="status"):
        Policy(**{**fields, "status": dict(LCD.status, min_interval_days="seen")})
