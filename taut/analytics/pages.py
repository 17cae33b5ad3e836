"""Everything the analytics page and its PDF report show, read once: the figures of
``queries`` and ``operations`` with their labels, sorted as asked."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from taut.accounts.models import Clinic
from taut.analytics import labels, operations, queries, rollups
from taut.analytics.forms import AnalyticsFilterForm
from taut.clinical import analytics


@dataclass(frozen=True)
class ForestRow:
    """One row of the forest plot: a group, its label, and the rate shown."""

    dimension: str
    dimension_label: str
    value: str
    label: str
    patients: int  # the group's patients in the period
    rate: queries.Rate

    @property
    def shown(self) -> bool:
        return self.rate.cell == analytics.Cell.SHOWN and self.rate.proportion.n > 0


@dataclass(frozen=True)
class LabelledCurve:
    label: str
    curve: queries.Curve


@dataclass(frozen=True)
class Figures:
    filters: queries.Filters
    today: date
    window: str
    threshold: int
    sort: str
    curves_by: str
    responders: queries.Responders
    forest: list[ForestRow]
    curves: list[LabelledCurve]
    sessions_total: int
    complications: list[operations.Complication]
    alerts: list[operations.AlertKind]
    overrides: operations.Overrides
    process: operations.Process
    goals: list[operations.GoalMonth]
    filter_label: str
    definitions_version: str = analytics.VERSION

    @property
    def headline(self) -> queries.Rate:
        return self.responders.rate(self.window, self.threshold)


def _sort_key(sort: str):
    def key(row: ForestRow) -> tuple[Any, ...]:
        estimate = row.rate.proportion.estimate if row.shown else None
        within = {
            "estimate": (estimate is None, -(estimate or 0), row.label),
            "patients": (-row.patients, row.label),
        }.get(sort, (row.label,))
        return (row.dimension_label, *within)

    return key


def figures(clinic: Clinic, form: AnalyticsFilterForm, *, today: date) -> Figures:
    filters = form.filters()
    window, threshold = form.choice("window"), int(form.choice("threshold"))
    sort, curves_by = form.choice("sort"), form.choice("curves")
    # The day counts answer any period; None (a group filter): the facets are read
    # (decision 0040).
    counted = rollups.counted(clinic, filters.start, filters.end, filters.dimension, today=today)
    groups = queries.groups_for_clinic(clinic, filters, today=today, counted=counted)
    names = labels.value_labels(groups, clinic_id=clinic.pk)
    forest = sorted(
        (
            ForestRow(
                dimension=g.dimension,
                dimension_label=labels.DIMENSION_LABELS.get(g.dimension, g.dimension),
                value=g.value,
                label=names[(g.dimension, g.value)],
                patients=g.patients,
                rate=g.rate(window, threshold),
            )
            for g in groups
        ),
        key=_sort_key(sort),
    )
    curves = queries.durability_for_clinic(clinic, filters, dimension=curves_by, counted=counted)
    curve_names = labels.value_labels(
        [_Pair(curves_by, c.value) for c in curves], clinic_id=clinic.pk
    )
    total, complications = operations.complications_for_clinic(clinic, filters, counted=counted)
    filter_label = ""
    if filters.dimension:
        filter_label = f"{labels.DIMENSION_LABELS.get(filters.dimension, '')}: " + labels.label_for(
            filters.dimension, filters.value, names={k[1]: v for k, v in names.items()}
        )
    return Figures(
        filters=filters,
        today=today,
        window=window,
        threshold=threshold,
        sort=sort,
        curves_by=curves_by,
        responders=queries.responders_for_clinic(clinic, filters, today=today, counted=counted),
        forest=forest,
        curves=[
            LabelledCurve(curve_names[(curves_by, c.value)] if curves_by else "All sessions", c)
            for c in curves
        ],
        sessions_total=total,
        complications=complications,
        alerts=operations.alerts_for_clinic(clinic, filters),
        overrides=operations.overrides_for_clinic(clinic, filters),
        process=operations.process_for_clinic(clinic, filters, today=today, counted=counted),
        goals=operations.goals_for_clinic(clinic, filters, counted=counted),
        filter_label=filter_label,
    )


@dataclass(frozen=True)
class _Pair:
    dimension: str
    value: str


def query_without_page(request) -> str:
    """The request's query string without its page number (for the pager's links)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def only_choices(figures: Figures) -> list[tuple[str, object]]:
    """The "Only sessions with" choices: every group the period's sessions fall in, under
    its breakdown's name (the one chosen stays listed even when it has no sessions)."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for row in sorted(figures.forest, key=lambda r: (r.dimension_label, r.label)):
        grouped.setdefault(row.dimension_label, []).append(
            (f"{row.dimension}:{row.value}", row.label)
        )
    chosen = figures.filters.as_query().get("only")
    if chosen and not any(chosen == key for rows in grouped.values() for key, _ in rows):
        grouped.setdefault("Chosen", []).append((chosen, figures.filter_label or chosen))
    return [("", "Any"), *grouped.items()]


def group_asked(raw: str) -> tuple[str, str] | None:
    """A group of a breakdown named in a link ("agent:lidocaine 1%"), or None."""
    dimension, _, value = raw.partition(":")
    known = dimension in labels.DIMENSION_LABELS and value and len(raw) <= 80
    return (dimension, value) if known else None


def report_query(figures: Figures) -> str:
    """The query string of the PDF report of what the page shows."""
    choices = {
        "window": figures.window,
        "threshold": str(figures.threshold),
        "sort": figures.sort,
        "curves": figures.curves_by,
    }
    return urlencode(figures.filters.as_query() | choices)
