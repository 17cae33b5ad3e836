"""Dates as people read them, the same everywhere (pages, PDFs, the audit log):

- a day: ``5 Dec 2026`` (``day``),
- a moment: ``5 Dec 2026, 14:30`` in the time zone the page is shown in (``moment``).

For patients, in their language: ``day_month`` ("9 December", "9 de diciembre"),
``named_day`` ("Wednesday 9 December", "miércoles 9 de diciembre") and ``named_moment``
("Wednesday 9 December 2026 at 14:30", "miércoles 9 de diciembre de 2026 a las 14:30"); the
formats are in the translation catalogue.

Templates use the ``day``, ``moment``, ``day_month``, ``named_day`` and ``named_moment``
filters (registered as template builtins in
settings, so no ``{% load %}``); Python code that writes text for a person calls
:func:`day_text` and :func:`moment_text`. Named weekdays for patients ("Wednesday 9
December") stay with the page that says them.

A day as the database sees it is :func:`day_bounds`: the two instants it starts and ends.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext, pgettext

DAY = "j M Y"
MOMENT = "j M Y, H:i"

register = template.Library()


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The instants ``day`` starts and ends on a clock in ``zone``: a moment is on that day
    when ``start <= moment < end``.

    Filter a datetime column with ``column__gte=start, column__lt=end``, never with
    ``column__date=day``: the range is what a B-tree index on the column serves, where
    ``__date`` makes the database convert every row's value to a date in the current time
    zone first (PostgreSQL then reads the whole table). A day is 23 or 25 hours long when
    the clocks change, and starts at 01:00 where they jump forward at midnight.

    Both are in UTC: Python subtracts and compares two datetimes of one zone by their wall
    clocks, so ``end - start`` in the zone would say 24 hours on those days.
    """
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def day_text(value: date | datetime) -> str:
    """``5 Dec 2026``: a datetime is read in the current time zone."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_date(value, DAY)


def moment_text(value: datetime, zone: ZoneInfo | None = None) -> str:
    """``5 Dec 2026, 14:30`` in ``zone`` (default: the current time zone)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value, zone)
    return format_date(value, MOMENT)


@register.filter(expects_localtime=True, is_safe=False)
def day(value):
    """A date or datetime as ``5 Dec 2026``; empty for None."""
    if value in (None, ""):
        return ""
    return format_date(value, DAY)


@register.filter(expects_localtime=True, is_safe=False)
def moment(value):
    """A datetime as ``5 Dec 2026, 14:30``; empty for None."""
    if value in (None, ""):
        return ""
    return format_date(value, MOMENT)


@register.filter(expects_localtime=True, is_safe=False)
def day_month(value):
    """A date as ``9 December`` in the active language; empty for None."""
    if value in (None, ""):
        return ""
    return format_date(value, pgettext("date format: day and month", "j F"))


@register.filter(expects_localtime=True, is_safe=False)
def named_day(value):
    """A date as ``Wednesday 9 December`` in the active language; empty for None."""
    if value in (None, ""):
        return ""
    return format_date(value, pgettext("date format: weekday, day and month", "l j F"))


@register.filter(expects_localtime=True, is_safe=False)
def named_moment(value):
    """A datetime as ``Wednesday 9 December 2026 at 14:30`` in the active language and the
    current time zone; empty for None."""
    if value in (None, ""):
        return ""
    day = format_date(value, pgettext("date format: weekday, day, month and year", "l j F Y"))
    return gettext("{day} at {time}").format(day=day, time=format_date(value, "H:i"))
