"""Arrow keys on the body map: each shape knows the nearest shape up, down, left and right
(by area centroid, the front and back figures side by side), and every shape can be reached
from the map's entry point by arrow keys alone."""

import pytest

from taut.atlas.bodymap import FIGURES
from taut.atlas.bodymap.arrows import ENTRY, MOVES, Stop, centroid, nearest, points_of

OPPOSITE = {"up": "down", "down": "up", "left": "right", "right": "left"}


def test_it_finds_the_area_centroid_of_a_polygon():
    assert centroid([(0, 0), (4, 0), (4, 2), (0, 2)]) == pytest.approx((2, 1))
    # An L shape: its centroid is pulled towards the heavier arm.
    assert centroid([(0, 0), (3, 0), (3, 1), (1, 1), (1, 3), (0, 3)]) == pytest.approx((1.1, 1.1))


def test_it_reads_the_vertices_of_a_body_map_path():
    assert points_of("M1 2 L3.5 -4 L0 0 Z") == [(1, 2), (3.5, -4), (0, 0)]


def test_it_moves_straight_before_diagonally_and_stops_at_the_edge():
    here = Stop(("front", "here", None), 10, 10)
    straight = Stop(("front", "straight", None), 10, 30)
    diagonal = Stop(("front", "diagonal", None), 17, 18)
    behind = Stop(("front", "behind", None), 10, 0)
    stops = [here, straight, diagonal, behind]
    assert nearest(here, stops, "down") == straight  # 20 ahead beats 8 ahead and 7 aside
    assert nearest(here, stops, "up") == behind
    assert nearest(here, stops, "right") == diagonal  # the only shape to the right
    assert nearest(here, stops, "left") is None


def test_it_gives_every_shape_of_both_figures_its_moves():
    places = {(v, s.region_id, s.side) for v, f in FIGURES.items() for s in f.shapes}
    assert set(MOVES) == places
    assert all(target in places for moves in MOVES.values() for target in moves.values())


def test_it_reaches_every_shape_from_the_entry_by_arrow_keys():
    seen, todo = {ENTRY}, [ENTRY]
    while todo:
        for target in MOVES[todo.pop()].values():
            if target not in seen:
                seen.add(target)
                todo.append(target)
    assert seen == set(MOVES)


def test_it_enters_the_map_at_the_top_of_the_front_figure():
    assert ENTRY[:2] == ("front", "head_vertex")
    assert "up" not in MOVES[ENTRY]


@pytest.mark.parametrize(
    ("start", "direction", "end"),
    [
        # Down the patient's right arm on the front figure (the viewer's left).
        (("front", "shoulder_lateral", "right"), "down", ("front", "upper_arm_anterior", "right")),
        (("front", "upper_arm_anterior", "right"), "up", ("front", "shoulder_lateral", "right")),
        (("front", "upper_arm_anterior", "right"), "left", ("front", "upper_arm_lateral", "right")),
        # Across the face: the patient's right upper teeth to their left ones.
        (("front", "teeth_upper", "right"), "right", ("front", "teeth_upper", "left")),
        (("front", "teeth_upper", "right"), "down", ("front", "teeth_lower", "right")),
        # Right from the front figure's outer edge crosses to the back figure.
        (("front", "upper_arm_lateral", "left"), "right", ("back", "upper_arm_lateral", "left")),
    ],
)
def test_it_moves_to_the_neighbour_a_person_would_expect(start, direction, end):
    assert MOVES[start][direction] == end


def test_it_mostly_comes_back_the_way_it_went():
    moves = [(p, d, t) for p, targets in MOVES.items() for d, t in targets.items()]
    back = sum(MOVES[t].get(OPPOSITE[d]) == p for p, d, t in moves)
    assert back / len(moves) > 0.75
