"""The clinic's own numbers as its public page gives them to patients
(``taut.clinical.analytics.clinic_figure``), counted from the stored session outcomes: the
people treated in the year to ``today`` and, for each, their first session in it."""

from datetime import date, timedelta

from django.db.models import Count, Min, Q

from taut.accounts.models import Clinic
from taut.clinical import analytics, outcomes
from taut.outcomes.models import SessionOutcome

YEAR_DAYS = 365


def clinic_figure_for_public_page(clinic: Clinic, *, today: date) -> analytics.ClinicFigure | None:
    """The public page's figure for the year to ``today``, or None (too few people
    followed, or the lead switched it off). Two queries: the people and their first
    sessions' responses."""
    if not clinic.public_figures_on:
        return None
    year = SessionOutcome.objects.filter(
        clinic=clinic, day__gt=today - timedelta(days=YEAR_DAYS), day__lte=today
    )
    # Each person's first session in the year: a patient's outcomes are stored in the order
    # of their sessions (``facts.store_session_outcomes``), so the smallest id is the first.
    first = year.values("patient").annotate(first=Min("id")).values("first")
    counts: dict[str, Count] = {}
    for window in outcomes.WINDOWS:
        closed = Q(day__lte=window.closed_through(today))
        scored = closed & Q(**{f"resp50_{window.key}__isnull": False})
        counts |= {
            f"followed_{window.key}": Count("id", filter=scored),
            f"responders_{window.key}": Count(
                "id", filter=closed & Q(**{f"resp50_{window.key}": True})
            ),
        }
    row = SessionOutcome.objects.filter(pk__in=first).aggregate(people=Count("id"), **counts)
    return analytics.clinic_figure(**row)
