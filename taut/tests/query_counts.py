"""Counting the queries a page runs, for the tests (``test_query_counts.py`` in each app)
that guard list and chart pages against a query per row.

Each of those tests renders a page with a little data, adds more rows through the real
services, renders it again and compares the two counts. ``taut/tests/test_list_pages.py``
is the table of every list page (paged or capped, the same queries with 2 rows as with
30, at most MAX_QUERIES)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

# The most queries a staff page may run (issue 13): the session, the member with their
# clinic, the audit event and the page's own reads. taut/tests/test_list_pages.py holds
# every list page to it.
MAX_QUERIES = 15


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
