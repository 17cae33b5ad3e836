"""The pre-visit intake, its pain drawing and its thank-you page in Spanish, for a patient
whose registry record prefers Spanish (``taut.portal.languages``).

``english_left`` reads the page as a patient does (its text, and the words a screen reader
or the page's script uses: aria-label, title, data-step-*, data-pain-words) and finds every
English source sentence still in it: the catalogue's msgids and the clinical wording the
intake shows (``taut.clinical``: the questions, the body map's places). A sentence whose
Spanish is the same word ("No") cannot be told apart and is not looked for.
"""

import re
from datetime import timedelta
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
import textstat
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from taut import links
from taut.atlas.display import GROUP_TITLES, patient_place, place_label
from taut.atlas.forms import QUALITIES
from taut.clinical import atlas, screening
from taut.clinical import intake as questions
from taut.clinical.body_areas import PATIENT_AREA_LABELS
from taut.patients.models import Patient
from taut.portal.tests.test_intake import answers, drawing
from taut.visits.tests import flow

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
SPOKEN = ("aria-label", "title", "placeholder", "alt", "data-step-back", "data-step-next",
          "data-step-last", "data-step-of", "data-pain-words")  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|<[^>]+>")


class _Visible(HTMLParser):
    """The text a patient sees or hears, one chunk per text node or spoken attribute."""

    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if name in SPOKEN and value:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(body: str) -> str:
    parser = _Visible()
    parser.feed(body)
    return "\n".join(parser.chunks)


def _unquote(line: str) -> str:
    return line[line.index('"') + 1 : line.rindex('"')].replace('\\"', '"').replace("\\n", "\n")


@cache
def catalogue() -> dict[str, str]:
    """The Spanish catalogue: msgid to msgstr (multi-line strings joined; the first form of
    a plural)."""
    entries: dict[str, str] = {}
    key, parts, current = None, {"msgid": [], "msgstr": []}, None
    for line in [*CATALOGUE.read_text().splitlines(), ""]:
        word = line.split(" ", 1)[0]
        if word in ("msgid", "msgstr", "msgstr[0]"):
            if word == "msgid":
                parts = {"msgid": [], "msgstr": []}
            current = "msgid" if word == "msgid" else "msgstr"
            parts[current].append(_unquote(line))
        elif line.startswith('"') and current:
            parts[current].append(_unquote(line))
        else:
            current = None
            key = "".join(parts["msgid"])
            if key:
                entries[key] = "".join(parts["msgstr"])
    return entries


def catalogue_msgids() -> frozenset[str]:
    return frozenset(catalogue())


def clinical_wording() -> set[str]:
    """The clinical wording the intake shows, in English (``taut.clinical``)."""
    shown = {*PATIENT_AREA_LABELS.values(), *GROUP_TITLES.values()}
    shown |= {label for _, label in QUALITIES}
    for q in (*questions.PAIN_ITEMS, *questions.PEG_ITEMS):
        shown |= {q.prompt, q.low, q.high}
    for q in (*screening.PATIENT_SAFETY_QUESTIONS, screening.PATIENT_ALLERGY_QUESTION):
        shown |= {q.text, q.help}
    for group in screening.PATIENT_RED_FLAG_SETS.values():
        shown |= {q.patient_text for q in group}
    return {text for text in shown if text}


def english_sources() -> set[str]:
    return set(catalogue_msgids()) | clinical_wording()


def _fragments(source: str) -> list[str]:
    """The fixed words of a source: the whole of it, or with placeholders, each piece of
    three words or more between them."""
    if not PLACEHOLDER.search(source):
        return [source]
    pieces = (p.strip(" .,:;“”") for p in PLACEHOLDER.split(source))
    return [p for p in pieces if len(p.split()) >= 3]


@cache
def _looked_for() -> tuple[tuple[str, tuple[tuple[str, re.Pattern[str]], ...]], ...]:
    """Each English source longest first, with its fragments' patterns, compiled once for
    the module (thousands of them: more than ``re`` keeps compiled), except those whose
    Spanish is the same ("No")."""
    return tuple(
        (
            source,
            tuple((f, re.compile(rf"(?<!\w){re.escape(f)}(?!\w)")) for f in _fragments(source)),
        )
        for source in sorted(english_sources(), key=len, reverse=True)
        if catalogue().get(source) != source
    )


def english_left(body: str, *, ignore=frozenset()) -> list[str]:
    """Every English source still on the page (as whole words, case-sensitive), except
    those whose Spanish is the same and those in ``ignore``. An msgid with no Spanish yet
    is looked for like any other."""
    text = visible_text(body)
    left = []
    # Longest first, each found sentence taken out of the text, so a short msgid ("of")
    # is not reported again inside a longer English sentence already found.
    for source, fragments in _looked_for():
        if source in ignore:
            continue
        for fragment, found in fragments:
            # Only where the words are in the text can they be there as whole words.
            if fragment in text and found.search(text):
                left.append(fragment)
                text = found.sub(" ", text)
    return sorted(set(left))


@pytest.fixture
def visit(cast):
    Patient.objects.filter(pk=cast.patient.pk).update(preferred_language="es")
    return flow.scheduled(cast.patient, cast.front_desk, when=timezone.now() + timedelta(days=3))


def url(visit):
    return reverse("portal:intake", kwargs={"token": links.intake_token(visit)})


def test_the_helper_finds_english_on_an_english_page(client, cast):
    """The check can fail: the same intake in English is full of English sources."""
    visit = flow.scheduled(cast.patient, cast.front_desk, when=timezone.now() + timedelta(days=3))
    found = english_left(client.get(url(visit)).content.decode())
    assert "Where is your main pain?" in found
    assert "Back of the neck, just under the skull" in found
    assert "Send my answers" not in found  # on the next step only


def test_it_asks_every_question_of_the_intake_in_spanish(client, visit):
    response = client.get(url(visit))
    body = response.content.decode()
    assert response["Content-Language"] == "es"
    assert '<html lang="es">' in body
    assert "¿Dónde está su dolor principal?" in body
    assert "Nuca, justo debajo del cráneo" in body  # a region in the list of places
    assert "¿Qué tan fuerte es su dolor ahora mismo?" in body
    assert 'data-step-of="Paso {number} de {total}"' in body
    assert re.search(r"Su visita es el <strong>\w+ \d+ de \w+ a las \d\d:\d\d</strong>", body)
    assert english_left(body) == []


def test_it_shows_the_form_errors_in_spanish(client, visit):
    response = client.post(url(visit), answers(reason="", nrs_worst="2", previous_tpi="maybe"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Revise sus respuestas" in body
    assert "Díganos por qué viene, por favor." in body
    assert "Su peor dolor no puede ser más bajo" in body
    assert "Elija Sí, No o No sé, por favor." in body
    assert english_left(body) == []


def test_it_shows_a_number_out_of_range_in_spanish(client, visit):
    body = client.post(url(visit), answers(pain_months="2000")).content.decode()
    assert "Escriba un número entero del 0 al 1200, por favor." in body


def test_the_body_map_step_is_in_spanish(client, visit):
    response = client.post(url(visit), answers())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Muestre dónde le duele" in body
    assert 'data-pain-words=", dolor {number} de 10"' in body
    assert 'aria-label="Su lado izquierdo: Parte de arriba del hombro"' in body
    assert "No me duele en ninguna parte" in body
    assert english_left(body) == []


def test_the_body_map_step_with_places_marked_is_in_spanish(client, visit):
    """Marked places render the map afresh (not the cached blank one)."""
    data = {**answers(), **drawing(), "step": ""}
    body = client.post(url(visit), data).content.decode()
    assert 'aria-checked="true"' in body
    assert "1 marcado" in body
    assert english_left(body) == []


def test_the_drawing_error_is_in_spanish(client, visit):
    body = client.post(url(visit), {**answers(), "step": "drawing"}).content.decode()
    assert "Muestre en el cuerpo dónde le duele" in body
    assert english_left(body) == []


def test_the_thank_you_page_says_what_happens_next_in_spanish(client, visit):
    response = client.post(url(visit), {**answers(), **drawing()})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Qué pasa después" in body
    assert "inyecciones en puntos gatillo" in body
    assert english_left(body) == []


def test_a_spanish_page_asks_for_the_blank_map_in_spanish_and_english_stays_english(
    client, cast, visit
):
    """The blank map is cached per language: Spanish first does not leak into English."""
    spanish = client.post(url(visit), answers()).content.decode()
    Patient.objects.filter(pk=cast.patient.pk).update(preferred_language="en")
    english = client.post(url(visit), answers()).content.decode()
    assert "Su lado izquierdo: Parte de arriba del hombro" in spanish
    assert "Your left: Top of the shoulder" in english
    assert "Parte de arriba del hombro" not in english


@pytest.mark.parametrize("enabled", [True, False])
def test_the_thank_you_page_links_to_the_public_page_only_when_it_is_on(
    client, cast, visit, monkeypatch, enabled
):
    type(cast.clinic).objects.filter(pk=cast.clinic.pk).update(public_page_on=enabled)
    body = client.post(url(visit), {**answers(), **drawing()}).content.decode()
    page = reverse("public:page", kwargs={"clinic_slug": cast.clinic.slug, "lang": "es"})
    assert (f'href="{page}"' in body) is enabled


def test_every_region_of_the_atlas_has_a_spanish_patient_name():
    """One table of every region; a failure lists each region that fails, and why."""
    failures = []
    for region_id in sorted(atlas.REGIONS):
        english = PATIENT_AREA_LABELS[region_id]
        with translation.override("es"):
            spanish = patient_place(region_id)
            sided = place_label(region_id, "right", whose="Your")
        if spanish == english:
            failures.append(f"{region_id}: {spanish!r} is the English name")
        if not (spanish.strip() and spanish[0].isupper()):
            failures.append(f"{region_id}: {spanish!r} is blank or starts in lower case")
        if sided != f"Su lado derecho: {spanish}":
            failures.append(f"{region_id}: the right side reads {sided!r}")
    assert len(atlas.REGIONS) > 80
    assert failures == [], "\n".join(failures)


EASY_FERNANDEZ_HUERTA = 80  # "fácil" (taut/portal/tests/test_spanish_reading.py)
FAIRLY_EASY_INFLESZ = 65


def prose(body: str) -> str:
    """The page's sentences as one document: each chunk of four words or more, without the
    lists to choose from (body places, numbing drugs: names, not prose) and the clinical
    wording (the screening and PEG questions have their own reading tests)."""
    parser = _Visible()
    parser.feed(re.sub(r"<select.*?</select>", " ", body, flags=re.S))
    theirs = {catalogue().get(t, t) for t in clinical_wording()}
    places = ("Su lado izquierdo: ", "Su lado derecho: ")  # the map's names, not prose
    chunks = [
        c
        for c in parser.chunks
        if len(c.split()) > 3 and c not in theirs and not c.startswith(places)
    ]
    return "\n".join(c if c.endswith((".", "?", ":")) else f"{c}." for c in chunks)


@pytest.mark.parametrize("step", ["questions", "drawing", "thanks"])
def test_the_spanish_intake_is_easy_to_read(client, visit, step):
    if step == "questions":
        body = client.get(url(visit)).content.decode()
    elif step == "drawing":
        body = client.post(url(visit), answers()).content.decode()
    else:
        body = client.post(url(visit), {**answers(), **drawing()}).content.decode()
    document = prose(body)
    assert len(document.split()) > 60  # the page's own sentences, in Spanish
    assert "Your" not in document and "Please" not in document
    textstat.set_lang("es")
    try:
        assert textstat.fernandez_huerta(document) >= EASY_FERNANDEZ_HUERTA, document
        assert textstat.szigriszt_pazos(document) >= FAIRLY_EASY_INFLESZ, document
    finally:
        textstat.set_lang("en_US")


@pytest.mark.parametrize(
    "flag, heading, first",
    [
        ("back.saddle_numbness", "Pida ayuda ahora", "Llame al 911 ahora."),
        ("neck.fever", "Llámenos hoy, por favor", "Llame hoy a "),
    ],
)
def test_the_call_now_message_after_a_red_flag_is_in_spanish(client, visit, flag, heading, first):
    """The instruction a red-flag answer brings (``clinical.urgency``) comes first, in
    Spanish, with the clinic's emergency number and name filled in."""
    response = client.post(url(visit), {**answers(**{f"rf:{flag}": "yes"}), **drawing()})
    body = response.content.decode()
    main = body[body.index("<main") :]
    assert f'<h1 id="call-h">{heading}</h1>' in main
    assert main.index(first) < main.index("Gracias")
    assert english_left(body) == []
