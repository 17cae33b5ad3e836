"""Blood thinners recognised by name: taut.clinical.antithrombotics.

Source: anticoagulant or antiplatelet use is a relative contraindication (clinical.md §2b:
[S9], [S2], [S62]); the drugs are those of the ASRA anticoagulation guideline [S24]; brand
names are from the US labels (memory, unverified).
"""

import pytest

from taut.clinical import antithrombotics
from taut.clinical.antithrombotics import (
    DRUGS,
    DrugClass,
    antithrombotic_status,
    recognise,
)

A, P = DrugClass.ANTICOAGULANT, DrugClass.ANTIPLATELET


def test_it_has_a_version_and_says_how_far_the_list_is_verified():
    assert antithrombotics.VERSION == "2026.1"
    assert antithrombotics.STATUS == "unverified"
    assert "[S24]" in antithrombotics.SOURCE


@pytest.mark.parametrize(
    ("typed", "generic", "drug_class"),
    [
        # Issue 11 point 12: "Apixaban" saved without the tick is a blood thinner.
        ("Apixaban", "apixaban", A),
        ("apixaban 5 mg twice daily", "apixaban", A),
        ("ELIQUIS", "apixaban", A),
        ("Xarelto 20mg", "rivaroxaban", A),
        ("Rivaroxaban", "rivaroxaban", A),
        ("Pradaxa", "dabigatran", A),
        ("Savaysa", "edoxaban", A),
        ("Warfarin", "warfarin", A),
        ("Coumadin", "warfarin", A),
        ("Jantoven", "warfarin", A),
        ("Lovenox injection", "enoxaparin", A),
        ("Heparin", "heparin", A),
        ("Fondaparinux (Arixtra)", "fondaparinux", A),
        ("Clopidogrel", "clopidogrel", P),
        ("Plavix", "clopidogrel", P),
        ("Effient", "prasugrel", P),
        ("Brilinta 90 mg", "ticagrelor", P),
        ("Aspirin 81 mg daily", "aspirin", P),
        ("Bayer Aspirin", "aspirin", P),
        ("Acetylsalicylic acid", "aspirin", P),
        ("Aggrenox", "dipyridamole", P),
        ("Pletal", "cilostazol", P),
    ],
)
def test_it_recognises_blood_thinners_by_generic_and_brand_name(typed, generic, drug_class):
    drug = recognise(typed)
    assert drug is not None
    assert (drug.generic, drug.drug_class) == (generic, drug_class)


@pytest.mark.parametrize(
    "typed",
    [
        "Ibuprofen",  # an NSAID, not in the list: the tick box decides
        "Paracetamol (acetaminophen)",
        "Metformin 500 mg",
        "Heparinoid cream",  # contains "heparin" but is another word
        "Asacol",  # contains "asa"
        "",
    ],
)
def test_it_does_not_guess_from_part_of_a_word(typed):
    assert recognise(typed) is None


@pytest.mark.parametrize(
    ("name", "ticked", "counts", "reason"),
    [
        ("Apixaban", False, True, "Recognised by name"),
        ("Apixaban", True, True, "Recognised by name"),
        ("Ibuprofen", False, False, "Not a blood thinner"),
        # A drug the list does not know, marked by staff (e.g. a new agent).
        ("Study drug XY-12", True, True, "Marked as a blood thinner by staff"),
    ],
)
def test_it_combines_the_name_with_the_tick_box(name, ticked, counts, reason):
    status = antithrombotic_status(name, ticked=ticked)
    assert status.antithrombotic is counts
    assert status.reason.startswith(reason)


def test_it_refuses_input_it_cannot_read():
    with pytest.raises(ValueError, match="name"):
        recognise(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ticked"):
        antithrombotic_status("Apixaban", ticked="yes")  # type: ignore[arg-type]


def test_it_gives_each_name_one_drug():
    names = [name for drug in DRUGS for name in drug.names]
    assert len(names) == len(set(names))
    assert all(name == name.casefold() for name in names)
