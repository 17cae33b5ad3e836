"""Safety, payer and process, and goal figures of the clinic, counted in the database:
complications per 1,000 sessions, check-in alerts and how fast they were acknowledged,
dose-guard and screening overrides with their reasons, repeat sessions that met the
payer policy, sessions per patient, intervals, follow-up completion, reminders, and GAS
T-scores by month. Definitions: docs/clinical-rules.md, "Clinic analytics"."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Round, TruncMonth

from taut.accounts.models import Clinic
from taut.aftercare.models import Alert, CheckIn
from taut.analytics import labels, rollups
from taut.analytics.labels import VERDICT_LABELS
from taut.analytics.queries import Filters, _facets, _sessions
from taut.clinical import analytics, outcomes
from taut.lib.dates import day_bounds
from taut.outcomes.daycounts import GAP_BANDS
from taut.outcomes.models import SessionFacet
from taut.reminders.models import Reminder
from taut.visits.models import InjectionSite, Procedure, ScreeningDecision
from taut.visits.queries import muscle_name

REMINDER_LABELS = dict(Reminder.Status.choices)
PER = 1000  # complication rates per 1,000 sessions
REASONS_SHOWN = 20  # the latest overrides listed with their reasons
PER_PATIENT_BANDS = rollups.PER_PATIENT_BANDS  # sessions per patient: 1, 2, 3, 4 or more
# Days since the previous session, banded as the day counts band them.
INTERVAL_LABELS = {
    "gap_short": "under 6 weeks",
    "gap_mid": "6 to 12 weeks",
    "gap_long": "12 weeks or more",
}
INTERVAL_BANDS = tuple((low, high, INTERVAL_LABELS[name]) for name, low, high in GAP_BANDS)


def _moments(clinic: Clinic, filters: Filters):
    """The period as instants on the clinic's clock: from the start of its first day to the
    end of its last."""
    zone = clinic.zone()
    return day_bounds(filters.start, zone)[0], day_bounds(filters.end, zone)[1]


def _of_sessions(clinic: Clinic, filters: Filters, *paths: str) -> Q:
    """Records of the filtered sessions' visits (by any of ``paths`` to a visit) when the
    filters name something the sessions share (a muscle…); every record otherwise, since a
    figure of the whole period also counts what no signed session has yet (an override
    in a visit still open, an intake's alert)."""
    if not filters.dimension:
        return Q()
    visits = _sessions(clinic, filters).values("visit_id")
    found = Q()
    for path in paths:
        found |= Q(**{f"{path}__in": visits})
    return found


@dataclass(frozen=True)
class Complication:
    kind: str
    label: str
    sessions: int
    per_thousand: float
    proportion: analytics.Proportion


def complications_for_clinic(
    clinic: Clinic, filters: Filters, *, counted: rollups.Counted | None = None
) -> tuple[int, list[Complication]]:
    """Sessions in the period, and each complication kind's count and rate per 1,000 (from
    the day counts, ``counted``, when given)."""
    labels = dict(Procedure.Complication.choices)
    if counted is None:
        total = _sessions(clinic, filters).count()
        rows: list[dict[str, Any]] = [
            dict(row)
            for row in _facets(clinic, filters)
            .filter(dimension=SessionFacet.Dimension.COMPLICATION)
            .values("value")
            .annotate(n=Count("outcome", distinct=True))
            .order_by("-n", "value")
        ]
    else:
        total = counted.of_all()["sessions"]
        kinds: list[dict[str, Any]] = [
            {"value": value, "n": row["sessions"]}
            for (dimension, value), row in counted.rows.items()
            if dimension == SessionFacet.Dimension.COMPLICATION
        ]
        rows = sorted(kinds, key=lambda row: (-row["n"], row["value"]))
    found = []
    for row in rows:
        proportion = analytics.wilson(row["n"], total)
        found.append(
            Complication(
                kind=row["value"],
                label=labels.get(row["value"], row["value"]),
                sessions=row["n"],
                per_thousand=row["n"] * PER / total if total else 0.0,
                proportion=proportion,
            )
        )
    return total, found


@dataclass(frozen=True)
class AlertKind:
    code: str
    label: str
    raised: int
    within_hour: int
    within_day: int
    later: int
    open: int


def alerts_for_clinic(clinic: Clinic, filters: Filters) -> list[AlertKind]:
    """Check-in and intake alerts raised in the period, by kind, and how soon they were
    acknowledged: within an hour, within a day, later, or not yet."""
    start, end = _moments(clinic, filters)
    acked = Q(acknowledged_at__isnull=False)
    hour = acked & Q(acknowledged_at__lte=F("raised_at") + timedelta(hours=1))
    day = acked & Q(acknowledged_at__lte=F("raised_at") + timedelta(days=1))
    rows = (
        Alert.objects.filter(patient__clinic=clinic, raised_at__gte=start, raised_at__lt=end)
        .filter(_of_sessions(clinic, filters, "visit", "checkin__visit"))
        .values("code")
        .annotate(
            raised=Count("id"),
            hour=Count("id", filter=hour),
            day=Count("id", filter=day),
            acked=Count("id", filter=acked),
        )
        .order_by("-raised", "code")
    )
    return [
        AlertKind(
            code=row["code"],
            label=labels.alert_label(row["code"]),
            raised=row["raised"],
            within_hour=row["hour"],
            within_day=row["day"] - row["hour"],
            later=row["acked"] - row["day"],
            open=row["raised"] - row["acked"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Override:
    day: date
    what: str
    reason: str
    visit_id: object  # the visit's public id


@dataclass(frozen=True)
class Overrides:
    dose: int
    dose_latest: list[Override]
    screening: int
    screening_latest: list[Override]


def overrides_for_clinic(clinic: Clinic, filters: Filters) -> Overrides:
    """Dose-guard overrides (a site given over the limit, with the reason) and screening
    overrides (proceeding although not eligible) recorded in the period, counted, the
    latest listed."""
    start, end = _moments(clinic, filters)
    zone = clinic.zone()
    sites = (
        # The few sites with a reason first (their partial index, newest first), then their
        # visits: a period holds thousands of visits and a handful of overrides.
        InjectionSite.objects.exclude(override_reason="")
        .filter(
            recorded_at__gte=start,
            recorded_at__lt=end,
            procedure__visit__patient__clinic=clinic,
        )
        .filter(_of_sessions(clinic, filters, "procedure__visit"))
        .select_related("procedure__visit")
        .order_by("-recorded_at")
    )
    decisions = (
        ScreeningDecision.objects.filter(
            visit__patient__clinic=clinic,
            kind=ScreeningDecision.Kind.OVERRIDE,
            decided_at__gte=start,
            decided_at__lt=end,
        )
        .filter(_of_sessions(clinic, filters, "visit"))
        .select_related("visit")
        .order_by("-decided_at")
    )
    return Overrides(
        dose=sites.count(),
        dose_latest=[
            Override(
                s.recorded_at.astimezone(zone).date(),
                muscle_name(s.muscle),
                s.override_reason,
                s.procedure.visit.public_id,
            )
            for s in sites[:REASONS_SHOWN]
        ],
        screening=decisions.count(),
        screening_latest=[
            Override(
                d.decided_at.astimezone(zone).date(),
                VERDICT_LABELS.get(d.verdict_status, d.verdict_status),
                d.reason,
                d.visit.public_id,
            )
            for d in decisions[:REASONS_SHOWN]
        ],
    )


@dataclass(frozen=True)
class Process:
    repeats: int
    repeats_met: analytics.Proportion  # repeat sessions that met the payer policy
    per_patient: list[tuple[str, int]]  # sessions per patient in the 12 months to the end
    intervals: list[tuple[str, int]]  # days since the previous session, banded
    checkpoints: list[tuple[str, int, int]]  # label, due, answered
    reminders: dict[str, int]  # the status's label -> count
    no_followup: analytics.Proportion  # sessions with no answered score after them


def _session_process(clinic: Clinic, filters: Filters, *, today: date):
    """The figures of ``process_for_clinic`` read from the stored outcomes themselves."""
    sessions = _sessions(clinic, filters)
    repeats = sessions.filter(payer_met__isnull=False).aggregate(
        n=Count("id"), met=Count("id", filter=Q(payer_met=True))
    )
    year = Filters(rollups.year_start(filters.end), filters.end, filters.dimension, filters.value)
    last = PER_PATIENT_BANDS
    # Patients by their sessions in the year, counted in the database (one row back, not
    # one per patient).
    by_patient = (
        _sessions(clinic, year)
        .values("patient")
        .annotate(n=Count("id"))
        .order_by()
        .aggregate(
            **{
                f"band{n}": Count("patient", filter=Q(n=n) if n < last else Q(n__gte=n))
                for n in range(1, last + 1)
            }
        )
    )
    per_patient = {
        str(n) if n < last else f"{n} or more": by_patient[f"band{n}"]
        for n in range(1, last + 1)
        if by_patient[f"band{n}"]
    }
    bands = sessions.filter(days_since_previous__isnull=False).aggregate(
        **{
            f"band{index}": Count(
                "id",
                filter=Q(days_since_previous__gte=low)
                & (Q(days_since_previous__lte=high) if high is not None else Q()),
            )
            for index, (low, high, _) in enumerate(INTERVAL_BANDS)
        }
    )
    closed = sessions.filter(day__lte=outcomes.TWO_WEEKS.closed_through(today)).aggregate(
        n=Count("id"), none=Count("id", filter=Q(followups=0))
    )
    return repeats, per_patient, bands, closed


def _checkpoints(clinic: Clinic, filters: Filters, *, today: date) -> list[tuple[str, int, int]]:
    """The period's sessions' check-ins due before today, and those answered, by
    checkpoint (label, due, answered), read from the check-ins themselves."""
    rows = (
        # The clinic's own sessions' check-ins (``_sessions`` are the clinic's): no join to
        # the patients needed.
        CheckIn.objects.filter(
            visit__in=_sessions(clinic, filters).values("visit_id"),
            due_on__lt=today,
        )
        .values("checkpoint", "offset_days", "label")
        .annotate(due=Count("id"), answered=Count("id", filter=Q(completed_at__isnull=False)))
        .order_by("offset_days", "checkpoint")
    )
    return [(row["label"], row["due"], row["answered"]) for row in rows]


def process_for_clinic(
    clinic: Clinic, filters: Filters, *, today: date, counted: rollups.Counted | None = None
) -> Process:
    """Payer and process figures for the period (from the day counts, ``counted``, when
    given, but for the reminders)."""
    if counted is None:
        repeats, per_patient, bands, closed = _session_process(clinic, filters, today=today)
        checkins = _checkpoints(clinic, filters, today=today)
    else:
        row = counted.of_all()
        repeats = {"n": row["repeats"], "met": row["repeats_met"]}
        per_patient = rollups.per_patient(counted)
        bands = {f"band{i}": row[name] for i, (name, _, _) in enumerate(GAP_BANDS)}
        closed = {"n": row["due_2w"], "none": row["no_followup"]}
        checkins = rollups.checkpoints(counted)
    start, end = _moments(clinic, filters)
    reminders = (
        Reminder.objects.filter(clinic=clinic, send_after__gte=start, send_after__lt=end)
        .filter(_of_sessions(clinic, filters, "visit", "checkin__visit"))
        .values("status")
        .annotate(n=Count("id"))
        .order_by("status")
    )
    return Process(
        repeats=repeats["n"],
        repeats_met=analytics.wilson(repeats["met"], repeats["n"]),
        per_patient=sorted(per_patient.items()),
        intervals=[(band[2], bands[f"band{i}"]) for i, band in enumerate(INTERVAL_BANDS)],
        checkpoints=checkins,
        reminders={
            REMINDER_LABELS.get(row["status"], row["status"]): row["n"] for row in reminders
        },
        no_followup=analytics.wilson(closed["none"], closed["n"]),
    )


@dataclass(frozen=True)
class GoalMonth:
    month: date
    sessions: int
    mean_t: float
    at_expected: analytics.Proportion  # T-score ≥ 50: at or above the expected level
    query: str  # the filters narrowed to the month, for the link to its sessions


def goals_for_clinic(
    clinic: Clinic, filters: Filters, *, counted: rollups.Counted | None = None
) -> list[GoalMonth]:
    """GAS T-scores of the sessions with goals scored after them, by month of the session:
    the mean and the share at or above the expected level (T ≥ 50) [S39] (from the day
    counts, ``counted``, when given)."""
    if counted is None:
        rows = [
            {**row, "mean": row["tenths"] / row["n"] / 10}
            for row in _sessions(clinic, filters)
            .filter(gas_t__isnull=False)
            .annotate(month=TruncMonth("day"))
            .values("month")
            .annotate(
                n=Count("id"),
                tenths=Sum(Round(F("gas_t") * 10)),
                met=Count("id", filter=Q(gas_t__gte=outcomes.GAS_EXPECTED_T)),
            )
            .order_by("month")
        ]
    else:
        rows = [
            {"month": month, "n": n, "mean": tenths / n / 10, "met": met}
            for month, n, tenths, met in rollups.goal_months(counted)
        ]
    found = []
    for row in rows:
        month = row["month"]
        month_end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        narrowed = Filters(
            max(filters.start, month), min(filters.end, month_end), filters.dimension, filters.value
        )
        found.append(
            GoalMonth(
                month,
                row["n"],
                round(row["mean"], 1),
                analytics.wilson(row["met"], row["n"]),
                narrowed.query_string,
            )
        )
    return found
