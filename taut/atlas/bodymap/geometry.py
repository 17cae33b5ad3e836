"""Geometry for the body map: edges x = f(y), rows of regions, polygons and SVG paths.

A half figure (the viewer's left half) is a few *parts* (axial body, arm, leg, ear, sole),
each a stack of horizontal *rows*. A row lists, from the viewer's left to right, edges and
the regions between them::

    row(112, 124, TRUNK, "axilla", 68, "chest_anterior", 94.5, "sternum", MID)

An edge is a number (a vertical line) or an :class:`Edge`, a function x = f(y). Neighbours
share their edges, so the regions of a part tile it without gaps or overlaps. A region that
spans several consecutive rows of a part becomes one polygon.
"""

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]

STEP = 1.0  # sampling step along y where small parts curve fast: head, hands, feet ...
COARSE_STEP = 2.0  # ... and between COARSE_FROM and COARSE_TO (the rest of the body)
COARSE_FROM, COARSE_TO = 62.0, 286.0
GAP = "-"  # a row's "region" that is no region: the space between two fingers or toes


class Edge:
    """A boundary x = f(y). ``edge + 6`` is the same edge moved 6 units to the right."""

    __slots__ = ("f",)

    def __init__(self, f: Callable[[float], float]):
        self.f = f

    def __call__(self, y: float) -> float:
        return self.f(y)

    def __add__(self, dx: float) -> "Edge":
        f = self.f
        return Edge(lambda y: f(y) + dx)

    def __sub__(self, dx: float) -> "Edge":
        return self + (-dx)


def as_edge(value: "Edge | float") -> Edge:
    if isinstance(value, Edge):
        return value
    x = float(value)
    return Edge(lambda _y: x)


def line(x0: float, y0: float, x1: float, y1: float) -> Edge:
    """The straight edge through (x0, y0) and (x1, y1), extended beyond them."""
    slope = (x1 - x0) / (y1 - y0)
    return Edge(lambda y: x0 + (y - y0) * slope)


def lerp(a: "Edge | float", b: "Edge | float", t: float) -> Edge:
    """The edge a fraction t of the way from a to b."""
    a, b = as_edge(a), as_edge(b)
    return Edge(lambda y: a(y) + (b(y) - a(y)) * t)


def lowest(*edges: "Edge | float") -> Edge:
    es = [as_edge(e) for e in edges]
    return Edge(lambda y: min(e(y) for e in es))


def highest(*edges: "Edge | float") -> Edge:
    es = [as_edge(e) for e in edges]
    return Edge(lambda y: max(e(y) for e in es))


def bulge(base: "Edge | float", y0: float, y1: float, depth: float, skew: float = 1.0) -> Edge:
    """``base`` pushed out to the left by up to ``depth`` between y0 and y1 (ear, ankle bone)."""
    base = as_edge(base)

    def f(y: float) -> float:
        t = min(max((y - y0) / (y1 - y0), 0.0), 1.0)
        return base(y) - depth * math.sin(math.pi * t**skew) ** 0.6

    return Edge(f)


def curve(*knots: Point) -> Edge:
    """A smooth edge through (y, x) knots (monotone cubic, no overshoot); flat beyond them."""
    ys = [float(k[0]) for k in knots]
    xs = [float(k[1]) for k in knots]
    n = len(ys)
    h = [ys[i + 1] - ys[i] for i in range(n - 1)]
    delta = [(xs[i + 1] - xs[i]) / h[i] for i in range(n - 1)]
    slopes = [delta[0], *([0.0] * (n - 2)), delta[-1]]
    for i in range(1, n - 1):
        if delta[i - 1] * delta[i] > 0:
            w1, w2 = 2 * h[i] + h[i - 1], h[i] + 2 * h[i - 1]
            slopes[i] = (w1 + w2) / (w1 / delta[i - 1] + w2 / delta[i])

    def f(y: float) -> float:
        if y <= ys[0]:
            return xs[0]
        if y >= ys[-1]:
            return xs[-1]
        i = next(i for i in range(n - 1) if y <= ys[i + 1])
        t = (y - ys[i]) / h[i]
        t2, t3 = t * t, t * t * t
        return (
            (2 * t3 - 3 * t2 + 1) * xs[i]
            + (t3 - 2 * t2 + t) * h[i] * slopes[i]
            + (-2 * t3 + 3 * t2) * xs[i + 1]
            + (t3 - t2) * h[i] * slopes[i + 1]
        )

    return Edge(f)


def rounded(left: "Edge | float", right: "Edge | float", y0: float, y1: float) -> tuple[Edge, Edge]:
    """Edges ``left`` and ``right`` closing in below y0 to a round tip at y1 (finger, toe)."""
    left, right = as_edge(left), as_edge(right)

    def closing(side: Edge) -> Edge:
        def f(y: float) -> float:
            x = side(y)
            if y <= y0:
                return x
            middle = (left(y) + right(y)) / 2
            t = min((y - y0) / (y1 - y0), 1.0)
            return middle + (x - middle) * math.sqrt(1 - t * t)

        return Edge(f)

    return closing(left), closing(right)


@dataclass(frozen=True)
class Row:
    y0: float
    y1: float
    edges: tuple[Edge, ...]
    regions: tuple[str, ...]


def row(y0: float, y1: float, *items: "Edge | float | str") -> Row:
    """``row(y0, y1, edge, "region", edge, "region", ..., edge)``, left to right."""
    edges, regions = items[0::2], items[1::2]  # a GAP region leaves that space empty
    lines = [e for e in edges if not isinstance(e, str)]
    names = [r for r in regions if isinstance(r, str)]
    if len(edges) != len(regions) + 1 or len(lines) != len(edges) or len(names) != len(regions):
        raise ValueError(f"row {y0}-{y1}: expected edge, region, edge, ..., edge")
    return Row(y0, y1, tuple(as_edge(e) for e in lines), tuple(names))


def samples(y0: float, y1: float) -> list[float]:
    """The y values at which edges are sampled between y0 and y1 (both included)."""
    ys, y = [y0], y0
    while True:
        step = COARSE_STEP if COARSE_FROM <= y < COARSE_TO else STEP
        y = (math.floor(y / step) + 1) * step
        if y >= y1 - 1e-9:
            break
        ys.append(y)
    ys.append(y1)
    return ys


@dataclass(frozen=True)
class Band:
    """One row's slice of a region: between edges ``left`` and ``right`` from y0 to y1."""

    y0: float
    y1: float
    left: Edge
    right: Edge


def regions_of(rows: Sequence[Row]) -> dict[str, list[Band]]:
    """Each region's bands, top to bottom. A region must fill consecutive rows."""
    for above, below in itertools.pairwise(rows):
        if above.y1 != below.y0:
            raise ValueError(f"rows {above.y0}-{above.y1} and {below.y0}-{below.y1} leave a gap")
    bands: dict[str, list[Band]] = {}
    last_row: dict[str, int] = {}
    for index, r in enumerate(rows):
        named = [region for region in r.regions if region != GAP]
        if len(set(named)) != len(named):
            raise ValueError(f"row {r.y0}-{r.y1} names a region twice")
        for k, region in enumerate(r.regions):
            if region == GAP:
                continue
            if region in bands and last_row[region] != index - 1:
                raise ValueError(f"{region} is not in consecutive rows")
            bands.setdefault(region, []).append(Band(r.y0, r.y1, r.edges[k], r.edges[k + 1]))
            last_row[region] = index
    return bands


def outline_of(rows: Sequence[Row]) -> list[list[Band]]:
    """The part's silhouette as stacks of bands (rows with gaps give one band per piece)."""
    stacks: list[list[Band]] = []
    previous_whole = False
    for r in rows:
        pieces, start = [], 0
        for k, region in enumerate([*r.regions, GAP]):
            if region == GAP:
                if k > start:
                    pieces.append(Band(r.y0, r.y1, r.edges[start], r.edges[k]))
                start = k + 1
        whole = len(pieces) == 1
        if whole and previous_whole:
            stacks[-1].append(pieces[0])
        else:
            stacks.extend([piece] for piece in pieces)
        previous_whole = whole
    return stacks


def chain(edge_of: Callable[[Band], Edge], bands: Sequence[Band]) -> list[Point]:
    """The points down one side of stacked bands (steps between rows included)."""
    return [(edge_of(b)(y), y) for b in bands for y in samples(b.y0, b.y1)]


def band_polygon(bands: Sequence[Band]) -> list[Point]:
    left = chain(lambda b: b.left, bands)
    right = chain(lambda b: b.right, bands)
    return left + right[::-1]


def midline_polygon(bands: Sequence[Band], mid: float) -> list[Point]:
    """A region that straddles the midline: its left side, then that side mirrored."""
    left = [(mid, bands[0].y0), *chain(lambda b: b.left, bands), (mid, bands[-1].y1)]
    return left + [mirror(p, mid) for p in left[::-1]]


def mirror(p: Point, mid: float) -> Point:
    return (2 * mid - p[0], p[1])


def tidy(points: Iterable[Point], places: int = 1) -> list[Point]:
    """Round; drop repeated points and the middle one of three in a line (spikes included)."""
    out: list[Point] = []
    for x, y in points:
        p = (round(x, places) + 0.0, round(y, places) + 0.0)
        while len(out) >= 2 and _in_line(out[-2], out[-1], p):
            out.pop()
        if not out or p != out[-1]:
            out.append(p)
    while len(out) > 3 and (out[-1] == out[0] or _in_line(out[-2], out[-1], out[0])):
        out.pop()
    while len(out) > 3 and _in_line(out[-1], out[0], out[1]):
        out.pop(0)
    return out


def _in_line(a: Point, b: Point, c: Point) -> bool:
    return abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) < 1e-9


def path(points: Sequence[Point]) -> str:
    """SVG path data: absolute M and L commands, closed with Z."""
    first, *rest = points
    return " ".join(
        [f"M{_num(first[0])} {_num(first[1])}"] + [f"L{_num(x)} {_num(y)}" for x, y in rest] + ["Z"]
    )


def _num(v: float) -> str:
    text = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def crossings(points: Sequence[Point], y: float) -> list[float]:
    """The x values where the horizontal line at y crosses the polygon, sorted."""
    xs = []
    for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True):
        if (y0 <= y) != (y1 <= y):
            xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return sorted(xs)


def _span(values: list[float], at: float) -> tuple[float, float] | None:
    """The inside interval (between two crossings) that holds ``at``, if any."""
    for a, b in zip(values[0::2], values[1::2], strict=False):
        if a <= at <= b:
            return a, b
    return None


def label_point(points: Sequence[Point]) -> Point:
    """A point well inside the polygon, for a label or a marker.

    Tries the middle of each inside span of a few scanlines, centres it vertically and then
    horizontally, and keeps the one with the most room around it.
    """
    flipped = [(y, x) for x, y in points]
    top, bottom = min(p[1] for p in points), max(p[1] for p in points)
    best, best_room = None, -1.0
    for k in range(1, 20):
        y = top + (bottom - top) * k / 20 + 0.0137
        xs = crossings(points, y)
        for a, b in zip(xs[0::2], xs[1::2], strict=False):
            x = (a + b) / 2
            vertical = _span(crossings(flipped, x), y)
            if vertical is None:
                continue
            y2 = (vertical[0] + vertical[1]) / 2
            horizontal = _span(crossings(points, y2), x)
            if horizontal is None:
                continue
            room = min(horizontal[1] - horizontal[0], vertical[1] - vertical[0])
            if room > best_room:
                best, best_room = ((horizontal[0] + horizontal[1]) / 2, y2), room
    if best is None:
        raise ValueError("no room inside the polygon")
    return round(best[0], 1), round(best[1], 1)
