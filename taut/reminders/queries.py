"""Reads of the reminders app, with their own ``select_related``."""

from datetime import datetime, timedelta

from django.db.models import QuerySet

from taut.accounts.models import Clinic
from taut.reminders.models import Reminder

RECENT_DAYS = 14


def needing_a_person(clinic: Clinic, *, now: datetime) -> QuerySet[Reminder]:
    """The clinic's reminders that did not go out and need someone: failed after the last
    try (or when a worker stopped mid-send), and, from the last RECENT_DAYS days, those not
    sent for want of an email address. Newest first, from the (status, updated_at) index,
    as a query a page slices."""
    failed = Reminder.objects.filter(patient__clinic=clinic, status=Reminder.Status.FAILED)
    no_address = Reminder.objects.filter(
        patient__clinic=clinic,
        status=Reminder.Status.SKIPPED,
        last_error__startswith="No email address",
        updated_at__gte=now - timedelta(days=RECENT_DAYS),
    )
    return (
        (failed | no_address)
        .select_related("patient", "checkin", "visit", "alert")
        .order_by("-updated_at", "-id")
    )
