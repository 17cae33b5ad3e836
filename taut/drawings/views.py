from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from taut.accounts.roles import Need, has_need
from taut.atlas import display
from taut.atlas.forms import MarksForm
from taut.clinical import atlas
from taut.drawings import queries, services
from taut.drawings.models import PainDrawing
from taut.patients.access import get_record_for_user, patient_view
from taut.patients.sections import card_page, render_section


@patient_view(Need.CLINICAL_READ)
def chart_section(request, patient):
    """The chart's pain-drawing card: the latest drawing as a heat map, and the history a
    page at a time (``?page=``), newest first."""
    page = card_page(request, queries.drawings_for_patient(patient))
    drawings = list(page.object_list)
    if page.number == 1:
        latest = drawings[0] if drawings else None
    else:
        latest = queries.drawings_for_patient(patient).first()
    context = {
        "patient": patient,
        "drawings": drawings,
        "page": page,
        "latest": latest,
        "figures": display.figures(display.heat_classes(queries.marks_of(latest)))
        if latest
        else None,
        "can_record": has_need(request.user, Need.NURSING_WRITE),
    }
    return render_section(
        request, title="Pain drawings", template="drawings/_chart_section.html", context=context
    )


@patient_view(Need.NURSING_WRITE)
def drawing_new(request, patient):
    form = MarksForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            drawing = services.record_drawing(
                patient=patient,
                marks=form.cleaned_data["marks"],
                no_pain=form.cleaned_data["no_pain"],
                examine=form.cleaned_data["examine"],
                actor=request.actor,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Pain drawing saved.")
            target = request.POST.get("next", "")
            if url_has_allowed_host_and_scheme(target, {request.get_host()}):
                return redirect(target)
            return redirect(
                "drawings:detail", patient_id=patient.public_id, drawing_id=drawing.public_id
            )
    context = {
        "patient": patient,
        "next": request.GET.get("next", request.POST.get("next", "")),
        **display.finder_context(form),
    }
    return render(request, "drawings/new.html", context)


@patient_view(Need.CLINICAL_READ)
def drawing_detail(request, patient, drawing_id):
    drawing = get_record_for_user(
        request, PainDrawing, drawing_id, patient=patient, need=Need.CLINICAL_READ
    )
    marks = queries.marks_of(drawing)
    context = {
        "patient": patient,
        "drawing": drawing,
        "marks": [(display.place_label(m.region_id, m.side), m) for m in marks],
        "figures": display.figures(display.heat_classes(marks)),
        "suggestions": display.suggestion_views(
            atlas.rank([m.as_rank_mark() for m in marks], limit=8),
            chosen=[tuple(pair) for pair in drawing.examine_first],
        ),
        "examine_first": [
            (atlas.SITES[m].name, side) for m, side in drawing.examine_first if m in atlas.SITES
        ],
    }
    return render(request, "drawings/detail.html", context)


# Drawings to choose from when comparing: the newest, as a clinician compares recent ones.
COMPARE_CHOICES = 50


@patient_view(Need.CLINICAL_READ)
def drawing_compare(request, patient):
    """Two drawings side by side: the latest two, or two chosen from the newest
    COMPARE_CHOICES."""
    drawings = list(queries.drawings_for_patient(patient)[:COMPARE_CHOICES])
    by_id = {str(d.public_id): d for d in drawings}
    before = by_id.get(request.GET.get("before", "")) or (
        drawings[1] if len(drawings) > 1 else None
    )
    after = by_id.get(request.GET.get("after", "")) or (drawings[0] if drawings else None)
    context = {"patient": patient, "drawings": drawings, "before": before, "after": after}
    if before and after:
        marks_before, marks_after = queries.marks_of(before), queries.marks_of(after)
        comparison = atlas.compare(
            [m.as_rank_mark() for m in marks_before], [m.as_rank_mark() for m in marks_after]
        )
        context.update(
            comparison=comparison,
            jaccard_percent=None if comparison.jaccard is None else round(comparison.jaccard * 100),
            added=[display.place_label(m.region_id, m.side) for m in comparison.added],
            resolved=[display.place_label(m.region_id, m.side) for m in comparison.resolved],
            figures_before=display.figures(display.heat_classes(marks_before)),
            figures_after=display.figures(display.heat_classes(marks_after)),
        )
    return render(request, "drawings/compare.html", context)
