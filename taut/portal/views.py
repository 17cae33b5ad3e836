"""Portal pages for a patient: home (aftercare and progress) and a check-in."""

from django.http import HttpResponse

from taut.portal.access import portal_view
from taut.portal.links import Purpose


@portal_view(Purpose.HOME)
def home(request, access):
    return HttpResponse("home")  # replaced by the portal check-in work


@portal_view(Purpose.CHECKIN)
def checkin(request, access):
    return HttpResponse("checkin")  # replaced by the portal check-in work
