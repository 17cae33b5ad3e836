"""The clinic analytics pages: the overview of every figure, and the sessions behind one."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from taut.accounts.access import staff_view
from taut.accounts.roles import Need
from taut.analytics import charts, pages
from taut.analytics import report as reports
from taut.analytics.forms import AnalyticsFilterForm
from taut.analytics.queries import SessionsBehind, sessions_behind
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.patients.access import patients_for_user

SESSIONS_PER_PAGE = 50


@staff_view(Need.READ_ANALYTICS)
def overview(request):
    clinic = request.user.clinic
    return _overview(request, AnalyticsFilterForm(request.GET or None, today=clinic.today()))


def _overview(request, form: AnalyticsFilterForm):
    """The page of every figure; 400 with the form's errors when its filters are refused
    (the figures then count the default filters)."""
    clinic = request.user.clinic
    figures = pages.figures(clinic, form, today=clinic.today())
    form.fields["only"].widget.choices = pages.only_choices(figures)
    record_event(
        actor=request.actor,
        action=Action.VIEW,
        object_type="clinic_analytics",
        details=figures.filters.as_query(),
    )
    context = {
        "form": form,
        "figures": figures,
        "forest_svg": charts.forest(figures.forest),
        "curves_svg": charts.curves(figures.curves),
        "goals_svg": charts.goals(figures.goals),
        "report_query": pages.report_query(figures),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "analytics/overview.html", context, status=status)


@staff_view(Need.READ_ANALYTICS)
def sessions(request):
    """The sessions a figure counts, each linked to its chart: patient data, so only for
    staff who may read charts, read through the patient gate, and audited."""
    clinic = request.user.clinic
    today = clinic.today()
    form = AnalyticsFilterForm(request.GET or None, today=today)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "page": [], "behind": SessionsBehind(filters=form.filters())}
        return render(request, "analytics/sessions.html", context, status=400)
    behind = SessionsBehind(
        filters=form.filters(),
        window=request.GET.get("window", "") if request.GET.get("window") in ("2w", "6w") else "",
        responded={"yes": True, "no": False}.get(request.GET.get("responded", "")),
        threshold=30 if request.GET.get("threshold") == "30" else 50,
        also=pages.group_asked(request.GET.get("also", "")),
        which=request.GET.get("which", ""),
        alert=request.GET.get("alert", "")[:30],
    )
    allowed = patients_for_user(request.user, need=Need.CLINICAL_READ)
    rows = sessions_behind(clinic, behind, today=today).filter(patient__in=allowed)
    page = Paginator(rows, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    record_event(
        actor=request.actor,
        action=Action.VIEW,
        object_type="clinic_analytics_sessions",
        details={**behind.filters.as_query(), "patients_named": len({r.patient_id for r in page})},
    )
    return render(
        request,
        "analytics/sessions.html",
        {"form": form, "page": page, "behind": behind, "query": pages.query_without_page(request)},
    )


@staff_view(Need.READ_ANALYTICS)
def report(request):
    """The page as a PDF: the stored report of these filters and today's facts, or the
    "Preparing the report…" page while the worker renders it."""
    clinic = request.user.clinic
    form = AnalyticsFilterForm(request.GET or None, today=clinic.today())
    if form.is_bound and not form.is_valid():
        return _overview(request, form)  # nothing queued for filters that were not asked for
    params = form.filters().as_query() | {
        name: form.choice(name) for name in ("window", "threshold", "sort", "curves")
    }
    document = reports.stored_or_queued(
        clinic, params, user=request.user, today=clinic.today(), now=request.actor.now
    )
    page = "analytics/preparing_report.html"
    context = {
        "again": request.get_full_path(),
        "back": f"{reverse('analytics:overview')}?{form.filters().query_string}",
        "refresh": 2,
    }
    if document is None:
        return render(request, f"{page}#status" if request.htmx else page, context)
    if request.htmx:
        return render(request, f"{page}#ready", context)
    record_event(
        actor=request.actor,
        action=Action.PRINT,
        object_type="clinic_analytics_report",
        details=params,
    )
    response = HttpResponse(document, content_type="application/pdf")
    name = f"taut-analytics-{params['start']}-to-{params['end']}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
