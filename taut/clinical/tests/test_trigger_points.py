"""Trigger point classification: taut.clinical.trigger_points. Sources: clinical.md §1 (ids of §9)."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical.trigger_points import (
    CLUSTER,
    SUPPORTING,
    VERSION,
    Findings,
    Kind,
    classify,
    injection_indicated,
)

T, F, N = True, False, None

# (taut band, spot tenderness, referred pain, recognised, supporting findings) -> kind
CASES = [
    # [S5] Delphi 2018: the essential cluster, and the patient recognises the pain.
    ("delphi_active", (T, T, T, T), {}, Kind.ACTIVE, ()),
    # [S5], [S11a], [S4b]: the cluster without recognition is a latent trigger point.
    ("delphi_latent", (T, T, T, F), {}, Kind.LATENT, ()),
    # [S8a], [S5]: twitch, jump sign and limited stretch support an active point...
    ("active_with_all_support", (T, T, T, T), {"twitch": T, "jump_sign": T, "limited_stretch": T},
     Kind.ACTIVE, ()),
    # ...and, outside the Delphi essential cluster [S5], their absence changes nothing.
    ("active_without_support", (T, T, T, T), {"twitch": F, "jump_sign": F, "limited_stretch": F},
     Kind.ACTIVE, ()),
    # [S11a], [S4]: tenderness without referral is a tender point, not a trigger point.
    ("tender_point", (T, T, F, T), {}, Kind.NOT_CONFIRMED, ()),
    # [S5]: a taut band alone is not a trigger point.
    ("taut_band_only", (T, F, F, N), {}, Kind.NOT_CONFIRMED, ()),
    # [S5]: spot and referral without a taut band.
    ("no_taut_band", (F, T, T, T), {}, Kind.NOT_CONFIRMED, ()),
    # [S6] Gerwin 1997 features (LTR, reproduction of usual pain) without a taut band.
    ("gerwin_without_band", (F, T, T, T), {"twitch": T}, Kind.NOT_CONFIRMED, ()),
    # Simons 1999 (memory in clinical.md) would accept this without referral; Delphi does not.
    ("simons_without_referral", (T, T, F, T), {"limited_stretch": T}, Kind.NOT_CONFIRMED, ()),
    # [S7b]: spot tenderness is the criterion trials use most, but not enough on its own.
    ("spot_only", (F, T, F, N), {}, Kind.NOT_CONFIRMED, ()),
    # Three-valued: one absent cluster finding decides, whatever was not examined.
    ("absent_beats_unexamined", (N, N, F, N), {}, Kind.NOT_CONFIRMED, ()),
    # Not examined: never guessed, and each missing finding is named.
    ("nothing_examined", (N, N, N, N), {}, Kind.INCOMPLETE,
     ("taut_band", "spot_tenderness", "referred_pain", "recognised")),
    ("referral_not_examined", (T, T, N, T), {}, Kind.INCOMPLETE, ("referred_pain",)),
    ("band_not_examined", (N, T, T, F), {"twitch": T}, Kind.INCOMPLETE, ("taut_band",)),
    # [S5]: active vs latent turns on recognition; without it, the point is incomplete.
    ("recognition_not_asked", (T, T, T, N), {}, Kind.INCOMPLETE, ("recognised",)),
    ("referral_and_recognition_missing", (T, T, N, N), {}, Kind.INCOMPLETE,
     ("referred_pain", "recognised")),
]  # fmt: skip


def findings(cluster_and_recognition, **supporting) -> Findings:
    band, spot, referral, recognised = cluster_and_recognition
    return Findings(
        taut_band=band,
        spot_tenderness=spot,
        referred_pain=referral,
        recognised=recognised,
        **supporting,
    )


@pytest.mark.parametrize(
    ("case", "cluster", "supporting", "kind", "missing"), CASES, ids=[c[0] for c in CASES]
)
def test_it_classifies_the_reference_cases(case, cluster, supporting, kind, missing):
    result = classify(findings(cluster, **supporting))
    assert result.kind == kind
    assert result.missing == missing
    assert result.version == VERSION


def codes(result) -> list[str]:
    return [reason.code for reason in result.reasons]


def test_it_explains_an_active_point_with_its_sources():
    result = classify(findings((T, T, T, T), twitch=T))
    assert codes(result) == [
        "active",
        "taut_band_present",
        "spot_tenderness_present",
        "referred_pain_present",
        "recognised",
        "twitch_present",
    ]
    conclusion = result.reasons[0]
    assert "[S5]" in conclusion.source and "[S11a]" in conclusion.source
    assert "recognises the pain" in conclusion.text
    assert all(reason.source and reason.status == "verified" for reason in result.reasons)


def test_it_says_a_latent_point_needs_no_injection():
    result = classify(findings((T, T, T, F)))
    assert result.reasons[0].code == "latent"
    assert "need no injection" in result.reasons[0].text
    assert "[S8c]" in result.reasons[0].source


def test_it_calls_tenderness_without_referral_a_tender_point():
    result = classify(findings((T, T, F, T)))
    assert "tender point" in result.reasons[0].text
    assert "[S11a]" in result.reasons[0].source


def test_it_names_what_is_missing_in_plain_words():
    result = classify(findings((T, N, N, T)))
    assert result.kind == Kind.INCOMPLETE
    assert result.missing == ("spot_tenderness", "referred_pain")
    assert "hypersensitive spot" in result.reasons[0].text
    assert "referred pain" in result.reasons[0].text
    assert "does not guess" in result.reasons[0].text
    assert "referred_pain_not_examined" in codes(result)


def test_it_says_an_unexamined_finding_would_not_change_a_negative_result():
    result = classify(findings((N, T, F, N)))
    assert result.kind == Kind.NOT_CONFIRMED
    assert result.missing == ()
    band = next(r for r in result.reasons if r.code == "taut_band_not_examined")
    assert "would not change" in band.text
    assert "recognised_not_examined" not in codes(result)


def test_it_lists_supporting_findings_as_not_required():
    result = classify(findings((T, T, T, T), twitch=F, jump_sign=T))
    by_code = {reason.code: reason for reason in result.reasons}
    assert "not required" in by_code["twitch_absent"].text
    assert "not required" in by_code["jump_sign_present"].text
    assert "limited_stretch_present" not in by_code  # not examined: not mentioned


@pytest.mark.parametrize(
    ("kind", "indicated"),
    [
        (Kind.ACTIVE, True),  # [S8c]: injection is indicated for active trigger points
        (Kind.LATENT, False),  # [S8c]: latent ones need no treatment
        (Kind.NOT_CONFIRMED, False),  # [S8c]: tenderness alone is not an indication
        (Kind.INCOMPLETE, False),
        ("active", True),
        ("latent", False),
    ],
)
def test_it_indicates_injection_for_active_points_only(kind, indicated):
    assert injection_indicated(kind) is indicated


@pytest.mark.parametrize("bad", ["Active", "tender", None, 1, ["active"]])
def test_it_refuses_an_unknown_kind(bad):
    with pytest.raises(ValueError, match=r"^kind: unknown kind"):
        injection_indicated(bad)


@pytest.mark.parametrize("field", [*CLUSTER, "recognised", *SUPPORTING])
@pytest.mark.parametrize("bad", [1, 0, "yes", "", 1.0])
def test_it_refuses_a_finding_that_is_not_true_false_or_none(field, bad):
    with pytest.raises(ValueError, match=rf"^{field}: expected True, False or None"):
        Findings(**{field: bad})


def test_it_refuses_anything_but_findings():
    with pytest.raises(ValueError, match=r"^findings: expected Findings"):
        classify({"taut_band": True})


# --- properties ---------------------------------------------------------------------------

values = st.sampled_from([True, False, None])
all_findings = st.builds(
    Findings,
    taut_band=values,
    spot_tenderness=values,
    referred_pain=values,
    recognised=values,
    twitch=values,
    jump_sign=values,
    limited_stretch=values,
)


def oracle(f: Findings) -> Kind:
    """Kleene's three-valued AND of the cluster, then recognition: an independent reading."""
    cluster = [f.taut_band, f.spot_tenderness, f.referred_pain]
    if False in cluster:
        return Kind.NOT_CONFIRMED
    if None in cluster or f.recognised is None:
        return Kind.INCOMPLETE
    return Kind.ACTIVE if f.recognised else Kind.LATENT


@given(all_findings)
def test_it_agrees_with_three_valued_logic(f):
    assert classify(f).kind == oracle(f)


@given(all_findings, st.sampled_from(SUPPORTING))
def test_it_never_changes_the_kind_when_a_supporting_finding_is_found(f, name):
    before = classify(f).kind
    assert classify(dataclasses.replace(f, **{name: True})).kind == before


@given(all_findings, st.fixed_dictionaries(dict.fromkeys(SUPPORTING, values)))
def test_it_never_lets_supporting_findings_decide(f, supporting):
    assert classify(dataclasses.replace(f, **supporting)).kind == classify(f).kind


@given(all_findings)
def test_it_is_incomplete_on_an_unexamined_cluster_finding_unless_another_is_absent(f):
    cluster = [getattr(f, name) for name in CLUSTER]
    result = classify(f)
    if None in cluster:
        expected = Kind.NOT_CONFIRMED if False in cluster else Kind.INCOMPLETE
        assert result.kind == expected
    if result.kind == Kind.INCOMPLETE:
        missing = [name for name in (*CLUSTER, "recognised") if getattr(f, name) is None]
        assert list(result.missing) == missing
    else:
        assert result.missing == ()


@given(all_findings, st.sampled_from([*CLUSTER, "recognised"]), st.booleans())
def test_it_never_changes_a_decided_kind_when_a_missing_finding_is_filled_in(f, name, value):
    before = classify(f)
    if before.kind != Kind.INCOMPLETE and getattr(f, name) is None:
        assert classify(dataclasses.replace(f, **{name: value})).kind == before.kind


@given(all_findings)
def test_it_explains_every_cluster_finding_and_starts_with_the_conclusion(f):
    result = classify(f)
    assert result.reasons[0].code == result.kind.value
    # Every cluster finding has a line, in examination order, whatever its value.
    cluster_lines = [reason.code for reason in result.reasons[1:4]]
    assert all(
        code.startswith(name + "_") for code, name in zip(cluster_lines, CLUSTER, strict=True)
    )
    assert all(reason.text and reason.source for reason in result.reasons)
    assert injection_indicated(result.kind) == (result.kind == Kind.ACTIVE)
