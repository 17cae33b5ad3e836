"""The clinic's figures counted from stored session outcomes (``queries``, ``operations``):
closed windows only, no-score sessions apart, small cells suppressed, rates per 1,000, the
Kaplan–Meier curve, filters, and one clinic's rows only. The world is
``taut/analytics/tests/world.py``."""

from datetime import timedelta

import pytest

from taut.aftercare.models import Alert, CheckIn
from taut.analytics import operations, queries
from taut.analytics.tests import world
from taut.analytics.tests.world import LEVATOR, TODAY, TRAPEZIUS
from taut.clinical import analytics
from taut.outcomes.models import SessionFacet, SessionOutcome
from taut.tests.once import built_once_per_module

clinic_world, _clinic_world_once = built_once_per_module(world.build, name="clinic_world")

YEAR = queries.Filters(TODAY - timedelta(days=364), TODAY)


def only(dimension, value):
    return queries.Filters(YEAR.start, YEAR.end, dimension, value)


def test_it_counts_a_window_only_once_it_has_closed(cast, clinic_world):
    found = queries.responders_for_clinic(cast.clinic, YEAR, today=TODAY)
    assert (found.sessions, found.patients) == (22, 11)
    # Two weeks: open for the session 5 days ago. Six weeks: open for the 10 at 30 days.
    assert found.not_yet_due == {"2w": 1, "6w": 11}
    assert (found.rate("2w", 50).due, found.rate("6w", 50).due) == (21, 11)
    # The window's last day (21) is not over on day 21: not due until day 22.
    on_day_21 = queries.responders_for_clinic(
        cast.clinic, YEAR, today=TODAY - timedelta(days=30 - 21)
    )
    assert on_day_21.not_yet_due["2w"] == 11
    day_22 = queries.responders_for_clinic(cast.clinic, YEAR, today=TODAY - timedelta(days=8))
    assert day_22.not_yet_due["2w"] == 1


def test_it_shows_sessions_without_a_score_as_missing(cast, clinic_world):
    """Two first sessions have no two-week score: the share is of the 19 scored, the
    sensitivity line counts the two as non-responders (of the 21 due)."""
    rate = queries.responders_for_clinic(cast.clinic, YEAR, today=TODAY).rate("2w", 50)
    assert (rate.responders, rate.scored, rate.missing) == (11, 19, 2)
    assert rate.proportion == analytics.wilson(11, 19)
    assert rate.sensitivity == analytics.wilson(11, 21)
    assert rate.sensitivity.estimate < rate.proportion.estimate
    moderate = queries.responders_for_clinic(cast.clinic, YEAR, today=TODAY).rate("2w", 30)
    assert (moderate.responders, moderate.scored) == (13, 19)
    six = queries.responders_for_clinic(cast.clinic, YEAR, today=TODAY)
    assert (six.rate("6w", 50).responders, six.rate("6w", 30).responders) == (5, 7)
    assert (six.rate("6w", 50).scored, six.rate("6w", 50).missing) == (11, 0)


def test_it_suppresses_a_group_of_ten_patients_and_shows_eleven(cast, clinic_world):
    groups = {
        g.value: g
        for g in queries.groups_for_clinic(cast.clinic, YEAR, today=TODAY)
        if g.dimension == SessionFacet.Dimension.MUSCLE
    }
    assert set(groups) == {TRAPEZIUS, LEVATOR}
    trapezius, levator = groups[TRAPEZIUS].rate("2w", 50), groups[LEVATOR].rate("2w", 50)
    assert (groups[TRAPEZIUS].patients, trapezius.cell) == (11, analytics.Cell.SHOWN)
    assert (groups[LEVATOR].patients, levator.cell) == (10, analytics.Cell.SUPPRESSED)
    assert (trapezius.responders, trapezius.scored, trapezius.due) == (6, 9, 11)
    # No six-week window of the levator sessions has closed: nothing to show.
    assert groups[LEVATOR].rate("6w", 50).cell == analytics.Cell.EMPTY


def test_it_leaves_complications_out_of_the_breakdowns(cast, clinic_world):
    dimensions = {g.dimension for g in queries.groups_for_clinic(cast.clinic, YEAR, today=TODAY)}
    assert SessionFacet.Dimension.COMPLICATION not in dimensions


def test_it_rates_complications_per_thousand_sessions(cast, clinic_world):
    total, found = operations.complications_for_clinic(cast.clinic, YEAR)
    assert total == 22
    (haematoma,) = found
    assert (haematoma.kind, haematoma.label, haematoma.sessions) == ("haematoma", "Haematoma", 2)
    assert haematoma.per_thousand == pytest.approx(2 * 1000 / 22)
    assert haematoma.proportion == analytics.wilson(2, 22)


def km_rows(rows):
    """(days, events, censored) of each stored outcome with a relief end."""
    return [(r.relief_days, int(r.relief_ended), int(not r.relief_ended)) for r in rows]


def test_it_draws_the_kaplan_meier_curve_of_the_stored_rows(cast, clinic_world):
    (curve,) = queries.durability_for_clinic(cast.clinic, YEAR)
    counted = SessionOutcome.objects.filter(clinic=cast.clinic, relief_days__isnull=False)
    assert (curve.value, curve.patients, curve.sessions) == ("", 11, 21)
    assert curve.survival == analytics.kaplan_meier(km_rows(counted))
    assert counted.count() == 21 and curve.survival.steps[0].at_risk == 21


def test_it_draws_one_curve_per_group_and_none_for_a_small_one(cast, clinic_world):
    curves = {
        c.value: c for c in queries.durability_for_clinic(cast.clinic, YEAR, dimension="muscle")
    }
    assert set(curves) == {TRAPEZIUS, LEVATOR}
    trapezius, levator = curves[TRAPEZIUS], curves[LEVATOR]
    assert (trapezius.patients, trapezius.cell) == (11, analytics.Cell.SHOWN)
    assert (levator.patients, levator.cell, levator.survival) == (
        10,
        analytics.Cell.SUPPRESSED,
        None,
    )
    first = SessionOutcome.objects.filter(clinic=cast.clinic, session_number=1)
    assert trapezius.survival == analytics.kaplan_meier(km_rows(first))


def test_a_muscle_filter_restricts_every_figure(cast, clinic_world):
    levator = only("muscle", LEVATOR)
    found = queries.responders_for_clinic(cast.clinic, levator, today=TODAY)
    assert (found.sessions, found.patients, found.not_yet_due) == (10, 10, {"2w": 0, "6w": 10})
    assert (found.rate("2w", 50).responders, found.rate("2w", 50).scored) == (5, 10)
    groups = queries.groups_for_clinic(cast.clinic, levator, today=TODAY)
    assert {(g.dimension, g.value) for g in groups} == {("muscle", LEVATOR)}
    (curve,) = queries.durability_for_clinic(cast.clinic, levator)
    assert (curve.sessions, curve.patients, curve.survival) == (10, 10, None)
    total, (haematoma,) = operations.complications_for_clinic(cast.clinic, levator)
    assert (total, haematoma.sessions) == (10, 1)
    assert operations.process_for_clinic(cast.clinic, levator, today=TODAY).repeats == 0
    behind = queries.sessions_behind(
        cast.clinic, queries.SessionsBehind(levator, window="2w", responded=True), today=TODAY
    )
    assert behind.count() == 5 and {r.day for r in behind} == {TODAY - timedelta(days=30)}


def test_a_period_restricts_every_figure(cast, clinic_world):
    recent = queries.Filters(TODAY - timedelta(days=40), TODAY)
    found = queries.responders_for_clinic(cast.clinic, recent, today=TODAY)
    assert (found.sessions, found.patients) == (11, 11)
    assert operations.complications_for_clinic(cast.clinic, recent)[0] == 11


def test_it_never_counts_another_clinics_sessions(cast, clinic_world):
    trapezius = only("muscle", TRAPEZIUS)
    ours = queries.responders_for_clinic(cast.clinic, trapezius, today=TODAY)
    assert (ours.sessions, ours.patients) == (12, 11)
    theirs = queries.responders_for_clinic(cast.other_clinic, trapezius, today=TODAY)
    assert (theirs.sessions, theirs.patients, theirs.rate("2w", 50).responders) == (1, 1, 1)
    total, (haematoma,) = operations.complications_for_clinic(cast.other_clinic, YEAR)
    assert (total, haematoma.sessions) == (1, 1)
    assert all(
        r.clinic_id == cast.clinic.pk
        for r in queries.sessions_behind(cast.clinic, queries.SessionsBehind(YEAR), today=TODAY)
    )
    (curve,) = queries.durability_for_clinic(cast.other_clinic, YEAR)
    assert (curve.sessions, curve.patients) == (1, 1)


def test_the_sessions_behind_an_alert_kind_are_those_whose_visit_raised_one(cast, clinic_world):
    """An alert names its visit (an intake's) or its check-in's visit: either way, the
    session behind it is listed for that kind, and for no other."""
    _, rows, _ = clinic_world
    first, second = rows[0], rows[11]
    checkin = CheckIn.objects.create(
        visit=second.visit,
        patient=second.patient,
        checkpoint="week_2",
        offset_days=14,
        label="Week 2",
        due_on=second.day + timedelta(days=14),
    )
    for code, visit, by_checkin in (("infection", first.visit, None), ("infection", None, checkin)):
        Alert.objects.create(
            patient=(by_checkin or first).patient,
            visit=visit,
            checkin=by_checkin,
            code=code,
            severity=Alert.Severity.URGENT,
            text="Synthetic alert",
            raised_at=world.COMPUTED,
        )
    behind = queries.sessions_behind(
        cast.clinic, queries.SessionsBehind(YEAR, alert="infection"), today=TODAY
    )
    assert {r.pk for r in behind} == {first.pk, second.pk}
    none = queries.SessionsBehind(YEAR, alert="breathing")
    assert not queries.sessions_behind(cast.clinic, none, today=TODAY).exists()
