"""What the templates show: body-map figures with their shapes annotated, and suggestions.

Templates stay dumb: every label, class name and flag is worked out here.
"""

from dataclasses import dataclass
from functools import cache

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from taut.atlas.bodymap import FIGURES, arrows
from taut.atlas.forms import QUALITIES, place_key
from taut.clinical import atlas
from taut.clinical.body_areas import patient_area_label

FIGURE_TITLES = {
    "front": ("Front", "Patient's right", "Patient's left", "R", "L"),
    "back": ("Back", "Patient's left", "Patient's right", "L", "R"),
}
EVIDENCE_TEXT = {
    "seen": "Pattern confirmed in a cited source",
    "memory": "Unverified: from general knowledge of the Travell & Simons maps, not confirmed "
    "in a retrieved source",
}


def place_label(region_id: str, side: str | None, *, whose: str = "Patient's") -> str:
    """A place's label; ``whose="Your"`` words it for the patient themself (plain words)."""
    label = patient_area_label(region_id) if whose == "Your" else atlas.REGIONS[region_id].label
    return f"{whose} {side}: {label}" if side else label


def shape_id(view: str, region_id: str, side: str | None) -> str:
    """The HTML id of a shape on the interactive map (arrow keys move between these)."""
    return f"bodymap-{view}-{region_id}-{side or 'mid'}"


@dataclass(frozen=True)
class ShapeView:
    key: str
    d: str
    label: str
    classes: str
    marked: bool
    dom_id: str = ""
    entry: bool = False  # the map's one Tab stop until the keyboard moves (roving tabindex)
    up: str = ""  # the dom_id each arrow key moves to ("" at the map's edge)
    down: str = ""
    left: str = ""
    right: str = ""


@dataclass(frozen=True)
class FigureView:
    view: str
    title: str
    viewer_left: str
    viewer_right: str
    short_left: str
    short_right: str
    width: int
    height: int
    outline: str
    shapes: tuple[ShapeView, ...]


def figures(
    classes_by_key: dict[str, str] | None = None, *, whose: str = "Patient's"
) -> list[FigureView]:
    """Both figures, each shape carrying the CSS classes given for its place key."""
    classes_by_key = classes_by_key or {}
    result = []
    for view in ("front", "back"):
        figure = FIGURES[view]
        title, viewer_left, viewer_right, short_left, short_right = FIGURE_TITLES[view]
        viewer_left = viewer_left.replace("Patient's", whose)
        viewer_right = viewer_right.replace("Patient's", whose)
        shapes = []
        for shape in figure.shapes:
            key = place_key(shape.region_id, shape.side)
            classes = classes_by_key.get(key, "")
            place = (view, shape.region_id, shape.side)
            targets = {d: shape_id(*target) for d, target in arrows.MOVES[place].items()}
            shapes.append(
                ShapeView(
                    key,
                    shape.d,
                    place_label(shape.region_id, shape.side, whose=whose),
                    classes,
                    bool(classes),
                    dom_id=shape_id(*place),
                    entry=place == arrows.ENTRY,
                    **targets,
                )
            )
        result.append(
            FigureView(
                view,
                title,
                viewer_left,
                viewer_right,
                short_left,
                short_right,
                figure.width,
                figure.height,
                figure.outline,
                tuple(shapes),
            )
        )
    return result


def heat_classes(marks) -> dict[str, str]:
    """Marked places coloured by intensity (CSS classes i0..i10)."""
    return {place_key(m.region_id, m.side): f"marked i{int(m.intensity)}" for m in marks}


def pattern_classes(muscle_id: str) -> dict[str, str]:
    """A muscle's pattern, both sides: TrP sites, essential zone, spillover zone."""
    found = atlas.pattern(muscle_id)
    classes: dict[str, str] = {}
    for kind, regions in (
        ("secondary", found.secondary),
        ("primary", found.primary),
        ("trp", found.trp),
    ):
        for region_id in regions:
            sides = (None,) if atlas.REGIONS[region_id].midline else ("left", "right")
            for side in sides:
                classes[place_key(region_id, side)] = f"marked {kind}"
    return classes


def pattern_rows(muscle_id: str) -> list[tuple[str, str, list[str]]]:
    """(css class, heading, region labels) for a muscle's TrP sites and referral zones."""
    found = atlas.pattern(muscle_id)
    rows = [
        ("trp", "Trigger points usually lie in", found.trp),
        ("primary", "Essential referral zone (most patients)", found.primary),
        ("secondary", "Spillover zone (some patients)", found.secondary),
    ]
    return [
        (kind, title, [atlas.REGIONS[r].label for r in regions]) for kind, title, regions in rows
    ]


@dataclass(frozen=True)
class SuggestionView:
    muscle: atlas.Muscle
    side: str
    key: str
    score: float
    coverage_percent: int
    essential: tuple[str, ...]
    spillover: tuple[str, ...]
    trigger_points: tuple[str, ...]
    evidence_text: str
    unverified: bool
    chosen: bool


def suggestion_views(suggestions, *, chosen=()) -> list[SuggestionView]:
    chosen = set(chosen)
    views = []
    for s in suggestions:
        muscle = atlas.MUSCLES[s.muscle_id]
        views.append(
            SuggestionView(
                muscle=muscle,
                side=str(s.side),
                key=f"{s.muscle_id}:{s.side}",
                score=s.score,
                coverage_percent=round(s.coverage * 100),
                essential=tuple(place_label(m.region_id, m.side) for m in s.primary_matches),
                spillover=tuple(place_label(m.region_id, m.side) for m in s.secondary_matches),
                trigger_points=tuple(place_label(m.region_id, m.side) for m in s.trp_matches),
                evidence_text=EVIDENCE_TEXT.get(str(muscle.evidence), str(muscle.evidence)),
                unverified=str(muscle.evidence) != "seen",
                chosen=(s.muscle_id, str(s.side)) in chosen,
            )
        )
    return views


def place_rows(marks_by_key: dict, *, whose: str = "Patient's") -> list[dict]:
    """Every markable place grouped by body area, for the list view of the map."""
    groups: dict[str, dict] = {}
    for region_id, side in atlas.places():
        region = atlas.REGIONS[region_id]
        key = place_key(region_id, side)
        mark = marks_by_key.get(key)
        group = groups.setdefault(
            region.group,
            {
                "id": region.group,
                "title": GROUP_TITLES.get(region.group, region.group),
                "places": [],
                "marked": 0,
            },
        )
        group["places"].append(
            {
                "key": key,
                "label": place_label(region_id, side, whose=whose),
                "marked": mark is not None,
                "intensity": int(mark.intensity) if mark else 5,
                "qualities": set(mark.qualities) if mark else set(),
            }
        )
        group["marked"] += mark is not None
    return list(groups.values())


GROUP_TITLES = {
    "head_face": "Head and face",
    "neck": "Neck",
    "shoulder_upper_back": "Shoulders and upper back",
    "upper_limb": "Arms and hands",
    "chest_abdomen": "Chest and abdomen",
    "back_pelvis": "Back and pelvis",
    "hip_thigh": "Hips and thighs",
    "knee_leg": "Knees and lower legs",
    "ankle_foot": "Ankles and feet",
}


SUGGESTION_LIMIT = 12


@cache
def blank_map(whose: str) -> SafeString:
    """The painter's map with nothing marked, rendered once per process for each wording
    (``whose``): it depends only on the body map and the atlas, fixed at import, and is
    most of a new drawing's page (decision 0022)."""
    context = {"figures": figures(whose=whose), "paint": True}
    return SafeString(render_to_string("atlas/_bodymap_figures.html", context))


@cache
def blank_list(whose: str) -> SafeString:
    """The map's list view with nothing marked, rendered once per process for each wording
    (``blank_map``)."""
    context = {"groups": place_rows({}, whose=whose), "qualities": QUALITIES,
               "intensities": range(11)}  # fmt: skip
    return SafeString(render_to_string("atlas/_marks_list.html", context))


def painter_context(form, *, whose: str = "Patient's") -> dict:
    """The map and its list view for a (bound or empty) marks form, without suggestions
    (the patient's own drawing in the portal shows no muscles). With nothing marked, the
    map and the list come already rendered (``blank_map``, ``blank_list``)."""
    if form.is_bound:
        form.is_valid()  # parses what it can, even with errors
    marks = form.marks
    if not marks:
        return {
            "form": form,
            "blank_map": blank_map(whose),
            "blank_list": blank_list(whose),
            "qualities": QUALITIES,
            "marked_count": 0,
        }
    return {
        "form": form,
        "figures": figures(heat_classes(marks), whose=whose),
        "groups": place_rows({m.key: m for m in marks}, whose=whose),
        "qualities": QUALITIES,
        "intensities": range(11),
        "marked_count": len(marks),
    }


def finder_context(form) -> dict:
    """The map, list view and ranked suggestions for a (bound or empty) marks form."""
    context = painter_context(form)
    marks, chosen = form.marks, form.examine
    suggestions = atlas.rank([m.as_rank_mark() for m in marks], limit=SUGGESTION_LIMIT)
    shown = {(s.muscle_id, str(s.side)) for s in suggestions}
    return {
        **context,
        "suggestions": suggestion_views(suggestions, chosen=chosen),
        "chosen_hidden": [f"{m}:{s}" for m, s in chosen if (m, s) not in shown],
        "atlas_version": atlas.VERSION,
    }
