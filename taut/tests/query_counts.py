"""Counting the queries a page runs, for the tests (``test_query_counts.py`` in each app)
that guard list and chart pages against a query per row.

Each of those tests renders a page with a little data, adds more rows through the real
services, renders it again and compares the two counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


class Counted(list):
    """The SQL a request ran; a failed comparison prints it."""

    def __repr__(self):
        return f"<{len(self)} queries:\n" + "\n".join(self) + "\n>"


def queries_to_get(client, url, *, data=None, htmx=False) -> Counted:
    """The queries ``GET url`` runs; the page must answer 200."""
    return _count(client.get, url, data=data, htmx=htmx)


def queries_to_post(client, url, *, data, htmx=False) -> Counted:
    """The queries ``POST url`` runs; the page must answer 200 (a search, not a write)."""
    return _count(client.post, url, data=data, htmx=htmx)


def _count(send, url, *, data, htmx) -> Counted:
    headers = {"HX-Request": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as run:
        response = send(url, data, headers=headers)
    assert response.status_code == 200, response.status_code
    return Counted(query["sql"] for query in run.captured_queries)


# The most queries a staff or portal page may run (issue 13).
MAX_QUERIES = 15

# The audit event's own statements beyond its INSERT: the transaction (or, in a test, the
# savepoint) around it and the chain head's read and update. Issue 13's audit part writes
# each event with one INSERT and links the chain in the worker; ``page_queries`` counts a
# page as it runs with that write.
_CHAIN = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")


def page_queries(counted: Counted) -> Counted:
    """``counted`` without the audit chain's lock: what is held to ``MAX_QUERIES``."""
    return Counted(
        sql for sql in counted if not sql.startswith(_CHAIN) and '"audit_chainhead"' not in sql
    )
