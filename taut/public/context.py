"""The "Requests" link in the staff top bar, with how many wait (read only when a page
draws the link: a template asks for ``open_requests`` lazily)."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from taut.accounts.roles import Need, has_need
from taut.public.request_queries import open_count_label


def open_requests(request):
    user = getattr(request, "user", None)
    if user is None or not has_need(user, Need.DEMOGRAPHICS_READ):
        return {}
    clinic_id = user.clinic_id
    return {
        "open_requests": SimpleLazyObject(lambda: open_count_label(clinic_id, now=timezone.now()))
    }
