"""Query plans, for the tests that prove a query is answered from an index on SQLite and on
PostgreSQL (``test_*_plans.py``).

A planner reads a small table whole, whatever its indexes: those tests first insert a few
thousand rows and ``analyze`` them, as a clinic's database holds and autovacuum does, so the
plan is the one a real clinic gets. They assert on the plan's text: which index is used, and
that the table is not read whole.
"""

import re

from django.db import connection
from django.db.models import Model, QuerySet


def analyze(*models: type[Model]) -> None:
    """Refresh the planner's statistics for ``models``' tables (inside the test's transaction:
    SQLite's are rolled back with it; PostgreSQL keeps only its row estimate)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def plan(queryset: QuerySet) -> str:
    """``EXPLAIN`` (PostgreSQL) or ``EXPLAIN QUERY PLAN`` (SQLite) of ``queryset``."""
    return queryset.explain()


def uses_index(text: str, index: str) -> bool:
    """Whether the plan ``text`` reads the index named ``index``."""
    if connection.vendor == "postgresql":
        pattern = rf"(Index Scan|Index Only Scan) using {index}\b|Bitmap Index Scan on {index}\b"
    else:
        pattern = rf"\bUSING (COVERING )?INDEX {index}\b"
    return re.search(pattern, text) is not None


def reads_whole(text: str, table: str) -> bool:
    """Whether the plan ``text`` reads every row of ``table`` (or walks a whole index of it)."""
    if connection.vendor == "postgresql":
        return re.search(rf"Seq Scan on {table}\b", text) is not None
    return re.search(rf"\bSCAN {table}\b", text) is not None


def index_named(model: type[Model], *fields: str) -> str:
    """The name of ``model``'s index on exactly ``fields`` (Django names most of them)."""
    names = [i.name for i in model._meta.indexes if tuple(i.fields) == fields]
    assert len(names) == 1, f"{model.__name__} has {len(names)} indexes on {fields}"
    return names[0]
