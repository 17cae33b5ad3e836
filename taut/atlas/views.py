from django.http import Http404
from django.shortcuts import render

from taut.accounts.access import staff_view
from taut.accounts.roles import Need
from taut.atlas import display
from taut.atlas.display import finder_context
from taut.atlas.forms import MarksForm, MuscleSearchForm
from taut.clinical import atlas


@staff_view(Need.CLINICAL_READ)
def finder(request):
    """The referred-pain finder on its own: mark regions, see the muscles to examine."""
    form = MarksForm(request.POST if request.method == "POST" else None)
    context = finder_context(form)
    if request.htmx:
        return render(request, "atlas/_suggestions.html", context)
    return render(request, "atlas/finder.html", context)


@staff_view(Need.CLINICAL_READ)
def muscle_list(request):
    """The atlas index: the muscles, then the ligaments and tendons (with their kind)."""
    form = MuscleSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip().lower() if form.is_valid() else ""

    def found(site) -> bool:
        return not query or query in site.name.lower() or query in site.id

    muscles = [m for m in sorted(atlas.MUSCLES.values(), key=lambda m: m.name) if found(m)]
    structures = [
        (s, s.kind.label, display.site_unverified(s))
        for s in sorted(atlas.STRUCTURES.values(), key=lambda s: s.name)
        if found(s) or query in s.kind.label.lower()
    ]
    context = {"form": form, "muscles": muscles, "structures": structures, "query": query}
    if request.htmx:
        return render(request, "atlas/muscle_list.html#results", context)
    return render(request, "atlas/muscle_list.html", context)


@staff_view(Need.CLINICAL_READ)
def muscle_detail(request, muscle_id):
    """A site's page: a muscle, or a ligament or tendon (its location, referral status,
    cautions, steroid caution and sources), with its pattern drawn on the body map."""
    structure = atlas.STRUCTURES.get(muscle_id)
    if structure is not None:
        return render(
            request,
            "atlas/structure_detail.html",
            {
                "structure": structure,
                "kind_label": structure.kind.label,
                "pattern_rows": display.pattern_rows(muscle_id),
                "figures": display.figures(display.pattern_classes(muscle_id)),
                "evidence_text": display.STRUCTURE_EVIDENCE_TEXT[str(structure.evidence)],
                "referral_text": display.REFERRAL_STATUS_TEXT[structure.referral_status],
                "unverified": display.site_unverified(structure),
                "atlas_version": atlas.VERSION,
            },
        )
    muscle = atlas.MUSCLES.get(muscle_id)
    if muscle is None:
        raise Http404("No such site in the atlas")
    context = {
        "muscle": muscle,
        "pattern_rows": display.pattern_rows(muscle_id),
        "figures": display.figures(display.pattern_classes(muscle_id)),
        "evidence_text": display.EVIDENCE_TEXT.get(str(muscle.evidence), ""),
        "unverified": str(muscle.evidence) != "seen",
        "atlas_version": atlas.VERSION,
    }
    return render(request, "atlas/muscle_detail.html", context)
