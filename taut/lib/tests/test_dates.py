"""Dates read the same on every page: ``5 Dec 2026`` and ``5 Dec 2026, 14:30``."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from taut.lib.dates import day_bounds, day_text, moment_text
from taut.lib.text import sentence


def test_it_writes_a_day_and_a_moment_in_the_clinics_format():
    assert day_text(date(2026, 12, 5)) == "5 Dec 2026"
    at = datetime(2026, 12, 5, 1, 30, tzinfo=UTC)
    assert moment_text(at, ZoneInfo("Pacific/Kiritimati")) == "5 Dec 2026, 15:30"
    assert moment_text(at, ZoneInfo("Pacific/Pago_Pago")) == "4 Dec 2026, 14:30"


def test_it_gives_templates_the_same_formats_in_the_current_time_zone():
    at = datetime(2026, 12, 5, 23, 59, tzinfo=UTC)
    template = Template("{{ at|day }} · {{ at|moment }} · {{ none|day }}")
    with timezone.override(ZoneInfo("Pacific/Kiritimati")):
        assert template.render(Context({"at": at, "none": None})) == (
            "6 Dec 2026 · 6 Dec 2026, 13:59 · "
        )


def test_it_ends_typed_text_as_one_sentence():
    assert sentence("call if they come.") == "call if they come."
    assert sentence(" call if they come ") == "call if they come."
    assert sentence("Why?") == "Why?"
    assert sentence("") == ""


@pytest.mark.parametrize(
    ("zone", "start", "end"),
    [
        # The first and the last time zone of the day: the same date, 25 hours apart.
        ("Pacific/Kiritimati", datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
         datetime(2026, 3, 2, 10, 0, tzinfo=UTC)),
        ("Pacific/Pago_Pago", datetime(2026, 3, 2, 11, 0, tzinfo=UTC),
         datetime(2026, 3, 3, 11, 0, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_it_gives_the_instants_a_clinics_day_starts_and_ends(zone, start, end):
    assert day_bounds(date(2026, 3, 2), ZoneInfo(zone)) == (start, end)


@pytest.mark.parametrize(
    ("zone", "day", "hours", "first"),
    [
        ("America/New_York", date(2026, 3, 8), 23, datetime(2026, 3, 8, 5, tzinfo=UTC)),
        ("America/New_York", date(2026, 11, 1), 25, datetime(2026, 11, 1, 4, tzinfo=UTC)),
        # Chile moves its clocks at midnight: no 00:00 on 8 September 2024, the day starts
        # at 01:00 (-03); on 7 April 2024 the hour before midnight came twice, on the 6th.
        ("America/Santiago", date(2024, 9, 8), 23, datetime(2024, 9, 8, 4, tzinfo=UTC)),
        ("America/Santiago", date(2024, 4, 6), 25, datetime(2024, 4, 6, 3, tzinfo=UTC)),
    ],
)
def test_a_day_is_as_long_as_the_clocks_make_it(zone, day, hours, first):
    start, end = day_bounds(day, ZoneInfo(zone))
    assert start == first
    assert end - start == timedelta(hours=hours)
    assert day_bounds(day + timedelta(days=1), ZoneInfo(zone))[0] == end
    assert start.astimezone(ZoneInfo(zone)).date() == day
    assert (end - timedelta(microseconds=1)).astimezone(ZoneInfo(zone)).date() == day
