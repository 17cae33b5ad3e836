"""The analytics page as a PDF report: rendered once by the worker per clinic, filters, day
and facts, and served stored (as ``public.handout``; docs/decisions/0019 and 0034: a
download never renders)."""

import hashlib
import json
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.http import QueryDict
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from taut.accounts.models import Clinic, User
from taut.aftercare.models import Alert
from taut.analytics import charts, pages
from taut.analytics.forms import AnalyticsFilterForm
from taut.analytics.models import AnalyticsReport
from taut.outcomes.models import SessionOutcome
from taut.patients.printing import pdf_bytes
from taut.reminders.models import Reminder
from taut.visits.models import InjectionSite, ScreeningDecision

TEMPLATE_VERSION = "2"  # bumped when the report's template changes what it prints
ASK_AGAIN_AFTER = timedelta(minutes=2)
ASKED = 10  # queue priority: someone is waiting
KEPT = 20  # reports kept per clinic; older ones are deleted when a new one is stored


def _facts(clinic: Clinic) -> list[object]:
    """What the figures are made of, as counts and latest stamps that change whenever a
    session's outcome is stored again, an alert is raised or acknowledged, a reminder
    changes, or a dose-guard or screening override is recorded (the safety section lists
    those of visits not signed yet, which have no session outcome)."""
    sessions = SessionOutcome.objects.filter(clinic=clinic).aggregate(
        n=Count("id"), last=Max("computed_at")
    )
    alerts = Alert.objects.filter(patient__clinic=clinic).aggregate(
        n=Count("id"), acked=Count("id", filter=Q(acknowledged_at__isnull=False))
    )
    reminders = Reminder.objects.filter(patient__clinic=clinic).aggregate(last=Max("updated_at"))
    doses = (
        InjectionSite.objects.filter(procedure__visit__patient__clinic=clinic)
        .exclude(override_reason="")
        .aggregate(n=Count("id"), last=Max("recorded_at"))
    )
    screening = ScreeningDecision.objects.filter(
        visit__patient__clinic=clinic, kind=ScreeningDecision.Kind.OVERRIDE
    ).aggregate(n=Count("id"), last=Max("decided_at"))
    return [
        sessions["n"],
        str(sessions["last"]),
        alerts["n"],
        alerts["acked"],
        str(reminders["last"]),
        doses["n"],
        str(doses["last"]),
        screening["n"],
        str(screening["last"]),
    ]


def fingerprint(clinic: Clinic, params: dict[str, str], *, today: date) -> str:
    facts = [
        TEMPLATE_VERSION,
        clinic.pk,
        sorted(params.items()),
        today.isoformat(),
        *_facts(clinic),
    ]
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()


def report_html(clinic: Clinic, params: dict[str, str], *, today: date, now: datetime) -> str:
    query = QueryDict(mutable=True)
    query.update(params)
    form = AnalyticsFilterForm(query or None, today=today)
    figures = pages.figures(clinic, form, today=today)
    return render_to_string(
        "analytics/report_pdf.html",
        {
            "clinic": clinic,
            "figures": figures,
            "made_at": now.astimezone(clinic.zone()),
            "forest_svg": charts.forest(figures.forest),
            "curves_svg": charts.curves(figures.curves),
            "goals_svg": charts.goals(figures.goals),
            "pdf": True,
        },
    )


def render_report(*, report_id: int, now: datetime) -> str:
    """Render and store a requested report unless it is stored already (the task may run
    twice). Says what it did."""
    report = AnalyticsReport.objects.select_related("clinic").filter(pk=report_id).first()
    if report is None:
        return "no such report"
    if report.content is not None:
        return "already stored"
    clinic = report.clinic
    # The day the report was asked for, which its fingerprint holds: a render that runs after
    # midnight still counts to that day (a window closing overnight would change the figures).
    today = report.requested_at.astimezone(clinic.zone()).date()
    content = pdf_bytes(report_html(clinic, report.params, today=today, now=now), base_url="/")
    with transaction.atomic():
        AnalyticsReport.objects.filter(pk=report.pk).update(content=content, rendered_at=now)
        old = AnalyticsReport.objects.filter(clinic=clinic).order_by("-requested_at", "-id")[KEPT:]
        AnalyticsReport.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    return "rendered"


@task(queue_name="printing")
def render_report_task(report_id: int) -> str:
    """Render and store one analytics report (``render_report``)."""
    return render_report(report_id=report_id, now=timezone.now())


def stored_or_queued(
    clinic: Clinic, params: dict[str, str], *, user: User, today: date, now: datetime
) -> bytes | None:
    """The stored report of these filters and facts as they stand today; or None, its
    render queued (once) for the worker."""
    digest = fingerprint(clinic, params, today=today)
    stored = AnalyticsReport.objects.filter(clinic=clinic, fingerprint=digest).first()
    if stored is not None and stored.content is not None:
        return bytes(stored.content)
    if stored is None:
        try:
            with transaction.atomic():
                stored = AnalyticsReport.objects.create(
                    clinic=clinic,
                    fingerprint=digest,
                    params=params,
                    requested_at=now,
                    requested_by=user,
                )
        except IntegrityError:
            return None  # another request asked for it a moment ago
    elif stored.requested_at > now - ASK_AGAIN_AFTER:
        return None
    else:
        AnalyticsReport.objects.filter(pk=stored.pk).update(requested_at=now)
    render_report_task.using(priority=ASKED).enqueue(stored.pk)
    return None
