"""The referral atlas data, the muscle -> pattern view and the WPI mapping.

Source of the data: shared/reference/referral_atlas.md (Travell & Simons via cited secondary
sources). Ranking lives in test_atlas_ranking.py.
"""

import json
from importlib import resources

import pytest

from taut.clinical import atlas, fibromyalgia
from taut.clinical.atlas import MUSCLES, REGIONS, Side, View, Zone

RAW = json.loads(
    resources.files("taut.clinical.data").joinpath("referral_atlas.json").read_text("utf-8")
)


def test_it_loads_88_regions_and_88_muscles():
    assert len(RAW["regions"]) == len(REGIONS) == 88
    assert len(RAW["muscles"]) == len(MUSCLES) == 88


def test_it_has_unique_ids():
    region_ids = [r["id"] for r in RAW["regions"]]
    muscle_ids = [m["id"] for m in RAW["muscles"]]
    assert len(set(region_ids)) == len(region_ids)
    assert len(set(muscle_ids)) == len(muscle_ids)
    assert list(REGIONS) == region_ids
    assert list(MUSCLES) == muscle_ids


def test_it_stores_the_atlas_version_in_the_data_file():
    assert atlas.VERSION == RAW["version"] == "2026.1"
    assert RAW["source"] and RAW["description"] and RAW["derived_from"]


def test_it_gives_every_region_a_valid_view():
    assert all(isinstance(region.view, View) for region in REGIONS.values())
    assert {r["view"] for r in RAW["regions"]} <= {"front", "back", "both"}


def test_it_only_uses_known_regions():
    for muscle in MUSCLES.values():
        used = (
            muscle.trp_regions
            + muscle.primary
            + muscle.secondary
            + muscle.contralateral_primary
            + muscle.contralateral_secondary
        )
        assert set(used) <= set(REGIONS), muscle.id


def test_it_gives_every_muscle_an_essential_zone_a_trp_site_and_a_source():
    for muscle in MUSCLES.values():
        assert muscle.primary, muscle.id
        assert muscle.trp_regions, muscle.id
        assert muscle.sources, muscle.id
        assert muscle.name and muscle.trp_locations, muscle.id


def test_it_never_lists_a_region_as_both_essential_and_spillover():
    for muscle in MUSCLES.values():
        assert not set(muscle.primary) & set(muscle.secondary), muscle.id


def test_it_uses_every_region():
    # referral_atlas.md caveat 10: all 88 regions are used by at least one muscle pattern.
    assert all(atlas.muscles_for_region(region_id) for region_id in REGIONS)


def test_it_flags_exactly_the_four_memory_entries_as_unverified():
    # referral_atlas.md: 84 seen, 4 memory.
    memory = {m.id for m in MUSCLES.values() if m.evidence == atlas.Evidence.MEMORY}
    assert memory == {"palmaris_longus", "pronator_teres", "intercostals", "sartorius"}


def test_it_derives_high_risk_from_the_injection_risk_note():
    for muscle in MUSCLES.values():
        assert muscle.high_risk == (muscle.injection_risk or "").startswith("HIGH RISK")
    assert MUSCLES["scalenes"].high_risk
    assert MUSCLES["piriformis"].high_risk
    assert not MUSCLES["temporalis"].high_risk
    assert MUSCLES["deltoid"].injection_risk is None


def test_it_encodes_the_documented_laterality_exceptions_as_data():
    # referral_atlas.md caveat 4: rectus abdominis refers to both sides of the mid and low
    # back / sacroiliac area; the SCM frontal headache can become bilateral when severe.
    crossing = {
        m.id: (m.contralateral_primary, m.contralateral_secondary)
        for m in MUSCLES.values()
        if m.contralateral_primary or m.contralateral_secondary
    }
    assert crossing == {
        "sternocleidomastoid": ((), ("head_frontal",)),
        "rectus_abdominis": (("thoracic_lower", "low_back"), ("sacroiliac",)),
    }
    for muscle_id in crossing:
        muscle = MUSCLES[muscle_id]
        assert muscle.laterality_note
        crossed = muscle.contralateral_primary + muscle.contralateral_secondary
        assert set(crossed) <= set(muscle.primary + muscle.secondary)
        assert not any(REGIONS[region_id].midline for region_id in crossed)


def test_it_keeps_the_atlas_immutable():
    with pytest.raises(TypeError):
        REGIONS["heel"] = REGIONS["calf"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        MUSCLES["soleus"].primary = ()  # type: ignore[misc]


def test_it_draws_a_muscles_pattern():
    assert atlas.pattern("temporalis") == atlas.Pattern(
        muscle_id="temporalis",
        trp=("head_temporal",),
        primary=("head_temporal", "teeth_upper", "eye_orbital"),
        secondary=("tmj", "cheek_maxillary"),
        contralateral_primary=(),
        contralateral_secondary=(),
    )
    assert atlas.pattern("rectus_abdominis").contralateral_primary == ("thoracic_lower", "low_back")


@pytest.mark.parametrize("muscle_id", ["", "Temporalis", "trapezius", None, 3])
def test_it_refuses_an_unknown_muscle_pattern(muscle_id):
    with pytest.raises(ValueError, match="muscle_id"):
        atlas.pattern(muscle_id)


def test_it_lists_the_muscles_for_a_region():
    # referral_atlas.md §3: heel <- soleus, abductor hallucis, quadratus plantae (primary);
    # fibularis tertius, tibialis posterior (spillover); quadratus plantae's TrPs lie there.
    links = {
        (link.muscle_id, link.zone)
        for link in atlas.muscles_for_region("heel")
        if link.muscle_id in MUSCLES  # the structures: test_atlas_structures.py
    }
    assert links == {
        ("soleus", Zone.PRIMARY),
        ("abductor_hallucis", Zone.PRIMARY),
        ("quadratus_plantae", Zone.PRIMARY),
        ("quadratus_plantae", Zone.TRP),
        ("fibularis_tertius", Zone.SECONDARY),
        ("tibialis_posterior", Zone.SECONDARY),
    }
    crossed = [link for link in atlas.muscles_for_region("low_back") if link.contralateral]
    assert [(link.muscle_id, link.zone) for link in crossed] == [("rectus_abdominis", Zone.PRIMARY)]
    with pytest.raises(ValueError, match="region_id"):
        atlas.muscles_for_region("temple")


# WPI: ACR 2016 (Wolfe et al. 2016) areas; clinical.md §6. The mapping is Taut's.


def test_it_maps_every_region_to_at_most_one_known_wpi_area():
    paired = {a.removesuffix("_left") for a in fibromyalgia.WPI_AREAS if a.endswith("_left")}
    axial = {a for a in fibromyalgia.WPI_AREAS if not a.endswith(("_left", "_right"))}
    assert set(RAW["wpi_area_by_region"]["areas"]) == set(REGIONS)
    for region in REGIONS.values():
        if region.wpi_area is None:
            continue
        assert region.wpi_area in paired | axial, region.id
        if region.midline:  # a midline mark has no side to give a paired area
            assert region.wpi_area in axial, region.id
        sides = (None,) if region.midline else (Side.LEFT, Side.RIGHT)
        for side in sides:
            assert atlas.wpi_areas([(region.id, side)]) <= set(fibromyalgia.WPI_AREAS)


def test_it_covers_all_19_wpi_areas():
    marks = [
        (region.id, side)
        for region in REGIONS.values()
        for side in ((None,) if region.midline else ("left", "right"))
    ]
    areas = atlas.wpi_areas(marks)
    assert areas == set(fibromyalgia.WPI_AREAS)
    assert all(isinstance(area, fibromyalgia.Area) for area in areas)


@pytest.mark.parametrize(
    ("marks", "areas"),
    [
        # The trapezius ridge is the shoulder girdle; the lumbar area the lower back.
        (
            [("shoulder_top", "left"), ("shoulder_top", "right"), ("low_back", "left")],
            {"shoulder_girdle_left", "shoulder_girdle_right", "lower_back"},
        ),
        # ACR: hip = buttock and trochanter.
        ([("buttock", "right"), ("hip_lateral", "right")], {"hip_right"}),
        # Jaw is a WPI area; temple, forehead and the rest of the head are not.
        ([("tmj", "left"), ("head_temporal", "left"), ("head_frontal", "right")], {"jaw_left"}),
        # Hand, wrist, ankle and foot are not WPI sites (J Rheum, clinical.md §6).
        (
            [("palm", "left"), ("wrist_dorsal", "left"), ("heel", "right"), ("big_toe", "left")],
            set(),
        ),
        # Axial areas take no side; midline regions map to axial areas only.
        (
            [("neck_lateral", "left"), ("sternum", None), ("periumbilical", None)],
            {"neck", "chest", "abdomen"},
        ),
        (
            [("sacrum", None), ("thoracic_upper", "left"), ("thoracic_lower", "right")],
            {"lower_back", "upper_back"},
        ),
        # Limb segments keep the mark's side.
        (
            [("upper_arm_lateral", "left"), ("forearm_dorsal", "right"), ("calf", "left")],
            {"upper_arm_left", "lower_arm_right", "lower_leg_left"},
        ),
        (
            [("thigh_posterior", "right"), ("knee_anterior", "right")],
            {"upper_leg_right", "lower_leg_right"},
        ),
        ([], set()),
    ],
)
def test_it_finds_the_wpi_areas_of_a_drawing(marks, areas):
    assert atlas.wpi_areas(marks) == areas


def test_it_validates_wpi_marks_like_rank():
    with pytest.raises(ValueError, match="side"):
        atlas.wpi_areas([("shoulder_top", None)])
