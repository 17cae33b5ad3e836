"""Arrow-key moves on the body map: from each shape, the nearest shape up, down, left, right.

The two figures lie side by side on one plane (front, then back), as on a wide screen, so
Right from the front figure's outer edge crosses to the back figure. A shape stands for its
area centroid. Moving in a direction picks, among the shapes ahead of the centroid, the one
with the smallest distance along that direction plus twice the sideways offset (a straight
move beats a nearer diagonal one); shapes within a 60-degree cone come first. Pure
geometry, built once at import, like the figures themselves.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from taut.atlas.bodymap import FIGURES, VIEWS
from taut.atlas.bodymap.geometry import Point

DIRECTIONS: Mapping[str, Point] = MappingProxyType(
    {"up": (0.0, -1.0), "down": (0.0, 1.0), "left": (-1.0, 0.0), "right": (1.0, 0.0)}
)
FIGURE_GAP = 20.0  # viewBox units between the front and the back figure on the plane
SIDEWAYS_WEIGHT = 2.0
CONE = 1.732  # tan(60°): sideways offset allowed per unit ahead, for the first choice

Place = tuple[str, str, str | None]  # (view, region id, side)


def points_of(d: str) -> list[Point]:
    """The vertices of a path made of absolute M/L commands (as the body map draws them)."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(zip(numbers[0::2], numbers[1::2], strict=True))


def centroid(points: Sequence[Point]) -> Point:
    """The area centroid of a simple polygon (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        raise ValueError("a polygon without area has no centroid")
    return cx / (3 * area), cy / (3 * area)


@dataclass(frozen=True)
class Stop:
    place: Place
    x: float
    y: float


def nearest(origin: Stop, stops: Iterable[Stop], direction: str) -> Stop | None:
    """The stop an arrow key moves to from ``origin``, or None at the edge of the map."""
    ux, uy = DIRECTIONS[direction]
    best: tuple[bool, float, Place] | None = None
    found = None
    for stop in stops:
        dx, dy = stop.x - origin.x, stop.y - origin.y
        ahead = dx * ux + dy * uy
        if ahead <= 0.5 or stop.place == origin.place:
            continue
        sideways = abs(dx * uy - dy * ux)
        rank = (sideways > ahead * CONE, ahead + SIDEWAYS_WEIGHT * sideways, stop.place)
        if best is None or _key(rank) < _key(best):
            best, found = rank, stop
    return found


def _key(rank: tuple[bool, float, Place]) -> tuple[bool, float, str]:
    outside, score, (view, region_id, side) = rank
    return outside, round(score, 6), f"{view}:{region_id}:{side}"


def stops() -> list[Stop]:
    """Every shape of both figures as a point on the shared plane."""
    result = []
    offset = 0.0
    for view in VIEWS:
        figure = FIGURES[view]
        for shape in figure.shapes:
            x, y = centroid(points_of(shape.d))
            result.append(Stop((view, shape.region_id, shape.side), x + offset, y))
        offset += figure.width + FIGURE_GAP
    return result


def moves(all_stops: Sequence[Stop]) -> dict[Place, dict[str, Place]]:
    """For each place, where each arrow key goes (directions at the map's edge left out)."""
    table: dict[Place, dict[str, Place]] = {}
    for stop in all_stops:
        table[stop.place] = {
            direction: target.place
            for direction in DIRECTIONS
            if (target := nearest(stop, all_stops, direction)) is not None
        }
    return table


MOVES: Mapping[Place, Mapping[str, Place]] = MappingProxyType(
    {place: MappingProxyType(targets) for place, targets in moves(stops()).items()}
)
# Where the keyboard enters the map: the first shape of the front figure (top of the head).
ENTRY: Place = ("front", FIGURES["front"].shapes[0].region_id, FIGURES["front"].shapes[0].side)
