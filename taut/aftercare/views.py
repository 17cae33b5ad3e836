from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taut.accounts.access import staff_view
from taut.accounts.roles import Need, has_need
from taut.aftercare import queries, services
from taut.aftercare.forms import AcknowledgeForm, CheckInForm
from taut.aftercare.models import Alert, CheckIn
from taut.lib.paging import CappedPaginator
from taut.lib.refusals import Refused, show_on_form
from taut.patients.access import get_record_for_user, patient_view, seen
from taut.patients.models import LANGUAGES
from taut.patients.printing import stored_pdf_download
from taut.patients.sections import card_page, render_section
from taut.visits.models import Visit
from taut.workflows import followup, printing, rendering
from taut.workflows.pages import WORKLIST_SECTIONS

# An emergency sign reported on the phone (taut.clinical.urgency): the caller is told now.
EMERGENCY = (
    "An emergency sign was reported. Tell the patient to call {number} now if the signs are "
    "still there, and not to drive. The alert is on the worklist."
)


@patient_view(Need.CLINICAL_READ)
def chart_section(request, patient):
    """Open alerts (all of them: each needs someone) and the check-ins of the patient's
    sessions, a page of sessions at a time (``?page=``), newest first."""
    page = card_page(request, queries.followed_up_visits(patient))
    context = {
        "patient": patient,
        "sessions": queries.sessions_for_visits(list(page.object_list), today=request.actor.today),
        "page": page,
        "alerts": queries.open_alerts_for_patient(patient),
        "can_record": has_need(request.user, Need.NURSING_WRITE),
    }
    return render_section(
        request, title="Follow-up", template="aftercare/_chart_section.html", context=context
    )


def _instructions_context(request, patient, visit_id) -> dict:
    visit = get_record_for_user(request, Visit, visit_id, patient=patient, need=Need.CLINICAL_READ)
    seen(request, visit, as_type="aftercare_instructions")  # as when it is printed
    handout = queries.handout_for(visit)
    names = dict(LANGUAGES)
    return {
        "patient": patient,
        "visit": visit,
        "clinic": patient.clinic,
        "handout": handout,
        # The PDF the patient takes home is in their language (English or Spanish).
        "printed_in": names[rendering.handout_language(patient)],
        "preferred": names.get(patient.preferred_language, patient.preferred_language),
    }


@patient_view(Need.CLINICAL_READ)
def instructions(request, patient, visit_id):
    """The patient's aftercare handout for one session, as a printable page."""
    context = _instructions_context(request, patient, visit_id)
    return render(request, "aftercare/instructions.html", context)


@patient_view(Need.CLINICAL_READ)
def instructions_pdf(request, patient, visit_id):
    """The handout as a PDF, as the worker rendered it (or the page saying it is being
    prepared)."""
    visit = get_record_for_user(request, Visit, visit_id, patient=patient, need=Need.CLINICAL_READ)
    seen(request, visit, as_type="aftercare_instructions")  # the page while it is prepared
    printable = rendering.handout_printable(visit, patient)
    document = printing.stored_or_queued(printable, now=request.actor.now)
    return stored_pdf_download(
        request,
        document=document,
        title="The aftercare handout",
        back=reverse("aftercare:instructions", args=[patient.public_id, visit.public_id]),
        filename=f"aftercare-{visit.scheduled_for:%Y-%m-%d}.pdf",
        patient=patient,
        object_type="aftercare_instructions",
        object_id=visit.public_id,
    )


@patient_view(Need.NURSING_WRITE)
def checkin(request, patient, checkin_id):
    """Record a check-in taken by phone."""
    record = get_record_for_user(
        request, CheckIn, checkin_id, patient=patient, need=Need.NURSING_WRITE
    )
    asked, facts = queries.questions_for(record)
    form = CheckInForm(request.POST or None, questions=asked, goals=facts.goals)
    status = 200
    if record.completed:
        if request.method == "POST":
            messages.error(request, "This check-in is already completed.")
            return redirect("aftercare:chart_section", patient_id=patient.public_id)
    elif request.method == "POST":
        if form.is_valid():
            try:
                raised = followup.record_checkin(
                    checkin=record, answers=form.answers(), actor=request.actor
                )
            except Refused as error:
                show_on_form(form, error)
            else:
                if any(alert.severity == Alert.Severity.URGENT for alert in raised):
                    messages.error(
                        request, EMERGENCY.format(number=patient.clinic.emergency_number)
                    )
                messages.success(request, f"{record.label} check-in recorded.")
                return redirect("aftercare:chart_section", patient_id=patient.public_id)
        status = 400
    context = {
        "patient": patient,
        "checkin": record,
        "form": form,
        "visit": record.visit,
        "reminder": facts.site_reminder,
    }
    return render(request, "aftercare/checkin.html", context, status=status)


# Rows per page in a worklist section: a screenful a clinician scans.
WORKLIST_PAGE_SIZE = 15


def _worklist(request, *, forms=None, status=200):
    """Sections by urgency (open alerts, overdue, due check-ins, then the later apps'
    cards), each folded to its count; the first with anything in it is open, as is one
    being paged (``?alerts=2``, ``?overdue=2``, ``?due=2``)."""
    clinic = request.user.clinic
    today = request.actor.today
    forms = forms or {}
    alert_page = CappedPaginator(
        queries.open_alerts_page_for_clinic(clinic), WORKLIST_PAGE_SIZE
    ).get_page(request.GET.get("alerts"))
    alerts = [
        (alert, forms.get(alert.pk) or AcknowledgeForm(prefix=str(alert.public_id)))
        for alert in alert_page
    ]
    chase = {
        name: CappedPaginator(rows, WORKLIST_PAGE_SIZE).get_page(request.GET.get(name))
        for name, rows in queries.checkins_to_chase_by_status(clinic, today=today).items()
    }
    counts = [("alerts", alert_page.paginator.count)] + [
        (name, page.paginator.count) for name, page in chase.items()
    ]
    paged = next((name for name, _ in counts if name in request.GET), None)
    urgent = paged or next((name for name, count in counts if count), None)
    sections = [
        {"title": title, "url": reverse(name) + ("" if urgent or i else "?open=1")}
        for i, (title, name) in enumerate(WORKLIST_SECTIONS)
    ]
    context = {
        "alerts": alerts,
        "alert_page": alert_page,
        "chase": chase,
        "open_section": urgent,
        "today": today,
        "can_act": has_need(request.user, Need.NURSING_WRITE),
        "sections": sections,
    }
    return render(request, "aftercare/worklist.html", context, status=status)


@staff_view(Need.CLINICAL_READ)
def worklist(request):
    """Open alerts (urgent first), then the clinic's overdue and due check-ins."""
    return _worklist(request)


@require_POST
@patient_view(Need.NURSING_WRITE)
def acknowledge(request, patient, alert_id):
    alert = get_record_for_user(request, Alert, alert_id, patient=patient, need=Need.NURSING_WRITE)
    form = AcknowledgeForm(request.POST, prefix=str(alert.public_id))
    if form.is_valid():
        try:
            services.acknowledge_alert(
                alert=alert, note=form.cleaned_data["note"], actor=request.actor
            )
        except Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Alert acknowledged.")
        return redirect("aftercare:worklist")
    return _worklist(request, forms={alert.pk: form}, status=400)
