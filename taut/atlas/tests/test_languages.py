"""The body map in the patient's language, and in English for staff.

A patient's map (``whose="Your"``) names places, groups, sides and pain qualities in the
active language; the staff map keeps the atlas's clinical names in English whatever a
patient's page rendered before it (the blank map is cached per wording and language).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from taut.atlas import display
from taut.atlas.forms import QUALITIES
from taut.clinical import atlas
from taut.clinical.body_areas import PATIENT_AREA_LABELS
from taut.portal.tests.test_intake_spanish import catalogue

STATIC = Path(settings.BASE_DIR) / "taut" / "static" / "taut"
FINDER = "/atlas/"
# The scripts' string literals (either quote), and those that are code: selectors,
# class lists, identifiers, placeholders.
LITERAL = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'(?:[^'\\\n]|\\.)*'""")
CODE = re.compile(r"[\[\]#=.()]|^[a-z0-9_:-]*$|^[a-z][a-z0-9-]*( [a-z0-9-]+)+$|^\{\w+\}$")
KEYS = {"Enter", "+", " "}  # key names the scripts compare with


def test_a_patient_reads_every_place_group_and_quality_in_spanish():
    with translation.override("es"):
        groups = display.place_rows({}, whose="Your")
        qualities = display.patient_qualities()
        front, back = display.figures(whose="Your")
    assert [g["title"] for g in groups][:2] == ["Cabeza y cara", "Cuello"]
    labels = [place["label"] for group in groups for place in group["places"]]
    assert "Su lado izquierdo: Parte de arriba del hombro" in labels
    assert "Parte de arriba del hombro" not in [p for p in labels if p.startswith("Su lado")]
    assert dict(qualities)["tingling"] == "Hormigueo"
    assert (front.title, front.viewer_left, back.title) == (
        "De frente",
        "Su lado derecho",
        "De espalda",
    )
    english = set(PATIENT_AREA_LABELS.values())
    assert [label for label in labels if label.split(": ")[-1] in english] == []


@pytest.mark.parametrize("value,label", QUALITIES)
def test_every_pain_quality_has_spanish(value, label):
    assert catalogue().get(label) not in (None, "", label)


@pytest.mark.parametrize("group", sorted({r.group for r in atlas.REGIONS.values()}))
def test_every_group_of_places_has_spanish(group):
    title = display.GROUP_TITLES[group]
    assert catalogue().get(title) not in (None, "", title)


def test_staff_names_stay_english_and_clinical_even_in_spanish():
    """Staff wording never goes through the catalogue: the atlas's own labels."""
    with translation.override("es"):
        label = display.place_label("neck_posterior_upper", "left")
        front = display.figures()[0]
        rows = display.place_rows({})
    assert label == f"Patient's left: {atlas.REGIONS['neck_posterior_upper'].label}"
    assert (front.title, front.viewer_left) == ("Front", "Patient's right")
    assert rows[0]["title"] == "Head and face"


def test_the_staff_map_is_english_after_a_patient_map_in_spanish(client, cast, signed_in):
    with translation.override("es"):
        spanish = display.blank_map("Your")
        display.blank_map("Patient's")  # a staff map cached while Spanish was active
    signed_in(cast.clinician)
    body = client.get(FINDER).content.decode()
    assert "Parte de arriba del hombro" in spanish
    assert "Patient&#x27;s left" in body
    assert atlas.REGIONS["shoulder_top"].label.split(" (")[0] in body
    for spanish_word in ("Su lado", "Parte de arriba", "De frente", "Teclado", "Hormigueo"):
        assert spanish_word not in body


@pytest.mark.parametrize("script", ["bodymap.js", "portal-intake.js"])
def test_every_word_the_scripts_show_comes_from_the_page_with_spanish(script):
    """The scripts' words are read from data attributes the templates translate; each
    English fallback in the script is a catalogue entry with its Spanish."""
    source = (STATIC / script).read_text()
    source = re.sub(r"//.*", "", source)  # comments
    words = [w for w in LITERAL.findall(source) if w not in KEYS and not CODE.search(w)]
    assert words  # the check finds the fallbacks
    untranslated = [w for w in words if catalogue().get(w) in (None, "", w)]
    assert untranslated == []
