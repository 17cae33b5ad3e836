"""A clinic's time zone must be a real one: reminders and portal links run on its clock."""

import pytest
from django.core.exceptions import ValidationError


def test_it_refuses_an_unknown_time_zone(cast):
    cast.clinic.time_zone = "Mars/Base"
    with pytest.raises(ValidationError, match="not a known time zone"):
        cast.clinic.full_clean()


def test_it_accepts_an_iana_time_zone(cast):
    cast.clinic.time_zone = "Australia/Sydney"
    cast.clinic.full_clean()


def test_it_follows_tauts_default_plan_until_the_clinic_sets_its_own(cast):
    """An empty ``followup_plan`` means schedule.DEFAULT_PLAN; a stored one is the clinic's."""
    from taut.clinical import schedule

    assert cast.clinic.plan() is schedule.DEFAULT_PLAN
    cast.clinic.followup_plan = [{"key": "week_4", "offset_days": 28, "label": "Week 4"}]
    plan = cast.clinic.plan()
    assert plan.name == "clinic"
    assert [(p.key, p.offset_days, p.label) for p in plan.checkpoints] == [("week_4", 28, "Week 4")]


@pytest.mark.parametrize(
    "stored",
    [
        [{"key": "day_0", "offset_days": 0, "label": "Day 0"}],
        [
            {"key": "a", "offset_days": 7, "label": "A"},
            {"key": "b", "offset_days": 3, "label": "B"},
        ],
        [{"offset_days": 7}],
        [7, 14],
        {"days": [7]},
    ],
)
def test_it_refuses_a_stored_plan_that_is_not_a_follow_up_plan(cast, stored):
    cast.clinic.followup_plan = stored
    with pytest.raises(ValidationError, match="Not a follow-up plan"):
        cast.clinic.full_clean()
