"""Dates as people read them, the same everywhere (pages, PDFs, the audit log):

- a day: ``5 Dec 2026`` (``day``),
- a moment: ``5 Dec 2026, 14:30`` in the time zone the page is shown in (``moment``).

Templates use the ``day`` and ``moment`` filters (registered as template builtins in
settings, so no ``{% load %}``); Python code that writes text for a person calls
:func:`day_text` and :func:`moment_text`. Named weekdays for patients ("Wednesday 9
December") stay with the page that says them.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

DAY = "j M Y"
MOMENT = "j M Y, H:i"

register = template.Library()


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
