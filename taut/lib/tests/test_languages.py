"""The order that picks a patient's language, as plain values (no Django)."""

import unittest

from taut.lib.languages import choose_language, from_accept_language, offered, patient_language


class LanguageOrderTests(unittest.TestCase):
    def test_it_offers_english_and_spanish_with_their_regional_variants(self):
        cases = [("en", "en"), ("es", "es"), ("es-MX", "es"), ("ES_us", "es"), ("en-GB", "en"),
                 ("fr", None), ("", None), (None, None), ("e", None)]  # fmt: skip
        for code, expected in cases:
            with self.subTest(code=code):
                self.assertEqual(offered(code), expected)

    def test_a_patient_without_pages_in_their_language_gets_english(self):
        self.assertEqual(patient_language("es"), "es")
        self.assertEqual(patient_language("fr"), "en")
        self.assertEqual(patient_language(""), "en")

    def test_it_reads_accept_language_by_quality_then_order(self):
        cases = [
            ("es-MX,es;q=0.9,en;q=0.8", "es"),
            ("fr-CA, en;q=0.5, es;q=0.7", "es"),
            ("en, es", "en"),
            ("es;q=0, en;q=0.1", "en"),
            ("*", None),
            ("de, fr", None),
            ("es;q=abc", None),
            ("", None),
            (None, None),
        ]
        for header, expected in cases:
            with self.subTest(header=header):
                self.assertEqual(from_accept_language(header), expected)

    def test_the_switch_then_the_registry_then_english_for_a_known_patient(self):
        def choose(switched, preferred, accept="es"):
            return choose_language(
                switched=switched, preferred=preferred, known=True, accept_language=accept
            )

        self.assertEqual(choose("en", "es"), "en")
        self.assertEqual(choose("es", "en"), "es")
        self.assertEqual(choose(None, "es"), "es")
        self.assertEqual(choose(None, "fr"), "en")  # the browser does not count once known
        self.assertEqual(choose("fr", "es"), "es")  # a switch to a language without pages

    def test_the_switch_then_the_browser_then_english_before_the_patient_is_known(self):
        def choose(switched, accept):
            return choose_language(
                switched=switched, preferred=None, known=False, accept_language=accept
            )

        self.assertEqual(choose("en", "es"), "en")
        self.assertEqual(choose(None, "es-AR"), "es")
        self.assertEqual(choose(None, "fr"), "en")
        self.assertEqual(choose(None, None), "en")
