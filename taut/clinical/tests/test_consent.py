"""Consent risks and the time-out: taut.clinical.consent. Sources: clinical.md §3 (ids of §9)."""

import contextlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical import atlas, payer
from taut.clinical.aftercare.reading import reading_grade
from taut.clinical.consent import (
    GENERAL_RISKS,
    NO_PNEUMOTHORAX_MUSCLES,
    PNEUMOTHORAX_MUSCLES,
    RISKS,
    TIME_OUT_ITEMS,
    VERSION,
    Risk,
    TimeOutItem,
    pneumothorax_sites,
    required_risks,
)

SOURCE = re.compile(r"\[S\d+[a-z]?\]")
STATUSES = {"verified", "secondary", "unverified"}


def test_it_has_a_version():
    assert VERSION == "2026.2"


def test_it_describes_every_risk_with_a_label_source_and_status():
    assert set(RISKS) == set(Risk)
    for risk, info in RISKS.items():
        assert info.risk is risk
        assert risk.label == info.label and info.text
        assert SOURCE.search(info.source), risk  # each risk names a clinical.md source
        assert info.status in STATUSES


@pytest.mark.parametrize(
    ("risk", "source"),
    [
        (Risk.BLEEDING, "[S8b]"),  # haematoma / bleeding
        (Risk.INFECTION, "[S13]"),  # skin infection
        (Risk.SORENESS, "[S10]"),  # post-injection soreness
        (Risk.VASOVAGAL, "[S13]"),  # vasovagal syncope
        (Risk.NERVE_INJURY, "[S13]"),  # temporary numbness
        (Risk.PNEUMOTHORAX, "[S14]"),  # bilateral pneumothoraces after trapezius TPI
        (Risk.INTRAVASCULAR, "[S8a]"),  # intravascular injection -> LAST; aspirate
        (Risk.LAST, "[S29b]"),  # LAST signs and onset
        (Risk.ALLERGY, "[S9]"),  # allergy to the planned anaesthetic
        (Risk.STEROID, "[S22]"),  # hyperglycaemia, skin or fat atrophy
    ],
)
def test_it_cites_the_complications_table(risk, source):
    assert source in RISKS[risk].source


def test_it_always_lists_the_eight_general_risks():
    assert GENERAL_RISKS == (
        Risk.BLEEDING,
        Risk.INFECTION,
        Risk.SORENESS,
        Risk.VASOVAGAL,
        Risk.NERVE_INJURY,
        Risk.ALLERGY,
        Risk.INTRAVASCULAR,
        Risk.LAST,
    )
    assert required_risks([]) == GENERAL_RISKS
    assert required_risks([("gluteus_medius", "left")]) == GENERAL_RISKS


@pytest.mark.parametrize(
    ("sites", "pneumothorax"),
    [
        ([("trapezius_upper", "left")], True),  # [S14]: bilateral pneumothoraces
        ([("intercostals", "right")], True),  # [S9]: intercostal sites
        ([("serratus_anterior", "left")], True),  # chest wall [S9]
        ([("pectoralis_major", "right")], True),  # chest wall
        ([("rhomboids", "left")], True),  # atlas: pneumothorax reported after needling
        ([("scalenes", "left")], True),  # neck: pleural dome above the clavicle
        ([("iliocostalis_thoracis", "left")], True),  # thoracic back [S12], [S11]
        ([("quadratus_lumborum", "left")], True),  # atlas: pleura below the 12th rib
        ([("deltoid", "left")], False),
        ([("temporalis", "left"), ("masseter", "right")], False),
        ([("gluteus_medius", "left"), ("trapezius_middle", "right")], True),  # any one site
    ],
)
def test_it_adds_pneumothorax_for_a_site_over_the_lung(sites, pneumothorax):
    risks = required_risks(sites)
    assert risks[: len(GENERAL_RISKS)] == GENERAL_RISKS
    assert (Risk.PNEUMOTHORAX in risks) is pneumothorax


def test_it_names_the_sites_that_carry_the_pneumothorax_risk():
    sites = [
        ("deltoid", "left"),
        ("Trapezius Upper", "right"),
        ("trapezius-upper", "right"),
        ("rhomboids", "left"),
    ]
    assert pneumothorax_sites(sites) == (("trapezius_upper", "right"), ("rhomboids", "left"))


def test_it_places_every_atlas_muscle_on_one_side_of_the_line():
    """A new atlas muscle must be classified on purpose, never by default."""
    for muscle_id in atlas.MUSCLES:
        assert (muscle_id in PNEUMOTHORAX_MUSCLES) != (muscle_id in NO_PNEUMOTHORAX_MUSCLES), (
            muscle_id
        )
    stray = (PNEUMOTHORAX_MUSCLES | NO_PNEUMOTHORAX_MUSCLES) - set(atlas.MUSCLES)
    assert stray == set()  # no id that is not (or no longer) in the atlas


LUNG_WORDS = re.compile(r"pneumothorax|pleura|lung|chest wall", re.IGNORECASE)


@pytest.mark.parametrize("muscle_id", sorted(atlas.MUSCLES))
def test_it_agrees_with_the_atlas_injection_risk_notes(muscle_id):
    """Every muscle whose atlas note names the lung, pleura or chest wall carries the risk."""
    note = atlas.MUSCLES[muscle_id].injection_risk or ""
    if LUNG_WORDS.search(note):
        assert muscle_id in PNEUMOTHORAX_MUSCLES


@pytest.mark.parametrize(
    "region",
    [
        payer.AnatomicalRegion.CERVICAL,
        payer.AnatomicalRegion.THORACIC,
        payer.AnatomicalRegion.CHEST_WALL,
    ],
)
def test_it_counts_every_neck_thoracic_and_chest_wall_muscle(region):
    assert set(payer.REGION_MUSCLES[region]) <= PNEUMOTHORAX_MUSCLES


def test_it_counts_no_limb_head_or_face_muscle():
    far = {
        payer.AnatomicalRegion.CEPHALIC,
        payer.AnatomicalRegion.FACIAL,
        payer.AnatomicalRegion.UPPER_LIMB,
        payer.AnatomicalRegion.LOWER_LIMB,
        payer.AnatomicalRegion.HIP_GLUTEAL,
    }
    for region in far:
        assert not set(payer.REGION_MUSCLES[region]) & PNEUMOTHORAX_MUSCLES, region


@pytest.mark.parametrize(
    ("sites", "message"),
    [
        ("trapezius_upper", r"^sites: expected a list"),
        ({"trapezius_upper": "left"}, r"^sites: expected a list"),
        (None, r"^sites: expected a list"),
        ([("trapezius_upper",)], r"^sites\[0\]: expected \(muscle_id, side\)"),
        ([("deltoid", "left"), "rhomboids"], r"^sites\[1\]: expected \(muscle_id, side\)"),
        ([("trapezius", "left")], r"^sites\[0\]\.muscle_id: unknown atlas muscle"),
        ([("lung", "left")], r"^sites\[0\]\.muscle_id: unknown atlas muscle"),
        ([("", "left")], r"^sites\[0\]\.muscle_id: expected an atlas muscle id"),
        ([(None, "left")], r"^sites\[0\]\.muscle_id: expected an atlas muscle id"),
        ([("deltoid", "both")], r"^sites\[0\]\.side: expected 'left' or 'right'"),
        ([("deltoid", None)], r"^sites\[0\]\.side: expected 'left' or 'right'"),
    ],
)
def test_it_refuses_bad_sites_naming_the_field(sites, message):
    with pytest.raises(ValueError, match=message):
        required_risks(sites)


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=12),
    st.sampled_from([*atlas.MUSCLES, "left", "right"]),
    st.lists(st.integers(), max_size=3),
)


@given(st.one_of(junk, st.lists(st.one_of(junk, st.tuples(junk, junk), st.lists(junk)))))
def test_it_raises_only_value_error_on_bad_input(sites):
    with contextlib.suppress(ValueError):  # any other exception fails
        required_risks(sites)


site = st.tuples(st.sampled_from(sorted(atlas.MUSCLES)), st.sampled_from(["left", "right"]))


@given(st.lists(site, max_size=6), site)
def test_it_never_drops_a_risk_when_a_site_is_added(sites, extra):
    assert set(required_risks(sites)) <= set(required_risks([*sites, extra]))


@given(st.lists(site, max_size=6))
def test_it_lists_pneumothorax_exactly_when_a_site_is_over_the_lung(sites):
    over_lung = any(muscle in PNEUMOTHORAX_MUSCLES for muscle, _ in sites)
    assert (Risk.PNEUMOTHORAX in required_risks(sites)) is over_lung


def test_it_lists_the_time_out_items():
    assert list(TIME_OUT_ITEMS) == [
        TimeOutItem.PATIENT_IDENTITY,
        TimeOutItem.SITES,
        TimeOutItem.SIDE,
        TimeOutItem.ALLERGIES,
        TimeOutItem.AGENT,
    ]
    for item, check in TIME_OUT_ITEMS.items():
        assert check.item is item
        assert item.label == check.label and check.prompt and check.source
        # clinical.md cites no time-out standard (Universal Protocol, WHO checklist).
        assert check.status == "unverified"
    assert "[S9]" in TIME_OUT_ITEMS[TimeOutItem.ALLERGIES].source


@pytest.mark.parametrize(
    ("sites", "steroid", "expected_extra"),
    [
        # Issue 11 point 11: toxicity, allergy and intravascular injection always [S29b],
        # [S9], [S8a]; a steroid's effects only when one is planned [S9], [S22].
        ([("gluteus_medius", "left")], False, ()),
        ([("gluteus_medius", "left")], True, (Risk.STEROID,)),
        ([("trapezius_upper", "left")], False, (Risk.PNEUMOTHORAX,)),
        ([("trapezius_upper", "left")], True, (Risk.PNEUMOTHORAX, Risk.STEROID)),
        ([], True, (Risk.STEROID,)),
    ],
)
def test_it_lists_toxicity_allergy_intravascular_and_steroid_effects(
    sites, steroid, expected_extra
):
    risks = required_risks(sites, steroid=steroid)
    assert {Risk.LAST, Risk.ALLERGY, Risk.INTRAVASCULAR} <= set(risks)
    assert risks == (*GENERAL_RISKS, *expected_extra)


def test_it_names_each_steroid_effect_to_discuss():
    text = RISKS[Risk.STEROID].text.casefold()
    for effect in ("skin", "thin or light", "flushing", "blood sugar", "periods"):
        assert effect in text


def test_it_keeps_the_old_call_working_and_refuses_a_steroid_that_is_not_a_flag():
    assert required_risks([("deltoid", "left")]) == GENERAL_RISKS
    with pytest.raises(ValueError, match="steroid"):
        required_risks([("deltoid", "left")], steroid="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize("risk", [Risk.ALLERGY, Risk.INTRAVASCULAR, Risk.LAST, Risk.STEROID])
def test_it_words_the_new_risks_for_a_patient_at_grade_7_or_lower(risk):
    """Said to the patient, and reused by the handout (reading grade: aftercare.reading)."""
    assert reading_grade(RISKS[risk].text) <= 7
