"""The clinic's figures, counted in the database from ``outcomes``' stored session outcomes
(one ``GROUP BY`` per figure) and handed to ``taut.clinical.analytics`` for intervals,
suppression and curves. Definitions: docs/clinical-rules.md, "Clinic analytics".

A window's figures count only the sessions whose window has closed by ``today`` (a session
two weeks ago cannot have a six-week score yet): the others are "not yet due", shown apart.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet

from taut.accounts.models import Clinic
from taut.aftercare.models import Alert
from taut.analytics import labels
from taut.clinical import analytics, outcomes
from taut.outcomes.models import SessionFacet, SessionOutcome

THRESHOLDS = (30, 50)  # IMMPACT moderate and substantial [S34]


@dataclass(frozen=True)
class Filters:
    """What the page counts: sessions from ``start`` to ``end`` (the clinic's days, both
    included), optionally only those with one thing in common (``dimension`` = ``value``,
    e.g. a muscle)."""

    start: date
    end: date
    dimension: str = ""
    value: str = ""

    @property
    def query_string(self) -> str:
        return urlencode(self.as_query())

    def as_query(self) -> dict[str, str]:
        found = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.dimension:
            found["only"] = f"{self.dimension}:{self.value}"
        return found


def _window_closed(window: outcomes.Window, today: date) -> Q:
    """Sessions whose ``window`` ended before ``today``."""
    return Q(day__lte=today - timedelta(days=window.last + 1))


def _sessions(clinic: Clinic, filters: Filters) -> QuerySet[SessionOutcome]:
    found = SessionOutcome.objects.filter(
        clinic=clinic, day__gte=filters.start, day__lte=filters.end
    )
    if filters.dimension:
        found = found.filter(
            pk__in=SessionFacet.objects.filter(
                clinic=clinic, dimension=filters.dimension, value=filters.value
            ).values("outcome_id")
        )
    return found


def _facets(clinic: Clinic, filters: Filters) -> QuerySet[SessionFacet]:
    found = SessionFacet.objects.filter(clinic=clinic, day__gte=filters.start, day__lte=filters.end)
    if filters.dimension:
        found = found.filter(
            outcome_id__in=SessionFacet.objects.filter(
                clinic=clinic, dimension=filters.dimension, value=filters.value
            ).values("outcome_id")
        )
    return found


def _response_counts(today: date) -> dict[str, Any]:
    """Aggregates of a set of sessions: per window, sessions due, patients due, sessions
    with a score and responders at each threshold."""
    found: dict[str, Any] = {"sessions": Count("id"), "patients": Count("patient", distinct=True)}
    for window in outcomes.WINDOWS:
        closed = _window_closed(window, today)
        key = window.key
        found[f"due_{key}"] = Count("id", filter=closed)
        found[f"patients_{key}"] = Count("patient", distinct=True, filter=closed)
        found[f"scored_{key}"] = Count("id", filter=closed & Q(**{f"resp50_{key}__isnull": False}))
        for threshold in THRESHOLDS:
            found[f"r{threshold}_{key}"] = Count(
                "id", filter=closed & Q(**{f"resp{threshold}_{key}": True})
            )
    return found


@dataclass(frozen=True)
class Rate:
    """Responders at one window and threshold among sessions whose window has closed."""

    window: str  # "2w" or "6w"
    threshold: int  # 30 or 50
    due: int  # sessions whose window has closed
    patients: int
    responders: int
    scored: int  # sessions with a score in the window
    proportion: analytics.Proportion  # responders / scored
    sensitivity: analytics.Proportion  # responders / due: no score counted as no response
    cell: analytics.Cell

    @property
    def missing(self) -> int:
        return self.due - self.scored


def _rates(row: dict[str, Any]) -> list[Rate]:
    rates = []
    for window in outcomes.WINDOWS:
        key = window.key
        for threshold in THRESHOLDS:
            responders, scored = row[f"r{threshold}_{key}"], row[f"scored_{key}"]
            rates.append(
                Rate(
                    window=key,
                    threshold=threshold,
                    due=row[f"due_{key}"],
                    patients=row[f"patients_{key}"],
                    responders=responders,
                    scored=scored,
                    proportion=analytics.wilson(responders, scored),
                    sensitivity=analytics.wilson(responders, row[f"due_{key}"]),
                    cell=analytics.cell(row[f"patients_{key}"]),
                )
            )
    return rates


@dataclass(frozen=True)
class Responders:
    sessions: int
    patients: int
    not_yet_due: dict[str, int]  # per window: sessions whose window is still open
    rates: list[Rate]

    def rate(self, window: str, threshold: int) -> Rate:
        return next(r for r in self.rates if r.window == window and r.threshold == threshold)


def responders_for_clinic(clinic: Clinic, filters: Filters, *, today: date) -> Responders:
    """Sessions, patients, and the share with ≥ 30 % and ≥ 50 % relief at 2 and 6 weeks."""
    row = _sessions(clinic, filters).aggregate(**_response_counts(today))
    return Responders(
        sessions=row["sessions"],
        patients=row["patients"],
        not_yet_due={w.key: row["sessions"] - row[f"due_{w.key}"] for w in outcomes.WINDOWS},
        rates=_rates(row),
    )


@dataclass(frozen=True)
class Group:
    """One value of a breakdown (a muscle, an agent…) and its responder rates."""

    dimension: str
    value: str
    sessions: int
    patients: int
    rates: list[Rate]

    def rate(self, window: str, threshold: int) -> Rate:
        return next(r for r in self.rates if r.window == window and r.threshold == threshold)


def groups_for_clinic(clinic: Clinic, filters: Filters, *, today: date) -> list[Group]:
    """Every breakdown at once: one ``GROUP BY dimension, value`` over the facets."""
    rows: Iterable[dict[str, Any]] = (
        _facets(clinic, filters)  # type: ignore[assignment]  # annotate() adds the counts
        .exclude(dimension=SessionFacet.Dimension.COMPLICATION)
        .values("dimension", "value")
        .annotate(**_response_counts(today))
        .order_by("dimension", "value")
    )
    return [
        Group(
            dimension=row["dimension"],
            value=row["value"],
            sessions=row["sessions"],
            patients=row["patients"],
            rates=_rates(row),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Curve:
    """A Kaplan–Meier curve of one group (``value`` "" for all sessions)."""

    value: str
    patients: int
    sessions: int
    survival: analytics.Survival | None  # None: suppressed or empty
    cell: analytics.Cell


def durability_for_clinic(clinic: Clinic, filters: Filters, *, dimension: str = "") -> list[Curve]:
    """Kaplan–Meier curves of "time until relief falls below 50 %": all sessions (one curve,
    value "") or one curve per value of ``dimension``, from one ``GROUP BY`` of (value, day,
    ended) counts and one of patients."""
    if dimension:
        source: QuerySet[Any] = _facets(clinic, filters).filter(dimension=dimension)
        keys: tuple[str, ...] = ("value",)
    else:
        source, keys = _sessions(clinic, filters), ()
    source = source.filter(relief_days__isnull=False)
    counted: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    rows = source.values(*keys, "relief_days", "relief_ended").annotate(n=Count("id"))
    for row in rows.order_by():
        ended = row["n"] if row["relief_ended"] else 0
        counted[row.get("value", "")].append((row["relief_days"], ended, row["n"] - ended))
    sizes = source.values(*keys).annotate(p=Count("patient", distinct=True), s=Count("id"))
    curves = []
    for row in (
        sizes.order_by()
        if keys
        else [source.aggregate(p=Count("patient", distinct=True), s=Count("id"))]
    ):
        value = row.get("value", "")
        cell = analytics.cell(row["p"])
        shown = cell == analytics.Cell.SHOWN
        survival = analytics.kaplan_meier(counted[value]) if shown else None
        curves.append(Curve(value, row["p"], row["s"], survival, cell))
    return sorted(curves, key=lambda c: (-c.patients, c.value))


@dataclass(frozen=True)
class SessionsBehind:
    """Which sessions a figure counts: the filters and, optionally, a window's closed
    sessions, a response, or one value of a breakdown."""

    filters: Filters
    window: str = ""
    responded: bool | None = None
    threshold: int = 50
    also: tuple[str, str] | None = None  # a group of a breakdown, within the filters
    which: str = ""  # one of WHICH: the sessions a safety, payer or goals figure counts
    alert: str = ""  # an alert's code: the sessions whose visit raised one of that kind

    @property
    def which_label(self) -> str:
        return WHICH[self.which][0] if self.which in WHICH else ""

    @property
    def alert_label(self) -> str:
        return labels.alert_label(self.alert) if self.alert else ""

    @property
    def also_label(self) -> str:
        if not self.also:
            return ""
        dimension, value = self.also
        return f"{labels.DIMENSION_LABELS.get(dimension, dimension)}: {labels.label_for(dimension, value)}"


#: The sessions behind the page's other figures, by name.
WHICH = {
    "repeat_met": ("Repeat sessions that met the payer policy", Q(payer_met=True)),
    "repeat_not_met": ("Repeat sessions that did not meet the payer policy", Q(payer_met=False)),
    "complication": ("Sessions with a complication", Q(complications__gt=0)),
    "dose_override": ("Sessions with a site over the dose guard's limit", Q(dose_override=True)),
    "goals": ("Sessions with goals scored after them", Q(gas_t__isnull=False)),
    "durability": (
        "Sessions with a score after them (in the curves)",
        Q(relief_days__isnull=False),
    ),
}


def sessions_behind(
    clinic: Clinic, behind: SessionsBehind, *, today: date
) -> QuerySet[SessionOutcome]:
    """The stored outcomes a figure counts, newest first, with their visit and patient."""
    found = _sessions(clinic, behind.filters)
    if behind.window:
        window = next(w for w in outcomes.WINDOWS if w.key == behind.window)
        found = found.filter(_window_closed(window, today))
        if behind.responded is not None:
            found = found.filter(**{f"resp{behind.threshold}_{window.key}": behind.responded})
    if behind.alert:
        raised = Alert.objects.filter(patient__clinic=clinic, code=behind.alert)
        # An intake alert names its visit; a check-in's names the check-in's.
        found = found.filter(
            Q(visit_id__in=raised.values("visit_id"))
            | Q(visit_id__in=raised.values("checkin__visit_id"))
        )
    if behind.which in WHICH:
        found = found.filter(WHICH[behind.which][1])
    if behind.also:
        dimension, value = behind.also
        found = found.filter(
            pk__in=SessionFacet.objects.filter(
                clinic=clinic, dimension=dimension, value=value
            ).values("outcome_id")
        )
    return found.select_related("visit", "patient", "clinician").order_by("-day", "-id")
