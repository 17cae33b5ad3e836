"""Ligament and tendon sites (issue 15) in the site checks, steroid cautions, payer checks,
consent and check-ins: a structure is never a trigger point, never a TPI region, never over
the lung; a midline ligament is recorded "midline" and nothing else is.

Sources: [S71] (20550/20551), [S49], [S50] (the TPI LCDs cover trigger points), [S75]
(tendon and ligament injection LCD L34076 / article A52863), [S73] (NCD 150.7), [S74]; the
structure atlas for cautions (as each entry's evidence).
"""

import dataclasses
from datetime import date

import pytest

from taut.clinical import atlas, checkins, consent, payer, site_checks
from taut.clinical.site_checks import PointStatus
from taut.clinical.sites import Side, read_side, read_site_side

L, R, M = "left", "right", "midline"
MIDLINE = {"lumbar_supraspinous_ligament", "lumbar_interspinous_ligaments"}


# --- sides ------------------------------------------------------------------------------


def test_it_reads_midline_only_when_asked():
    assert read_side("midline", "side", midline=True) is Side.MIDLINE
    with pytest.raises(ValueError, match=r"^side: expected 'left' or 'right'"):
        read_side("midline", "side")


@pytest.mark.parametrize(
    ("value", "midline_site", "ok"),
    [
        (M, True, True),
        (L, True, False),
        (M, False, False),
        (R, False, True),
        ("both", False, False),
    ],
)
def test_it_gives_midline_to_midline_sites_only(value, midline_site, ok):
    if ok:
        assert read_site_side(value, "side", midline_site=midline_site) == value
    else:
        with pytest.raises(ValueError, match=r"^side"):
            read_site_side(value, "side", midline_site=midline_site)


def test_the_midline_structures_are_the_two_lumbar_ligaments():
    assert {s.id for s in atlas.STRUCTURES.values() if s.midline} == MIDLINE


# --- site checks ------------------------------------------------------------------------


@pytest.mark.parametrize("site", sorted(atlas.STRUCTURES))
def test_a_structure_never_counts_toward_20552(site):
    counts, why = site_checks.counts_toward_tpi(PointStatus.ACTIVE, "any reason", site=site)
    assert counts is False and "20550/20551" in why


def test_a_muscle_still_counts_with_its_site_named():
    assert site_checks.counts_toward_tpi(PointStatus.ACTIVE, "", site="trapezius_upper")[0]


NEEDS = [
    # (structure exam kind, injected, asks a reason) [S75], [S77]; Taut's reading
    ("symptomatic", True, False),
    ("tender", True, True),
    ("not_tender", True, True),
    ("incomplete", True, True),
    (None, True, True),
    ("not_examined", True, True),
    ("tender", False, False),  # dry needling asks no reason
]


@pytest.mark.parametrize(("kind", "injected", "reason"), NEEDS)
def test_it_asks_a_reason_to_inject_a_structure_that_is_not_symptomatic(kind, injected, reason):
    needs = site_checks.site_needs(
        muscle="iliolumbar_ligament", landmark=False, injected=injected, point=kind
    )
    assert needs.point_reason is reason
    assert len(needs.texts) == int(reason)


def test_it_refuses_a_trigger_point_kind_for_a_structure():
    with pytest.raises(ValueError, match=r"^point"):
        site_checks.site_needs(
            muscle="iliolumbar_ligament", landmark=False, injected=True, point="latent"
        )


@pytest.mark.parametrize("site", sorted(atlas.STRUCTURES))
def test_it_reads_high_risk_from_the_structure_atlas(site):
    risk = site_checks.high_risk(site)
    assert (risk is not None) is atlas.STRUCTURES[site].high_risk


def test_it_shows_a_high_risk_structure_with_its_note(monkeypatch):
    entry = dataclasses.replace(
        atlas.STRUCTURES["sacrospinous_ligament"], high_risk=True, injection_risk="Nerve near."
    )
    monkeypatch.setattr(atlas, "STRUCTURES", {**atlas.STRUCTURES, entry.id: entry})
    needs = site_checks.site_needs(
        muscle=entry.id, landmark=True, injected=True, point="symptomatic"
    )
    assert needs.confirm_risk and "Nerve near." in needs.texts[0]


# --- steroid cautions -------------------------------------------------------------------


def test_it_gives_each_structures_steroid_caution_from_the_atlas():
    sites = ["trapezius_upper", *atlas.STRUCTURES, "achilles_insertion"]
    found = site_checks.steroid_site_cautions(sites)
    expected = [s.id for s in atlas.STRUCTURES.values() if s.steroid_caution or s.steroid_avoid]
    assert [c.site for c in found] == expected  # each once, muscles none, in order
    for site, text, source in found:
        entry = atlas.STRUCTURES[site]
        assert text == (entry.steroid_caution or site_checks.STEROID_AVOID_TEXT) and source


def test_it_says_no_steroid_into_a_tendon_the_atlas_marks_without_words(monkeypatch):
    entry = dataclasses.replace(
        atlas.STRUCTURES["achilles_insertion"], steroid_avoid=True, steroid_caution=None
    )
    own = dataclasses.replace(
        atlas.STRUCTURES["patellar_tendon"], steroid_avoid=True, steroid_caution="Own words."
    )
    monkeypatch.setattr(atlas, "STRUCTURES", {**atlas.STRUCTURES, entry.id: entry, own.id: own})
    found = site_checks.steroid_site_cautions([entry.id, own.id])
    assert [c.text for c in found] == [site_checks.STEROID_AVOID_TEXT, "Own words."]


def test_muscles_have_no_steroid_site_caution():
    assert site_checks.steroid_site_cautions(["trapezius_upper", "gluteus_medius"]) == ()


@pytest.mark.parametrize(
    ("bad", "message"), [(["nope"], r"^site_ids\[0\]"), ("achilles", r"^site_ids")]
)
def test_it_refuses_unknown_sites(bad, message):
    with pytest.raises(ValueError, match=message):
        site_checks.steroid_site_cautions(bad)


# --- payer ------------------------------------------------------------------------------


def record(day, sites):
    return payer.SessionRecord(date=day, sites=frozenset(sites), baseline=6)


def test_a_structure_is_not_a_tpi_region():
    with pytest.raises(ValueError, match="not a TPI region"):
        payer.region_of("iliolumbar_ligament")
    assert record(date(2026, 1, 5), {"iliolumbar_ligament", "quadratus_lumborum"}).regions == {
        payer.AnatomicalRegion.LUMBAR
    }


def test_the_tpi_checks_ignore_structure_sites():
    """Two structure-only sessions do not count toward the LCD's 3 a year; a ligament in
    another place does not make a second region [S49]."""
    history = payer.TreatmentHistory(
        sessions=(
            record(date(2026, 1, 5), {"plantar_fascia"}),
            record(date(2026, 2, 5), {"achilles_insertion"}),
            record(date(2026, 3, 5), {"common_extensor_origin"}),
        ),
        planned=payer.PlannedSession(
            sites=frozenset({"quadratus_lumborum", "patellar_tendon"}),
            conservative_programme_active=True,
        ),
    )
    decision = payer.repeat_eligibility(history, on=date(2026, 4, 1), policy="L34211")
    assert decision.check("sessions_in_12_months").passed is True
    assert "0 sessions" in decision.check("sessions_in_12_months").text
    assert decision.check("one_region").passed is True
    assert decision.check("interval_same_region").passed is True


def test_a_session_of_structures_only_is_not_judged_by_the_tpi_lcd():
    history = payer.TreatmentHistory(
        sessions=(),
        planned=payer.PlannedSession(
            sites=frozenset({"iliolumbar_ligament"}), conservative_programme_active=True
        ),
    )
    decision = payer.repeat_eligibility(history, on=date(2026, 4, 1), policy="L34211")
    assert decision.eligible
    assert "do not apply to ligament and tendon sites" in decision.check("one_region").text


STRUCTURE_CHECKS = [
    # (sites, prolotherapy, clinic limit, {code: passed})
    (["trapezius_upper"], False, None, {}),
    ([("iliolumbar_ligament", L)], False, None, {"structure_rules": True, "structure_limit": True}),
    (
        [("plantar_fascia", L), ("plantar_fascia", R), "trapezius_upper"],
        False,
        1,
        {"structure_rules": True, "structure_limit": False},
    ),
    (
        [("plantar_fascia", L), ("plantar_fascia", L)],
        False,
        1,
        {"structure_rules": True, "structure_limit": True},
    ),
    (
        [("iliolumbar_ligament", L)],
        True,
        None,
        {"structure_rules": True, "structure_limit": True, "prolotherapy": False},
    ),
    ([], True, None, {"prolotherapy": False}),
]


@pytest.mark.parametrize(("sites", "prolo", "limit", "expected"), STRUCTURE_CHECKS)
def test_it_says_what_applies_to_structures_instead(sites, prolo, limit, expected):
    policy = dataclasses.replace(payer.POLICIES["L34211"], structure_sites_per_session=limit)
    checks = payer.structure_checks(sites, prolotherapy=prolo, policy=policy)
    assert {c.code: c.passed for c in checks} == expected
    assert all(c.text and c.status in payer.STATUSES for c in checks)


def test_it_cites_the_tendon_lcd_and_ncd_150_7():
    checks = payer.structure_checks(["iliolumbar_ligament"], prolotherapy=True, policy="L36859")
    by_code = {c.code: c for c in checks}
    assert (
        "S75" in by_code["structure_rules"].source and "A52863" in by_code["structure_rules"].text
    )
    assert "NCD 150.7" in by_code["prolotherapy"].text and "S73" in by_code["prolotherapy"].source
    # Prolotherapy is not 20550/20551: the structure line says so [S74].
    assert "M0076 instead" in by_code["structure_rules"].text
    plain = payer.structure_checks(["iliolumbar_ligament"], prolotherapy=False, policy="L36859")
    assert "M0076" not in plain[0].text


@pytest.mark.parametrize("limit", [0, -1, 1.5, "2", True])
def test_it_refuses_a_bad_clinic_limit(limit):
    with pytest.raises(ValueError, match=r"^structure_sites_per_session"):
        dataclasses.replace(payer.POLICIES["L34211"], structure_sites_per_session=limit)


@pytest.mark.parametrize(
    ("sites", "message"),
    [(["nope"], r"^sites\[0\]"), ("iliolumbar_ligament", r"^sites"), ([("a",)], r"^sites\[0\]")],
)
def test_it_refuses_sites_it_cannot_read(sites, message):
    with pytest.raises(ValueError, match=message):
        payer.structure_checks(sites, prolotherapy=False, policy="L34211")


# --- consent and check-ins --------------------------------------------------------------


def test_every_structure_is_placed_on_one_side_of_the_lung_line():
    assert (
        set(atlas.STRUCTURES)
        == consent.PNEUMOTHORAX_STRUCTURES | consent.NO_PNEUMOTHORAX_STRUCTURES
    )
    assert not consent.PNEUMOTHORAX_STRUCTURES & consent.NO_PNEUMOTHORAX_STRUCTURES


def test_consent_reads_structure_sites_with_their_sides():
    sites = [("lumbar_supraspinous_ligament", M), ("patellar_tendon", L), ("scalenes", R)]
    assert consent.pneumothorax_sites(sites) == (("scalenes", Side.RIGHT),)
    with pytest.raises(ValueError, match=r"^sites\[0\]\.side"):
        consent.required_risks([("lumbar_supraspinous_ligament", L)])


def test_check_ins_ask_no_chest_question_after_structure_sites():
    asked = checkins.questions(
        "day_1",
        sites=[("lumbar_interspinous_ligaments", M), ("achilles_insertion", R)],
        has_goals=False,
    )
    ids = [q.id for q in asked]
    assert "breathing" not in ids and "chest_pain" not in ids and "soreness" in ids
