"""The pain-drawing body map: every atlas region is a shape on the right figure and side.

Front figure: it faces us, so the patient's right is on the viewer's left. Back figure: we
see it from behind, so the patient's left is on the viewer's left.
"""

import dataclasses
import functools
import hashlib
import json
import math
import re
from collections import Counter

import pytest

from taut.atlas.bodymap import FIGURES, MIDLINE_X, shapes_for
from taut.clinical.atlas import REGIONS, View

VIEWS = {View.FRONT: ("front",), View.BACK: ("back",), View.BOTH: ("front", "back")}
PARAMS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "Q": 4, "A": 7, "Z": 0}
GRID = 0.25  # raster step for the overlap and coverage checks
# Pins the geometry: the SHA-256 of each figure's canonical serialization (its outline and
# every shape's region, side, path and label point, in order), which is all the SVG shows.
# Rearranging the figure data (front.py, back.py, limbs.py) must leave these unchanged; a
# deliberate change to the drawing updates them here, in the same commit.
GEOMETRY_SHA256 = {
    "front": "218dac5f5375cf8e190b2e3c638625d31476a2a123771f9db0984290796dfd9c",
    "back": "7d47777c4fab13ae8b2750c85fe08d83e85ea59ffcf072a5a28c9084b2d79973",
}


def subpaths(d: str) -> list[list[tuple[float, float]]]:
    """Each subpath's vertices (curves: their control and end points; arcs: end points)."""
    tokens = re.findall(r"[A-Za-z]|-?\d*\.?\d+(?:e-?\d+)?", d)
    paths: list[list[tuple[float, float]]] = []
    x = y = 0.0
    i = 0
    while i < len(tokens):
        command = tokens[i]
        assert command in PARAMS, f"not an absolute path command: {command!r}"
        i += 1
        while True:
            n = PARAMS[command]
            args = [float(t) for t in tokens[i : i + n]]
            i += n
            if command == "M":
                paths.append([])
            if command in "MLCQ":
                points = list(zip(args[0::2], args[1::2], strict=True))
            elif command == "A":
                points = [(args[5], args[6])]
            elif command == "H":
                points = [(args[0], y)]
            elif command == "V":
                points = [(x, args[0])]
            else:
                points = []
            paths[-1].extend(points)
            if points:
                x, y = points[-1]
            if n == 0 or i >= len(tokens) or tokens[i].isalpha():
                break
            command = "L" if command == "M" else command
    return paths


def vertices(d: str) -> list[tuple[float, float]]:
    (path,) = subpaths(d)
    return path


def inside(points: list[tuple[float, float]], x: float, y: float) -> bool:
    """Ray casting: is (x, y) inside the polygon?"""
    hit = False
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


# A raster cell (j, k) is the int k * ROW + j, so a row's run of cells is a range of ints
# (a set takes it whole, far faster than one tuple at a time); j stays well inside ±ROW / 2.
ROW = 1 << 20


def cells(points: list[tuple[float, float]]) -> set[int]:
    """The raster cells (centres on a GRID lattice, offset off any round number) inside, each
    as ``k * ROW + j``."""
    offset_x, offset_y = 0.113, 0.137
    found: set[int] = set()
    ys = [p[1] for p in points]
    for k in range(math.floor(min(ys) / GRID), math.ceil(max(ys) / GRID) + 1):
        y = k * GRID + offset_y
        xs = sorted(
            x0 + (y - y0) * (x1 - x0) / (y1 - y0)
            for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)
            if (y0 > y) != (y1 > y)
        )
        for a, b in zip(xs[0::2], xs[1::2], strict=True):
            first = math.ceil((a - offset_x) / GRID)
            last = math.floor((b - offset_x) / GRID)
            assert first > -ROW // 2 and last < ROW // 2
            found.update(range(k * ROW + first, k * ROW + last + 1))
    return found


@functools.cache
def rasters(view: str) -> tuple[list[set[int]], set[int]]:
    """Each shape's raster cells, in figure order, and the outline's."""
    figure = FIGURES[view]
    shapes = [cells(vertices(shape.d)) for shape in figure.shapes]
    return shapes, set().union(*(cells(path) for path in subpaths(figure.outline)))


def sides_of(region) -> tuple[str | None, ...]:
    return (None,) if region.midline else ("left", "right")


def test_it_draws_a_front_and_a_back_figure_in_a_portrait_viewbox():
    assert list(FIGURES) == ["front", "back"]
    for view, figure in FIGURES.items():
        assert figure.view == view
        assert (figure.width, figure.height) == (200, 480)
        assert figure.width / 2 == MIDLINE_X


def test_it_draws_the_pinned_geometry():
    for view, figure in FIGURES.items():
        canonical = json.dumps(dataclasses.asdict(figure), sort_keys=True, separators=(",", ":"))
        assert hashlib.sha256(canonical.encode()).hexdigest() == GEOMETRY_SHA256[view], view


@pytest.mark.parametrize("region", REGIONS.values(), ids=list(REGIONS))
def test_it_draws_every_region_on_the_figures_its_view_names(region):
    for view, figure in FIGURES.items():
        drawn = {shape.side for shape in figure.shapes if shape.region_id == region.id}
        expected = set(sides_of(region)) if view in VIEWS[region.view] else set()
        assert drawn == expected, view


def test_it_draws_nothing_but_atlas_regions():
    for figure in FIGURES.values():
        assert {shape.region_id for shape in figure.shapes} <= set(REGIONS)
        assert figure.shape("no_such_region", "left") is None
        assert figure.shape("no_such_region", None) is None
    assert shapes_for("no_such_region", "left") == ()


def test_it_draws_each_region_side_once_per_figure():
    for figure in FIGURES.values():
        counts = Counter((shape.region_id, shape.side) for shape in figure.shapes)
        assert [key for key, n in counts.items() if n > 1] == []


def test_it_finds_a_shape_by_region_and_side():
    front = FIGURES["front"]
    shape = front.shape("chest_anterior", "right")
    assert (shape.region_id, shape.side) == ("chest_anterior", "right")
    assert front.shape("sternum", None).side is None
    assert front.shape("sternum", "left") is None  # midline regions take no side
    assert front.shape("chest_anterior", None) is None
    assert front.shape("calf", "left") is None  # a back-view region


@pytest.mark.parametrize(("view", "viewer_left_side"), [("front", "right"), ("back", "left")])
def test_it_puts_the_right_side_of_the_patient_on_the_correct_side_of_each_figure(
    view, viewer_left_side
):
    figure = FIGURES[view]
    for shape in figure.shapes:
        xs = [x for x, _ in vertices(shape.d)]
        if shape.side == viewer_left_side:
            assert shape.cx < MIDLINE_X and max(xs) <= MIDLINE_X, shape.region_id
        elif shape.side is not None:
            assert shape.cx > MIDLINE_X and min(xs) >= MIDLINE_X, shape.region_id


def test_it_puts_the_right_hand_on_the_viewers_left_of_the_front_figure_only():
    assert FIGURES["front"].shape("palm", "right").cx < MIDLINE_X
    assert FIGURES["back"].shape("hand_dorsal", "right").cx > MIDLINE_X
    assert FIGURES["front"].shape("ear", "left").cx > MIDLINE_X
    assert FIGURES["back"].shape("ear", "left").cx < MIDLINE_X


def test_it_centres_midline_regions_on_the_midline_symmetrically():
    for figure in FIGURES.values():
        for shape in figure.shapes:
            if shape.side is None:
                points = vertices(shape.d)
                mirrored = {(round(2 * MIDLINE_X - x, 1), y) for x, y in points}
                assert shape.cx == MIDLINE_X
                assert mirrored == {(round(x, 1), y) for x, y in points}, shape.region_id


def test_it_mirrors_each_paired_shape_onto_the_other_side():
    for figure in FIGURES.values():
        for shape in figure.shapes:
            if shape.side == "left":
                twin = figure.shape(shape.region_id, "right")
                mirrored = {(round(2 * MIDLINE_X - x, 1), y) for x, y in vertices(twin.d)}
                assert mirrored == {(round(x, 1), y) for x, y in vertices(shape.d)}
                assert (shape.cx, shape.cy) == (round(2 * MIDLINE_X - twin.cx, 1), twin.cy)


def test_it_uses_only_absolute_path_commands():
    for figure in FIGURES.values():
        for d in [figure.outline, *(shape.d for shape in figure.shapes)]:
            assert set(re.findall(r"[A-Za-z]", d)) <= set(PARAMS)


def test_it_keeps_every_coordinate_inside_the_viewbox():
    for figure in FIGURES.values():
        paths = [figure.outline, *(shape.d for shape in figure.shapes)]
        for x, y in (p for d in paths for path in subpaths(d) for p in path):
            assert 0 <= x <= figure.width and 0 <= y <= figure.height
        for shape in figure.shapes:
            assert 0 < shape.cx < figure.width and 0 < shape.cy < figure.height


def test_it_draws_each_shape_as_one_closed_polygon():
    for figure in FIGURES.values():
        for shape in figure.shapes:
            assert len(subpaths(shape.d)) == 1 and shape.d.endswith("Z")
            assert len(vertices(shape.d)) >= 3


def test_it_puts_each_label_point_inside_its_own_shape_and_no_other():
    for figure in FIGURES.values():
        polygons = [(shape, vertices(shape.d)) for shape in figure.shapes]
        for shape, points in polygons:
            assert inside(points, shape.cx, shape.cy), (shape.region_id, shape.side)
            others = [
                (other.region_id, other.side)
                for other, other_points in polygons
                if other is not shape and inside(other_points, shape.cx, shape.cy)
            ]
            assert others == [], (shape.region_id, shape.side)


def test_it_draws_shapes_that_do_not_overlap():
    for figure in FIGURES.values():
        owner: dict[int, int] = {}
        shared: Counter[tuple[int, int]] = Counter()
        for index, shape_cells in enumerate(rasters(figure.view)[0]):
            for cell in shape_cells:
                if cell in owner:
                    shared[(owner[cell], index)] += 1
                else:
                    owner[cell] = index
        overlaps = {
            (figure.shapes[a].region_id, figure.shapes[b].region_id): n * GRID * GRID
            for (a, b), n in shared.items()
            if n * GRID * GRID > 0.5  # a hair along a shared border is fine
        }
        assert overlaps == {}, figure.view


def test_it_fills_the_body_outline_with_shapes_without_holes():
    for figure in FIGURES.values():
        shapes, body = rasters(figure.view)
        drawn = set().union(*shapes)
        assert len(body - drawn) * GRID * GRID < 2.0  # hairlines along the edges only
        assert len(drawn - body) * GRID * GRID < 2.0


def test_it_makes_every_shape_big_enough_to_tap():
    for figure in FIGURES.values():
        for shape, shape_cells in zip(figure.shapes, rasters(figure.view)[0], strict=True):
            area = len(shape_cells) * GRID * GRID
            assert area >= 40, (shape.region_id, area)  # teeth, TMJ and SI joint are smallest


def test_it_keeps_the_thumbs_on_the_outer_side_in_the_anatomical_position():
    for figure in FIGURES.values():
        for side in ("left", "right"):
            thumb = figure.shape("thumb", side)
            ulnar = figure.shape("fingers_ulnar", side)
            assert abs(thumb.cx - MIDLINE_X) > abs(ulnar.cx - MIDLINE_X)


def test_it_draws_the_soles_as_insets_below_the_back_figures_feet():
    back = FIGURES["back"]
    for side in ("left", "right"):
        toes = [vertices(back.shape(r, side).d) for r in ("big_toe", "toes_lesser")]
        bottom_of_foot = max(y for points in toes for _, y in points)
        foot_xs = [x for points in toes for x, _ in points]
        heel = back.shape("heel", side)
        assert heel.cy < bottom_of_foot and heel.cy > back.shape("achilles", side).cy
        for region in ("sole_arch", "sole_forefoot"):
            sole = back.shape(region, side)
            assert min(y for _, y in vertices(sole.d)) > bottom_of_foot
            assert min(foot_xs) < sole.cx < max(foot_xs)
        assert back.shape("sole_arch", side).cy < back.shape("sole_forefoot", side).cy


def test_it_keeps_figure_labels_inside_the_outline():
    for figure in FIGURES.values():
        outline = subpaths(figure.outline)
        for shape in figure.shapes:
            assert any(inside(path, shape.cx, shape.cy) for path in outline), shape.region_id


@pytest.mark.parametrize("region", REGIONS.values(), ids=list(REGIONS))
def test_it_lists_every_drawing_of_a_region_side(region):
    for side in sides_of(region):
        found = shapes_for(region.id, side)
        assert tuple(view for view, _ in found) == VIEWS[region.view]
        for view, shape in found:
            assert shape is FIGURES[view].shape(region.id, side)
    other = "left" if region.midline else None
    assert shapes_for(region.id, other) == ()


def test_it_lists_drawings_in_front_then_back_order():
    assert [view for view, _ in shapes_for("ear", "left")] == ["front", "back"]
    assert [view for view, _ in shapes_for("sternum", None)] == ["front"]
    assert [view for view, _ in shapes_for("sacrum", None)] == ["back"]
    assert [view for view, _ in shapes_for("sole_arch", "right")] == ["back"]


def test_it_builds_the_figures_once_and_keeps_them_immutable():
    from taut.atlas import bodymap

    assert bodymap.FIGURES["front"] is FIGURES["front"]
    with pytest.raises(TypeError):
        FIGURES["side"] = FIGURES["front"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        FIGURES["front"].view = "back"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        FIGURES["front"].shapes[0].cx = 0  # type: ignore[misc]
    assert isinstance(FIGURES["back"].shapes, tuple)


def test_it_draws_stacked_rows_top_to_bottom():
    """Sanity of the anatomy: head above neck above chest above abdomen, and so on."""
    front, back = FIGURES["front"], FIGURES["back"]

    def cy(figure, region, side="right"):
        return figure.shape(region, None if REGIONS[region].midline else side).cy

    order = ["head_vertex", "head_frontal", "eye_orbital", "cheek_maxillary", "teeth_upper"]
    order += ["teeth_lower", "throat", "sternum", "epigastric", "periumbilical", "suprapubic"]
    order += ["genital_perineal", "thigh_anterior", "knee_anterior", "shin", "ankle_anterior"]
    order += ["foot_dorsal", "big_toe"]
    assert [cy(front, r) for r in order] == sorted(cy(front, r) for r in order)
    order = ["head_vertex", "head_occipital", "neck_posterior_upper", "neck_posterior_lower"]
    order += ["scapula_supraspinous", "scapula_infraspinous", "scapula_inferior_angle"]
    order += ["thoracic_lower", "low_back", "sacrum", "coccyx", "buttock_lower"]
    order += ["thigh_posterior", "knee_posterior", "calf", "achilles", "heel", "sole_arch"]
    assert [cy(back, r) for r in order] == sorted(cy(back, r) for r in order)
    for side in ("left", "right"):  # the arm hangs: shoulder, elbow, wrist, hand, fingers
        arm = ["shoulder_lateral", "upper_arm_lateral", "elbow_lateral", "forearm_radial"]
        arm += ["wrist_volar", "palm", "fingers_radial"]
        assert [cy(front, r, side) for r in arm] == sorted(cy(front, r, side) for r in arm)
