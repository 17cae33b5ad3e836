"""Comparing two pain drawings: added, resolved, extent and Jaccard overlap."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical.atlas import compare, places

TEMPLE_L = ("head_temporal", "left", 6)
TEMPLE_R = ("head_temporal", "right", 4)
NECK_L = ("neck_posterior_upper", "left", 5)
STERNUM = ("sternum", None, 3)


def test_it_lists_every_place_once_with_midline_regions_unsided():
    every = places()
    assert len(every) == len(set(every))
    assert ("sternum", None) in every and ("sternum", "left") not in every
    assert ("head_temporal", "left") in every and ("head_temporal", "right") in every
    assert len(every) == 80 * 2 + 8  # 88 regions, 8 of them midline


def test_it_finds_added_resolved_and_persisting_places():
    result = compare([TEMPLE_L, NECK_L], [(*TEMPLE_L[:2], 2), TEMPLE_R])
    assert [(m.region_id, m.side) for m in result.added] == [("head_temporal", "right")]
    assert [(m.region_id, m.side) for m in result.resolved] == [("neck_posterior_upper", "left")]
    ((before, after),) = result.persisting
    assert (before.intensity, after.intensity) == (6, 2)
    assert (result.extent_before, result.extent_after) == (2, 2)
    # one shared place out of three in the union
    assert result.jaccard == pytest.approx(1 / 3, abs=1e-4)


@pytest.mark.parametrize(
    "before, after, jaccard",
    [
        ([TEMPLE_L], [TEMPLE_L], 1.0),
        ([TEMPLE_L], [TEMPLE_R], 0.0),
        ([], [STERNUM], 0.0),
        ([], [], None),  # nothing to compare: no overlap figure
        ([TEMPLE_L, TEMPLE_R, STERNUM], [TEMPLE_L, STERNUM], round(2 / 3, 4)),
    ],
)
def test_it_computes_jaccard_overlap(before, after, jaccard):
    assert compare(before, after).jaccard == jaccard


def test_it_reports_extent_as_a_share_of_the_body():
    result = compare([], [TEMPLE_L, TEMPLE_R])
    assert result.share_after == round(2 / len(places()), 4)


def test_it_refuses_bad_marks():
    with pytest.raises(ValueError, match=r"marks\[0\].region_id"):
        compare([("elbow_of_doom", "left")], [])


marks = st.lists(st.sampled_from(places()), max_size=12).map(lambda ps: [(*p, 5) for p in ps])


@given(marks, marks)
def test_it_is_symmetric_in_overlap_and_swaps_added_for_resolved(a, b):
    forward, backward = compare(a, b), compare(b, a)
    assert forward.jaccard == backward.jaccard
    assert forward.added == backward.resolved
    assert (
        forward.extent_before + len(forward.added) - len(forward.resolved) == forward.extent_after
    )
