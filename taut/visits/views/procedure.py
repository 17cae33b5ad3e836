from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from taut.accounts.roles import Need
from taut.clinical import dosing
from taut.patients.access import get_record_for_user, patient_view
from taut.visits import queries
from taut.visits.forms import ConsentForm, ImmediateForm, SiteForm, TimeOutForm, WeightForm
from taut.visits.models import InjectionSite
from taut.visits.services import procedure as services
from taut.visits.services.common import VisitError
from taut.visits.views.common import get_visit, visit_context


def guard_context(visit, *, proposed=None, error=None):
    """The live dose guard: totals, fraction, remaining volume and the table in force."""
    procedure = getattr(visit, "procedure", None)
    if procedure is None:
        return {"guard": None}
    check = services.dose_check(procedure, extra=proposed)
    table = services.dose_table(visit.patient.clinic)
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
    }


def page_context(request, visit, **forms):
    procedure = getattr(visit, "procedure", None)
    version = {"version": visit.version}
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    consent = getattr(visit, "consent", None)
    immediate_initial = {**version}
    if procedure is not None:
        immediate_initial.update(
            nrs_before=procedure.nrs_before,
            nrs_after=procedure.nrs_after,
            complications=procedure.complications,
            action=procedure.complication_action,
        )
    time_out = getattr(visit, "time_out", None)
    context = {
        "procedure": procedure,
        "consent_record": consent,
        "consent_risk_labels": [
            services.consent.RISKS[services.consent.Risk(r)].label for r in consent.risks
        ]
        if consent
        else [],
        "time_out_record": getattr(visit, "time_out", None),
        "sites": queries.site_rows(procedure) if procedure else [],
        "required_risks": services.consent.required_risks(services.planned_sites(visit)),
        "consent_form": forms.get("consent_form")
        or ConsentForm(
            initial={
                **version,
                "consented_at": now,
                "risks": [
                    str(r) for r in services.consent.required_risks(services.planned_sites(visit))
                ],
            }
        ),
        "time_out_form": forms.get("time_out_form")
        or TimeOutForm(initial={**version, "items": time_out.items if time_out else []}),
        "weight_form": forms.get("weight_form") or WeightForm(initial=version),
        "recent_weight": services.recent_weight(
            visit.patient,
            window_days=visit.patient.clinic.weight_window_days,
            today=timezone.localdate(),
        ),
        "site_form": forms.get("site_form")
        or SiteForm(
            initial={
                **version,
                "needle_gauge": 25,
                "needle_length_mm": 25,
                "agent": "lidocaine",
                "percent": "1",
                "volume_ml": "2",
            }
        ),
        "immediate_form": forms.get("immediate_form") or ImmediateForm(initial=immediate_initial),
        "examined": [(queries.muscle_name(f.muscle), f) for f in visit.findings.all()],
    }
    context.update(guard_context(visit, error=forms.get("guard_error")))
    return visit_context(request, visit, **context)


def back(patient, visit, anchor=""):
    response = redirect("visits:procedure", patient_id=patient.public_id, visit_id=visit.public_id)
    response["Location"] += anchor
    return response


@patient_view(Need.CLINICAL_READ)
def procedure(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_READ)
    return render(request, "visits/procedure.html", page_context(request, visit))


def _post(request, patient, visit_id, *, need, form_class, key, action, done, anchor):
    """Validate ``form_class``, call ``action(visit, data)``; re-render with errors."""
    visit = get_visit(request, patient, visit_id, need=need)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(visit, form.cleaned_data)
        except VisitError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return back(patient, visit, anchor)
    context = page_context(request, visit, **{key: form})
    return render(request, "visits/procedure.html", context, status=400)


@require_POST
@patient_view(Need.NURSING_WRITE)
def consent(request, patient, visit_id):
    def action(visit, data):
        services.record_consent(
            visit=visit,
            version=data["version"],
            by=request.user,
            request=request,
            consented_by=data["consented_by"],
            consented_at=data["consented_at"],
            risks=data["risks"],
        )

    return _post(
        request,
        patient,
        visit_id,
        need=Need.NURSING_WRITE,
        form_class=ConsentForm,
        key="consent_form",
        action=action,
        done="Consent recorded.",
        anchor="#consent",
    )


@require_POST
@patient_view(Need.NURSING_WRITE)
def time_out(request, patient, visit_id):
    def action(visit, data):
        services.record_time_out(
            visit=visit,
            version=data["version"],
            items=data["items"],
            by=request.user,
            request=request,
        )

    return _post(
        request,
        patient,
        visit_id,
        need=Need.NURSING_WRITE,
        form_class=TimeOutForm,
        key="time_out_form",
        action=action,
        done="Time-out done.",
        anchor="#time-out",
    )


@require_POST
@patient_view(Need.NURSING_WRITE)
def weight(request, patient, visit_id):
    def action(visit, data):
        services.start_procedure(
            visit=visit,
            version=data["version"],
            by=request.user,
            request=request,
            weight_kg=data.get("weight_kg"),
        )

    return _post(
        request,
        patient,
        visit_id,
        need=Need.NURSING_WRITE,
        form_class=WeightForm,
        key="weight_form",
        action=action,
        done="Weight for dosing recorded.",
        anchor="#weight",
    )


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def site_add(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_WRITE)
    form = SiteForm(request.POST)
    guard_error = None
    if form.is_valid():
        try:
            services.add_site(
                visit=visit,
                version=form.cleaned_data["version"],
                site=form.save(commit=False),
                by=request.user,
                request=request,
            )
        except services.DoseExceeded as error:
            form.add_error("override_reason", str(error))
            guard_error = str(error)
        except VisitError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Site recorded.")
            return back(patient, visit, "#sites")
    context = page_context(request, visit, site_form=form, guard_error=guard_error)
    return render(request, "visits/procedure.html", context, status=400)


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
            proposed = site
        except VisitError as problem:
            error = str(problem)
    context = {"visit": visit, "patient": patient, **guard_context(visit, proposed=proposed)}
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
        services.remove_site(
            site=site, version=request.POST.get("version"), by=request.user, request=request
        )
    except VisitError as error:
        messages.error(request, str(error))
    return back(patient, visit, "#sites")


@require_POST
@patient_view(Need.NURSING_WRITE)
def immediate(request, patient, visit_id):
    def action(visit, data):
        services.record_immediate(
            visit=visit,
            version=data["version"],
            nrs_before=data["nrs_before"],
            nrs_after=data["nrs_after"],
            complications=data["complications"],
            action=data["action"],
            by=request.user,
            request=request,
        )

    return _post(
        request,
        patient,
        visit_id,
        need=Need.NURSING_WRITE,
        form_class=ImmediateForm,
        key="immediate_form",
        action=action,
        done="Pain scores and complications saved.",
        anchor="#immediate",
    )
