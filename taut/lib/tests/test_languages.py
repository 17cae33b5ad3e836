"""The order that picks a patient's language, as plain values (no Django)."""

import pytest

from taut.lib.languages import choose_language, from_accept_language, offered, patient_language


@pytest.mark.parametrize(
    "code, expected",
    [("en", "en"), ("es", "es"), ("es-MX", "es"), ("ES_us", "es"), ("en-GB", "en"),
     ("fr", None), ("", None), (None, None), ("e", None)],
)  # fmt: skip
def test_it_offers_english_and_spanish_with_their_regional_variants(code, expected):
    assert offered(code) == expected


def test_a_patient_without_pages_in_their_language_gets_english():
    assert patient_language("es") == "es"
    assert patient_language("fr") == "en"
    assert patient_language("") == "en"


@pytest.mark.parametrize(
    "header, expected",
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("fr-CA, en;q=0.5, es;q=0.7", "es"),
        ("en, es", "en"),
        ("es;q=0, en;q=0.1", "en"),
        ("*", None),
        ("de, fr", None),
        ("es;q=abc", None),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_accept_language_by_quality_then_order(header, expected):
    assert from_accept_language(header) == expected


def test_the_switch_then_the_registry_then_english_for_a_known_patient():
    def choose(switched, preferred, accept="es"):
        return choose_language(
            switched=switched, preferred=preferred, known=True, accept_language=accept
        )

    assert choose("en", "es") == "en"
    assert choose("es", "en") == "es"
    assert choose(None, "es") == "es"
    assert choose(None, "fr") == "en"  # the browser does not count once the patient is known
    assert choose("fr", "es") == "es"  # a switch to a language without pages is ignored


def test_the_switch_then_the_browser_then_english_before_the_patient_is_known():
    def choose(switched, accept):
        return choose_language(
            switched=switched, preferred=None, known=False, accept_language=accept
        )

    assert choose("en", "es") == "en"
    assert choose(None, "es-AR") == "es"
    assert choose(None, "fr") == "en"
    assert choose(None, None) == "en"
