"""Referred-pain atlas: body regions, muscles, and pain drawing -> muscles to examine.

Source: the referred-pain maps of Travell & Simons, *Myofascial Pain and Dysfunction: The
Trigger Point Manual* (vol. 1, 2nd ed. 1999; vol. 2, 1992), as confirmed through the public
secondary sources each muscle cites (``Muscle.sources``); the atlas was not checked against
the T&S volumes themselves. Status: secondary. 84 muscles are ``seen`` in a cited source,
4 are ``memory`` (unverified; the UI must say so). The ranking weights and the mapping to
ACR 2016 WPI areas are Taut's own (unverified). Details: docs/clinical-rules.md,
"Referred-pain atlas".

``rank`` lists muscles to examine, never a diagnosis; red-flag screening comes first.
"""

import json
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from importlib import resources
from itertools import chain, compress, repeat
from operator import rshift, truediv
from types import MappingProxyType

from taut.clinical.fibromyalgia import WPI_AREAS, Area
from taut.clinical.inputs import is_whole, read_collection

# Scoring weights (see ``rank``). A mark counts 1 + intensity, so a mark rated 0 still counts.
PRIMARY_WEIGHT = 1.0  # the mark lies in an essential referral zone of the muscle
SECONDARY_WEIGHT = 0.5  # ... in a spillover zone only
TRP_WEIGHT = 0.3  # ... where the muscle's trigger points lie (local tenderness); added
DEFAULT_INTENSITY = 5.0
MAX_INTENSITY = 10.0


class View(StrEnum):
    """Which pain-drawing figure shows a region."""

    FRONT = "front"
    BACK = "back"
    BOTH = "both"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class Evidence(StrEnum):
    SEEN = "seen"  # referral regions confirmed in a retrieved secondary source
    MEMORY = "memory"  # from general knowledge of the T&S maps: unverified


class Zone(StrEnum):
    """How a region relates to a muscle."""

    PRIMARY = "primary"  # essential referral zone
    SECONDARY = "secondary"  # spillover referral zone
    TRP = "trp"  # where the muscle's trigger points lie


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    label: str
    view: View
    group: str
    midline: bool  # midline regions take no side
    wpi_area: str | None  # ACR 2016 WPI area name without side, e.g. "hip"; None: no area


@dataclass(frozen=True, slots=True)
class Muscle:
    """One atlas muscle. Every muscle is paired (a left and a right one)."""

    id: str
    name: str
    group: str
    trp_locations: tuple[str, ...]
    trp_regions: tuple[str, ...]
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    aggravated_by: str
    injection_risk: str | None
    high_risk: bool  # injection_risk starts with "HIGH RISK": image guidance / specialists
    evidence: Evidence
    sources: tuple[str, ...]
    # Referral to the opposite side as well (referral_atlas.md, caveat 4), by zone:
    contralateral_primary: tuple[str, ...] = ()
    contralateral_secondary: tuple[str, ...] = ()
    laterality_note: str | None = None


@dataclass(frozen=True, slots=True)
class Pattern:
    """Region ids to draw for one muscle; ``contralateral_*`` go on the opposite side."""

    muscle_id: str
    trp: tuple[str, ...]
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    contralateral_primary: tuple[str, ...]
    contralateral_secondary: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A muscle reaching a region; ``contralateral``: from the muscle on the other side."""

    muscle_id: str
    zone: Zone
    contralateral: bool


@dataclass(frozen=True, slots=True)
class Mark:
    """One marked area of a pain drawing. ``side`` is None exactly for midline regions."""

    region_id: str
    side: Side | None
    intensity: float = DEFAULT_INTENSITY


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A muscle to examine, with the marks that led to it (its "why")."""

    muscle_id: str
    side: Side  # the side of the muscle to examine
    score: float
    coverage: float  # share of the drawing's weight that this muscle explains, 0-1
    primary_matches: tuple[Mark, ...]
    secondary_matches: tuple[Mark, ...]
    trp_matches: tuple[Mark, ...]


def _load() -> tuple[str, Mapping[str, Region], Mapping[str, Muscle]]:
    text = resources.files("taut.clinical.data").joinpath("referral_atlas.json").read_text("utf-8")
    raw = json.loads(text)
    wpi = raw["wpi_area_by_region"]["areas"]
    regions = {
        r["id"]: Region(
            r["id"], r["label"], View(r["view"]), r["group"], r["midline"], wpi[r["id"]]
        )
        for r in raw["regions"]
    }
    muscles = {}
    for m in raw["muscles"]:
        crossing = m.get("contralateral", {})
        risk = m["injection_risk"]
        muscles[m["id"]] = Muscle(
            id=m["id"],
            name=m["name"],
            group=m["group"],
            trp_locations=tuple(m["trp_locations"]),
            trp_regions=tuple(m["trp_regions"]),
            primary=tuple(m["primary"]),
            secondary=tuple(m["secondary"]),
            aggravated_by=m["aggravated_by"],
            injection_risk=risk,
            high_risk=bool(risk and risk.startswith("HIGH RISK")),
            evidence=Evidence(m["evidence"]),
            sources=tuple(m["sources"]),
            contralateral_primary=tuple(crossing.get("primary", ())),
            contralateral_secondary=tuple(crossing.get("secondary", ())),
            laterality_note=crossing.get("note"),
        )
    return raw["version"], MappingProxyType(regions), MappingProxyType(muscles)


VERSION, REGIONS, MUSCLES = _load()


def _build_index() -> Mapping[str, tuple[Link, ...]]:
    index: dict[str, list[Link]] = {region_id: [] for region_id in REGIONS}
    for m in MUSCLES.values():
        for zone, region_ids, crossed in (
            (Zone.PRIMARY, m.primary, False),
            (Zone.SECONDARY, m.secondary, False),
            (Zone.TRP, m.trp_regions, False),
            (Zone.PRIMARY, m.contralateral_primary, True),
            (Zone.SECONDARY, m.contralateral_secondary, True),
        ):
            for region_id in region_ids:
                index[region_id].append(Link(m.id, zone, crossed))
    return MappingProxyType({region_id: tuple(links) for region_id, links in index.items()})


_INDEX = _build_index()
_ZONE_WEIGHT = {Zone.PRIMARY: PRIMARY_WEIGHT, Zone.SECONDARY: SECONDARY_WEIGHT, Zone.TRP: 0.0}
_SLOT = {Zone.PRIMARY: 0, Zone.SECONDARY: 1, Zone.TRP: 2}  # index in a _Tally's matches
_OPPOSITE = {Side.LEFT: Side.RIGHT, Side.RIGHT: Side.LEFT}


# What a mark on one place reaches: (muscle_id, side), the link weight, the _SLOTs it fills.
type Reach = tuple[tuple[str, Side], float, tuple[int, ...]]


def _build_places() -> Mapping[tuple[str, Side | None], tuple[Reach, ...]]:
    """For each valid (region_id, side) of a mark: ((muscle_id, side), weight, slots) matched."""
    places: dict[tuple[str, Side | None], tuple[Reach, ...]] = {}
    for region in REGIONS.values():
        for side in (None,) if region.midline else (Side.LEFT, Side.RIGHT):
            found: dict[tuple[str, Side], set[Zone]] = {}
            for link in _INDEX[region.id]:
                muscle_sides: tuple[Side, ...]
                if side is None:  # a midline mark counts for the muscles of both sides
                    muscle_sides = (Side.LEFT, Side.RIGHT)
                else:
                    muscle_sides = (_OPPOSITE[side] if link.contralateral else side,)
                for muscle_side in muscle_sides:
                    found.setdefault((link.muscle_id, muscle_side), set()).add(link.zone)
            places[region.id, side] = tuple(
                (
                    key,
                    max(_ZONE_WEIGHT[z] for z in zones) + (TRP_WEIGHT if Zone.TRP in zones else 0),
                    tuple(_SLOT[z] for z in Zone if z in zones),
                )
                for key, zones in found.items()
            )
    return MappingProxyType(places)


_PLACES = _build_places()
_ORDER = {place: i for i, place in enumerate(_PLACES)}  # head to toe, left before right
_SIDES = {"left": Side.LEFT, "right": Side.RIGHT}
_PAIRED_WPI = frozenset(a.removesuffix("_left") for a in WPI_AREAS if a.endswith("_left"))


def _parse_mark(raw: object, i: int) -> Mark:
    if isinstance(raw, Mark):
        raw = (raw.region_id, raw.side, raw.intensity)
    if not isinstance(raw, tuple | list) or len(raw) not in (2, 3):
        raise ValueError(
            f"marks[{i}]: expected (region_id, side) or (region_id, side, intensity), got {raw!r}"
        )
    region_id, side = raw[0], raw[1]
    intensity = raw[2] if len(raw) == 3 else DEFAULT_INTENSITY
    if not isinstance(region_id, str) or region_id not in REGIONS:
        raise ValueError(f"marks[{i}].region_id: unknown region {region_id!r} (see atlas.REGIONS)")
    if side is not None:
        side = _SIDES.get(side) if isinstance(side, str) else None
        if side is None:
            raise ValueError(f"marks[{i}].side: expected 'left', 'right' or None, got {raw[1]!r}")
    if (region_id, side) not in _PLACES:
        if side is None:
            raise ValueError(
                f"marks[{i}].side: {region_id!r} is a paired region, so side must be 'left' or "
                "'right'; mark both sides for pain on both sides"
            )
        raise ValueError(
            f"marks[{i}].side: {region_id!r} is a midline region, so side must be None"
        )
    if isinstance(intensity, bool) or not isinstance(intensity, int | float):
        raise ValueError(f"marks[{i}].intensity: expected a number from 0 to 10, got {intensity!r}")
    if not 0 <= intensity <= MAX_INTENSITY:  # also refuses NaN
        raise ValueError(f"marks[{i}].intensity: must be from 0 to 10, got {intensity!r}")
    return Mark(region_id, side, float(intensity))


def _drawing(marks: Iterable[object]) -> list[Mark]:
    """Validated marks, duplicates merged (highest intensity wins), head to toe, left first."""
    merged: dict[tuple[str, Side | None], Mark] = {}
    for i, raw in enumerate(read_collection(marks, "marks", "a list of marks")):
        mark = _parse_mark(raw, i)
        place = (mark.region_id, mark.side)
        if place not in merged or mark.intensity > merged[place].intensity:
            merged[place] = mark
    return [merged[place] for place in sorted(merged, key=_ORDER.__getitem__)]


# The ranking index, built once at import: every whole-number reading of every place, with
# what it adds to each (muscle, side) it reaches, so that ``rank`` only adds up and sorts.
_KEYS = tuple(sorted((muscle_id, side) for muscle_id in MUSCLES for side in Side))  # tie order
_KEY_AT = {key: k for k, key in enumerate(_KEYS)}
_MUSCLE_IDS = tuple(muscle_id for muscle_id, _ in _KEYS)
_KEY_SIDES = tuple(side for _, side in _KEYS)
_WHOLE_INTENSITIES = range(int(MAX_INTENSITY) + 1)  # what a stored drawing holds


@dataclass(frozen=True, slots=True)
class _Reading:
    """A valid, merged mark as ``rank`` adds it up, with its weight w = 1 + intensity."""

    mark: Mark
    place: int  # its place's position in _PLACES (head to toe, left first)
    weight: float
    reach: tuple[tuple[int, float], ...]  # (key index in _KEYS, link weight × w)
    links: tuple[tuple[int, tuple[int, ...]], ...]  # (key index, match slots it fills)


# For each place: (key index, link weight) and (key index, match slots) of what it reaches.
_WEIGHTS = {
    place: tuple((_KEY_AT[key], weight) for key, weight, _ in reach)
    for place, reach in _PLACES.items()
}
_LINKS = {
    place: tuple((_KEY_AT[key], slots) for key, _, slots in reach)
    for place, reach in _PLACES.items()
}


def _reading(mark: Mark) -> _Reading:
    w = 1.0 + mark.intensity
    place = (mark.region_id, mark.side)
    reach = tuple((k, weight * w) for k, weight in _WEIGHTS[place])
    return _Reading(mark, _ORDER[place], w, reach, _LINKS[place])


def _build_readings() -> tuple[dict[tuple[object, ...], int], dict[int, _Reading]]:
    """Each plain mark ``(region_id, side[, whole intensity])`` -> a code, place order × 16 +
    intensity, and each code -> its reading. Sorted codes go head to toe, then by intensity."""
    codes: dict[tuple[object, ...], int] = {}
    readings: dict[int, _Reading] = {}
    for (region_id, side), order in _ORDER.items():
        side_value = None if side is None else side.value
        for intensity in _WHOLE_INTENSITIES:
            code = order * 16 + intensity
            readings[code] = _reading(Mark(region_id, side, float(intensity)))
            codes[region_id, side_value, intensity] = code
        codes[region_id, side_value] = order * 16 + int(DEFAULT_INTENSITY)
    return codes, readings


_CODES, _READINGS = _build_readings()
# The item types a mark in the fast path may hold. A value of another type that equals a key
# (True == 1, Fraction(5) == 5, an object equal to "heel") goes through ``_drawing``'s checks.
_PLAIN_ITEMS = frozenset({str, int, float, Side, type(None)})
_NEW = object.__new__
_CONSUME = deque[object](maxlen=0).extend  # runs an iterator to its end, keeping nothing
# Suggestion's slot setters, in field order (see ``_suggestions``)
_SUGGESTION_SETTERS = tuple(getattr(Suggestion, f.name).__set__ for f in fields(Suggestion))


def _readings(marks: Iterable[object]) -> list[_Reading]:
    """The drawing as ``_drawing`` reads it, from the index when every mark is a plain
    ``(region_id, side[, whole intensity])`` tuple; any other drawing goes through ``_drawing``
    (same result, same refusals)."""
    if type(marks) is list or type(marks) is tuple:
        try:
            if set(map(type, marks)) <= {tuple} and (
                set(map(type, chain.from_iterable(marks))) <= _PLAIN_ITEMS  # type: ignore[arg-type]
            ):
                codes = sorted(map(_CODES.__getitem__, marks))  # type: ignore[arg-type]
                # Duplicates: a place's last code, its highest intensity, wins.
                merged = dict(zip(map(rshift, codes, repeat(4)), codes, strict=True))
                return list(map(_READINGS.__getitem__, merged.values()))
        except KeyError:
            pass  # not a plain valid mark: _drawing says why, or reads it
    return [_reading(mark) for mark in _drawing(marks)]


def _suggestions(
    kept: list[int], scores: Mapping[int, float], drawing: list[_Reading], total: float
) -> list[Suggestion]:
    """The Suggestions for the kept keys, with their coverage and matched marks."""
    position = dict(zip(kept, range(len(kept)), strict=True))
    coverage = [0.0] * len(kept)
    # By slot (primary, secondary, trp), then position in kept: the marks matched.
    found: tuple[list[tuple[Mark, ...]], ...] = tuple([()] * len(kept) for _ in range(3))
    for reading in drawing:  # head to toe: the same additions, in the same order, as the sums
        w = reading.weight
        mark = reading.mark
        for k, slots in reading.links:
            at = position.get(k)
            if at is not None:
                coverage[at] += w
                for slot in slots:
                    found[slot][at] += (mark,)
    primary, secondary, trp = found
    columns: tuple[Iterable[object], ...] = (
        map(_MUSCLE_IDS.__getitem__, kept),
        map(_KEY_SIDES.__getitem__, kept),
        map(scores.__getitem__, kept),
        map(round, map(truediv, coverage, repeat(total)), repeat(6)),
        primary,
        secondary,
        trp,
    )
    # Set the slots directly: the generated frozen __init__ (one object.__setattr__ call per
    # field) took twice as long.
    made: list[Suggestion] = list(map(_NEW, repeat(Suggestion, len(kept))))
    for setter, column in zip(_SUGGESTION_SETTERS, columns, strict=True):
        _CONSUME(map(setter, made, column))
    return made


def rank(marks: Iterable[object], *, limit: int | None = None) -> list[Suggestion]:
    """Rank the muscles whose trigger points may explain a pain drawing: muscles to examine.

    Source: referral patterns of Travell & Simons (vol. 1 1999, vol. 2 1992) via the secondary
    sources cited per muscle; status: secondary (4 ``memory`` muscles unverified). The scoring
    is Taut's heuristic (unverified), following the atlas notes: essential zones outweigh
    spillover, TrP sites count as local pain.

    A mark is ``(region_id, side)``, ``(region_id, side, intensity)`` or a ``Mark``; side is
    "left"/"right", or None for a midline region; intensity is 0-10 (default 5). Duplicate
    marks merge, keeping the highest intensity. Referral is same-side, except the zones a
    muscle lists as ``contralateral_*``; a midline mark counts for the muscles of both sides.

    With weight w = 1 + intensity for each mark, for each (muscle, side)::

        score = sum(w * (zone weight + TRP_WEIGHT if a TrP site)) / sum(w over all marks)

    where zone weight is PRIMARY_WEIGHT, SECONDARY_WEIGHT or 0; ``coverage`` is the weight of
    the marks explained over the total. Scores are rounded to 6 places; order is score
    descending, then muscle id, then side. Bad marks or limit raise ValueError naming the field.
    """
    if limit is not None and (not is_whole(limit) or limit < 0):
        raise ValueError(f"limit: expected None or an integer >= 0, got {limit!r}")
    drawing = _readings(marks)
    total = sum(reading.weight for reading in drawing)
    points = [0.0] * len(_KEYS)  # by key; the same additions, in the same order, as the sums
    for reading in drawing:
        for k, added in reading.reach:
            points[k] += added
    reached = list(compress(range(len(_KEYS)), points))  # in tie order; every link weighs > 0
    # Rounding never reverses an order, so rank by points (ties in key order), then round
    # only what can be kept: the first ``limit`` and any after them that round to a tie.
    order = sorted(reached, key=points.__getitem__, reverse=True)
    scores = {k: round(points[k] / total, 6) for k in order[:limit]}
    if limit is not None and 0 < limit < len(order):
        last = scores[order[limit - 1]]
        for k in order[limit:]:
            score = round(points[k] / total, 6)
            if score != last:
                break
            scores[k] = score
    kept = sorted(scores)  # key order, then score descending (a stable sort keeps ties)
    kept.sort(key=scores.__getitem__, reverse=True)
    if limit is not None:
        del kept[limit:]
    return _suggestions(kept, scores, drawing, total) if kept else []


def pattern(muscle_id: str) -> Pattern:
    """Where a muscle's trigger points lie and where they refer, for drawing on a body map.

    Source: Travell & Simons via the muscle's cited secondary sources; status: see
    ``MUSCLES[muscle_id].evidence`` (``memory`` = unverified). Unknown ids raise ValueError.
    """
    muscle = MUSCLES.get(muscle_id) if isinstance(muscle_id, str) else None
    if muscle is None:
        raise ValueError(f"muscle_id: unknown muscle {muscle_id!r} (see atlas.MUSCLES)")
    return Pattern(
        muscle_id=muscle.id,
        trp=muscle.trp_regions,
        primary=muscle.primary,
        secondary=muscle.secondary,
        contralateral_primary=muscle.contralateral_primary,
        contralateral_secondary=muscle.contralateral_secondary,
    )


def muscles_for_region(region_id: str) -> tuple[Link, ...]:
    """The muscles that refer to, or have trigger points in, a region (the reverse view).

    Source: Travell & Simons via the atlas's cited secondary sources; status: secondary
    (``memory`` muscles unverified). Order: atlas muscle order. Unknown ids raise ValueError.
    """
    if not isinstance(region_id, str) or region_id not in _INDEX:
        raise ValueError(f"region_id: unknown region {region_id!r} (see atlas.REGIONS)")
    return _INDEX[region_id]


def wpi_areas(marks: Iterable[object]) -> frozenset[Area]:
    """The ACR 2016 Widespread Pain Index areas that a pain drawing covers.

    Source: ACR 2016 fibromyalgia criteria (Wolfe et al., Semin Arthritis Rheum 2016;46:319),
    WPI body areas; status: verified for the 19 areas, while the mapping of atlas regions to
    areas (``Region.wpi_area``) is Taut's own (unverified). Hand, wrist, foot, ankle and head
    other than the jaw map to no area. Marks are validated as in ``rank``.
    """
    areas = set()
    for mark in _drawing(marks):
        base = REGIONS[mark.region_id].wpi_area
        if base is not None:
            areas.add(Area(f"{base}_{mark.side}" if base in _PAIRED_WPI else base))
    return frozenset(areas)


def places() -> tuple[tuple[str, Side | None], ...]:
    """Every markable (region id, side), head to toe, left before right.

    Not a rule: the atlas's vocabulary (each paired region on both sides, each midline
    region once), for forms and lists that offer every place to mark.
    """
    return tuple(_PLACES)


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a later pain drawing differs from an earlier one (by region and side)."""

    added: tuple[Mark, ...]  # marked later, not before
    resolved: tuple[Mark, ...]  # marked before, not later
    persisting: tuple[tuple[Mark, Mark], ...]  # (before, after) for places marked in both
    extent_before: int  # number of places marked
    extent_after: int
    share_before: float  # extent as a share of all markable places, 0-1
    share_after: float
    jaccard: float | None  # |before ∩ after| / |before ∪ after|; None when both are empty


def compare(before: Iterable[object], after: Iterable[object]) -> Comparison:
    """Compare two pain drawings: regions added and resolved, extent, and Jaccard overlap.

    Source: the Jaccard index (intersection over union of the marked places) as used to
    compare pain drawings (e.g. CHOIR body map studies); status: a descriptive measure, not
    a clinical threshold. Places are (region, side); intensities don't change the overlap.
    """
    earlier = {(m.region_id, m.side): m for m in _drawing(before)}
    later = {(m.region_id, m.side): m for m in _drawing(after)}
    order = _ORDER.__getitem__
    union = earlier.keys() | later.keys()
    shared = sorted(earlier.keys() & later.keys(), key=order)
    total = len(_PLACES)
    return Comparison(
        added=tuple(later[p] for p in sorted(later.keys() - earlier.keys(), key=order)),
        resolved=tuple(earlier[p] for p in sorted(earlier.keys() - later.keys(), key=order)),
        persisting=tuple((earlier[p], later[p]) for p in shared),
        extent_before=len(earlier),
        extent_after=len(later),
        share_before=round(len(earlier) / total, 4),
        share_after=round(len(later) / total, 4),
        jaccard=round(len(shared) / len(union), 4) if union else None,
    )
