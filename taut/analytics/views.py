"""The clinic analytics pages."""

from django.shortcuts import render

from taut.accounts.access import staff_view
from taut.accounts.roles import Need


@staff_view(Need.READ_ANALYTICS)
def overview(request):
    return render(request, "analytics/overview.html", {})
