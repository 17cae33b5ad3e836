"""Injections where there is a trigger point: taut.clinical.tpi_support.

Sources (clinical.md §1, §2a, §7c): [S8c] injection for active trigger points only,
tenderness alone is not an indication; [S5] Delphi 2018 cluster and recognition; [S50]
L36859 (as L34211): headache, neck or back pain without true trigger points not covered.
"""

import pytest

from taut.clinical.tpi_support import LCD_TEXT, exam_supports_tpi

MPS = "myofascial_pain"
TTH = "tension_type_headache"
NECK = "neck_muscle_pain"
BACK = "low_back_muscle_pain"
FM = "fibromyalgia"

# (case, indications, kinds found, supported, LCD exclusion shown, source)
CASES = [
    ("one active point", [MPS], ["active"], True, False, "S8c, S5"),
    ("active among others", [NECK], ["latent", "active", "not_confirmed"], True, False, "S8c"),
    ("no exam yet", [MPS], [], False, False, "S8c"),
    ("latent only: no injection needed", [MPS], ["latent"], False, False, "S8c, S5"),
    ("not confirmed only (a tender point)", [MPS], ["not_confirmed"], False, False, "S5, S8c"),
    ("incomplete only", [MPS], ["incomplete"], False, False, "S5"),
    ("headache without a true trigger point", [TTH], ["latent"], False, True, "S50"),
    ("neck pain without a true trigger point", [NECK], ["not_confirmed"], False, True, "S50"),
    ("low-back pain without a true trigger point", [BACK], [], False, True, "S50"),
    ("fibromyalgia without an active point", [FM], ["latent"], False, False, "S8c"),
    ("headache with an active point", [TTH], ["active"], True, False, "S50, S5"),
    ("indication not assessed", None, ["latent"], False, False, "S8c"),
]


@pytest.mark.parametrize(("case", "indications", "kinds", "supported", "lcd", "source"), CASES)
def test_it_needs_an_active_trigger_point(case, indications, kinds, supported, lcd, source):
    result = exam_supports_tpi(indications, kinds)
    assert result.supported is supported, case
    assert result.active == kinds.count("active"), case
    assert (LCD_TEXT in result.why) is lcd, case
    assert bool(result.reasons) is not supported, case
    assert all(r.source for r in result.reasons), case


def test_it_says_what_the_exam_found():
    result = exam_supports_tpi([NECK], ["latent", "latent", "not_confirmed"])
    assert "2 latent (no injection needed), 1 not confirmed" in result.why
    assert "This visit's indication: neck pain." in result.why
    lcd = result.reasons[-1]
    assert (lcd.code, lcd.status) == ("lcd_no_true_trigger_point", "secondary")


def test_it_refuses_unknown_kinds_and_indications():
    with pytest.raises(ValueError, match="kinds"):
        exam_supports_tpi([MPS], ["tender"])
    with pytest.raises(ValueError, match="indications"):
        exam_supports_tpi(["back_ache"], ["active"])
