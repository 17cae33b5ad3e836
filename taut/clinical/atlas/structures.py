"""The ligament and tendon sites of the atlas (issue 15): their kinds and data.

Source and status: per entry (``Structure.sources``, ``referral_status``, ``evidence``); see
the package, ``taut.clinical.atlas``, and docs/clinical-rules.md, "Ligament and tendon sites".
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from types import MappingProxyType


class Evidence(StrEnum):
    SEEN = "seen"  # referral regions confirmed in a retrieved secondary source
    MEMORY = "memory"  # from general knowledge of the T&S maps: unverified


class SiteKind(StrEnum):
    """What an atlas site is: a muscle, or a ligament or tendon structure (issue 15)."""

    MUSCLE = "muscle"
    LIGAMENT = "ligament"
    TENDON_SHEATH = "tendon_sheath"
    TENDON_ORIGIN = "tendon_origin"
    TENDON_INSERTION = "tendon_insertion"
    APONEUROSIS = "aponeurosis"

    @property
    def label(self) -> str:
        """The kind as staff read it ("Ligament", "Tendon origin")."""
        return SITE_KIND_LABELS[self]


#: How the staff pages name each kind of site.
SITE_KIND_LABELS: Mapping[SiteKind, str] = MappingProxyType(
    {
        SiteKind.MUSCLE: "Muscle",
        SiteKind.LIGAMENT: "Ligament",
        SiteKind.TENDON_SHEATH: "Tendon sheath",
        SiteKind.TENDON_ORIGIN: "Tendon origin",
        SiteKind.TENDON_INSERTION: "Tendon insertion",
        SiteKind.APONEUROSIS: "Aponeurosis",
    }
)


@dataclass(frozen=True, slots=True)
class Structure:
    """One ligament or tendon site. ``midline`` structures take no side (recorded "midline");
    the others are paired like muscles. ``local_regions``: where the structure lies (local
    tenderness, like a muscle's trigger-point regions); ``primary``/``secondary``: its
    published referral pattern, if any (``referral_status`` says how far it is verified)."""

    id: str
    name: str
    group: str
    kind: SiteKind
    midline: bool
    location: str
    local_regions: tuple[str, ...]
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    referral_status: str  # "secondary", "unverified" or "none" (no published pattern)
    cautions: tuple[str, ...]  # the site's cautions: nearby nerves and vessels, technique
    steroid_caution: str | None  # shown when a steroid is recorded at this site
    steroid_avoid: bool  # no steroid into this (weight-bearing) tendon's substance
    injection_risk: str | None
    high_risk: bool
    evidence: Evidence
    sources: tuple[str, ...]


# How far a structure's referral pattern is verified: stated by a retrieved secondary source,
# from memory, or none published / none stated in a retrieved source (local pain only).
_REFERRAL_STATUSES = frozenset({"secondary", "unverified", "none"})


def _load_structures() -> Mapping[str, Structure]:
    text = resources.files("taut.clinical.data").joinpath("structure_atlas.json")
    raw = json.loads(text.read_text("utf-8"))
    structures = {}
    for s in raw["structures"]:
        risk = s["injection_risk"]
        if s["referral_status"] not in _REFERRAL_STATUSES:
            raise ValueError(
                f"structures[{s['id']}].referral_status: expected one of "
                f"{sorted(_REFERRAL_STATUSES)}, got {s['referral_status']!r}"
            )
        structures[s["id"]] = Structure(
            id=s["id"],
            name=s["name"],
            group=s["group"],
            kind=SiteKind(s["kind"]),
            midline=s["midline"],
            location=s["location"],
            local_regions=tuple(s["local_regions"]),
            primary=tuple(s["primary"]),
            secondary=tuple(s["secondary"]),
            referral_status=s["referral_status"],
            cautions=tuple(s["cautions"]),
            steroid_caution=s["steroid_caution"],
            steroid_avoid=s["steroid_avoid"],
            injection_risk=risk,
            high_risk=bool(risk and risk.startswith("HIGH RISK")),
            evidence=Evidence(s["evidence"]),
            sources=tuple(s["sources"]),
        )
    return MappingProxyType(structures)


#: Ligament and tendon sites (issue 15); ``MUSCLES`` stays muscles only.
STRUCTURES = _load_structures()
