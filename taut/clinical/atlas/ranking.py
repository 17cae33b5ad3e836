"""Pain drawing -> muscles to examine: ``rank``, answered from an index built at import.

Source and status: see the package, ``taut.clinical.atlas``; why an index and how it stays
exact: docs/decisions/0015-atlas-rank-index.md.
"""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from itertools import chain, compress, repeat
from operator import rshift, truediv

from taut.clinical.atlas.maps import (
    _ORDER,
    _PLACES,
    DEFAULT_INTENSITY,
    MAX_INTENSITY,
    MUSCLES,
    Mark,
    Side,
    Suggestion,
    _drawing,
)
from taut.clinical.atlas.structures import STRUCTURES
from taut.clinical.inputs import is_whole

# The ranking index, built once at import: every whole-number reading of every place, with
# what it adds to each (muscle, side) it reaches, so that ``rank`` only adds up and sorts.
# Every (site, side) in tie order: each muscle and paired structure on both sides, each
# midline structure once with side None (ids are unique, so None is never compared to a Side).
_KEYS: tuple[tuple[str, Side | None], ...] = tuple(
    sorted(
        [(muscle_id, side) for muscle_id in MUSCLES for side in Side]
        + [
            (s.id, side)
            for s in STRUCTURES.values()
            for side in ((None,) if s.midline else tuple(Side))
        ]
    )
)
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
    """Rank the sites that may explain a pain drawing: muscles (trigger points) and
    ligaments and tendons (issue 15), to examine.

    Structures rank like muscles: their ``local_regions`` count as TrP sites, their
    ``primary``/``secondary`` as zones (Hackett's ligament patterns via secondary sources,
    or only the local pain where none is published: ``Structure.referral_status``). A
    midline structure has side None and is reached from marks on either side.

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
