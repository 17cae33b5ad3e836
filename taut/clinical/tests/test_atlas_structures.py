"""The ligament and tendon sites of the atlas (issue 15): data, kinds, sides, patterns and
their ranking with the muscles.

Source of the data: taut/clinical/data/structure_atlas.json (Hackett 1958 via secondary
sources, per-site anatomy and cautions, each entry citing what was retrieved); the rules
list: docs/clinical-rules.md, "Ligament and tendon sites".
"""

import json
from importlib import resources

import pytest

from taut.clinical import atlas
from taut.clinical.atlas import (
    MUSCLES,
    REGIONS,
    SITE_KIND_LABELS,
    SITES,
    STRUCTURES,
    Evidence,
    Side,
    SiteKind,
    Zone,
)

RAW = json.loads(
    resources.files("taut.clinical.data").joinpath("structure_atlas.json").read_text("utf-8")
)
IDS = [s["id"] for s in RAW["structures"]]

# The 15 sites of the shared interface, with their kind: fixed ids, never renamed.
KINDS = {
    "iliolumbar_ligament": SiteKind.LIGAMENT,
    "posterior_sacroiliac_ligaments": SiteKind.LIGAMENT,
    "sacrospinous_ligament": SiteKind.LIGAMENT,
    "sacrotuberous_ligament": SiteKind.LIGAMENT,
    "lumbar_supraspinous_ligament": SiteKind.LIGAMENT,
    "lumbar_interspinous_ligaments": SiteKind.LIGAMENT,
    "common_extensor_origin": SiteKind.TENDON_ORIGIN,
    "common_flexor_origin": SiteKind.TENDON_ORIGIN,
    "supraspinatus_tendon": SiteKind.TENDON_INSERTION,
    "biceps_long_head_tendon": SiteKind.TENDON_SHEATH,
    "gluteal_tendon_insertions": SiteKind.TENDON_INSERTION,
    "patellar_tendon": SiteKind.TENDON_ORIGIN,
    "pes_anserine_insertion": SiteKind.TENDON_INSERTION,
    "plantar_fascia": SiteKind.APONEUROSIS,
    "achilles_insertion": SiteKind.TENDON_INSERTION,
}
MIDLINE = {"lumbar_supraspinous_ligament", "lumbar_interspinous_ligaments"}


def test_it_loads_the_15_structures_and_keeps_88_muscles():
    assert IDS == list(STRUCTURES) == list(KINDS)
    assert len(MUSCLES) == 88
    assert not set(MUSCLES) & set(STRUCTURES)
    assert list(SITES) == [*MUSCLES, *STRUCTURES]


@pytest.mark.parametrize("site_id", IDS)
def test_every_entry_is_filled_in(site_id):
    s = STRUCTURES[site_id]
    assert s.kind == KINDS[site_id]
    assert len(s.location) > 40 and s.location.endswith(".")
    assert s.local_regions, "where the structure lies and is tender"
    assert s.referral_status in ("secondary", "unverified", "none")
    assert s.cautions and all(c.strip() for c in s.cautions)
    # Sources: present unless the entry is from memory (the pages then say "unverified").
    assert s.sources or s.evidence == Evidence.MEMORY
    if s.evidence == Evidence.MEMORY:
        assert s.referral_status != "secondary"
    if s.referral_status == "secondary":
        assert s.sources and (s.primary or s.secondary)


@pytest.mark.parametrize("site_id", IDS)
def test_every_region_it_names_exists(site_id):
    s = STRUCTURES[site_id]
    named = (*s.local_regions, *s.primary, *s.secondary)
    assert set(named) <= set(REGIONS), set(named) - set(REGIONS)
    for regions in (s.local_regions, s.primary, s.secondary):
        assert len(set(regions)) == len(regions)
    assert not set(s.primary) & set(s.secondary)


@pytest.mark.parametrize("site_id", IDS)
def test_only_the_two_lumbar_midline_ligaments_are_midline(site_id):
    assert STRUCTURES[site_id].midline is (site_id in MIDLINE)


@pytest.mark.parametrize(
    ("site_id", "avoid", "high_risk"),
    [
        ("achilles_insertion", True, False),
        ("patellar_tendon", True, False),
        ("sacrospinous_ligament", False, True),
        ("sacrotuberous_ligament", False, True),
        ("plantar_fascia", False, False),
        ("common_flexor_origin", False, False),
    ],
)
def test_it_flags_steroid_avoidance_and_high_risk_sites(site_id, avoid, high_risk):
    s = STRUCTURES[site_id]
    assert s.steroid_avoid is avoid
    assert s.high_risk is high_risk
    assert s.high_risk is bool(s.injection_risk and s.injection_risk.startswith("HIGH RISK"))
    if avoid:
        assert s.steroid_caution and "steroid" in s.steroid_caution.lower()


def test_the_caution_texts_name_the_nearby_structures():
    text = {k: " ".join((*s.cautions, s.steroid_caution or "")) for k, s in STRUCTURES.items()}
    assert "pudendal" in text["sacrospinous_ligament"]
    assert "sciatic" in text["sacrospinous_ligament"]
    assert "ulnar nerve" in text["common_flexor_origin"].lower()
    assert "radial nerve" in text["common_extensor_origin"]
    assert "20610" in text["pes_anserine_insertion"]
    assert "fat pad" in text["plantar_fascia"] and "rupture" in text["plantar_fascia"]
    assert "tibial" in text["achilles_insertion"]


@pytest.mark.parametrize("site_id", [*KINDS, "temporalis", "quadratus_lumborum"])
def test_kind_of_names_every_site_with_a_label(site_id):
    kind = atlas.kind_of(site_id)
    assert kind == KINDS.get(site_id, SiteKind.MUSCLE)
    assert kind.label == SITE_KIND_LABELS[kind]


def test_the_kind_labels_read_as_staff_say_them():
    assert [k.label for k in SiteKind] == [
        "Muscle",
        "Ligament",
        "Tendon sheath",
        "Tendon origin",
        "Tendon insertion",
        "Aponeurosis",
    ]


@pytest.mark.parametrize("bad", ["knee", "", None, 3])
def test_kind_of_refuses_unknown_sites(bad):
    with pytest.raises(ValueError, match="site_id"):
        atlas.kind_of(bad)


def test_it_draws_a_structures_pattern():
    found = atlas.pattern("iliolumbar_ligament")
    s = STRUCTURES["iliolumbar_ligament"]
    assert found.muscle_id == "iliolumbar_ligament"
    assert found.trp == s.local_regions == ("low_back", "iliac_crest_posterior")
    assert "groin" in found.primary
    assert found.contralateral_primary == found.contralateral_secondary == ()


def test_pattern_still_refuses_unknown_sites():
    with pytest.raises(ValueError, match="muscle_id"):
        atlas.pattern("knee_ligament")


def test_the_reverse_view_lists_structures_after_the_muscles():
    links = atlas.sites_for_region("heel")
    assert atlas.sites_for_region is atlas.muscles_for_region
    ids = [link.muscle_id for link in links]
    first_structure = next(i for i, site in enumerate(ids) if site in STRUCTURES)
    assert all(site in MUSCLES for site in ids[:first_structure])
    assert all(site in STRUCTURES for site in ids[first_structure:])
    found = {(link.muscle_id, link.zone) for link in links if link.muscle_id in STRUCTURES}
    assert found == {
        ("achilles_insertion", Zone.PRIMARY),
        ("achilles_insertion", Zone.TRP),
        ("plantar_fascia", Zone.PRIMARY),
        ("plantar_fascia", Zone.TRP),
        ("sacrotuberous_ligament", Zone.SECONDARY),
    }
    assert not any(link.contralateral for link in links if link.muscle_id in STRUCTURES)


# Ranking with the muscles

LOW_BACK_AND_BUTTOCK = [
    ("low_back", "left"),
    ("buttock", "left"),
    ("sacroiliac", "left"),
    ("iliac_crest_posterior", "left"),
]


def test_a_low_back_and_buttock_drawing_suggests_the_iliolumbar_ligament_among_the_muscles():
    found = atlas.rank(LOW_BACK_AND_BUTTOCK, limit=8)  # the exam page's limit
    keys = [(s.muscle_id, s.side) for s in found]
    assert ("iliolumbar_ligament", Side.LEFT) in keys
    assert ("quadratus_lumborum", Side.LEFT) in keys  # among the muscles
    iliolumbar = found[keys.index(("iliolumbar_ligament", Side.LEFT))]
    assert iliolumbar.kind == SiteKind.LIGAMENT
    # Low back and posterior iliac crest: essential zone and local tenderness (1.3 each of 4).
    assert iliolumbar.score == 0.65
    assert [m.region_id for m in iliolumbar.trp_matches] == ["low_back", "iliac_crest_posterior"]
    assert not any(s.muscle_id == "iliolumbar_ligament" and s.side == Side.RIGHT for s in found)


def test_a_midline_ligament_is_suggested_once_without_a_side_from_either_side():
    for side in ("left", "right"):
        found = [s for s in atlas.rank([("low_back", side)]) if s.muscle_id in MIDLINE]
        assert {(s.muscle_id, s.side) for s in found} == {(site, None) for site in MIDLINE}
    both = atlas.rank([("low_back", "left"), ("low_back", "right")])
    interspinous = [s for s in both if s.muscle_id == "lumbar_interspinous_ligaments"]
    assert len(interspinous) == 1
    assert interspinous[0].coverage == 1.0  # both marks explained


@pytest.mark.parametrize(
    ("marks", "site_id"),
    [
        ([("elbow_lateral", "right")], "common_extensor_origin"),
        ([("elbow_medial", "left")], "common_flexor_origin"),
        ([("heel", "left"), ("sole_arch", "left")], "plantar_fascia"),
        ([("achilles", "right")], "achilles_insertion"),
        (
            [("thigh_posterior", "left"), ("calf", "left"), ("heel", "left")],
            "sacrotuberous_ligament",
        ),
    ],
)
def test_local_pain_ranks_the_structure_near_the_top(marks, site_id):
    found = atlas.rank(marks, limit=5)
    assert site_id in [s.muscle_id for s in found]


def test_the_muscles_rank_among_themselves_as_before():
    # Adding the structures never changes the muscles' scores or their order.
    found = atlas.rank(LOW_BACK_AND_BUTTOCK)
    muscles = [(s.muscle_id, s.side, s.score) for s in found if s.muscle_id in MUSCLES]
    assert muscles[:3] == [
        ("gluteus_medius", Side.LEFT, 1.075),
        ("quadratus_lumborum", Side.LEFT, 0.825),
        ("gluteus_maximus", Side.LEFT, 0.7),
    ]
