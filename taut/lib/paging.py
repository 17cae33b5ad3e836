"""Pages of rows from tables that grow with the clinic, counted only so far.

Django's ``Paginator`` counts every matching row (``COUNT(*)``) to number its pages. On a
table that grows with the clinic (check-ins, alerts, reminders) that count reads the whole
range on every request. ``CappedPaginator`` counts at most ``cap`` rows (a ``LIMIT``
inside the count), so a page costs the same however many rows match; past the cap the
count reads "1000+" and the pages stop there (the oldest rows come first, and a list that
long is worked from its top)."""

from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

# Rows a capped count reads at most.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list: QuerySet, per_page: int, *, cap: int = COUNT_CAP):
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        """The matching rows, up to one past the cap: ``SELECT COUNT(*) FROM (… LIMIT n)``."""
        return self.rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows match than were counted."""
        return self._counted > self.cap

    @property
    def count_label(self) -> str:
        """The count as people read it: "1000+" past the cap."""
        return f"{self.count}+" if self.capped else str(self.count)


class CountedPaginator(Paginator):
    """Pages of rows whose number the caller already has (an aggregate it reads anyway,
    like the day list's counts), so numbering the pages costs no query of its own."""

    def __init__(self, object_list: QuerySet, per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self.known = count

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self.known


def page_asked(paginator: Paginator, asked: str | None) -> tuple[Page, str]:
    """The page ``?page=`` asks for, and what to tell the reader when it is not there: no
    number or not a number shows the first page; a page past the last (a list that shrank
    since its link was made) shows the last, saying so."""
    try:
        number = int(asked) if asked else 1
    except ValueError:
        return paginator.page(1), f"There is no page “{asked}”: this is page 1."
    if number < 1:
        return paginator.page(1), f"There is no page {number}: this is page 1."
    if number > paginator.num_pages:
        last = paginator.num_pages
        return paginator.page(last), f"There is no page {number}: the last is page {last}."
    return paginator.page(number), ""
