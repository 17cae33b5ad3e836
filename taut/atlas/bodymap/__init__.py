"""The pain-drawing body map: front and back figures whose every atlas region is a shape.

Drawn for Taut (no copied artwork). Each figure is an SVG viewBox ``0 0 WIDTH HEIGHT``: an
``outline`` (the silhouette, drawn underneath) and one clickable :class:`Shape` per region
and side. Regions come from ``taut.clinical.atlas.REGIONS``; a region whose view is "both"
appears on both figures, usually as a strip at the outer edge of the body.

Orientation: the FRONT figure faces the viewer, so the patient's right side is on the
viewer's left; the BACK figure is seen from behind, so the patient's left side is on the
viewer's left. Sides here are always the PATIENT's.

Only the viewer's left half of each figure is data (``front.py``, ``back.py``, on the
outline of ``silhouette.py``); the right half is its mirror image about ``MIDLINE_X``, with
the side label swapped. Regions on the midline (throat, sternum, ...) are drawn once,
straddling it. Built once at import; pure Python, no Django.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from taut.atlas.bodymap import back, front
from taut.atlas.bodymap.geometry import (
    Point,
    Row,
    band_polygon,
    label_point,
    midline_polygon,
    mirror,
    outline_of,
    path,
    regions_of,
    tidy,
)
from taut.atlas.bodymap.silhouette import HEIGHT, MID, WIDTH
from taut.clinical.atlas import REGIONS

MIDLINE_X = MID
VIEWS = ("front", "back")
_MIDLINE_REGIONS = frozenset(region.id for region in REGIONS.values() if region.midline)
# Whose side the viewer's left half shows: the front figure faces us, the back one doesn't.
_LEFT_HALF_SIDE = {"front": "right", "back": "left"}
_OTHER_SIDE = {"left": "right", "right": "left"}


@dataclass(frozen=True)
class Shape:
    region_id: str
    side: str | None  # "left" / "right": the PATIENT's side; None for midline regions
    d: str  # SVG path data (absolute M, L, Z) in the figure's viewBox
    cx: float  # a point inside the shape, for a label or a marker
    cy: float


@dataclass(frozen=True)
class Figure:
    view: str  # "front" or "back"
    width: int  # viewBox 0 0 width height
    height: int
    outline: str  # path data of the body silhouette (drawn underneath, not clickable)
    shapes: tuple[Shape, ...]

    def shape(self, region_id: str, side: str | None) -> Shape | None:
        return next((s for s in self.shapes if s.region_id == region_id and s.side == side), None)


def _pair(region_id: str, side: str, points: list[Point]) -> tuple[Shape, Shape]:
    """The shape on the viewer's left half and its mirror image on the other half."""
    points = tidy(points)
    cx, cy = label_point(points)
    twin = [mirror(p, MID) for p in points]
    return (
        Shape(region_id, side, path(points), cx, cy),
        Shape(region_id, _OTHER_SIDE[side], path(twin), round(2 * MID - cx, 1), cy),
    )


def _midline_shape(region_id: str, points: list[Point]) -> Shape:
    points = tidy(points)
    _cx, cy = label_point(points)
    return Shape(region_id, None, path(points), MID, cy)


def _part_outline(rows: tuple[Row, ...]) -> list[list[Point]]:
    """The silhouette of a part: halves mirrored, or one piece if it reaches the midline."""
    if all(r.edges[-1](r.y0) == MID for r in rows):
        return [tidy(midline_polygon(bands, MID)) for bands in outline_of(rows)]
    halves = [tidy(band_polygon(bands)) for bands in outline_of(rows)]
    return halves + [[mirror(p, MID) for p in half] for half in halves]


def _figure(view: str, parts: Mapping[str, tuple[Row, ...]]) -> Figure:
    side = _LEFT_HALF_SIDE[view]
    shapes: list[Shape] = []
    outline: list[str] = []
    for rows in parts.values():
        for region_id, bands in regions_of(rows).items():
            if region_id in _MIDLINE_REGIONS:
                if any(b.right(b.y0) != MID for b in bands):
                    raise ValueError(f"{view} {region_id}: a midline region must reach it")
                shapes.append(_midline_shape(region_id, midline_polygon(bands, MID)))
            else:
                shapes.extend(_pair(region_id, side, band_polygon(bands)))
        outline.extend(path(p) for p in _part_outline(rows))
    return Figure(view, WIDTH, HEIGHT, " ".join(outline), tuple(shapes))


FIGURES: Mapping[str, Figure] = MappingProxyType(
    {"front": _figure("front", front.PARTS), "back": _figure("back", back.PARTS)}
)


def shapes_for(region_id: str, side: str | None) -> tuple[tuple[str, Shape], ...]:
    """Every drawing of a region on a side: ``(view, shape)`` for each figure showing it."""
    return tuple(
        (view, shape)
        for view in VIEWS
        if (shape := FIGURES[view].shape(region_id, side)) is not None
    )
