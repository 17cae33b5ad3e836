import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from taut.accounts.models import Clinic, User, time_zone_names
from taut.audit.models import AuditEvent
from taut.clinical import checkins, schedule


def staff_for_clinic(clinic: Clinic) -> QuerySet[User]:
    return User.objects.filter(clinic=clinic).order_by(
        "-is_active", "last_name", "first_name", "username"
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
    tz = timezone.get_current_timezone()
    if start:
        events = events.filter(at__gte=timezone.make_aware(datetime.combine(start, time.min), tz))
    if end:
        after = end + timedelta(days=1)
        events = events.filter(at__lt=timezone.make_aware(datetime.combine(after, time.min), tz))
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(actor_username__iexact=username)
    if patient:
        events = events.filter(patient_id=patient)
    return events.order_by("-seq")


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
