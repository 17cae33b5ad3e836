"""The public page's and the self-check's clinical content, in the active language, as
templates show it: wording from ``taut.clinical.patient_education`` translated with the
catalogue, the clinic's emergency number filled in. Templates show these values as they are.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from taut.accounts.models import Clinic
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
