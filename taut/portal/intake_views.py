"""The pre-visit intake and pain drawing a patient completes from the booking link."""

from django.http import HttpResponse

from taut.portal.access import portal_view
from taut.portal.links import Purpose


@portal_view(Purpose.INTAKE)
def intake(request, access):
    return HttpResponse("intake")  # replaced by the pre-visit intake work
