from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taut.accounts.access import staff_view
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.paging import CappedPaginator
from taut.lib.refusals import Refused
from taut.patients.access import get_record_for_user, patient_view
from taut.reminders import queries, services
from taut.reminders.models import Reminder

# Rows per page of "Emails not sent", as in the worklist's other sections.
WORKLIST_PAGE_SIZE = 15


@staff_view(Need.CLINICAL_READ)
def worklist_section(request):
    """Reminders and alert emails that did not go out, for someone to phone or fix, a page
    at a time, newest first."""
    rows = queries.needing_a_person(request.user.clinic, now=request.actor.now)
    page = CappedPaginator(rows, WORKLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    record_event(
        actor=request.actor,
        action=Action.VIEW,
        object_type="reminder_worklist",
        details={"reminders": page.paginator.count, "page": page.number},
    )
    context = {
        "rows": page.object_list,
        "page": page,
        "can_retry": has_need(request.user, Need.NURSING_WRITE),
        "max_attempts": settings.REMINDER_MAX_ATTEMPTS,
        "open": not request.htmx or "open" in request.GET,
    }
    template = "reminders/worklist_section.html"
    return render(request, f"{template}#section" if request.htmx else template, context)


@require_POST
@patient_view(Need.NURSING_WRITE)
def retry(request, patient, reminder_id):
    """Try a failed reminder again (after the address or the mail server was fixed)."""
    reminder = get_record_for_user(
        request, Reminder, reminder_id, patient=patient, need=Need.NURSING_WRITE
    )
    try:
        services.retry_now(reminder=reminder, actor=request.actor)
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The reminder will be tried again within a minute.")
    return redirect("aftercare:worklist")
