import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from taut.accounts.access import staff_view
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import schedule
from taut.lib.refusals import Refused, show_on_form
from taut.outcomes import chart, queries, services
from taut.outcomes.forms import DecisionForm, FunctionReadingForm
from taut.patients.access import get_record_for_user, patient_view, seen
from taut.patients.printing import stored_pdf_download
from taut.patients.sections import render_section
from taut.visits.models import Visit
from taut.workflows import printing, rendering


def _function_auto_id(visit_id) -> str:
    """Field ids unique to one session's reading form (the card has one per session)."""
    try:
        return f"fn-{uuid.UUID(str(visit_id))}-%s"
    except ValueError:
        return "fn-%s"


def _function_rows(request, sessions, bound=None):
    """Each session with, for clinicians, its reading form and what the form shows (sent
    back to catch a stale form). ``bound`` is a submitted form, shown again on its session;
    the second value is ``bound`` when it names no session here."""
    can_record = has_need(request.user, Need.CLINICAL_WRITE)
    rows, placed = [], False
    for session in sessions:
        seen = form = None
        if can_record:
            visit_id = session.visit.public_id
            seen = {
                "visit": visit_id,
                "previous": session.reading.public_id if session.reading else "",
                "evidence": queries.evidence_fingerprint(session.function),
            }
            if bound is not None and bound.data.get("visit") == str(visit_id):
                form, placed = bound, True
            else:
                form = FunctionReadingForm(initial=seen, auto_id=_function_auto_id(visit_id))
        rows.append({"session": session, "form": form, "seen": seen})
    return rows, (bound if bound is not None and not placed else None)


def _card(request, patient, *, form=None, function_form=None, status=200):
    sessions = queries.sessions_for_patient(patient)
    function_rows, function_orphan = _function_rows(request, sessions, function_form)
    points = queries.series_for_patient(patient, sessions)
    advice = queries.next_step_for(patient, sessions, today=request.actor.today)
    decisions = queries.decisions_for_patient(patient)
    latest = decisions[0] if decisions else None
    can_decide = advice is not None and has_need(request.user, Need.CLINICAL_WRITE)
    # What this rendering shows; sent back with the decision (even after an error, the
    # form carries what the clinician now sees, not what the stale page showed).
    seen = None
    if can_decide and advice is not None:
        seen = {
            "visit": sessions[-1].visit.public_id,
            "advice": queries.advice_fingerprint(advice, sessions),
            "previous": latest.public_id if latest else "",
        }
        form = form or DecisionForm(initial=seen)
    context = {
        "patient": patient,
        "sessions": sessions,
        "chart": chart.draw(points, sessions),
        "advice": advice,
        "advice_label": queries.ACTION_LABELS.get(str(advice.action)) if advice else None,
        "decisions": decisions,
        "latest": latest,
        "latest_follows_last_session": bool(latest and latest.visit_id == sessions[-1].visit.pk),
        "form": form if can_decide else None,
        "seen": seen,
        "function_rows": function_rows,
        "function_orphan": function_orphan,
        "basis": queries.repeat_basis(sessions),
        "responder_percent": f"{schedule.RESPONDER_PERCENT:g}",
    }
    return render_section(
        request,
        title="Outcomes",
        template="outcomes/_chart_section.html",
        context=context,
        status=status,
    )


@patient_view(Need.CLINICAL_READ)
def chart_section(request, patient):
    """Pain and PEG over time with sessions marked, each session's response, the next-step
    advice and the clinician's decisions on it."""
    return _card(request, patient)


@patient_view(Need.CLINICAL_READ)
def summary_pdf(request, patient):
    """The patient's outcomes summary as an A4 PDF, rendered by the worker from today's
    facts (the page says it is being prepared until then); printing it is audited."""
    actor = request.actor
    seen(request, patient, as_type="outcomes_summary")  # the page while it is prepared
    printable = rendering.summary_printable(patient, today=actor.today)
    document = printing.stored_or_queued(printable, now=actor.now)
    return stored_pdf_download(
        request,
        document=document,
        title="The outcomes summary",
        back=reverse("patients:chart", args=[patient.public_id]),
        filename=f"outcomes-{actor.today:%Y-%m-%d}.pdf",
        patient=patient,
        object_type="outcomes_summary",
        object_id=patient.public_id,
    )


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def decide(request, patient):
    """Record the clinician's decision on the advice; the card is shown again."""
    form = DecisionForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        visit = get_record_for_user(
            request, Visit, data["visit"], patient=patient, need=Need.CLINICAL_WRITE
        )
        try:
            services.record_decision(
                patient=patient,
                visit=visit,
                decision=data["decision"],
                note=data["note"],
                review_on=data["review_on"],
                advice_seen=data["advice"],
                decision_seen=data["previous"],
                actor=request.actor,
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            if request.htmx:
                return _card(request, patient)
            messages.success(request, "Decision recorded.")
            return redirect("outcomes:chart_section", patient_id=patient.public_id)
    return _card(request, patient, form=form, status=status)


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def record_function(request, patient):
    """Record the clinician's reading of function after one session; the card is shown
    again."""
    form = FunctionReadingForm(request.POST, auto_id=_function_auto_id(request.POST.get("visit")))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        visit = get_record_for_user(
            request, Visit, data["visit"], patient=patient, need=Need.CLINICAL_WRITE
        )
        try:
            services.record_function_reading(
                visit=visit,
                improved=data["improved"],
                scale=data["scale"],
                scale_name=data["scale_name"],
                note=data["note"],
                seen={"reading": data["previous"] or "", "evidence": data["evidence"]},
                actor=request.actor,
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            if request.htmx:
                return _card(request, patient)
            messages.success(request, "Reading of function recorded.")
            return redirect("outcomes:chart_section", patient_id=patient.public_id)
    return _card(request, patient, function_form=form, status=status)


WORKLIST_PAGE_SIZE = 15


@staff_view(Need.CLINICAL_READ)
def worklist_section(request):
    """The clinic's patients whose next-step decision is due, with the advice, a page at a
    time (the stored due days, read from their index)."""
    page = queries.due_page_for_clinic(
        request.user.clinic,
        today=request.actor.today,
        number=request.GET.get("page"),
        per_page=WORKLIST_PAGE_SIZE,
    )
    record_event(
        actor=request.actor,
        action=Action.VIEW,
        object_type="next_step_worklist",
        details={"patients": page.paginator.count},
    )
    # Open on its own page, or on the worklist when nothing above it waits (``?open=1``).
    context = {
        "rows": page.object_list,
        "page": page,
        "open": not request.htmx or "open" in request.GET,
    }
    template = "outcomes/worklist_section.html"
    return render(request, f"{template}#section" if request.htmx else template, context)
