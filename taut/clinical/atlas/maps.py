"""The referred-pain atlas: regions, muscles and their referral maps, and pain drawings read
against them (validation, places, WPI areas, comparison). ``rank`` is in ``ranking``.

Source and status: see the package, ``taut.clinical.atlas``.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from types import MappingProxyType

from taut.clinical.atlas.structures import (
    STRUCTURES,
    Evidence,
    SiteKind,
    Structure,
)
from taut.clinical.fibromyalgia import WPI_AREAS, Area
from taut.clinical.inputs import read_collection

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
    """Region ids to draw for one site; ``contralateral_*`` go on the opposite side. For a
    ligament or tendon, ``trp`` holds where the structure lies (its local tenderness)."""

    muscle_id: str
    trp: tuple[str, ...]
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    contralateral_primary: tuple[str, ...]
    contralateral_secondary: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A site (muscle, ligament or tendon; ``muscle_id`` is its atlas id) reaching a region;
    ``contralateral``: from the muscle on the other side."""

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
    """A site to examine (a muscle, or a ligament or tendon: ``kind``), with the marks that
    led to it (its "why"). ``muscle_id`` is the atlas site id (the name is kept for the
    callers); ``side`` is None exactly for a midline structure (recorded "midline")."""

    muscle_id: str
    side: Side | None  # the side of the site to examine; None: a midline structure
    score: float
    coverage: float  # share of the drawing's weight that this muscle explains, 0-1
    primary_matches: tuple[Mark, ...]
    secondary_matches: tuple[Mark, ...]
    trp_matches: tuple[Mark, ...]

    @property
    def kind(self) -> "SiteKind":
        """Muscle, ligament, tendon sheath/origin/insertion or aponeurosis."""
        return kind_of(self.muscle_id)


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


#: Every injectable atlas site: the muscles, then the ligaments and tendons.
SITES: Mapping[str, Muscle | Structure] = MappingProxyType({**MUSCLES, **STRUCTURES})


def kind_of(site_id: str) -> SiteKind:
    """Whether an atlas site id is a muscle or which kind of ligament/tendon structure.

    Not a rule: the atlas's vocabulary. Unknown ids raise ValueError.
    """
    if site_id in MUSCLES:
        return SiteKind.MUSCLE
    structure = STRUCTURES.get(site_id) if isinstance(site_id, str) else None
    if structure is None:
        raise ValueError(f"site_id: unknown atlas site {site_id!r} (see atlas.SITES)")
    return structure.kind


def _build_index() -> Mapping[str, tuple[Link, ...]]:
    """Region -> the sites reaching it: the muscles in atlas order, then the structures (a
    structure's ``local_regions`` count as a muscle's trigger-point regions)."""
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
    for s in STRUCTURES.values():
        for zone, region_ids in (
            (Zone.PRIMARY, s.primary),
            (Zone.SECONDARY, s.secondary),
            (Zone.TRP, s.local_regions),
        ):
            for region_id in region_ids:
                index[region_id].append(Link(s.id, zone, False))
    return MappingProxyType({region_id: tuple(links) for region_id, links in index.items()})


_INDEX = _build_index()
_ZONE_WEIGHT = {Zone.PRIMARY: PRIMARY_WEIGHT, Zone.SECONDARY: SECONDARY_WEIGHT, Zone.TRP: 0.0}
_SLOT = {Zone.PRIMARY: 0, Zone.SECONDARY: 1, Zone.TRP: 2}  # a match slot: primary, secondary, trp
_OPPOSITE = {Side.LEFT: Side.RIGHT, Side.RIGHT: Side.LEFT}


# What a mark on one place reaches: (site id, side; None for a midline structure), the link
# weight, the _SLOTs it fills.
type Reach = tuple[tuple[str, Side | None], float, tuple[int, ...]]
_MIDLINE_SITES = frozenset(s.id for s in STRUCTURES.values() if s.midline)


def _build_places() -> Mapping[tuple[str, Side | None], tuple[Reach, ...]]:
    """For each valid (region_id, side) of a mark: ((site id, side), weight, slots) matched.
    A midline structure (side None) is reached from either side."""
    places: dict[tuple[str, Side | None], tuple[Reach, ...]] = {}
    for region in REGIONS.values():
        for side in (None,) if region.midline else (Side.LEFT, Side.RIGHT):
            found: dict[tuple[str, Side | None], set[Zone]] = {}
            for link in _INDEX[region.id]:
                muscle_sides: tuple[Side | None, ...]
                if link.muscle_id in _MIDLINE_SITES:
                    muscle_sides = (None,)
                elif side is None:  # a midline mark counts for the muscles of both sides
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


def pattern(muscle_id: str) -> Pattern:
    """Where a site's trigger points (a muscle) or the structure itself (a ligament or
    tendon: ``trp`` = its ``local_regions``) lie and where they refer, for a body map.

    Source: Travell & Simons via the muscle's cited secondary sources; status: see
    ``MUSCLES[muscle_id].evidence`` (``memory`` = unverified). For a structure: Hackett's
    ligament patterns (1958) via its secondary sources, status ``referral_status``
    ("unverified" or "none" said so on the pages). Unknown ids raise ValueError.
    """
    structure = STRUCTURES.get(muscle_id) if isinstance(muscle_id, str) else None
    if structure is not None:
        return Pattern(
            muscle_id=structure.id,
            trp=structure.local_regions,
            primary=structure.primary,
            secondary=structure.secondary,
            contralateral_primary=(),
            contralateral_secondary=(),
        )
    muscle = MUSCLES.get(muscle_id) if isinstance(muscle_id, str) else None
    if muscle is None:
        raise ValueError(f"muscle_id: unknown atlas site {muscle_id!r} (see atlas.SITES)")
    return Pattern(
        muscle_id=muscle.id,
        trp=muscle.trp_regions,
        primary=muscle.primary,
        secondary=muscle.secondary,
        contralateral_primary=muscle.contralateral_primary,
        contralateral_secondary=muscle.contralateral_secondary,
    )


def muscles_for_region(region_id: str) -> tuple[Link, ...]:
    """The sites that refer to, or lie in (trigger points, a structure's local regions), a
    region (the reverse view): the muscles, then the ligaments and tendons.

    Source: Travell & Simons via the atlas's cited secondary sources; status: secondary
    (``memory`` muscles unverified); structures: their ``referral_status``. Order: atlas
    muscle order, then atlas structure order. Unknown ids raise ValueError.
    """
    if not isinstance(region_id, str) or region_id not in _INDEX:
        raise ValueError(f"region_id: unknown region {region_id!r} (see atlas.REGIONS)")
    return _INDEX[region_id]


#: The reverse view under its plainer name: muscles and structures alike.
sites_for_region = muscles_for_region


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
