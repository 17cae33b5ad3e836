from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taut.accounts.access import require_need
from taut.accounts.roles import Need
from taut.clinical import atlas
from taut.lib.refusals import Refused, show_on_form
from taut.patients.access import get_record_for_user, patient_view
from taut.visits import sites
from taut.visits.forms import FindingForm
from taut.visits.models import TriggerPointFinding
from taut.visits.services import exam as services
from taut.visits.views.common import get_visit, refused, visit_context

SUGGESTIONS = 8


def suggestions_for(visit):
    """Sites to examine first: those chosen from the finder, then the drawing's ranking
    (muscles, ligaments and tendons, each with its kind)."""
    if visit.drawing is None:
        return []
    examined = {(f.muscle, f.side) for f in visit.findings.all()}
    chosen = [tuple(pair) for pair in visit.drawing.examine_first]
    marks = [(m.region, m.side or None, m.intensity) for m in visit.drawing.marks.all()]
    ranked = [
        (s.muscle_id, "midline" if s.side is None else str(s.side))  # None: a midline ligament
        for s in atlas.rank(marks, limit=SUGGESTIONS)
    ]
    rows = []
    for muscle, side in dict.fromkeys(chosen + ranked):
        muscle_info = atlas.SITES.get(muscle)
        if muscle_info is None:
            continue
        rows.append(
            {
                "muscle": muscle_info,
                "kind": "" if sites.is_muscle(muscle) else sites.kind_label(muscle),
                "side": side,
                "chosen": (muscle, side) in chosen,
                "examined": (muscle, side) in examined,
            }
        )
    return rows


def _page(request, visit, *, form=None, status=200):
    form = form or FindingForm(
        initial={
            "version": visit.version,
            "muscle": request.GET.get("muscle", ""),
            "side": request.GET.get("side", ""),
        }
    )
    findings = [
        {
            "finding": f,
            "muscle": atlas.SITES[f.muscle],
            "kind": "" if f.is_muscle else sites.kind_label(f.muscle),
            "classification": services.classify(f),
        }
        for f in visit.findings.all()
    ]
    context = visit_context(
        request, visit, form=form, findings=findings, suggestions=suggestions_for(visit)
    )
    return render(request, "visits/exam.html", context, status=status)


@patient_view(Need.CLINICAL_READ)
def exam(request, patient, visit_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_READ)
    if request.method != "POST":
        return _page(request, visit)
    require_need(request, Need.CLINICAL_WRITE, object_type="visit", object_id=str(visit_id),
                 patient=patient)  # fmt: skip
    form = FindingForm(request.POST)
    status = 400
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            finding = services.add_finding(
                visit=visit, version=form.cleaned_data["version"], data=data, actor=request.actor
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(
                request,
                f"{sites.site_name(finding.muscle)} ({finding.side}): {finding.kind_label.lower()}.",
            )
            return redirect("visits:exam", patient_id=patient.public_id, visit_id=visit.public_id)
    return _page(request, visit, form=form, status=status)


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def finding_remove(request, patient, visit_id, finding_id):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_WRITE)
    finding = get_record_for_user(
        request, TriggerPointFinding, finding_id, patient=patient, need=Need.CLINICAL_WRITE
    )
    if finding.visit_id != visit.pk:
        raise Http404
    try:
        services.remove_finding(
            finding=finding, version=request.POST.get("version"), actor=request.actor
        )
    except Refused as error:
        return _page(request, visit, status=refused(request, error))
    return redirect("visits:exam", patient_id=patient.public_id, visit_id=visit.public_id)
