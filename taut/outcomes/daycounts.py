"""The stored session outcomes counted by day (``DayCount``, ``ReliefCount``,
``CheckinCount``): what the analytics page sums instead of reading every facet
(docs/decisions/0040-daily-counts.md).

Each ``SessionOutcome`` (as group "", "") and each ``SessionFacet`` (as its dimension and
value) adds to the row of its day: a session, a score in each window, a responder at each
threshold, a durability time, and the chains that count patients without reading them:
``firsts`` (no earlier session of the patient in the group) on the row's own day, and
``returns`` on the day of the previous one. Summing them gives a group's patients in a
period (``taut.analytics.rollups``). Each ``SessionCheckin`` adds to ``CheckinCount``.

Kept in step in the transaction that stores the outcomes (``kept_in_step``): the patients'
old rows are taken out before they are replaced and the new ones added after, each with
one ``INSERT … ON CONFLICT`` that adds to the counts (SQLite and PostgreSQL). ``rebuild``
counts a whole clinic again (migration outcomes/0010, ``taut refresh-next-steps``, tests);
``recount`` does so for rows whose chains are already set (the benchmark).
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import connection

from taut.clinical.outcomes import GAS_EXPECTED_T
from taut.outcomes.models import (
    CheckinCount,
    DayCount,
    ReliefCount,
    SessionCheckin,
    SessionFacet,
    SessionOutcome,
)

ALL = ""  # the dimension and value of the row of all sessions

#: Days since the previous session, banded (both ends included; None: no upper end), as
#: the columns ``gap_short``, ``gap_mid``, ``gap_long``.
GAP_BANDS = (("gap_short", 0, 41), ("gap_mid", 42, 83), ("gap_long", 84, None))

COUNTS: tuple[str, ...] = tuple(
    str(f.column)
    for f in DayCount._meta.concrete_fields
    if f.column not in {"id", "clinic_id", "dimension", "value", "day"}
)


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


_RESPONSES = {
    "sessions": "1",
    "scored_2w": _flag("resp50_2w IS NOT NULL"),
    "r30_2w": _flag("resp30_2w"),
    "r50_2w": _flag("resp50_2w"),
    "scored_6w": _flag("resp50_6w IS NOT NULL"),
    "r30_6w": _flag("resp30_6w"),
    "r50_6w": _flag("resp50_6w"),
    "firsts": _flag("previous_day IS NULL"),
    "followed": _flag("relief_days IS NOT NULL"),
    "followed_firsts": _flag("relief_days IS NOT NULL AND previous_followed_day IS NULL"),
}

_ALL_ONLY = {
    **{f"firsts_{k}": _flag(f"previous_day_{k} IS NULL") for k in (2, 3, 4)},
    "repeats": _flag("payer_met IS NOT NULL"),
    "repeats_met": _flag("payer_met"),
    "no_followup": _flag("followups = 0"),
    **{
        name: _flag(
            f"days_since_previous >= {low}"
            + (f" AND days_since_previous <= {high}" if high is not None else "")
        )
        for name, low, high in GAP_BANDS
    },
    "gas": _flag("gas_t IS NOT NULL"),
    "gas_met": _flag(f"gas_t >= {float(GAS_EXPECTED_T)}"),
    "gas_tenths": "CAST(ROUND(COALESCE(gas_t, 0) * 10) AS INTEGER)",
}


def _part(table: str, group: str, day: str, values: dict[str, str], where: str) -> str:
    columns = ", ".join(f"{values.get(name, '0')} AS {name}" for name in COUNTS)
    return f"SELECT clinic_id, {group}, {day} AS day, {columns} FROM {table} WHERE {where}"  # noqa: S608


def _parts(where: str) -> list[str]:
    """Every row's additions: on its own day, and on the days its chains point back to."""
    facets, outcomes = SessionFacet._meta.db_table, SessionOutcome._meta.db_table
    by_value, by_all = "dimension, value", f"'{ALL}' AS dimension, '{ALL}' AS value"
    parts = []
    for table, group, own in (
        (facets, by_value, _RESPONSES),
        (outcomes, by_all, _RESPONSES | _ALL_ONLY),
    ):
        parts.append(_part(table, group, "day", own, where))
        parts.append(
            _part(
                table,
                group,
                "previous_day",
                {"returns": "1"},
                f"{where} AND previous_day IS NOT NULL",
            )
        )
        parts.append(
            _part(
                table,
                group,
                "previous_followed_day",
                {"followed_returns": "1"},
                f"{where} AND relief_days IS NOT NULL AND previous_followed_day IS NOT NULL",
            )
        )
    for k in (2, 3, 4):
        column = f"previous_day_{k}"
        parts.append(
            _part(
                outcomes, by_all, column, {f"returns_{k}": "1"}, f"{where} AND {column} IS NOT NULL"
            )
        )
    return parts


def _add_days(where: str, sign: int) -> str:
    table = DayCount._meta.db_table
    sums = ", ".join(f"{sign} * SUM({name})" for name in COUNTS)
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COUNTS)
    union = " UNION ALL ".join(_parts(where))
    # "WHERE 1 = 1": SQLite reads an ON CONFLICT after a bare FROM as a join's ON.
    return (
        f"INSERT INTO {table} (clinic_id, dimension, value, day, {', '.join(COUNTS)}) "  # noqa: S608
        f"SELECT clinic_id, dimension, value, day, {sums} FROM ({union}) parts WHERE 1 = 1 "
        "GROUP BY clinic_id, dimension, value, day ORDER BY clinic_id, dimension, value, day "
        f"ON CONFLICT (clinic_id, dimension, value, day) DO UPDATE SET {updates}"
    )


def _add_reliefs(where: str, sign: int) -> str:
    table = ReliefCount._meta.db_table
    facets, outcomes = SessionFacet._meta.db_table, SessionOutcome._meta.db_table
    followed = f"{where} AND relief_days IS NOT NULL"
    ended = "COALESCE(relief_ended, FALSE) AS relief_ended"
    union = (
        f"SELECT clinic_id, dimension, value, day, relief_days, {ended} FROM {facets} "  # noqa: S608
        f"WHERE {followed} UNION ALL SELECT clinic_id, '{ALL}' AS dimension, '{ALL}' AS value, "
        f"day, relief_days, {ended} FROM {outcomes} WHERE {followed}"
    )
    key = "clinic_id, dimension, value, day, relief_days, relief_ended"
    return (
        f"INSERT INTO {table} ({key}, sessions) SELECT {key}, {sign} * COUNT(*) "  # noqa: S608
        f"FROM ({union}) parts WHERE 1 = 1 GROUP BY {key} ORDER BY {key} "
        f"ON CONFLICT ({key}) DO UPDATE SET sessions = {table}.sessions + excluded.sessions"
    )


def _add_checkins(where: str, sign: int) -> str:
    table, source = CheckinCount._meta.db_table, SessionCheckin._meta.db_table
    key = "clinic_id, day, checkpoint, offset_days, label, due_on"
    return (
        f"INSERT INTO {table} ({key}, due, answered) SELECT {key}, {sign} * COUNT(*), "  # noqa: S608
        f"{sign} * SUM({_flag('answered')}) FROM {source} WHERE {where} GROUP BY {key} "
        f"ORDER BY {key} ON CONFLICT ({key}) DO UPDATE SET due = {table}.due + excluded.due, "
        f"answered = {table}.answered + excluded.answered"
    )


def _of_patients(patient_ids: Sequence[int]) -> tuple[str, list[int]]:
    return f"patient_id IN ({', '.join(['%s'] * len(patient_ids))})", list(patient_ids)


def _run(where: str, params: list[int], sign: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_add_days(where, sign), params * len(_parts(where)))
        cursor.execute(_add_reliefs(where, sign), params * 2)
        cursor.execute(_add_checkins(where, sign), params)


def _cleared(clinic_days: set[tuple[int, date]]) -> None:
    """Drop the rows of these days that count nothing any more."""
    empty: dict[str, Any] = dict.fromkeys(COUNTS, 0)
    for clinic_id in {clinic for clinic, _ in clinic_days}:
        days = [day for clinic, day in clinic_days if clinic == clinic_id]
        DayCount.objects.filter(clinic_id=clinic_id, day__in=days, **empty).delete()
        ReliefCount.objects.filter(clinic_id=clinic_id, day__in=days, sessions=0).delete()
        CheckinCount.objects.filter(clinic_id=clinic_id, day__in=days, due=0).delete()


def _days_of(patient_ids: Sequence[int]) -> set[tuple[int, date]]:
    return set(
        SessionOutcome.objects.filter(patient_id__in=patient_ids).values_list("clinic_id", "day")
    )


def _relink(where: str, params: list[int]) -> None:
    """Set the chains of the rows ``where`` picks (whole patients): each row's previous
    sessions in its group, and previous session with a durability time. Ties on a day need
    no order: the previous day is that day either way."""
    facets, outcomes = SessionFacet._meta.db_table, SessionOutcome._meta.db_table
    followed = "CASE WHEN relief_days IS NULL THEN NULL ELSE LAG(day) OVER ({}) END"
    in_group = "PARTITION BY patient_id, dimension, value{} ORDER BY day, outcome_id"
    overall = "PARTITION BY patient_id{} ORDER BY day, id"
    followed_only = ", relief_days IS NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {facets} SET previous_day = linked.p1, "  # noqa: S608
            "previous_followed_day = linked.pf FROM ("
            f"SELECT id, LAG(day) OVER ({in_group.format('')}) AS p1, "
            f"{followed.format(in_group.format(followed_only))} AS pf "
            f"FROM {facets} WHERE {where}) linked WHERE {facets}.id = linked.id",
            params,
        )
        cursor.execute(
            f"UPDATE {outcomes} SET previous_day = linked.p1, previous_day_2 = linked.p2, "  # noqa: S608
            "previous_day_3 = linked.p3, previous_day_4 = linked.p4, "
            "previous_followed_day = linked.pf FROM ("
            f"SELECT id, LAG(day, 1) OVER ({overall.format('')}) AS p1, "
            f"LAG(day, 2) OVER ({overall.format('')}) AS p2, "
            f"LAG(day, 3) OVER ({overall.format('')}) AS p3, "
            f"LAG(day, 4) OVER ({overall.format('')}) AS p4, "
            f"{followed.format(overall.format(followed_only))} AS pf "
            f"FROM {outcomes} WHERE {where}) linked WHERE {outcomes}.id = linked.id",
            params,
        )


@contextmanager
def kept_in_step(patient_ids: Sequence[int]) -> Iterator[None]:
    """Around the replacement of these patients' stored outcomes, in the caller's
    transaction: take their old rows out of the counts, then chain the new ones and add
    them."""
    if not patient_ids:
        yield
        return
    where, params = _of_patients(patient_ids)
    days = _days_of(patient_ids)
    _run(where, params, sign=-1)
    yield
    _relink(where, params)
    _run(where, params, sign=1)
    _cleared(days | _days_of(patient_ids))


def recount(clinic_id: int) -> None:
    """Count a whole clinic again from its stored, chained outcomes, in the caller's
    transaction."""
    DayCount.objects.filter(clinic_id=clinic_id).delete()
    ReliefCount.objects.filter(clinic_id=clinic_id).delete()
    CheckinCount.objects.filter(clinic_id=clinic_id).delete()
    _run("clinic_id = %s", [clinic_id], sign=1)


def rebuild(clinic_id: int) -> None:
    """Chain a whole clinic's stored outcomes again and count them, in the caller's
    transaction (the chains of rows written without ``kept_in_step``: a seed, a test)."""
    _relink("clinic_id = %s", [clinic_id])
    recount(clinic_id)
