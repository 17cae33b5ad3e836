"""The page's figures summed from the day counts (``outcomes.DayCount``, ``ReliefCount``,
``CheckinCount``) instead of read from every stored facet: one ``GROUP BY`` over a few rows a group and a
day (docs/decisions/0040-daily-counts.md).

They answer any period without a group filter; ``counted`` returns None with one, and
``queries``/``operations`` count the facets themselves. Both give the same figures
(``taut/analytics/tests/test_rollups.py`` compares them).

Patients are counted with the chains of ``daycounts``: a patient of a group has a session
in ``[start, end]`` when exactly one of their sessions there follows one before ``start`` or
none, so the group's patients are its ``firsts`` in the period, plus the sessions before
``start`` that have one after it (``firsts + returns − sessions`` summed before ``start``),
less those whose next one falls after ``end`` (``_spans``: read from the rows after the
period, none for a period that ends today). A window's patients (sessions up to its
closing day) are not summable that way; the page only needs whether they are 0, 1 to 10
or 11 or more, which ``analytics.cell_within`` decides from bounds for all but the groups
at the edge, counted then.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from taut.accounts.models import Clinic
from taut.clinical import analytics, outcomes
from taut.outcomes.daycounts import ALL
from taut.outcomes.models import (
    CheckinCount,
    DayCount,
    ReliefCount,
    SessionFacet,
    SessionOutcome,
)

PER_PATIENT_BANDS = 4  # sessions per patient in the year: 1, 2, 3, 4 or more


def year_start(end: date) -> date:
    """The first day of the 12 months to ``end`` (both included) that "sessions per
    patient" counts in."""
    return end - timedelta(days=364)


WINDOW_COUNTS = ("scored", "r30", "r50")


@dataclass(frozen=True)
class Period:
    """The days the page counts: ``start`` to ``end``, both included."""

    start: date
    end: date


def _sum(column: Any, condition: Q) -> Any:
    return Coalesce(Sum(column, filter=condition), 0)


def _sums(period: Period, *, today: date) -> dict[str, Any]:
    start, end = period.start, period.end
    inside = Q(day__gte=start, day__lte=end)
    before = Q(day__lt=start)
    found = {
        "sessions": _sum("sessions", inside),
        "patients": _sum("firsts", inside) + _sum(_chain("firsts", "returns", "sessions"), before),
        "followed": _sum("followed", inside),
        "followed_patients": _sum("followed_firsts", inside)
        + _sum(_chain("followed_firsts", "followed_returns", "followed"), before),
        "repeats": _sum("repeats", inside),
        "repeats_met": _sum("repeats_met", inside),
        "gap_short": _sum("gap_short", inside),
        "gap_mid": _sum("gap_mid", inside),
        "gap_long": _sum("gap_long", inside),
    }
    for window in outcomes.WINDOWS:
        closed = Q(day__gte=start, day__lte=min(end, window.closed_through(today)))
        key = window.key
        found[f"due_{key}"] = _sum("sessions", closed)
        found[f"after_{key}"] = _sum("sessions", inside & ~closed)
        for name in WINDOW_COUNTS:
            found[f"{name}_{key}"] = _sum(f"{name}_{key}", closed)
        if window is outcomes.TWO_WEEKS:
            found["no_followup"] = _sum("no_followup", closed)
    # Patients by their sessions in the year to ``end``: those with at least n are the
    # rows whose n-th previous session is before the year (or none) less those whose
    # (n − 1)-th is; the 0-th is the session itself.
    year = Q(day__lt=year_start(end))
    found["before_year_0"] = _sum("sessions", year)
    for n in range(1, PER_PATIENT_BANDS + 1):
        firsts, returns = ("firsts", "returns") if n == 1 else (f"firsts_{n}", f"returns_{n}")
        found[f"before_year_{n}"] = _sum(firsts, Q(day__lte=end)) + _sum(returns, year)
    return found


def _chain(firsts: str, returns: str, sessions: str) -> Any:
    return F(firsts) + F(returns) - F(sessions)


@dataclass(frozen=True)
class Counted:
    """A period's sums by group, ``(ALL, ALL)`` for all sessions, as ``_sums`` names them
    (groups with no session in the period left out, but all sessions)."""

    clinic: Clinic
    period: Period
    today: date
    rows: dict[tuple[str, str], dict[str, int]]

    def of_all(self) -> dict[str, int]:
        return self.rows.get((ALL, ALL)) or dict.fromkeys(_sums(self.period, today=self.today), 0)

    def groups(self) -> list[tuple[tuple[str, str], dict[str, int]]]:
        """The breakdowns' groups (complications apart), sorted by dimension and value."""
        return [
            (key, row)
            for key, row in sorted(self.rows.items())
            if key[0] not in (ALL, SessionFacet.Dimension.COMPLICATION)
        ]


def counted(
    clinic: Clinic, start: date, end: date, dimension: str, *, today: date
) -> Counted | None:
    """The day counts' sums for the period, or None when they cannot answer it (a group
    filter)."""
    if dimension:
        return None
    period = Period(start, end)
    rows = (
        DayCount.objects.filter(clinic=clinic)
        .values("dimension", "value")
        # "n_": an annotation named as a column would stand for it in the sums' F().
        .annotate(**{f"n_{name}": total for name, total in _sums(period, today=today).items()})
        .order_by()
    )
    found = {}
    for row in rows:
        sums: dict[str, Any] = dict(row)
        key = (sums.pop("dimension"), sums.pop("value"))
        if sums["n_sessions"] or key == (ALL, ALL):  # all sessions: the year's too
            # PostgreSQL's SUM of integers is a bigint or numeric: counts are ints.
            found[key] = {name.removeprefix("n_"): int(n) for name, n in sums.items()}
    if SessionOutcome.objects.filter(clinic=clinic, day__gt=end).exists():
        for key, spans in _spans(clinic, period).items():
            if key in found:
                for name, n in spans.items():
                    found[key][name] -= n
    return Counted(clinic, period, today, found)


def _spans(clinic: Clinic, period: Period) -> dict[tuple[str, str], dict[str, int]]:
    """What the sums over-count when sessions follow the period: the sessions after it
    whose previous one in the group (with a durability time; the k-th previous one, for
    the year's bands) was before its start: their patient was counted as having a session
    in the period. Read from the rows after the period (an index on the day)."""
    start, year = period.start, year_start(period.end)
    after = Q(clinic=clinic, day__gt=period.end)
    followed = Q(relief_days__isnull=False, previous_followed_day__lt=start)
    found: dict[tuple[str, str], dict[str, int]] = {}
    rows = (
        SessionFacet.objects.filter(after)
        .values("dimension", "value")
        .annotate(
            patients=Count("id", filter=Q(previous_day__lt=start)),
            followed_patients=Count("id", filter=followed),
        )
        .order_by()
    )
    for row in rows:
        found[row["dimension"], row["value"]] = {
            "patients": row["patients"],
            "followed_patients": row["followed_patients"],
        }
    everyone = SessionOutcome.objects.filter(after).aggregate(
        patients=Count("id", filter=Q(previous_day__lt=start)),
        followed_patients=Count("id", filter=followed),
        before_year_1=Count("id", filter=Q(previous_day__lt=year)),
        **{
            f"before_year_{n}": Count("id", filter=Q(**{f"previous_day_{n}__lt": year}))
            for n in range(2, PER_PATIENT_BANDS + 1)
        },
    )
    found[ALL, ALL] = {name: int(n) for name, n in everyone.items()}
    return found


def window_cells(
    counted: Counted, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, analytics.Cell]]:
    """Whether each group's patients with a window closed may be shown, per window: from
    bounds (at most the sessions due and the period's patients; at least the period's
    patients less the sessions after the window's closing day), and for a group the bounds
    leave open, from its patients counted."""
    cells: dict[tuple[str, str], dict[str, analytics.Cell]] = {}
    open_: dict[str, list[tuple[str, str]]] = {}
    for key in keys:
        row = counted.rows[key]
        cells[key] = {}
        for window in outcomes.WINDOWS:
            due, patients = row[f"due_{window.key}"], row["patients"]
            low = max(patients - row[f"after_{window.key}"], 1 if due else 0)
            found = analytics.cell_within(low, min(due, patients))
            if found is None:
                open_.setdefault(window.key, []).append(key)
            else:
                cells[key][window.key] = found
    for window in outcomes.WINDOWS:
        for key, patients in _window_patients(counted, window, open_.get(window.key, [])).items():
            cells[key][window.key] = analytics.cell(patients)
    return cells


def _window_patients(
    counted: Counted, window: outcomes.Window, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """Patients of these groups with a session up to the window's closing day, counted."""
    if not keys:
        return {}
    end = min(counted.period.end, window.closed_through(counted.today))
    period = Q(clinic=counted.clinic, day__gte=counted.period.start, day__lte=end)
    found = dict.fromkeys(keys, 0)
    if (ALL, ALL) in found:
        found[ALL, ALL] = SessionOutcome.objects.filter(period).aggregate(
            n=Count("patient", distinct=True)
        )["n"]
    groups = Q()
    for dimension, value in keys:
        if dimension != ALL:
            groups |= Q(dimension=dimension, value=value)
    if groups:
        rows = (
            SessionFacet.objects.filter(period & groups)
            .values("dimension", "value")
            .annotate(n=Count("patient", distinct=True))
            .order_by()
        )
        found |= {(row["dimension"], row["value"]): row["n"] for row in rows}
    return found


def relief_counts(counted: Counted, dimension: str) -> dict[str, list[tuple[int, int, int]]]:
    """The Kaplan–Meier counts (days, ended, censored) of the period's sessions with a
    durability time, by value of ``dimension`` ("" for all sessions)."""
    rows = (
        ReliefCount.objects.filter(
            clinic=counted.clinic,
            dimension=dimension or ALL,
            day__gte=counted.period.start,
            day__lte=counted.period.end,
        )
        .values("value", "relief_days", "relief_ended")
        .annotate(n=Sum("sessions"))
        .order_by()
    )
    found: dict[str, list[tuple[int, int, int]]] = {}
    for row in rows:
        n = int(row["n"])
        if n:
            ended = n if row["relief_ended"] else 0
            found.setdefault(row["value"], []).append((row["relief_days"], ended, n - ended))
    return found


def goal_months(counted: Counted) -> list[tuple[date, int, int, int]]:
    """By month of the session: sessions with goals scored after them, their T-scores
    summed in tenths, and those at or above the expected level."""
    rows = (
        DayCount.objects.filter(
            clinic=counted.clinic,
            dimension=ALL,
            value=ALL,
            day__gte=counted.period.start,
            day__lte=counted.period.end,
            gas__gt=0,
        )
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Sum("gas"), tenths=Sum("gas_tenths"), met=Sum("gas_met"))
        .order_by("month")
    )
    return [(row["month"], int(row["n"]), int(row["tenths"]), int(row["met"])) for row in rows]


def per_patient(counted: Counted) -> dict[str, int]:
    """Patients by their sessions in the 12 months to the period's end: "1", "2", "3",
    "4 or more" (bands with none left out)."""
    row = counted.of_all()
    last = PER_PATIENT_BANDS
    at_least = {
        n: row[f"before_year_{n}"] - row[f"before_year_{n - 1}"] for n in range(1, last + 1)
    }
    found = {}
    for n in range(1, last + 1):
        count = at_least[n] - at_least[n + 1] if n < last else at_least[n]
        if count:
            found[str(n) if n < last else f"{n} or more"] = count
    return found


def checkpoints(counted: Counted) -> list[tuple[str, int, int]]:
    """Follow-up completion by checkpoint: the period's sessions' check-ins due before
    today, and those answered (label, due, answered), in the schedule's order."""
    rows = (
        CheckinCount.objects.filter(
            clinic=counted.clinic,
            day__gte=counted.period.start,
            day__lte=counted.period.end,
            due_on__lt=counted.today,
        )
        .values("checkpoint", "offset_days", "label")
        .annotate(n=Sum("due"), done=Sum("answered"))
        .order_by("offset_days", "checkpoint")
    )
    return [(row["label"], int(row["n"]), int(row["done"])) for row in rows if row["n"]]
