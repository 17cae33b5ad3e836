"""Coding a whole session: injections and dry needling apart, uncounted muscles, and what a
site needs confirmed (high-risk sites, muscles without an active trigger point).

Source ids are those of docs/clinical-rules.md (shared/reference/clinical.md §9).
"""

import pytest

from taut.clinical import site_checks
from taut.clinical.session_coding import CodedSite, session_coding
from taut.clinical.site_checks import PointStatus, counts_toward_tpi, high_risk, site_needs

L, R = "left", "right"
ACTIVE, LATENT = PointStatus.ACTIVE, PointStatus.LATENT
NOT_CONFIRMED, NOT_EXAMINED = PointStatus.NOT_CONFIRMED, PointStatus.NOT_EXAMINED


def tpi(muscle, side=L, point=ACTIVE, reason=""):
    return CodedSite(muscle, side, False, point, reason)


def dn(muscle, side=L):
    return CodedSite(muscle, side, True)


SESSION_CASES = [
    # (sites, injection code, dry-needling code); 20552/20553 count injected muscles
    # [S45c], [S47]; 20560/20561 count dry-needled muscles [S48], never toward 20552/20553.
    ([tpi("trapezius_upper")], "20552", None),
    ([dn("trapezius_upper"), dn("rhomboids"), dn("infraspinatus")], None, "20561"),
    # Mixed: 2 injected + 3 dry-needled is 20552 and 20561, not 20553 for 5 muscles.
    (
        [
            tpi("trapezius_upper"),
            tpi("levator_scapulae"),
            dn("rhomboids"),
            dn("infraspinatus"),
            dn("supraspinatus"),
        ],
        "20552",
        "20561",
    ),
    ([tpi("trapezius_upper"), dn("rhomboids")], "20552", "20560"),
    # A muscle both injected and needled counts once, as injected (conservative).
    ([tpi("rhomboids"), dn("rhomboids")], "20552", None),
    # Not confirmed on the exam: never counted, even with a reason [S49], [S50].
    ([tpi("trapezius_upper", point=NOT_CONFIRMED, reason="Patient asked")], None, None),
    (
        [
            tpi("trapezius_upper"),
            tpi("levator_scapulae"),
            tpi("rhomboids", point=NOT_CONFIRMED, reason="tender"),
        ],
        "20552",
        None,
    ),
    # Latent: counted only with the reason recorded [S8c], [S11a].
    ([tpi("trapezius_upper", point=LATENT)], None, None),
    ([tpi("trapezius_upper", point=LATENT, reason="Limits neck rotation")], "20552", None),
    # Not examined: no documented trigger point, not counted.
    ([tpi("trapezius_upper", point=NOT_EXAMINED, reason="x")], None, None),
    # Right and left are two muscles [S45].
    (
        [tpi("trapezius_upper", L), tpi("trapezius_upper", R), tpi("rhomboids")],
        "20553",
        None,
    ),
    ([], None, None),
]


@pytest.mark.parametrize(("sites", "injection", "dry"), SESSION_CASES)
def test_it_codes_injections_and_dry_needling_apart(sites, injection, dry):
    result = session_coding(sites)
    assert result.injection.code == injection
    assert result.dry_needling.code == dry


def test_it_warns_that_dry_needling_is_coded_apart_and_outside_the_lcds():
    result = session_coding([tpi("trapezius_upper"), dn("rhomboids"), dn("infraspinatus")])
    warning = result.warnings[0]
    assert "20552 for the injected muscles and 20560 for the 2 dry-needled muscles" in warning
    assert "never count toward 20552/20553" in warning
    assert "exclude dry needling" in warning and "[S49]" in warning


def test_it_names_each_uncounted_muscle_and_why():
    result = session_coding(
        [tpi("trapezius_upper"), tpi("rhomboids", R, point=NOT_CONFIRMED, reason="Very tender")]
    )
    assert [(m.muscle, m.side) for m in result.not_counted] == [("Rhomboid major & minor", R)]
    assert "no trigger point confirmed" in result.not_counted[0].why
    assert "Very tender" in result.not_counted[0].why
    assert any("Rhomboid major & minor (right)" in w for w in result.warnings)


def test_it_has_no_warning_for_a_plain_session():
    assert session_coding([tpi("trapezius_upper")]).warnings == ()


@pytest.mark.parametrize(
    "bad",
    [
        [("trapezius_upper", L)],
        [CodedSite("nope", L)],
        [CodedSite("trapezius_upper", "both")],
        [CodedSite("trapezius_upper", L, dry_needling="no")],  # type: ignore[arg-type]
    ],
)
def test_it_refuses_sites_it_cannot_read(bad):
    with pytest.raises(ValueError, match=r"^sites\[0\]"):
        session_coding(bad)


COUNT_CASES = [
    # (point, reason, counts); [S8c] active only need injection; [S49], [S50] documented TrP.
    (ACTIVE, "", True),
    (LATENT, "", False),
    (LATENT, "   ", False),
    (LATENT, "Restricts shoulder abduction", True),
    (NOT_CONFIRMED, "", False),
    (NOT_CONFIRMED, "Clinician judgement", False),
    (PointStatus.INCOMPLETE, "reason", False),
    (NOT_EXAMINED, "reason", False),
]


@pytest.mark.parametrize(("point", "reason", "counts"), COUNT_CASES)
def test_it_counts_a_muscle_only_with_a_documented_point(point, reason, counts):
    assert counts_toward_tpi(point, reason)[0] is counts


HIGH_RISK_CASES = [
    # (muscle, high risk); atlas "HIGH RISK" marks (secondary); chest wall [S9], [S14].
    ("suboccipitals", True),  # vertebral artery
    ("intercostals", True),  # pleura
    ("scalenes", True),
    ("serratus_anterior", True),  # chest wall: pneumothorax reported [S14]
    ("pectoralis_major", True),  # chest wall
    ("trapezius_upper", False),
    ("gluteus_medius", False),
]


@pytest.mark.parametrize(("muscle", "risky"), HIGH_RISK_CASES)
def test_it_knows_the_high_risk_sites(muscle, risky):
    assert (high_risk(muscle) is not None) is risky


def test_it_names_the_structure_at_risk():
    risk = high_risk("suboccipitals")
    assert risk is not None and "vertebral artery" in risk.text
    chest = high_risk("serratus_anterior")
    assert chest is not None and "pleura" in chest.text.lower()


NEEDS_CASES = [
    # (muscle, landmark, injected, point, confirm risk, point reason)
    ("suboccipitals", True, True, ACTIVE, True, False),
    ("suboccipitals", False, True, ACTIVE, False, False),  # ultrasound-guided
    ("serratus_anterior", True, False, NOT_EXAMINED, True, False),  # dry needling, no reason
    ("trapezius_upper", True, True, NOT_CONFIRMED, False, True),
    ("trapezius_upper", True, True, LATENT, False, True),
    ("trapezius_upper", True, True, NOT_EXAMINED, False, True),
    ("trapezius_upper", True, True, ACTIVE, False, False),
]


@pytest.mark.parametrize(("muscle", "landmark", "injected", "point", "risk", "reason"), NEEDS_CASES)
def test_it_asks_for_confirmation_and_reasons(muscle, landmark, injected, point, risk, reason):
    needs = site_needs(muscle=muscle, landmark=landmark, injected=injected, point=point)
    assert needs.confirm_risk is risk
    assert needs.suggest_ultrasound is risk
    assert needs.point_reason is reason
    assert len(needs.texts) == int(risk) + int(reason)


def test_it_suggests_ultrasound_and_says_the_lcds_do_not_cover_it():
    needs = site_needs(muscle="intercostals", landmark=True, injected=True, point=ACTIVE)
    assert "ultrasound guidance is suggested" in needs.texts[0]
    assert site_checks.ULTRASOUND_NOT_COVERED in needs.texts[0]


def test_it_reads_exam_kinds():
    assert site_checks.point_status(None) is NOT_EXAMINED
    assert site_checks.point_status("latent") is LATENT
    with pytest.raises(ValueError, match=r"^kind"):
        site_checks.point_status("maybe")
