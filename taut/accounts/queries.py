import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from taut.accounts.models import Clinic, User, time_zone_names
from taut.accounts.roles import Role
from taut.audit.models import AuditEvent
from taut.clinical import checkins, schedule
from taut.lib.dates import day_bounds


def staff_for_clinic(clinic: Clinic) -> QuerySet[User]:
    """The clinic's people (not the users of its connected apps, taut.smart)."""
    return (
        User.objects.filter(clinic=clinic)
        .exclude(role=Role.SERVICE)
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def audit_events_for_clinic(
    clinic: Clinic,
    *,
    start: date | None = None,
    end: date | None = None,
    action: str = "",
    username: str = "",
    patient: uuid.UUID | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(clinic_id=clinic.pk)
    zone = timezone.get_current_timezone()  # the clinic's, on a staff request
    if start:
        events = events.filter(at__gte=day_bounds(start, zone)[0])
    if end:
        events = events.filter(at__lt=day_bounds(end, zone)[1])
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(actor_username__iexact=username)
    if patient:
        events = events.filter(patient_id=patient)
    return events.order_by("-id")


@dataclass(frozen=True)
class AuditPage:
    """One page of a clinic's audit log, newest first, and the cursors to its neighbours:
    ``older`` for ``?before=``, ``newer`` for ``?after=`` (None where there is none)."""

    events: list[AuditEvent]
    older: int | None
    newer: int | None


def audit_page_for_clinic(
    clinic: Clinic,
    *,
    size: int,
    before: int | None = None,
    after: int | None = None,
    **filters: Any,
) -> AuditPage:
    """A keyset page of ``audit_events_for_clinic``: the ``size`` events just older than the
    event ``before`` (or just newer than ``after``; else the newest), by id on the
    (clinic_id, id) index, linked or not. Three queries at most and no COUNT, at any size."""
    events = audit_events_for_clinic(clinic, **filters)
    rows: list[AuditEvent] = []
    has_older = has_newer = False
    if after is not None:
        rows = list(events.filter(id__gt=after).order_by("id")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = bool(rows) and events.filter(id__lte=after).exists()
    elif before is not None:
        rows = list(events.filter(id__lt=before)[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = bool(rows) and events.filter(id__gte=before).exists()
    if not rows:  # no cursor, or nothing beyond it (any more): the newest page
        rows = list(events[: size + 1])
        has_older, has_newer = len(rows) > size, False
        rows = rows[:size]
    return AuditPage(rows, rows[-1].id if has_older else None, rows[0].id if has_newer else None)


def time_zones() -> list[str]:
    return sorted(time_zone_names())


def clinic_for_settings(user: User) -> Clinic:
    """A fresh copy of the user's clinic for its settings form (the top bar keeps its own)."""
    assert user.clinic_id is not None  # staff_view lets only members of a clinic in
    return Clinic.objects.get(pk=user.clinic_id)


# What each kind of check-in item is called on the clinic settings page.
ITEM_NAMES = {
    checkins.Kind.NRS: "pain now",
    checkins.Kind.PEG: "PEG",
    checkins.Kind.SORENESS: "injection-site soreness",
    checkins.Kind.WARNING: "warning signs",
    checkins.Kind.PGIC: "overall change (PGIC)",
    checkins.Kind.TREATMENTS: "other treatments",
    checkins.Kind.GAS: "goals (GAS), when the patient has goals",
}


@dataclass(frozen=True)
class PlanRow:
    label: str
    day: int
    asks: tuple[str, ...]


@dataclass(frozen=True)
class PlanSummary:
    rows: tuple[PlanRow, ...]
    warnings: tuple[schedule.PlanWarning, ...]
    is_default: bool
    two_week_window: tuple[int, int] = schedule.TWO_WEEK_WINDOW


def plan_summary(plan: schedule.FollowupPlan, *, policy: str) -> PlanSummary:
    """Each check-in of ``plan`` with what it asks (``checkins.questions`` for a session
    with goals; warning signs as the session's sites and medicines call for), and what
    the plan cannot measure under ``policy`` (``schedule.plan_warnings``)."""
    rows = []
    for point in plan.checkpoints:
        asked = checkins.questions(point, sites=(), has_goals=True)
        kinds = dict.fromkeys(q.kind for q in asked)
        rows.append(PlanRow(point.label, point.offset_days, tuple(ITEM_NAMES[k] for k in kinds)))
    return PlanSummary(
        rows=tuple(rows),
        warnings=schedule.plan_warnings(plan, policy=policy),
        is_default=plan.checkpoints == schedule.DEFAULT_PLAN.checkpoints,
    )
