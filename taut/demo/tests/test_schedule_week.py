"""The demo's week at the front desk: which working days are still to come."""

from datetime import date, timedelta

import pytest

from taut.demo.schedule import _rest_of_week

MONDAY = date(2028, 6, 5)


@pytest.mark.parametrize(
    ("today", "first", "count"),
    [
        (MONDAY, MONDAY + timedelta(days=1), 4),  # Tuesday to Friday
        (MONDAY + timedelta(days=3), MONDAY + timedelta(days=4), 1),  # Thursday: Friday
        (MONDAY + timedelta(days=4), MONDAY + timedelta(days=7), 5),  # Friday: next week
        (MONDAY + timedelta(days=5), MONDAY + timedelta(days=7), 5),  # Saturday: next week
        (MONDAY + timedelta(days=6), MONDAY + timedelta(days=7), 5),  # Sunday: next week
    ],
)
def test_it_books_the_rest_of_the_week_or_the_next_one_from_friday(today, first, count):
    days = _rest_of_week(today)
    assert days[0] == first and len(days) == count
    assert all(day.weekday() < 5 for day in days)
