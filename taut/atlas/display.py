"""What the templates show: body-map figures with their shapes annotated, and suggestions.

Templates stay dumb: every label, class name and flag is worked out here.

Two wordings: staff read the atlas's clinical names in English (``whose="Patient's"``, the
default); a patient (``whose="Your"``) reads plain words (``taut.clinical.body_areas``) in
the active language (the portal's gate activates it): region names, groups, sides, figure
titles and the pain qualities all go through ``gettext`` on the patient's path only, so
staff output never changes.
"""

from dataclasses import dataclass
from functools import cache

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext

from taut.atlas.bodymap import FIGURES, arrows
from taut.atlas.forms import QUALITIES, place_key
from taut.clinical import atlas
from taut.clinical.body_areas import patient_area_label
from taut.clinical.wording import gettext_noop

FIGURE_TITLES = {
    "front": ("Front", "Patient's right", "Patient's left", "R", "L"),
    "back": ("Back", "Patient's left", "Patient's right", "L", "R"),
}
EVIDENCE_TEXT = {
    "seen": "Pattern confirmed in a cited source",
    "memory": "Unverified: from general knowledge of the Travell & Simons maps, not confirmed "
    "in a retrieved source",
}
# A ligament or tendon: how far its referral pattern is verified (Structure.referral_status).
REFERRAL_STATUS_TEXT = {
    "secondary": "Referral pattern as stated by the cited secondary sources (Hackett's "
    "ligament patterns, 1958, or a study of the site); not checked against Hackett's book",
    "unverified": "Unverified referral pattern: from general knowledge of Hackett's ligament "
    "patterns, not stated in a retrieved source",
    "none": "No referral pattern recorded (none published, or none stated in a retrieved "
    "source): the map shows where the structure lies and hurts",
}
STRUCTURE_EVIDENCE_TEXT = {
    "seen": "Anatomy and cautions confirmed in the cited sources (cautions marked “from "
    "memory” excepted)",
    "memory": "Unverified: anatomy and cautions from general knowledge, not confirmed in a "
    "retrieved source",
}


def side_text(side) -> str:
    """A suggestion's side as the pages and forms write it: "left", "right" or "midline"."""
    return "midline" if side is None else str(side)


def site_unverified(site) -> bool:
    """Whether the pages must say "unverified" for an atlas site (muscle or structure)."""
    if isinstance(site, atlas.Structure):
        return site.evidence != "seen" or site.referral_status == "unverified"
    return str(site.evidence) != "seen"


def site_evidence_text(site) -> str:
    if isinstance(site, atlas.Structure):
        return (
            f"{STRUCTURE_EVIDENCE_TEXT[str(site.evidence)]}. "
            f"{REFERRAL_STATUS_TEXT[site.referral_status]}."
        )
    return EVIDENCE_TEXT.get(str(site.evidence), str(site.evidence))


# The patient's side of a place ("Your left: Top of the shoulder").
PATIENT_SIDED = {
    "left": gettext_noop("Your left: %(place)s"),
    "right": gettext_noop("Your right: %(place)s"),
}


def patient_figure_titles(view: str) -> tuple[str, str, str]:
    """A figure's title and the sides on the viewer's left and right, for the patient in
    the active language."""
    if view == "front":
        return pgettext("body map figure", "Front"), gettext("Your right"), gettext("Your left")
    return pgettext("body map figure", "Back"), gettext("Your left"), gettext("Your right")


def patient_place(region_id: str) -> str:
    """A region in the patient's plain words, in the active language."""
    return gettext(patient_area_label(region_id))


def patient_group_title(group: str) -> str:
    """A group of regions ("Arms and hands") for the patient, in the active language."""
    return gettext(GROUP_TITLES.get(group, group))


def patient_qualities() -> list[tuple[str, str]]:
    """The pain qualities (value, label) for the patient, in the active language."""
    return [(value, gettext(label)) for value, label in QUALITIES]


def place_label(region_id: str, side: str | None, *, whose: str = "Patient's") -> str:
    """A place's label; ``whose="Your"`` words it for the patient themself (plain words,
    in the active language)."""
    if whose == "Your":
        label = patient_place(region_id)
        return gettext(PATIENT_SIDED[side]) % {"place": label} if side else label
    label = atlas.REGIONS[region_id].label
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
        if whose == "Your":
            title, viewer_left, viewer_right = patient_figure_titles(view)
        else:
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
    """A site's pattern, both sides: TrP sites (a structure: where it lies), essential zone,
    spillover zone."""
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
    if muscle_id in atlas.STRUCTURES:
        rows = [
            ("trp", "Lies in (local tenderness)", found.trp),
            ("primary", "Referral zone", found.primary),
            ("secondary", "Further referral (more severe cases)", found.secondary),
        ]
    else:
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
    muscle: atlas.Muscle | atlas.Structure  # the site (a ligament or tendon: a Structure)
    side: str  # "left", "right" or "midline"
    kind_label: str  # "Muscle", "Ligament", "Tendon origin", ...
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
        muscle = atlas.SITES[s.muscle_id]
        side = side_text(s.side)
        views.append(
            SuggestionView(
                muscle=muscle,
                side=side,
                kind_label=atlas.kind_of(s.muscle_id).label,
                key=f"{s.muscle_id}:{side}",
                score=s.score,
                coverage_percent=round(s.coverage * 100),
                essential=tuple(place_label(m.region_id, m.side) for m in s.primary_matches),
                spillover=tuple(place_label(m.region_id, m.side) for m in s.secondary_matches),
                trigger_points=tuple(place_label(m.region_id, m.side) for m in s.trp_matches),
                evidence_text=site_evidence_text(muscle),
                unverified=site_unverified(muscle),
                chosen=(s.muscle_id, side) in chosen,
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
                "title": (
                    patient_group_title(region.group)
                    if whose == "Your"
                    else GROUP_TITLES.get(region.group, region.group)
                ),
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
    "head_face": gettext_noop("Head and face"),
    "neck": gettext_noop("Neck"),
    "shoulder_upper_back": gettext_noop("Shoulders and upper back"),
    "upper_limb": gettext_noop("Arms and hands"),
    "chest_abdomen": gettext_noop("Chest and abdomen"),
    "back_pelvis": gettext_noop("Back and pelvis"),
    "hip_thigh": gettext_noop("Hips and thighs"),
    "knee_leg": gettext_noop("Knees and lower legs"),
    "ankle_foot": gettext_noop("Ankles and feet"),
}


SUGGESTION_LIMIT = 12


def qualities_for(whose: str) -> list[tuple[str, str]] | tuple[tuple[str, str], ...]:
    return patient_qualities() if whose == "Your" else QUALITIES


@cache
def _blank_map(whose: str, language: str) -> SafeString:
    with translation.override(language):
        context = {"figures": figures(whose=whose), "paint": True}
        return SafeString(render_to_string("atlas/_bodymap_figures.html", context))


@cache
def _blank_list(whose: str, language: str) -> SafeString:
    with translation.override(language):
        context = {"groups": place_rows({}, whose=whose), "qualities": qualities_for(whose),
                   "intensities": range(11)}  # fmt: skip
        return SafeString(render_to_string("atlas/_marks_list.html", context))


def blank_map(whose: str) -> SafeString:
    """The painter's map with nothing marked, rendered once per process for each wording
    (``whose``) and language: it depends only on the body map and the atlas, fixed at
    import, and is most of a new drawing's page (decision 0022)."""
    return _blank_map(whose, translation.get_language() or "en")


def blank_list(whose: str) -> SafeString:
    """The map's list view with nothing marked, rendered once per process for each wording
    and language (``blank_map``)."""
    return _blank_list(whose, translation.get_language() or "en")


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
            "qualities": qualities_for(whose),
            "marked_count": 0,
        }
    return {
        "form": form,
        "figures": figures(heat_classes(marks), whose=whose),
        "groups": place_rows({m.key: m for m in marks}, whose=whose),
        "qualities": qualities_for(whose),
        "intensities": range(11),
        "marked_count": len(marks),
    }


def finder_context(form) -> dict:
    """The map, list view and ranked suggestions for a (bound or empty) marks form."""
    context = painter_context(form)
    marks, chosen = form.marks, form.examine
    suggestions = atlas.rank([m.as_rank_mark() for m in marks], limit=SUGGESTION_LIMIT)
    shown = {(s.muscle_id, side_text(s.side)) for s in suggestions}
    return {
        **context,
        "suggestions": suggestion_views(suggestions, chosen=chosen),
        "chosen_hidden": [f"{m}:{s}" for m, s in chosen if (m, s) not in shown],
        "atlas_version": atlas.VERSION,
    }
