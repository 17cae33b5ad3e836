"""The patient's "I'm here" on the day of their visit, from their portal page."""

import contextlib

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from taut.lib.refusals import Refused
from taut.links import Purpose
from taut.portal.access import portal_view
from taut.visits import queries as visit_queries
from taut.visits.services import booking


@require_POST
@portal_view(Purpose.HOME)
def here(request, access):
    """Check the patient in for today's visit (waiting), then back to their page, which
    says the front desk knows. Nothing to check in (no visit today, or it has started):
    back to the page, which says so."""
    visit = visit_queries.visit_today_for_patient(access.patient, request.actor.today)
    if visit is not None:
        with contextlib.suppress(Refused):  # the page shows where the visit stands
            booking.patient_arrived(visit=visit, actor=request.actor)
    if access.session:
        return redirect("portal:my_home")
    return redirect("portal:home", token=access.token)
