"""Injection sites as the rules read them: (atlas site id, side) pairs, and the values a
new site starts from.

Muscles and paired ligament or tendon sites are "left" or "right"; the two midline ligaments
of the low back (``atlas.Structure.midline``) are recorded "midline" (issue 15). A muscle is
never midline: ``read_side`` accepts "midline" only when asked to.

The parsing is not a rule itself: the shared reading behind the rules that take sites
(coding, consent), so bad input gets the same clear ValueError everywhere.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from taut.clinical.inputs import member_of, read_collection

VERSION = "2026.1"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"  # only the midline ligaments (atlas.Structure.midline)


def read_side(value: object, field: str, *, midline: bool = False) -> Side:
    """``value`` as a Side; "midline" only when ``midline`` (a midline structure's side).

    Not a rule: input parsing (Source: none needed).
    """
    side = member_of(Side, value)
    if side is None or (side is Side.MIDLINE and not midline):
        expected = "'left', 'right' or 'midline'" if midline else "'left' or 'right'"
        raise ValueError(
            f"{field}: expected {expected}, got {value!r}; record a bilateral site as two sites"
        )
    return side


def read_site_side(value: object, field: str, *, midline_site: bool) -> Side:
    """The side of one site: "midline" for a midline structure and nothing else; "left" or
    "right" for every other site (muscles and paired structures).

    Not a rule: input parsing (Source: none needed; which structures are midline is the
    atlas's ``Structure.midline``).
    """
    side = member_of(Side, value)
    if midline_site:
        if side is not Side.MIDLINE:
            raise ValueError(f"{field}: a midline site is recorded 'midline', got {value!r}")
        return side
    if side is Side.MIDLINE:
        raise ValueError(
            f"{field}: expected 'left' or 'right', got {value!r}; only a midline ligament "
            "is 'midline'"
        )
    return read_side(value, field)


def parse_sites(
    sites: object,
    *,
    read_muscle: Callable[[object, str], str],
    is_midline: Callable[[str], bool] | None = None,
) -> tuple[tuple[str, Side], ...]:
    """Distinct (site, side) pairs in first-seen order; ``read_muscle`` checks each id.

    Muscles only by default (sides "left"/"right"). With ``is_midline`` (an id → whether the
    atlas site is midline), "midline" is the side of a midline structure and of nothing else.
    Not a rule: input parsing shared by the rules that take sites (Source: none needed).
    """
    parsed: dict[tuple[str, Side], None] = {}
    for index, site in enumerate(read_collection(sites, "sites", "a list of (muscle_id, side)")):
        field = f"sites[{index}]"
        if not isinstance(site, tuple | list) or len(site) != 2:
            raise ValueError(f"{field}: expected (muscle_id, side), got {site!r}")
        site_id = read_muscle(site[0], f"{field}.muscle_id")
        if is_midline is None:
            side = read_side(site[1], f"{field}.side")
        else:
            side = read_site_side(site[1], f"{field}.side", midline_site=is_midline(site_id))
        parsed[(site_id, side)] = None
    return tuple(parsed)


@dataclass(frozen=True)
class SiteDefaults:
    """What the site form starts from; the clinician changes any of it for the site."""

    agent: str
    percent: Decimal
    volume_ml: Decimal
    needle_gauge: int
    needle_length_mm: Decimal
    source: str


#: A new injection site starts as lidocaine 1 %, about 2 mL into the trigger point, with a
#: 25 G 38 mm needle for a superficial muscle. Source: [S11] (about 2 mL of local
#: anaesthetic per point; 25 G 38 mm), [S9] (25–27 G, 1.25–1.5 in for shallow sites),
#: lidocaine 1 % as in [S64]. Starting values only: depth, agent and volume are the
#: clinician's per site, within the session's dose limit.
NEW_SITE = SiteDefaults(
    agent="lidocaine",
    percent=Decimal("1"),
    volume_ml=Decimal("2"),
    needle_gauge=25,
    needle_length_mm=Decimal("38"),
    source="[S11] about 2 mL per point, 25 G 38 mm; [S9] 25–27 G for shallow sites; "
    "[S64] lidocaine 1 %",
)
