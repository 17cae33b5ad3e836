"""Patient-facing words shown in the reader's language: clinical lines and questions from
``taut.clinical`` (written in English there, marked with ``wording.gettext_noop``), and a
check-in's name.

Templates use the ``translated`` and ``checkin_name`` filters (template builtins, like the
date filters of ``taut.lib.dates``); Python code calls :func:`translated` and
:func:`checkin_name`. They translate into the active language (the portal's gate, an email
or a PDF chose it with ``translation.override``); with English active they return the
English words unchanged.
"""

import re

from django import template
from django.utils.translation import gettext

register = template.Library()

_CHECKIN_LABEL = re.compile(r"(Day|Week) (\d+)")


@register.filter
def translated(value) -> str:
    """A clinical ``Line`` (its template translated, then its values filled in) or a plain
    marked string, in the active language."""
    if value in (None, ""):
        return ""
    template_text = getattr(value, "template", None)
    if template_text:
        return gettext(template_text).format(**dict(value.values))
    return gettext(getattr(value, "text", value))


@register.filter
def checkin_name(label: str) -> str:
    """A check-in's name from its label ("Week 1"): "week 1 check-in", in Spanish
    "control de la semana 1". A label of another shape stays as it is, with "check-in"."""
    found = _CHECKIN_LABEL.fullmatch(label or "")
    if found is None:
        return gettext("{label} check-in").format(label=label)
    unit, number = found.groups()
    if unit == "Day":
        return gettext("day {number} check-in").format(number=number)
    return gettext("week {number} check-in").format(number=number)
