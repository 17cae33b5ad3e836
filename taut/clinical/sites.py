"""Injection sites as the rules read them: (atlas muscle id, side) pairs.

Not a rule itself: the shared parsing behind the rules that take sites (coding, consent),
so bad input gets the same clear ValueError everywhere.
"""

from collections.abc import Callable
from enum import StrEnum

from taut.clinical.inputs import member_of, read_collection

VERSION = "2026.1"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


def read_side(value: object, field: str) -> Side:
    """``value`` as a Side. Not a rule: input parsing (Source: none needed)."""
    side = member_of(Side, value)
    if side is None:
        raise ValueError(
            f"{field}: expected 'left' or 'right', got {value!r}; record a bilateral "
            "muscle as two sites"
        )
    return side


def parse_sites(
    sites: object, *, read_muscle: Callable[[object, str], str]
) -> tuple[tuple[str, Side], ...]:
    """Distinct (muscle, side) pairs in first-seen order; ``read_muscle`` checks each id.

    Not a rule: input parsing shared by the rules that take sites (Source: none needed).
    """
    parsed: dict[tuple[str, Side], None] = {}
    for index, site in enumerate(read_collection(sites, "sites", "a list of (muscle_id, side)")):
        field = f"sites[{index}]"
        if not isinstance(site, tuple | list) or len(site) != 2:
            raise ValueError(f"{field}: expected (muscle_id, side), got {site!r}")
        key = (read_muscle(site[0], f"{field}.muscle_id"), read_side(site[1], f"{field}.side"))
        parsed[key] = None
    return tuple(parsed)
