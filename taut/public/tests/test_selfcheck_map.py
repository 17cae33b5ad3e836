"""The self-check's "Where is your pain?" on the body map: offered beside the short list
(the default), the portal's map in the page's language, the places marked posted as the
self-check's areas, a clear error when nothing is chosen either way, and the map never
rendered for an anonymous request (the blank one is cached per language)."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from taut.atlas import display as map_display
from taut.public import display
from taut.public.tests.test_selfcheck import answers_of, clinic, post_data, url
from taut.tests.spanish import untranslated

__all__ = ["clinic"]  # the fixture, shared with the list's tests


def map_data(*marks, **answers):
    data = post_data(**answers)
    del data["regions"]
    return {**data, "where": "map", "mark": list(marks)}


def checked(page: str, name: str) -> set[str]:
    pattern = rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*\bchecked\b'
    return set(re.findall(pattern, page))


def test_it_offers_the_map_and_keeps_the_list_as_the_default(client, clinic):
    page = client.get(url()).content.decode()
    assert 'name="regions"' in page
    assert re.search(r'<button type="submit" name="show" value="map"[^>]*>\s*'
                     r"Show me on a body map instead</button>", page)  # fmt: skip
    assert "data-bodymap" not in page
    assert "bodymap.js" not in page


def test_it_shows_the_map_when_asked_and_keeps_the_answers_so_far(client, clinic):
    data = {**post_data(duration="6_weeks_to_3_months"), "show": "map"}
    del data["regions"]
    response = client.post(url(), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-bodymap" in page and "bodymap.js" in page
    assert "Front of the body" in page and "Back of the body" in page
    assert 'role="checkbox"' in page
    assert 'name="regions"' not in page  # the map instead of the list
    assert 'value="low_back:left"' in page and 'value="sacrum:mid"' in page
    assert '<input type="hidden" name="where" value="map"' in page
    assert re.search(r'value="6_weeks_to_3_months"[^>]*checked', page)
    assert "Please check your answers" not in page
    assert "Choose from the short list instead" in page


def test_it_posts_the_areas_that_hold_the_places_marked(client, clinic):
    data = map_data("low_back:left", "sacrum:mid", "calf:right", "neck_lateral:left")
    response = client.post(url(), data)
    assert response.status_code == 200
    assert answers_of(response.content.decode())["regions"] == [
        "neck_posterior_lower",
        "low_back",
        "calf",
    ]


def test_it_counts_the_list_and_the_map_together(client, clinic):
    data = {**map_data("calf:left"), "regions": ["tmj"]}
    page = client.post(url(), data).content.decode()
    assert answers_of(page)["regions"] == ["tmj", "calf"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_it_asks_for_a_place_when_nothing_is_marked_on_the_map(client, clinic, lang):
    response = client.post(url(lang), map_data(duration="under_6_weeks"))
    assert response.status_code == 400
    page = response.content.decode()
    with translation.override(lang):
        message = gettext(
            "Mark at least one place that hurts on the body map, or choose one from the list "
            "under it."
        )
        assert gettext("Please check your answers") in page
    if lang == "es":
        assert message.startswith("Marque")
    assert f'<p class="error" id="id_mark_error">{message}</p>' in page
    assert 'href="#id_mark_error"' in page
    assert "data-bodymap" in page  # shown again on the map
    assert re.search(r'value="under_6_weeks"[^>]*checked', page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_it_asks_for_a_place_when_nothing_is_chosen_on_the_list(client, clinic, lang):
    response = client.post(url(lang), post_data(regions=()))
    assert response.status_code == 400
    page = response.content.decode()
    with translation.override(lang):
        message = gettext("Choose at least one place where it hurts.")
    assert f'<p class="error" id="id_regions_error">{message}</p>' in page
    assert "data-bodymap" not in page


def test_it_says_when_the_only_place_marked_has_no_area(client, clinic):
    response = client.post(url(), map_data("genital_perineal:mid"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The self-check has no area for the place you marked." in page
    assert checked(page, "mark") == {"genital_perineal:mid"}


def test_it_refuses_a_place_that_is_not_on_the_map(client, clinic):
    response = client.post(url(), map_data("low_back:left", "lower_back:left"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_mark_error"' in page
    assert checked(page, "mark") == {"low_back:left"}  # the forged place is not kept


def test_it_keeps_the_places_marked_when_another_answer_is_missing(client, clinic):
    data = map_data("low_back:left", "calf:right")
    del data["duration"]
    page = client.post(url(), data).content.decode()
    assert checked(page, "mark") == {"low_back:left", "calf:right"}
    assert "Places marked: <strong data-marked-count>2</strong>." in page


def test_it_carries_the_places_marked_to_the_list_as_areas(client, clinic):
    data = {**map_data("low_back:left", "calf:right", "genital_perineal:mid"), "show": "list"}
    response = client.post(url(), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-bodymap" not in page
    assert re.findall(r'name="regions" value="(\w+)"[^>]*checked', page) == ["low_back", "calf"]
    assert "Please check your answers" not in page


def test_it_shows_the_map_in_spanish(client, clinic):
    data = {**map_data(), "show": "map"}
    page = client.post(url("es"), data).content.decode()
    assert '<html lang="es">' in page
    with translation.override("es"):
        low_back_left = gettext("Your left: %(place)s") % {"place": gettext("Low back")}
        expected = [
            gettext("Tap each place that hurts on the front or the back of the body. Tap a "
                    "place again to clear it."),
            gettext("Or choose from a list of body areas"),
            gettext("Choose from the short list instead"),
            map_display.patient_figure_titles("back")[0],
        ]  # fmt: skip
    assert low_back_left == "Su lado izquierdo: Parte baja de la espalda"
    assert f'aria-label="{low_back_left}"' in page  # the map's shape
    assert f"> {low_back_left}</label>" in page  # the list's checkbox
    for text in expected:
        assert text in page
    assert untranslated(page) == []
    # With an error and places marked (the list rendered for the request), still Spanish.
    page = client.post(url("es"), map_data("low_back:left", duration="")).content.decode()
    assert untranslated(page) == []
    assert "Lugares marcados" in page


def test_it_never_renders_the_map_for_a_request(client, clinic, monkeypatch):
    """The blank map is rendered once per process and language; a request (even one
    with places marked) reuses it and bodymap.js marks the shapes from the list."""
    for lang in ("en", "es"):
        client.post(url(lang), {**map_data(), "show": "map"})

    def refuse(*args, **kwargs):
        raise AssertionError("the body map was rendered for a request")

    monkeypatch.setattr(map_display, "figures", refuse)
    for lang in ("en", "es"):
        response = client.post(url(lang), {**map_data("low_back:left"), "duration": ""})
        assert response.status_code == 400
        assert "data-bodymap" in response.content.decode()
    with translation.override("en"):
        english = display.map_context(set())["blank_map"]
        assert english is display.map_context(set())["blank_map"]
    with translation.override("es"):
        spanish = display.map_context(set())["blank_map"]
    assert english != spanish


def test_it_stores_nothing(client, clinic, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.post(url(), map_data("low_back:left"))
