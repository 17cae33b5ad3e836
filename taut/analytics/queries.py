"""The clinic's figures, counted in the database from ``outcomes``' stored session outcomes
(one ``GROUP BY`` per figure) and handed to ``taut.clinical.analytics`` for intervals,
suppression and curves. Definitions: docs/clinical-rules.md, "Clinic analytics".

A window's figures count only the sessions whose window has closed by ``today`` (a session
two weeks ago cannot have a six-week score yet): the others are "not yet due", shown apart.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db import connections
from django.db.models import Count, Q, QuerySet

from taut.accounts.models import Clinic
from taut.aftercare.models import Alert
from taut.analytics import labels, rollups
from taut.clinical import analytics, outcomes
from taut.outcomes.models import SessionFacet, SessionOutcome

# IMMPACT moderate and substantial [S34]: 30 and 50, as the stored columns resp30_…, resp50_….
THRESHOLDS = (outcomes.MODERATE_PERCENT, outcomes.SUBSTANTIAL_PERCENT)


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
    return Q(day__lte=window.closed_through(today))


def _sessions(clinic: Clinic, filters: Filters) -> QuerySet[SessionOutcome]:
    found = SessionOutcome.objects.filter(
        clinic=clinic, day__gte=filters.start, day__lte=filters.end
    )
    if filters.dimension:
        found = found.filter(pk__in=_in_group(clinic, filters))
    return found


def _in_group(clinic: Clinic, filters: Filters) -> QuerySet[SessionFacet, Any]:
    """The ids of the period's sessions with the filter's group: a session's facets share
    its day, so the period bounds them too, and the ``(clinic, dimension, value, day,
    outcome)`` index answers without reading the table."""
    return SessionFacet.objects.filter(
        clinic=clinic,
        dimension=filters.dimension,
        value=filters.value,
        day__gte=filters.start,
        day__lte=filters.end,
    ).values("outcome_id")


def _facets(clinic: Clinic, filters: Filters) -> QuerySet[SessionFacet]:
    found = SessionFacet.objects.filter(clinic=clinic, day__gte=filters.start, day__lte=filters.end)
    if filters.dimension:
        found = found.filter(outcome_id__in=_in_group(clinic, filters))
    return found


def _response_counts(today: date) -> dict[str, Any]:
    """Counts of a patient's sessions (in a group): all of them and, per window, those
    due, those with a score and the responders at each threshold."""
    found: dict[str, Any] = {"sessions": Count("id")}
    for window in outcomes.WINDOWS:
        closed = _window_closed(window, today)
        key = window.key
        found[f"due_{key}"] = Count("id", filter=closed)
        found[f"scored_{key}"] = Count("id", filter=closed & Q(**{f"resp50_{key}__isnull": False}))
        for threshold in THRESHOLDS:
            found[f"r{threshold}_{key}"] = Count(
                "id", filter=closed & Q(**{f"resp{threshold}_{key}": True})
            )
    return found


#: Patients counted per window: those with a session whose window has closed.
_PATIENTS_DUE = {f"patients_{w.key}": f"due_{w.key}" for w in outcomes.WINDOWS}


def _by_patient(
    source: QuerySet[Any],
    keys: tuple[str, ...],
    counts: dict[str, Any],
    *,
    patients_with: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """``counts`` of ``source`` summed by ``keys`` (sorted by them), with ``patients``, how
    many patients each group has, and for each ``name: count`` of ``patients_with`` how
    many of them have that count above 0.

    One query in two steps: the counts per patient (``GROUP BY keys, patient``), then
    their sums. A group's patients are the rows of the first step, so nothing is counted
    ``DISTINCT``, which PostgreSQL sorts each group's rows for, once per such count: at
    1,000,000 sessions the distinct counts were most of the page's time
    (docs/decisions/0037-analytics-at-scale.md)."""
    per_patient = source.values(*keys, "patient").annotate(**counts).order_by()
    sql, params = per_patient.query.sql_with_params()
    connection = connections[per_patient.db]
    name = connection.ops.quote_name
    columns = [name(key) for key in keys]
    sums = [f"COALESCE(SUM({name(count)}), 0) AS {name(count)}" for count in counts]
    sums.append(f"COUNT(*) AS {name('patients')}")
    sums += [
        f"COALESCE(SUM(CASE WHEN {name(count)} > 0 THEN 1 ELSE 0 END), 0) AS {name(alias)}"
        for alias, count in (patients_with or {}).items()
    ]
    grouped = f" GROUP BY {', '.join(columns)} ORDER BY {', '.join(columns)}" if keys else ""
    query = f"SELECT {', '.join([*columns, *sums])} FROM ({sql}) per_patient{grouped}"  # noqa: S608
    names = [*counts, "patients", *(patients_with or {})]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    # PostgreSQL's SUM of counts is a numeric (a Decimal here): counts are ints.
    return [
        dict(zip(keys, row[: len(keys)], strict=True))
        | dict(zip(names, map(int, row[len(keys) :]), strict=True))
        for row in rows
    ]


@dataclass(frozen=True)
class Rate:
    """Responders at one window and threshold among sessions whose window has closed."""

    window: str  # "2w" or "6w"
    threshold: int  # 30 or 50
    due: int  # sessions whose window has closed
    responders: int
    scored: int  # sessions with a score in the window
    proportion: analytics.Proportion  # responders / scored
    sensitivity: analytics.Proportion  # responders / due: no score counted as no response
    cell: analytics.Cell  # of the patients with a session whose window has closed

    @property
    def missing(self) -> int:
        return self.due - self.scored


def _rates(row: dict[str, Any], cells: dict[str, analytics.Cell]) -> list[Rate]:
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
                    responders=responders,
                    scored=scored,
                    proportion=analytics.wilson(responders, scored),
                    sensitivity=analytics.wilson(responders, row[f"due_{key}"]),
                    cell=cells[key],
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


def _cells(row: dict[str, Any]) -> dict[str, analytics.Cell]:
    """Each window's cell from its patients counted (``_PATIENTS_DUE``)."""
    return {w.key: analytics.cell(row[f"patients_{w.key}"]) for w in outcomes.WINDOWS}


def responders_for_clinic(
    clinic: Clinic, filters: Filters, *, today: date, counted: rollups.Counted | None = None
) -> Responders:
    """Sessions, patients, and the share with ≥ 30 % and ≥ 50 % relief at 2 and 6 weeks;
    from ``counted`` (the day counts of the same filters and ``today``) when given."""
    if counted is None:
        [row] = _by_patient(
            _sessions(clinic, filters), (), _response_counts(today), patients_with=_PATIENTS_DUE
        )
        cells = _cells(row)
    else:
        row = counted.of_all()
        everyone = (rollups.ALL, rollups.ALL)
        cells = (
            rollups.window_cells(counted, [everyone])[everyone]
            if row["sessions"]
            else dict.fromkeys((w.key for w in outcomes.WINDOWS), analytics.Cell.EMPTY)
        )
    return Responders(
        sessions=row["sessions"],
        patients=row["patients"],
        not_yet_due={w.key: row["sessions"] - row[f"due_{w.key}"] for w in outcomes.WINDOWS},
        rates=_rates(row, cells),
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


def groups_for_clinic(
    clinic: Clinic, filters: Filters, *, today: date, counted: rollups.Counted | None = None
) -> list[Group]:
    """Every breakdown at once: one ``GROUP BY dimension, value`` over the facets, or over
    the day counts (``counted``)."""
    if counted is None:
        rows = _by_patient(
            _facets(clinic, filters).exclude(dimension=SessionFacet.Dimension.COMPLICATION),
            ("dimension", "value"),
            _response_counts(today),
            patients_with=_PATIENTS_DUE,
        )
        found = [((row["dimension"], row["value"]), row, _cells(row)) for row in rows]
    else:
        groups = counted.groups()
        cells = rollups.window_cells(counted, [key for key, _ in groups])
        found = [(key, row, cells[key]) for key, row in groups]
    return [
        Group(
            dimension=dimension,
            value=value,
            sessions=row["sessions"],
            patients=row["patients"],
            rates=_rates(row, window_cells),
        )
        for (dimension, value), row, window_cells in found
    ]


@dataclass(frozen=True)
class Curve:
    """A Kaplan–Meier curve of one group (``value`` "" for all sessions)."""

    value: str
    patients: int
    sessions: int
    survival: analytics.Survival | None  # None: suppressed or empty
    cell: analytics.Cell


def durability_for_clinic(
    clinic: Clinic,
    filters: Filters,
    *,
    dimension: str = "",
    counted: rollups.Counted | None = None,
) -> list[Curve]:
    """Kaplan–Meier curves of "time until relief falls below 50 %": all sessions (one curve,
    value "") or one curve per value of ``dimension``, from one ``GROUP BY`` of (value, day,
    ended) counts and one of patients (or the day counts, ``counted``)."""
    if counted is not None:
        return _curves(counted, dimension)
    if dimension:
        source: QuerySet[Any] = _facets(clinic, filters).filter(dimension=dimension)
        keys: tuple[str, ...] = ("value",)
    else:
        source, keys = _sessions(clinic, filters), ()
    source = source.filter(relief_days__isnull=False)
    times: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    rows = source.values(*keys, "relief_days", "relief_ended").annotate(n=Count("id"))
    for row in rows.order_by():
        ended = row["n"] if row["relief_ended"] else 0
        times[row.get("value", "")].append((row["relief_days"], ended, row["n"] - ended))
    curves = []
    for row in _by_patient(source, keys, {"sessions": Count("id")}):
        value = row.get("value", "")
        cell = analytics.cell(row["patients"])
        shown = cell == analytics.Cell.SHOWN
        survival = analytics.kaplan_meier(times[value]) if shown else None
        curves.append(Curve(value, row["patients"], row["sessions"], survival, cell))
    return sorted(curves, key=lambda c: (-c.patients, c.value))


def _curves(counted: rollups.Counted, dimension: str) -> list[Curve]:
    counts = rollups.relief_counts(counted, dimension)
    curves = []
    for (group, value), row in counted.rows.items():
        if group != (dimension or rollups.ALL) or not row["followed"]:
            continue
        cell = analytics.cell(row["followed_patients"])
        shown = cell == analytics.Cell.SHOWN
        survival = analytics.kaplan_meier(counts.get(value, [])) if shown else None
        curves.append(Curve(value, row["followed_patients"], row["followed"], survival, cell))
    if not dimension and not curves:  # all sessions: one curve, empty (as counted directly)
        curves.append(Curve("", 0, 0, None, analytics.Cell.EMPTY))
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
