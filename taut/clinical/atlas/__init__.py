"""Referred-pain atlas: body regions, muscles, and pain drawing -> muscles to examine.

Source: the referred-pain maps of Travell & Simons, *Myofascial Pain and Dysfunction: The
Trigger Point Manual* (vol. 1, 2nd ed. 1999; vol. 2, 1992), as confirmed through the public
secondary sources each muscle cites (``Muscle.sources``); the atlas was not checked against
the T&S volumes themselves. Status: secondary. 84 muscles are ``seen`` in a cited source,
4 are ``memory`` (unverified; the UI must say so). The ranking weights and the mapping to
ACR 2016 WPI areas are Taut's own (unverified). Details: docs/clinical-rules.md,
"Referred-pain atlas".

Ligament and tendon sites (issue 15, ``STRUCTURES``): location, local regions, Hackett's
ligament referral patterns (1958) where a retrieved secondary source states them
(``referral_status``: secondary / unverified / none), cautions and sources per entry; they
rank with the muscles. Details: docs/clinical-rules.md, "Ligament and tendon sites".

``rank`` lists sites to examine, never a diagnosis; red-flag screening comes first.

The package's public home is ``taut.clinical.atlas``: import from here, not from its modules
(``maps``: regions, muscles, referral maps and reading pain drawings; ``ranking``: ``rank``).
"""

from taut.clinical.atlas.maps import (
    DEFAULT_INTENSITY,
    MAX_INTENSITY,
    MUSCLES,
    PRIMARY_WEIGHT,
    REGIONS,
    SECONDARY_WEIGHT,
    SITES,
    TRP_WEIGHT,
    VERSION,
    Comparison,
    Link,
    Mark,
    Muscle,
    Pattern,
    Region,
    Side,
    Suggestion,
    View,
    Zone,
    compare,
    kind_of,
    muscles_for_region,
    pattern,
    places,
    sites_for_region,
    wpi_areas,
)
from taut.clinical.atlas.ranking import rank
from taut.clinical.atlas.structures import (
    SITE_KIND_LABELS,
    STRUCTURES,
    Evidence,
    SiteKind,
    Structure,
)

__all__ = [
    "DEFAULT_INTENSITY",
    "MAX_INTENSITY",
    "MUSCLES",
    "PRIMARY_WEIGHT",
    "REGIONS",
    "SECONDARY_WEIGHT",
    "SITES",
    "SITE_KIND_LABELS",
    "STRUCTURES",
    "TRP_WEIGHT",
    "VERSION",
    "Comparison",
    "Evidence",
    "Link",
    "Mark",
    "Muscle",
    "Pattern",
    "Region",
    "Side",
    "SiteKind",
    "Structure",
    "Suggestion",
    "View",
    "Zone",
    "compare",
    "kind_of",
    "muscles_for_region",
    "pattern",
    "places",
    "rank",
    "sites_for_region",
    "wpi_areas",
]
