"""The procedure page: consent, time-out, weight, injection sites under the live dose guard,
pain just before and after, and complications."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taut.accounts.roles import Need
from taut.clinical import consent, dosing, sites
from taut.lib.refusals import Refused, show_on_form
from taut.patients.access import get_record_for_user, patient_view
from taut.visits import dose_queries, queries
from taut.visits import sites as visit_sites
from taut.visits.allergy_queries import allergy_panel
from taut.visits.clearance import exam_support_for
from taut.visits.dose_forms import DoseReductionsForm, OtherAnaestheticForm
from taut.visits.forms import ConsentForm, ImmediateForm, SiteForm, TimeOutForm, WeightForm
from taut.visits.models import InjectionSite, Procedure
from taut.visits.observation import observation_context
from taut.visits.observation_forms import DischargeForm, LastStepsForm, observation_forms
from taut.visits.services import dose as dose_services
from taut.visits.services import observation as watch
from taut.visits.services import procedure as services
from taut.visits.services.allergies import check_site_allergies
from taut.visits.views.common import (
    confirmed,
    get_visit,
    refused,
    resubmitted,
    visit_context,
)

# Each step's form, the service that records it (called with the form's fields), what the
# page says when it is saved, and where on the page it sits.
STEPS: dict[str, tuple[type[forms.Form], Callable[..., Any], str, str]] = {
    "consent": (ConsentForm, services.record_consent, "Consent recorded.", "#consent"),
    "time_out": (TimeOutForm, services.record_time_out, "Time-out done.", "#time-out"),
    "weight": (WeightForm, services.start_procedure, "Weight for dosing recorded.", "#weight"),
    "other_dose": (
        OtherAnaestheticForm,
        dose_services.record_other_anaesthetic,
        "Earlier dose recorded: the dose guard adds it.",
        "#patient-dose",
    ),
    "reductions": (
        DoseReductionsForm,
        dose_services.apply_dose_reductions,
        "Dose reductions saved.",
        "#patient-dose",
    ),
    "immediate": (
        ImmediateForm,
        services.record_immediate,
        "Pain scores and complications saved.",
        "#immediate",
    ),
    "discharge": (DischargeForm, watch.record_discharge, "Discharge recorded.", "#observation"),
    "last_steps": (LastStepsForm, watch.record_last_steps, "LAST steps recorded.", "#last"),
}


def guard_context(visit, *, proposed=None, error=None, today=None):
    """The live dose guard: totals, fraction, remaining volume and the table in force, and
    steroid over 3 months when ``today`` is given."""
    procedure = getattr(visit, "procedure", None)
    if procedure is None:
        return {"guard": None}
    check = queries.dose_check(procedure, extra=proposed)
    steroid = today and dose_queries.guard_steroid(procedure, today=today, proposed=proposed)
    table = visit.patient.clinic.dose_table()
    return {
        "guard": check,
        "guard_totals": [
            {"agent": agent, "mg": mg, "max": check.max_mg_by_agent.get(agent)}
            for agent, mg in sorted(check.total_mg_by_agent.items())
        ],
        "guard_remaining": [
            {"prep": prep, "ml": ml} for prep, ml in sorted(check.remaining_ml.items(), key=str)
        ],
        "guard_percent": round(check.fraction * 100),
        "guard_table": table,
        "guard_default_table": table is dosing.DEFAULT_TABLE,
        "guard_proposed": proposed is not None,
        "guard_error": error,
        "guard_steroid": steroid,
        "guard_steroid_cautions": visit_sites.visit_steroid_cautions(visit, proposed=proposed),
    }


def _fresh_forms(request, visit, *, start: visit_sites.SiteStart) -> dict:
    """Each step's form as the page first shows it; a new site from ``start``."""
    version = {"version": visit.version}
    procedure = getattr(visit, "procedure", None)
    time_out = getattr(visit, "time_out", None)
    immediate = {**version}
    if procedure is not None:
        immediate.update(
            nrs_before=procedure.nrs_before,
            nrs_after=procedure.nrs_after,
            complications=procedure.complications,
            action=procedure.complication_action,
        )
    now = request.actor.now.astimezone(request.actor.zone)
    # "Fill the form" from an exam point: ?muscle=…&side=… (only known values are taken).
    point = {k: request.GET[k] for k in ("muscle", "side") if request.GET.get(k)}
    return {
        # Risks start unticked for everyone: ticking each is the record it was discussed.
        "consent": ConsentForm(
            initial={**version, "consented_at": now.strftime("%Y-%m-%dT%H:%M"), "risks": []}
        ),
        "time_out": TimeOutForm(initial={**version, "items": time_out.items if time_out else []}),
        "weight": WeightForm(initial=version),
        "site": SiteForm(initial={**version, **start.values, **point}),
        "immediate": ImmediateForm(initial=immediate),
        **observation_forms(visit, now=now),
        "other_dose": OtherAnaestheticForm(initial=version),
        "reductions": DoseReductionsForm(
            initial={**version, "factors": procedure.dose_reductions if procedure else []}
        ),
    }


def _page(request, visit, *, bound=None, guard_error=None, status=200, **extra):
    """The procedure page, with the step form that was submitted (``bound``: step name to
    form) shown as it came back."""
    start = visit_sites.site_start(request.user, visit=visit, today=request.actor.today)
    forms = _fresh_forms(request, visit, start=start) | (bound or {})
    procedure = getattr(visit, "procedure", None)
    consent_record = getattr(visit, "consent", None)
    context = {
        **{f"{name}_form": form for name, form in forms.items()},
        "procedure": procedure,
        "consent_record": consent_record,
        "consent_risk_labels": [consent.RISKS[consent.Risk(r)].label for r in consent_record.risks]
        if consent_record
        else [],
        "time_out_record": getattr(visit, "time_out", None),
        "complication_labels": [
            Procedure.Complication(c).label
            for c in (procedure.complications if procedure else [])
            if c in Procedure.Complication.values
        ],
        "sites": queries.site_rows(procedure) if procedure else [],
        "required_risks": consent.required_risks(
            queries.planned_sites(visit), steroid=queries.steroid_planned(visit)
        ),
        "site_defaults_source": sites.NEW_SITE.source,
        "site_start": start,
        "points_to_inject": visit_sites.points_to_inject(visit, start=start),
        "recent_weight": queries.recent_weight(
            visit.patient,
            window_days=visit.patient.clinic.weight_window_days,
            today=request.actor.today,
        ),
        "examined": [(queries.muscle_name(f.muscle), f) for f in visit.findings.all()],
        **guard_context(visit, error=guard_error, today=request.actor.today),
        **observation_context(visit),
        **dose_queries.dose_panel(visit, today=request.actor.today),
        "exam_support": exam_support_for(visit),
        **allergy_panel(visit),
        "examined_advice": visit_sites.examined_advice(visit),
        **extra,
    }
    return render(
        request, "visits/procedure.html", visit_context(request, visit, **context), status=status
    )


def _back(patient, visit, anchor=""):
    response = redirect("visits:procedure", patient_id=patient.public_id, visit_id=visit.public_id)
    response["Location"] += anchor
    return response


@patient_view(Need.CLINICAL_READ)
def procedure(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_READ)
    return _page(request, visit)


def _step(request, patient, visit_id, step: str):
    """Record one step of the procedure (``STEPS``): its form's fields go to its service."""
    form_class, record, done, anchor = STEPS[step]
    visit = get_visit(request, patient, visit_id, need=Need.NURSING_WRITE)
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            record(visit=visit, actor=request.actor, **form.cleaned_data)
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, done)
            return _back(patient, visit, anchor)
    return _page(request, visit, bound={step: form}, status=status)


@require_POST
@patient_view(Need.NURSING_WRITE)
def consent_step(request, patient, visit_id):
    return _step(request, patient, visit_id, "consent")


@require_POST
@patient_view(Need.NURSING_WRITE)
def time_out(request, patient, visit_id):
    return _step(request, patient, visit_id, "time_out")


@require_POST
@patient_view(Need.NURSING_WRITE)
def weight(request, patient, visit_id):
    return _step(request, patient, visit_id, "weight")


@require_POST
@patient_view(Need.NURSING_WRITE)
def immediate(request, patient, visit_id):
    return _step(request, patient, visit_id, "immediate")


@require_POST
@patient_view(Need.NURSING_WRITE)
def discharge(request, patient, visit_id):
    return _step(request, patient, visit_id, "discharge")


@require_POST
@patient_view(Need.NURSING_WRITE)
def last_steps(request, patient, visit_id):
    return _step(request, patient, visit_id, "last_steps")


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def site_add(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_WRITE)
    form = SiteForm(request.POST)
    guard_error, status = None, 400
    if form.is_valid():
        site = form.save(commit=False)
        if site.override_reason.strip() and not confirmed(request):
            return _override_summary(request, visit, form, site)
        try:
            services.add_site(
                visit=visit,
                version=form.cleaned_data["version"],
                site=site,
                actor=request.actor,
            )
        except services.DoseExceeded as error:
            form.add_error("override_reason", str(error))
            guard_error = str(error)
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, "Site recorded.")
            return _back(patient, visit, "#sites")
    return _page(request, visit, bound={"site": form}, guard_error=guard_error, status=status)


def _override_summary(request, visit, form, site):
    """A site with an override reason is not saved on its first post: the page shows what
    it would make of the session (dose and fraction of the maximum, steroid, warnings) and
    the clinician confirms (a second post with ``confirmed=yes``) or changes the site."""
    procedure = getattr(visit, "procedure", None)
    if procedure is None:
        return _page(request, visit, bound={"site": form}, status=400)
    try:
        services.validate_site(site)
    except Refused as error:
        return _page(request, visit, bound={"site": form}, status=show_on_form(form, error))
    site.procedure = procedure
    guard = guard_context(visit, proposed=site, today=request.actor.today)
    summary = {
        "muscle": queries.muscle_name(site.muscle),
        "site": site,
        "percent": guard["guard_percent"],
        "totals": guard["guard_totals"],
        "status": guard["guard"].status,
        "warnings": list(guard["guard"].messages),
        "steroid": guard["guard_steroid"],
        "fields": resubmitted(request),
    }
    return _page(request, visit, bound={"site": form}, override_summary=summary, status=200)


@require_POST
@patient_view(Need.CLINICAL_READ)
def dose_preview(request, patient, visit_id):
    """The dose guard with the site being typed added (htmx, as the form changes)."""
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_READ)
    form = SiteForm(request.POST)
    proposed, error = None, None
    if form.is_valid():
        site = form.save(commit=False)
        try:
            services.validate_site(site)
            check_site_allergies(visit, site)
            proposed = site
        except Refused as problem:
            error = str(problem)
    guard = guard_context(visit, proposed=proposed, today=request.actor.today)
    context = {"visit": visit, "patient": patient, **guard}
    context["guard_error"] = error
    return render(request, "visits/_dose_guard.html", context)


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def site_remove(request, patient, visit_id, site_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_WRITE)
    site = get_record_for_user(
        request, InjectionSite, site_id, patient=patient, need=Need.CLINICAL_WRITE
    )
    if site.procedure.visit_id != visit.pk:
        raise Http404
    try:
        services.remove_site(site=site, version=request.POST.get("version"), actor=request.actor)
    except Refused as error:
        return _page(request, visit, status=refused(request, error))
    return _back(patient, visit, "#sites")
