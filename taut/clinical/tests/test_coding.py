"""What to bill: CPT code by muscle count, ICD-10-CM suggestions.

Source ids are those of docs/clinical-rules.md (shared/reference/clinical.md §9).
"""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical import coding
from taut.clinical.coding import (
    ICD10_CODES,
    Diagnosis,
    Evidence,
    cpt_code,
    cpt_coding,
    icd10_suggestions,
)

L, R = "left", "right"

CPT_CASES = [
    # (sites, dry_needling, code); 20552 = 1–2 muscles, 20553 = ≥ 3 [S45c], [S47];
    # left and right of one muscle are two muscles [S45]; 20560/20561 [S48].
    ([], False, None),  # nothing injected, nothing billed
    ([("trapezius", L)], False, "20552"),
    ([("trapezius", L), ("trapezius", R)], False, "20552"),  # bilateral trapezius = 2 [S45]
    ([("trapezius", L), ("trapezius", R), ("levator_scapulae", L)], False, "20553"),
    ([("trapezius", L)] * 5, False, "20552"),  # many injections into one muscle = 1 [S45]
    ([("infraspinatus", L), ("rhomboids", L), ("gluteus_medius", R)], False, "20553"),
    ([("trapezius", L), ("trapezius", R)], True, "20560"),  # dry needling, 2 muscles [S48]
    ([("trapezius", L), ("trapezius", R), ("piriformis", L)], True, "20561"),
    ([], True, None),
    # Parts of one muscle count once (conservative, unverified): upper, middle and lower
    # trapezius on the left are one muscle, so 2 muscles, not 4.
    (
        [("trapezius_upper", L), ("trapezius_middle", L), ("trapezius_lower", L), ("deltoid", L)],
        False,
        "20552",
    ),
    ([("Trapezius", L), ("trapezius ", L)], False, "20552"),  # spelling does not add muscles
]


@pytest.mark.parametrize(("sites", "dry_needling", "code"), CPT_CASES)
def test_it_picks_one_cpt_code_per_session(sites, dry_needling, code):
    assert cpt_code(sites, dry_needling=dry_needling) == code


def test_it_explains_the_cpt_code():
    result = cpt_coding([("trapezius", L), ("trapezius", R), ("levator_scapulae", L)])
    assert result.code == "20553"
    assert result.muscle_count == 3
    assert result.reason.startswith(
        "20553 because 3 muscles: trapezius (left), trapezius (right), levator scapulae (left)."
    )
    assert result.source
    assert result.version == coding.VERSION


def test_it_explains_a_session_with_no_muscles():
    result = cpt_coding([])
    assert (result.code, result.muscle_count) == (None, 0)
    assert "nothing to bill" in result.reason


@pytest.mark.parametrize(
    ("sites", "field"),
    [
        ([("trapezius", "both")], r"sites\[0\]\.side"),  # record bilateral as two sites
        ([("trapezius", None)], r"sites\[0\]\.side"),
        ([("", L)], r"sites\[0\]\.muscle_id"),
        ([(None, L)], r"sites\[0\]\.muscle_id"),
        ([("trapezius", L), "deltoid"], r"sites\[1\]"),
        ([("trapezius", L, 2)], r"sites\[0\]"),
        ("trapezius", "sites"),
        (None, "sites"),
    ],
)
def test_it_refuses_bad_sites_naming_the_field(sites, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        cpt_code(sites)


def test_it_refuses_a_non_boolean_dry_needling_flag():
    with pytest.raises(ValueError, match=r"^dry_needling"):
        cpt_code([("trapezius", L)], dry_needling="no")


ICD_CASES = [
    # (diagnosis, regions, intractable, codes, statuses); clinical.md §7b, [S58a]–[S58i]
    ("myofascial_pain", ["neck"], False, ["M79.18"], ["unverified"]),  # index entry: memory
    ("myalgia", ["jaw"], False, ["M79.11"], ["seen"]),  # [S58a]
    ("myalgia", ["neck", "head"], False, ["M79.12"], ["seen"]),  # [S58b]
    ("myalgia", ["lower_back", "neck"], False, ["M79.18", "M79.12"], ["seen", "seen"]),
    ("myalgia", [], False, ["M79.10"], ["seen"]),  # no site: unspecified [S58a]
    ("fibromyalgia", ["neck"], False, ["M79.7"], ["secondary"]),  # [S58d]
    ("tension_type_headache", [], False, ["G44.209"], ["seen"]),  # NOS [S58g], [S58h]
    ("tension_type_headache", [], True, ["G44.201"], ["unverified"]),
    ("episodic_tension_type_headache", [], True, ["G44.211"], ["seen"]),  # [S58g]
    ("episodic_tension_type_headache", [], False, ["G44.219"], ["unverified"]),
    ("chronic_tension_type_headache", [], True, ["G44.221"], ["seen"]),  # [S58g]
    ("chronic_tension_type_headache", [], False, ["G44.229"], ["unverified"]),
    ("cervicalgia", ["neck"], False, ["M54.2"], ["unverified"]),  # memory
    ("low_back_pain", ["lower_back"], False, ["M54.50"], ["unverified"]),  # memory
    ("vertebrogenic_low_back_pain", [], False, ["M54.51"], ["secondary"]),  # [S58e]
    ("muscle_spasm", ["lower_back"], False, ["M62.830"], ["secondary"]),  # [S58f]
    ("muscle_spasm", ["neck"], False, ["M62.838"], ["unverified"]),  # memory
    ("muscle_spasm", ["upper_back", "leg"], False, ["M62.830", "M62.838"], None),
    ("muscle_spasm", [], False, ["M62.838"], ["unverified"]),
]


@pytest.mark.parametrize(("diagnosis", "regions", "intractable", "codes", "statuses"), ICD_CASES)
def test_it_suggests_icd10_codes(diagnosis, regions, intractable, codes, statuses):
    suggestions = icd10_suggestions(diagnosis=diagnosis, regions=regions, intractable=intractable)
    assert [s.code for s in suggestions] == codes
    if statuses is not None:
        assert [s.status for s in suggestions] == statuses
    for suggestion in suggestions:
        assert suggestion.title
        assert suggestion.reason
        assert suggestion.verified is (suggestion.status is Evidence.SEEN)


def test_it_warns_that_tension_headache_nos_is_not_covered_by_one_medicare_article():
    (suggestion,) = icd10_suggestions(diagnosis="tension_type_headache")
    assert "A57701" in suggestion.reason


def test_it_marks_every_code_seen_only_where_the_reference_saw_it():
    seen = {code for code, known in ICD10_CODES.items() if known.status is Evidence.SEEN}
    assert seen == {
        "M79.10", "M79.11", "M79.12", "M79.18", "G44.209", "G44.211", "G44.221",
    }  # fmt: skip
    assert all(known.source for known in ICD10_CODES.values())


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"diagnosis": "migraine"}, "diagnosis"),
        ({"diagnosis": None}, "diagnosis"),
        ({"diagnosis": "myalgia", "regions": ["knee"]}, "regions"),
        ({"diagnosis": "myalgia", "regions": "neck"}, "regions"),
        ({"diagnosis": "myalgia", "intractable": "yes"}, "intractable"),
    ],
)
def test_it_refuses_bad_icd_input_naming_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        icd10_suggestions(**kwargs)


# --- properties ---------------------------------------------------------------------------------

muscles = st.sampled_from(
    ["trapezius", "trapezius_upper", "levator_scapulae", "infraspinatus", "piriformis", "masseter"]
)
sites = st.lists(st.tuples(muscles, st.sampled_from([L, R])), max_size=8)
TIER = {None: 0, "20552": 1, "20553": 2, "20560": 1, "20561": 2}


@given(sites, sites, st.booleans())
def test_it_never_lowers_the_code_when_a_site_is_added(before, more, dry_needling):
    small = cpt_coding(before, dry_needling=dry_needling)
    large = cpt_coding([*before, *more], dry_needling=dry_needling)
    assert large.muscle_count >= small.muscle_count
    assert TIER[large.code] >= TIER[small.code]


@given(sites, st.randoms())
def test_it_ignores_the_order_and_repetition_of_sites(session, random):
    shuffled = [*session, *session]
    random.shuffle(shuffled)
    assert cpt_coding(shuffled).muscle_count == cpt_coding(session).muscle_count


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from([*Diagnosis, "left", "right", "neck"]),
    st.lists(st.one_of(st.text(max_size=4), st.tuples(st.text(max_size=4), st.text(max_size=5)))),
)


@given(junk, junk, junk)
def test_it_raises_only_value_error_on_bad_input(a, b, c):
    for call in (
        lambda: cpt_code(a, dry_needling=b),
        lambda: icd10_suggestions(diagnosis=a, regions=b, intractable=c),
    ):
        with contextlib.suppress(ValueError):  # any other exception fails
            call()


@pytest.mark.parametrize(
    "muscles, regions",
    [
        (["trapezius_upper"], ("neck",)),
        (["quadratus_lumborum", "gluteus_medius"], ("lower_back", "hip")),
        (["temporalis", "masseter", "temporalis"], ("head", "jaw")),
        ([], ()),
    ],
)
def test_it_maps_atlas_muscles_to_icd_site_regions(muscles, regions):
    from taut.clinical.coding import icd_regions_for_muscles

    assert icd_regions_for_muscles(muscles) == regions


def test_it_maps_every_atlas_muscle_to_an_icd_region():
    from taut.clinical.atlas import MUSCLES
    from taut.clinical.coding import icd_regions_for_muscles

    assert len(icd_regions_for_muscles(MUSCLES)) >= 10


def test_it_refuses_an_unknown_muscle_for_icd_regions():
    from taut.clinical.coding import icd_regions_for_muscles

    with pytest.raises(ValueError, match=r"muscles\[0\]"):
        icd_regions_for_muscles(["spleen"])


def test_it_maps_every_screening_indication_to_a_diagnosis():
    from taut.clinical.coding import diagnosis_for_indication
    from taut.clinical.screening import Indication

    assert all(diagnosis_for_indication(i) is not None for i in Indication)
    assert diagnosis_for_indication("neck_muscle_pain") == "cervicalgia"
    assert diagnosis_for_indication("gout") is None
