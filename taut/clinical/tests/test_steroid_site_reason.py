"""A steroid at a tendon the structure atlas says takes none (hazard H18): recorded only with
the clinician's reason, which the rule asks for with the atlas's caution and source.

Source of the cases: the structure atlas entries (``steroid_avoid``: the Achilles insertion
and the patellar tendon; tendon rupture after intratendinous steroid)."""

import pytest

from taut.clinical import atlas, site_checks

AVOID = ("achilles_insertion", "patellar_tendon")

# (site, steroid, needed): only a steroid at a steroid_avoid tendon asks for the reason.
CASES = [
    ("achilles_insertion", True, True),
    ("patellar_tendon", True, True),
    ("achilles_insertion", False, False),  # no steroid: nothing to explain
    ("patellar_tendon", False, False),
    ("common_extensor_origin", True, False),  # a caution of its own, shown, not asked
    ("biceps_long_head_tendon", True, False),
    ("plantar_fascia", True, False),
    ("iliolumbar_ligament", True, False),  # no steroid caution at all
    ("trapezius_upper", True, False),  # muscles: their steroid rules are ``steroids``
    ("gastrocnemius", True, False),
]


@pytest.mark.parametrize(("site", "steroid", "needed"), CASES)
def test_it_asks_a_reason_for_a_steroid_only_where_the_atlas_says_avoid(site, steroid, needed):
    caution = site_checks.steroid_reason_needed(site, steroid=steroid)
    assert (caution is not None) is needed
    needs = site_checks.site_needs(
        muscle=site,
        landmark=False,
        injected=True,
        point="symptomatic" if site in atlas.STRUCTURES else "active",
        steroid=steroid,
    )
    assert needs.steroid_reason is needed
    assert needs.steroid == caution
    assert len(needs.texts) == int(needed)  # symptomatic / active: nothing else asked


@pytest.mark.parametrize("site", AVOID)
def test_it_gives_the_atlas_caution_and_source_with_the_need(site):
    entry = atlas.STRUCTURES[site]
    caution = site_checks.steroid_reason_needed(site, steroid=True)
    assert caution is not None and entry.steroid_avoid
    assert caution.site == site
    assert caution.text == (entry.steroid_caution or site_checks.STEROID_AVOID_TEXT)
    assert caution.source and caution.source == "; ".join(entry.sources)
    (text,) = site_checks.site_needs(
        muscle=site, landmark=False, injected=True, point="symptomatic", steroid=True
    ).texts
    assert entry.name in text and caution.text in text and caution.source in text
    assert site_checks.STEROID_REASON_EXAMPLE in text


def test_the_steroid_text_comes_after_the_risk_and_point_texts():
    """``require_site_needs`` reads the texts in order: risk, point, steroid."""
    needs = site_checks.site_needs(
        muscle="achilles_insertion", landmark=False, injected=True, point="tender", steroid=True
    )
    assert (needs.point_reason, needs.steroid_reason) == (True, True)
    assert "recognised" in needs.texts[0] and "steroid" in needs.texts[1]


def test_every_steroid_avoid_tendon_is_covered_by_the_table():
    assert {s.id for s in atlas.STRUCTURES.values() if s.steroid_avoid} == set(AVOID)


@pytest.mark.parametrize(
    ("site", "steroid", "field"),
    [
        ("achilles", True, "site"),
        (None, True, "site"),
        ("achilles_insertion", "yes", "steroid"),
        ("achilles_insertion", 1, "steroid"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(site, steroid, field):
    with pytest.raises(ValueError, match=rf"^{field}"):
        site_checks.steroid_reason_needed(site, steroid=steroid)


def test_site_needs_refuses_a_steroid_that_is_not_a_flag():
    with pytest.raises(ValueError, match="steroid"):
        site_checks.site_needs(
            muscle="patellar_tendon", landmark=False, injected=True, point=None, steroid="no"
        )
