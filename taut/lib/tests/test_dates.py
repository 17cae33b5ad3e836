"""Dates read the same on every page: ``5 Dec 2026`` and ``5 Dec 2026, 14:30``."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone

from taut.lib.dates import day_text, moment_text
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
