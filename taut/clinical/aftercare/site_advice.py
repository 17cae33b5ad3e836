"""What ligament and tendon sites add to the handout (issue 15): the places named in plain
words, rest for the treated tendon or ligament, no running or jumping after a site that
carries the body's weight, and, after a steroid at a tendon, when a sudden snap or sharp
pain means a call.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"unverified" (not in the reference; clinic policy until a clinical lead signs it off).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from taut.clinical import atlas
from taut.clinical.aftercare.cautions import GENERAL, Extra
from taut.clinical.aftercare.lines import POLICY, Line
from taut.clinical.aftercare.site_words import plain_site_name
from taut.clinical.wording import gettext_noop as _

VERSION = "2026.1"

#: Sites that carry the body's weight or push it off, where running and jumping load the
#: treated tendon or fascia at once: Taut's grouping (unverified).
LOAD_BEARING = frozenset({"achilles_insertion", "patellar_tendon", "plantar_fascia"})
_TENDONS = frozenset(
    {atlas.SiteKind.TENDON_ORIGIN, atlas.SiteKind.TENDON_INSERTION, atlas.SiteKind.TENDON_SHEATH}
)
_PLAN = "[S75] (injection as one part of an overall plan, short-term)"

# fmt: off
_NAMED = Line(_("We put shots into these places:"), "the session's sites", "verified")
_ALSO_NAMED = Line(_("We also put shots into these places:"), "the session's sites", "verified")
_SORE = Line(_("The places we treated may be sore for a few days. This is common."),
             "[S10], [S13] (soreness after injection)", "verified")
_REST = Line(_("Rest the tendon or ligament we treated for a few days. Then go back to your "
               "usual tasks slowly."), f"{_PLAN}; how long: {GENERAL}", "unverified")
_STEROID_REST = Line(_("If a tendon or ligament had a steroid shot, go easy on it for about two "
                       "weeks. Do not lift heavy things or play hard sport with it."),
                     f"{GENERAL}: a steroid can weaken a tendon for a while", "unverified")
_NO_RUNNING = Line(_("Do not run or jump on that leg for a few days. Start again slowly. Stop "
                     "if it hurts."), f"{GENERAL}; which sites: Taut's grouping", "unverified")
_SNAP = Line(_("Call us the same day if you feel a snap or a sudden sharp pain where we "
               "treated you. Also call if you can not use that part as before."),
             f"tendon rupture after a steroid: {GENERAL}; when to call: {POLICY}", "unverified")
# fmt: on


def structure_sites(site_ids: Sequence[str]) -> tuple[str, ...]:
    """The ligament and tendon sites among atlas site ids, each once, in order.

    Not a rule: which ids are structures is the atlas's (``atlas.STRUCTURES``)."""
    return tuple(dict.fromkeys(site for site in site_ids if site in atlas.STRUCTURES))


def structure_advice(
    site_ids: Sequence[str], *, steroid: bool, steroid_sites: Sequence[str] | None = None
) -> tuple[Extra, tuple[Line, ...]]:
    """What the session's ligament and tendon sites add to the handout, and the same-day
    call lines (not urgency warnings of their own: they go under "When to call us").

    None: nothing. Otherwise: the places in plain words (``site_words``); rest the treated
    tendon or ligament for a few days; after a steroid at one of them, go easy on it for
    about two weeks; after a load-bearing site (``LOAD_BEARING``: Achilles, patellar tendon,
    plantar fascia), no running or jumping for a few days; after a steroid at a tendon, call
    for a snap or a sudden sharp pain (possible rupture). ``steroid_sites``: the atlas ids of
    the sites given the steroid (None: not known, so a ``steroid`` counts at every site); a
    steroid given only into a muscle changes none of these lines.
    Source: [S75] (injection as part of an overall plan); rest, loading and rupture signs:
    general knowledge, not in clinical.md. Status: unverified (clinic policy).
    """
    structures = structure_sites(site_ids)
    if not structures:
        return Extra(), ()
    names = tuple(
        Line(plain_site_name(site), "structure atlas (issue 15)", "verified") for site in structures
    )
    given = structures if steroid_sites is None else tuple(set(structures) & set(steroid_sites))
    steroid = steroid and bool(given)  # a steroid at one of these ligaments or tendons
    do = [_STEROID_REST if steroid else _REST]
    if LOAD_BEARING.intersection(structures):
        do.append(_NO_RUNNING)
    tendon = any(atlas.STRUCTURES[site].kind in _TENDONS for site in given)
    call = (_SNAP,) if steroid and tendon else ()
    muscles = any(site in atlas.MUSCLES for site in site_ids)
    named = _ALSO_NAMED if muscles else _NAMED
    return Extra(expect=(named, *names), do=tuple(do)), call


@dataclass(frozen=True)
class Reminder:
    """What a check-in page repeats from the handout about ligament and tendon sites: the
    places in plain words and what to do (``structure_advice``'s ``do`` lines)."""

    heading: Line  # "We put shots into these places:" (or "We also ...", with muscles)
    names: tuple[Line, ...]
    do: tuple[Line, ...]


def checkin_reminder(
    site_ids: Sequence[str], *, steroid: bool, steroid_sites: Sequence[str] | None = None
) -> Reminder | None:
    """The handout's ligament and tendon advice for a check-in page; None for a session
    without such sites (a muscle-only session shows nothing new).

    Source and status: as ``structure_advice`` (the same lines, with theirs).
    """
    extra, _call = structure_advice(site_ids, steroid=steroid, steroid_sites=steroid_sites)
    if not extra.do:
        return None
    return Reminder(heading=extra.expect[0], names=extra.expect[1:], do=extra.do)


SORE = _SORE
