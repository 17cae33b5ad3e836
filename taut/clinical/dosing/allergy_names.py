"""Reading an allergy written in words: brand names and misspellings of local anaesthetics.

A chart allergy entered as free text ("Xylocaine", "novacaine", "lignocaine") is read into
an allergen code when the words name exactly one known agent, class or excipient. Anything
else that looks like a local-anaesthetic allergy (a "-caine" word, "numbing", "local
anaesthetic", "epinephrine", a near-miss spelling, or two different allergens in one entry)
is flagged: a clinician must map it before a procedure. A near-miss spelling is only ever a
suggestion, never mapped on its own, because a wrong guess can change the class (procaine is
an ester, prilocaine an amide).
"""

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from taut.clinical.dosing.allergens import (
    AGENT_CLASSES,
    SOURCES,
    AnaestheticClass,
    Excipient,
    allergen_label,
)
from taut.clinical.inputs import read_text

#: Words that name one allergen: generic names, brand names (US and UK usage) and common
#: misspellings. Source: brand names from the product labels (XYLOCAINE, SENSORCAINE,
#: NESACAINE) and the names the issue-11 review lists (Marcaine, Carbocaine, Novocain,
#: Naropin); "lignocaine" is the British name of lidocaine; misspellings are Taut's list
#: (unverified: extend it as they are met).
# fmt: off
NAMES: Mapping[str, str] = MappingProxyType({
    **{agent: agent for agent in AGENT_CLASSES},
    # lidocaine
    "lignocaine": "lidocaine", "xylocaine": "lidocaine", "xylocain": "lidocaine",
    "lidocain": "lidocaine", "lidocane": "lidocaine", "lydocaine": "lidocaine",
    "lidacaine": "lidocaine", "lignocain": "lidocaine", "lidoderm": "lidocaine",
    "xylocane": "lidocaine", "lidociane": "lidocaine",
    # bupivacaine
    "marcaine": "bupivacaine", "marcain": "bupivacaine", "sensorcaine": "bupivacaine",
    "bupivicaine": "bupivacaine", "bupivacain": "bupivacaine", "bupivocaine": "bupivacaine",
    "bupivacane": "bupivacaine", "exparel": "bupivacaine", "vivacaine": "bupivacaine",
    # levobupivacaine
    "chirocaine": "levobupivacaine",
    # ropivacaine
    "naropin": "ropivacaine", "naropine": "ropivacaine", "ropivicaine": "ropivacaine",
    "ropivacain": "ropivacaine",
    # mepivacaine
    "carbocaine": "mepivacaine", "polocaine": "mepivacaine", "scandonest": "mepivacaine",
    "mepivicaine": "mepivacaine", "mepivacain": "mepivacaine",
    # prilocaine, articaine
    "citanest": "prilocaine", "prilocain": "prilocaine",
    "septocaine": "articaine", "orabloc": "articaine", "articain": "articaine",
    # procaine
    "novocain": "procaine", "novocaine": "procaine", "novacaine": "procaine",
    "novacain": "procaine", "procain": "procaine",
    # chloroprocaine
    "nesacaine": "chloroprocaine", "clorotekal": "chloroprocaine",
    "chlorprocaine": "chloroprocaine", "chloroprocain": "chloroprocaine",
    # tetracaine, benzocaine
    "pontocaine": "tetracaine", "amethocaine": "tetracaine", "tetracain": "tetracaine",
    "benzocain": "benzocaine",
    # classes
    "amide": AnaestheticClass.AMIDE, "amides": AnaestheticClass.AMIDE,
    "ester": AnaestheticClass.ESTER, "esters": AnaestheticClass.ESTER,
    "paba": AnaestheticClass.ESTER,
    # excipients (sulfa drugs, sulfonamides, are not sulfites)
    "paraben": Excipient.PARABEN, "parabens": Excipient.PARABEN,
    "methylparaben": Excipient.PARABEN, "propylparaben": Excipient.PARABEN,
    "sulfite": Excipient.SULFITE, "sulfites": Excipient.SULFITE,
    "sulphite": Excipient.SULFITE, "sulphites": Excipient.SULFITE,
    "metabisulfite": Excipient.SULFITE, "bisulfite": Excipient.SULFITE,
    "metabisulphite": Excipient.SULFITE,
})
# fmt: on

#: Words that make an entry look like a local-anaesthetic allergy without naming one.
HINTS = frozenset({
    "anaesthetic", "anesthetic", "anaesthetics", "anesthetics", "anaesthesia", "anesthesia",
    "numbing", "numb", "emla", "epinephrine", "adrenaline", "epi", "lidocaine/prilocaine",
})  # fmt: skip

_CAINE = re.compile(r"cain[ea]?s?$")
_WORD = re.compile(r"[a-z]+")
#: How close a misspelling must be to a known name to be suggested (difflib ratio).
CLOSE = 0.8


@dataclass(frozen=True)
class Reading:
    """What a free-text allergy means: ``code`` when it names exactly one allergen;
    ``needs_mapping`` when it looks like a local-anaesthetic allergy that a clinician must
    map; ``suggestions`` are codes to offer; ``why`` is the sentence a clinician reads."""

    text: str
    code: str | None
    needs_mapping: bool
    suggestions: tuple[str, ...]
    why: str
    source: str = ""


def read_allergy_text(text: str) -> Reading:
    """Read a free-text allergy into an allergen code, or flag it for a clinician.

    Exactly one named allergen (generic, brand or listed misspelling, see ``NAMES``) and no
    other local-anaesthetic word: mapped. Two different allergens ("lidocaine with
    epinephrine": the agent or the sulfite?), a "-caine" word that is not listed, a hint
    word (``HINTS``) or a near miss of a listed name (ratio ≥ ``CLOSE``): flagged, with
    suggestions. Otherwise not a local-anaesthetic allergy. Source: ``NAMES`` (product
    labels, Taut's misspelling list, unverified); the hard stop until mapped is clinic
    policy, from [S9] (allergy to the planned anaesthetic).
    """
    words = _WORD.findall(read_text(text, "text").lower())
    named = list(dict.fromkeys(str(NAMES[w]) for w in words if w in NAMES))
    unlisted = [w for w in words if w not in NAMES and (_CAINE.search(w) or w in HINTS)]
    near = [
        str(NAMES[match])
        for w in words
        if w not in NAMES and len(w) >= 5
        for match in difflib.get_close_matches(w, NAMES, n=2, cutoff=CLOSE)
    ]
    suggestions = tuple(dict.fromkeys([*named, *near]))
    source = "Taut's list of local-anaesthetic names (product labels; unverified)"
    if len(named) == 1 and not unlisted and not near:
        brand = next(w for w in words if w in NAMES)
        why = f"“{brand}” means {allergen_label(named[0])}."
        return Reading(text, named[0], False, (), why, f"{source}; {SOURCES['XYLOCAINE']}")
    if named or unlisted or near:
        what = ", ".join(f"“{w}”" for w in dict.fromkeys([*unlisted, *_near_words(words)]))
        why = (
            "This looks like a local-anaesthetic allergy"
            + (f" ({what})" if what else "")
            + (" and names more than one allergen" if len(named) > 1 else "")
            + ". A clinician must map it before a procedure."
        )
        return Reading(text, None, True, suggestions, why, source)
    return Reading(text, None, False, (), "Not a local-anaesthetic allergy.", source)


def _near_words(words: list[str]) -> list[str]:
    return [
        w
        for w in words
        if w not in NAMES and len(w) >= 5 and difflib.get_close_matches(w, NAMES, cutoff=CLOSE)
    ]
