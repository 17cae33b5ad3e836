"""Which of a page's queries read a large table whole: issue 13 asks that every query on a
page at 50,000 patients uses an index where the table is large, checked with EXPLAIN.

``large_tables`` counts the rows of every table once (PostgreSQL: the planner's estimate,
fresh after ``taut seed-scale``'s ANALYZE; SQLite: COUNT); ``full_scans`` asks the database
for the plan of each SELECT a page ran and names each large table it reads from end to end
without an index (PostgreSQL: a Seq Scan node; SQLite: ``SCAN table`` with no index named;
SQLite's ``SCAN table USING INDEX``, an index read in its order, usually under a LIMIT, counts
as using one). A scan of a small table is the planner's right choice and is not reported.
"""

import json
import re

LARGE_ROWS = 10_000

# SQLite's plan names a table by its alias where the query gives one (Django's T3, U0…).
_ALIAS = re.compile(r'"(\w+)" (?:AS )?"?([A-Z]\d+)"?')
_SQLITE_SCAN = re.compile(r"^SCAN (\w+)(?: AS (\w+))?$")


def large_tables(connection, *, rows: int = LARGE_ROWS) -> dict[str, int]:
    """{table: rows} for every table of at least ``rows`` rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, reltuples::bigint FROM pg_class "
                "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            )
            counts = dict(cursor.fetchall())
        else:
            counts = {}
            for table in connection.introspection.table_names(cursor):
                # The database's own table names, quoted: no outside input.
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return {table: n for table, n in counts.items() if n >= rows}


def full_scans(connection, sqls: list[str], large: dict[str, int]) -> list[str]:
    """Each large table that one of ``sqls`` (SELECTs; others are skipped) reads whole,
    as "table (N rows)", once each."""
    found: set[str] = set()
    with connection.cursor() as cursor:
        for sql in sqls:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                tables = _pg_seq_scans(plan[0]["Plan"])
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                aliases = {alias: table for table, alias in _ALIAS.findall(sql)}
                tables = []
                for *_, detail in cursor.fetchall():
                    if match := _SQLITE_SCAN.match(detail):
                        name = match.group(1)
                        tables.append(aliases.get(name, name))
            found.update(f"{table} ({large[table]:,} rows)" for table in tables if table in large)
    return sorted(found)


def _pg_seq_scans(node: dict) -> list[str]:
    tables = [node["Relation Name"]] if node.get("Node Type") == "Seq Scan" else []
    for child in node.get("Plans", []):
        tables += _pg_seq_scans(child)
    return tables
