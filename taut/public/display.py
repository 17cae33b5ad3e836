"""The public page's and the self-check's clinical content, in the active language, as
templates show it: wording from ``taut.clinical.patient_education`` translated with the
catalogue, the clinic's emergency number filled in. Templates show these values as they are.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from taut.accounts.models import Clinic
from taut.atlas import display as map_display
from taut.atlas.forms import place_key
from taut.clinical import atlas
from taut.clinical import patient_education as education

LANGUAGE_NAMES = dict(settings.LANGUAGES)


@dataclass(frozen=True)
class Shown:
    """A sentence as a patient reads it, with the ids of its sources ("P1, S3")."""

    text: str
    sources: str


def _say(text: str, clinic: Clinic) -> str:
    return gettext(text).replace("{number}", clinic.emergency_number)


def _shown(item: education.Item, clinic: Clinic) -> Shown:
    return Shown(_say(item.text, clinic), ", ".join(item.sources))


def other_language(language: str) -> str:
    return "es" if language == "en" else "en"


def page_links(clinic: Clinic, language: str) -> dict[str, str]:
    """The public pages of ``clinic`` in ``language``, by name."""
    kwargs = {"clinic_slug": clinic.slug, "lang": language}
    return {
        "page": reverse("public:page", kwargs=kwargs),
        "handout": reverse("public:handout", kwargs=kwargs),
        "selfcheck": reverse("public:selfcheck", kwargs=kwargs),
        "request": reverse("public:request", kwargs=kwargs),
    }


def page_context(clinic: Clinic, language: str) -> dict[str, object]:
    """What the page and its handout show: the clinic, the sections, the sources."""
    other = other_language(language)
    sections = [
        {
            "id": section.id,
            "heading": _say(section.heading, clinic),
            "lead": _say(section.lead, clinic) if section.lead else "",
            "items": [_shown(item, clinic) for item in section.items],
            "emergency": section.id == "emergency",
        }
        for section in education.SECTIONS
    ]
    return {
        "clinic": clinic,
        "lang": language,
        "note": clinic.public_note(language),
        "sections": sections,
        "sources": education.SOURCES,
        "version": education.VERSION,
        "links": page_links(clinic, language),
        "other": {
            "lang": other,
            "name": LANGUAGE_NAMES[other],
            "links": page_links(clinic, other),
        },
    }


def choices(options: tuple[education.Choice, ...]) -> list[tuple[str, str]]:
    """A self-check question's choices as a form lists them, in the active language."""
    return [(choice.id, gettext(choice.label)) for choice in options]


def outcome_context(outcome: education.Outcome, clinic: Clinic) -> dict[str, object]:
    """The self-check's outcome as the result page shows it."""
    return {
        "kind": outcome.kind.value,
        "emergency": outcome.emergency,
        "offer_request": outcome.offer_request,
        "heading": _say(outcome.heading, clinic),
        "lines": [_say(line, clinic) for line in outcome.lines],
        "reasons": [
            {
                "text": _say(reason.text, clinic),
                "detail": _say(reason.detail, clinic) if reason.detail else "",
                "sources": ", ".join(reason.sources),
            }
            for reason in outcome.reasons
        ],
        "next_steps": [_shown(step, clinic) for step in outcome.next_steps],
        "not_a_diagnosis": _say(education.NOT_A_DIAGNOSIS, clinic),
        "sources": [s for s in education.SOURCES if s.id in outcome.sources],
        "version": outcome.version,
    }


def _place_groups(marked: set[str]) -> list[dict[str, object]]:
    groups: dict[str, dict] = {}
    for region_id, side in atlas.places():
        key = place_key(region_id, side)
        group = groups.setdefault(
            atlas.REGIONS[region_id].group,
            {"title": map_display.patient_group_title(atlas.REGIONS[region_id].group),
             "places": [], "marked": 0},
        )  # fmt: skip
        label = map_display.place_label(region_id, side, whose="Your")
        group["places"].append({"key": key, "label": label, "marked": key in marked})
        group["marked"] += key in marked
    return list(groups.values())


@cache
def _blank_places(language: str) -> SafeString:
    with translation.override(language):
        context = {"groups": _place_groups(set())}
        return SafeString(render_to_string("public/_map_places.html", context))


def map_context(marked: set[str]) -> dict[str, object]:
    """The self-check's body map (the portal's, in the patient's words and the active
    language) and its list of places, with ``marked`` (place keys) ticked. The map is
    always the blank one, rendered once per process and language
    (``atlas.display.blank_map``): bodymap.js marks the shapes from the ticked list, so an
    anonymous request never renders the figures. The list is rendered once per language
    too, unless places are marked (a re-shown form)."""
    places = (
        render_to_string("public/_map_places.html", {"groups": _place_groups(marked)})
        if marked
        else _blank_places(translation.get_language() or "en")
    )
    return {"blank_map": map_display.blank_map("Your"), "map_places": places,
            "marked_count": len(marked)}  # fmt: skip
