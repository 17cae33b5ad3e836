"""Every code of a session (issue 15): muscles 20552/20553 and 20560/20561, ligaments,
tendon sheaths and aponeuroses 20550, tendon origins and insertions 20551, prolotherapy
M0076, each line with its units and the sites that produced it.

Sources: [S45c], [S47] (20552/20553 once per session), [S48] (20560/20561), [S71] (AMA CPT
2004: 20550/20551 "single" structure, multiple injections into one structure once,
several structures each), [S71b] (three injections into one sheath = 1 unit; left and right
= 20550-LT and 20550-RT), [S72], [S72b] (XS/59 for a separate site; the NCCI pairing and
the MUEs are unverified: searched for, not found), [S73] (NCD 150.7), [S74], [S74b] (M0076
"Prolotherapy" in a copy of the 2020 HCPCS file).
"""

import pytest

from taut.clinical import atlas, coding, session_coding
from taut.clinical.session_coding import CodedSite, session_codes
from taut.clinical.site_checks import PointStatus

L, R, M = "left", "right", "midline"


def tpi(site, side=L, point=PointStatus.ACTIVE, reason=""):
    return CodedSite(site, side, False, point, reason)


def dn(site, side=L):
    return CodedSite(site, side, True)


def prolo(site, side=L, agent="dextrose 15 %"):
    return CodedSite(site, side, sclerosant=agent)


def units(result):
    return {line.code: line.units for line in result.lines}


CASES = [
    # The case: two muscles, one ligament, two tendon origins.
    (
        [
            tpi("quadratus_lumborum"),
            tpi("gluteus_medius"),
            tpi("iliolumbar_ligament"),
            tpi("common_extensor_origin"),
            tpi("common_flexor_origin"),
        ],
        {"20552": 1, "20550": 1, "20551": 2},
    ),
    # A ligament is never a muscle: two muscles + two ligaments stay 20552, not 20553.
    (
        [
            tpi("quadratus_lumborum"),
            tpi("gluteus_medius"),
            tpi("iliolumbar_ligament"),
            tpi("sacrotuberous_ligament"),
        ],
        {"20552": 1, "20550": 2},
    ),
    # Left and right of one tendon are two units [S71b].
    ([tpi("common_extensor_origin", L), tpi("common_extensor_origin", R)], {"20551": 2}),
    # The same structure twice (several injections) is one unit [S71], [S71b].
    ([tpi("plantar_fascia", R), tpi("plantar_fascia", R)], {"20550": 1}),
    # Tendon sheath and aponeurosis are 20550; insertions 20551.
    (
        [tpi("biceps_long_head_tendon", R), tpi("plantar_fascia", L), tpi("achilles_insertion")],
        {"20550": 2, "20551": 1},
    ),
    # A midline ligament is one site, side "midline".
    ([tpi("lumbar_supraspinous_ligament", M)], {"20550": 1}),
    # Dry-needled muscles are never counted with injected ones [S48].
    (
        [
            tpi("trapezius_upper"),
            tpi("levator_scapulae"),
            dn("rhomboids"),
            dn("infraspinatus"),
            dn("supraspinatus"),
            tpi("supraspinatus_tendon", R),
        ],
        {"20552": 1, "20561": 1, "20551": 1},
    ),
    # Dry needling of a structure is not coded.
    ([dn("iliolumbar_ligament")], {}),
    # Prolotherapy is M0076, never 20550/20551/20552 [S74].
    ([prolo("iliolumbar_ligament"), prolo("lumbar_interspinous_ligaments", M)], {"M0076": 1}),
    ([tpi("gluteus_medius"), prolo("posterior_sacroiliac_ligaments")], {"20552": 1, "M0076": 1}),
    # Its anaesthetic recorded as a row of its own at the same ligament and side: still only
    # M0076 there [S74]; the other side, without a sclerosant, is 20550.
    (
        [tpi("iliolumbar_ligament"), prolo("iliolumbar_ligament"), tpi("iliolumbar_ligament", R)],
        {"20550": 1, "M0076": 1},
    ),
    ([], {}),
]


@pytest.mark.parametrize(("sites", "expected"), CASES)
def test_it_codes_every_kind_of_site(sites, expected):
    assert units(session_codes(sites)) == expected


def test_it_shows_each_code_with_the_sites_that_produced_it():
    result = session_codes(CASES[0][0])
    assert result.codes == ("20552", "20550", "20551")
    tpi_line, ligament, tendons = result.lines
    assert tpi_line.sites == (("quadratus_lumborum", L), ("gluteus_medius", L))
    assert ligament.sites == (("iliolumbar_ligament", L),)
    assert ligament.site_names == (atlas.STRUCTURES["iliolumbar_ligament"].name,)
    assert tendons.sites == (("common_extensor_origin", L), ("common_flexor_origin", L))
    assert all(line.reason and line.source for line in result.lines)
    assert "[S71]" in ligament.source and "one unit per distinct" in ligament.reason


def test_it_suggests_a_separate_site_modifier_beside_the_muscle_code():
    """XS (or 59) on 20550/20551 only when billed with 20552/20553, never on 20552/20553;
    the NCCI pairing is unverified [S72], so the line says so."""
    result = session_codes(CASES[0][0])
    assert result.line("20552").modifiers == ()
    assert result.line("20550").modifiers == ("XS",)
    assert result.line("20550").status == "unverified"
    assert "unverified" in result.line("20550").reason
    assert session_codes(CASES[0][0], distinct_modifier="59").line("20551").modifiers == ("59",)
    assert session_codes(CASES[0][0], distinct_modifier=None).line("20551").modifiers == ()
    alone = session_codes([tpi("iliolumbar_ligament")])
    assert alone.line("20550").modifiers == ()


def test_it_splits_sides_with_rt_and_lt_on_request():
    sites = [
        tpi("common_extensor_origin", L),
        tpi("common_extensor_origin", R),
        tpi("lumbar_supraspinous_ligament", M),
    ]
    result = session_codes(sites, laterality=True)
    assert [(line.code, line.units, line.modifiers) for line in result.lines] == [
        ("20550", 1, ()),
        ("20551", 1, ("LT",)),
        ("20551", 1, ("RT",)),
    ]


def test_it_warns_that_dry_needling_a_structure_is_not_coded():
    result = session_codes([dn("achilles_insertion", R)])
    assert result.lines == ()
    assert "not coded" in result.warnings[0] and "20550/20551" in result.warnings[0]
    assert [(n.side, n.why) for n in result.not_counted] == [
        (R, "dry needling of a ligament or tendon")
    ]


def test_it_flags_prolotherapy_as_not_covered_by_medicare():
    result = session_codes([prolo("iliolumbar_ligament")])
    line = result.line("M0076")
    assert line is not None and "dextrose 15 %" in line.reason and line.status == "secondary"
    assert '"Prolotherapy" [S74b]' in line.reason and line.source == "[S74], [S74b]"
    assert "no MUE found" in line.reason
    assert any("NCD 150.7" in w and "[S73]" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("sites", "code", "says_mue"),
    [
        ([tpi("common_extensor_origin", L), tpi("common_extensor_origin", R)], "20551", True),
        ([tpi("iliolumbar_ligament"), tpi("sacrotuberous_ligament")], "20550", True),
        ([tpi("iliolumbar_ligament")], "20550", False),
    ],
)
def test_it_says_the_mue_is_unverified_when_a_structure_code_has_several_units(
    sites, code, says_mue
):
    """The practitioner MUEs of 20550/20551 were not found [S72]: a line of more than one
    unit says to check the table; one unit needs no such word."""
    line = session_codes(sites).line(code)
    assert line is not None and line.status == "secondary"
    assert ("MUE" in line.reason and "unverified" in line.reason) is says_mue
    assert ("[S72]" in line.source) is says_mue


def test_it_keeps_the_muscle_only_view_working():
    """session_coding (the app's present call) still codes muscles only."""
    old = session_coding.session_coding(CASES[0][0])
    assert old.injection.code == "20552" and old.dry_needling.code is None


def test_it_is_reexported_by_coding():
    assert coding.session_codes is session_codes
    assert coding.CodedSite is CodedSite


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([CodedSite("nope", L)], r"^sites\[0\]\.muscle: unknown atlas site"),
        ([CodedSite("lumbar_supraspinous_ligament", L)], r"^sites\[0\]\.side: a midline site"),
        ([CodedSite("iliolumbar_ligament", M)], r"^sites\[0\]\.side: expected 'left' or 'right'"),
        ([CodedSite("trapezius_upper", M)], r"^sites\[0\]\.side"),
        (
            [CodedSite("iliolumbar_ligament", L, True, sclerosant="dextrose")],
            r"^sites\[0\]\.sclerosant",
        ),
        ([CodedSite("iliolumbar_ligament", L, sclerosant=5)], r"^sites\[0\]\.sclerosant"),  # type: ignore[arg-type]
        ([("iliolumbar_ligament", L)], r"^sites\[0\]: expected a CodedSite"),
    ],
)
def test_it_refuses_sites_it_cannot_read(bad, message):
    with pytest.raises(ValueError, match=message):
        session_codes(bad)


def test_it_refuses_an_unknown_modifier():
    with pytest.raises(ValueError, match=r"^distinct_modifier"):
        session_codes([], distinct_modifier="XU")


@pytest.mark.parametrize("site", ["iliolumbar_ligament", "Achilles insertion"])
def test_the_muscle_count_refuses_a_ligament_or_tendon(site):
    """``coding.cpt_coding`` counts muscles only: a structure id passed to it is refused,
    never counted toward 20552/20553 [S45], [S71]."""
    with pytest.raises(ValueError, match=r"^sites\[1\]\.muscle_id: .* ligament or tendon"):
        coding.cpt_coding([("trapezius_upper", L), (site, R)])


def test_a_midline_ligaments_reason_does_not_speak_of_left_and_right():
    midline = session_codes([tpi("lumbar_interspinous_ligaments", M)]).line("20550")
    paired = session_codes([tpi("iliolumbar_ligament", R)]).line("20550")
    assert "left and right" not in midline.reason and "(midline)" in midline.reason
    assert "left and right are two" in paired.reason
