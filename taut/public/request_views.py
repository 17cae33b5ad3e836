"""Work in progress on issue 14: these views answer 404 until they are built."""

from django.http import Http404

from taut.accounts.access import public


@public
def _unbuilt(request, **kwargs):
    raise Http404("Not built yet")


request_appointment = _unbuilt
