"""A capped paginator counts no further than its cap, and pages up to it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from taut.accounts.models import User
from taut.lib.paging import CappedPaginator


def test_it_counts_every_row_under_the_cap(cast):
    staff = User.objects.filter(clinic=cast.clinic).order_by("pk")
    paginator = CappedPaginator(staff, 2, cap=10)
    assert paginator.count == 4 and not paginator.capped and paginator.count_label == "4"
    assert paginator.num_pages == 2


def test_it_stops_counting_at_the_cap(cast):
    staff = User.objects.filter(clinic=cast.clinic).order_by("pk")
    paginator = CappedPaginator(staff, 1, cap=3)
    with CaptureQueriesContext(connection) as run:
        assert paginator.count == 3 and paginator.capped and paginator.count_label == "3+"
    assert len(run) == 1 and "LIMIT 4" in run[0]["sql"]
    assert paginator.num_pages == 3
    assert list(paginator.get_page(3)) == [list(staff)[2]]
    assert paginator.get_page(9).number == 3  # past the cap: the last counted page
