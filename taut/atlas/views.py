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
    form = MuscleSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip().lower() if form.is_valid() else ""
    muscles = [
        m
        for m in sorted(atlas.MUSCLES.values(), key=lambda m: m.name)
        if not query or query in m.name.lower() or query in m.id
    ]
    context = {"form": form, "muscles": muscles, "query": query}
    if request.htmx:
        return render(request, "atlas/muscle_list.html#results", context)
    return render(request, "atlas/muscle_list.html", context)


@staff_view(Need.CLINICAL_READ)
def muscle_detail(request, muscle_id):
    muscle = atlas.MUSCLES.get(muscle_id)
    if muscle is None:
        raise Http404("No such muscle in the atlas")
    context = {
        "muscle": muscle,
        "pattern_rows": display.pattern_rows(muscle_id),
        "figures": display.figures(display.pattern_classes(muscle_id)),
        "evidence_text": display.EVIDENCE_TEXT.get(str(muscle.evidence), ""),
        "unverified": str(muscle.evidence) != "seen",
        "atlas_version": atlas.VERSION,
    }
    return render(request, "atlas/muscle_detail.html", context)
