"""Payer policies and anatomical regions: the data the repeat rules read.

``POLICIES`` (loaded from ``data/payer_policies.json``) by id; ``AnatomicalRegion`` and
``REGION_MUSCLES`` after the LCD definition [S49]; ``Check``, one explained check.
Ligament and tendon sites (``atlas.STRUCTURES``) have no TPI region (issue 15).

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from types import MappingProxyType
from typing import Any

from taut.clinical import atlas, outcomes
from taut.clinical.inputs import is_whole

VERSION = "2026.2"  # 2026.2: structure sites and structure_checks (issue 15)

STATUSES = frozenset({"verified", "secondary", "unverified"})


class AnatomicalRegion(StrEnum):
    CEPHALIC = "cephalic"
    FACIAL = "facial"
    CERVICAL = "cervical"
    SCAPULAR = "scapular"
    SHOULDER = "shoulder"
    THORACIC = "thoracic"
    CHEST_WALL = "chest_wall"
    ABDOMINAL = "abdominal"
    LUMBAR = "lumbar"
    HIP_GLUTEAL = "hip_gluteal"
    UPPER_LIMB = "upper_limb"
    LOWER_LIMB = "lower_limb"


def region_label(region: AnatomicalRegion | str) -> str:
    """The region in words: ``hip_gluteal`` is "hip and gluteal", ``chest_wall`` "chest wall".

    Not a rule: the names of the regions ``AnatomicalRegion`` lists after [S49].
    """
    value = str(region)
    return "hip and gluteal" if value == "hip_gluteal" else value.replace("_", " ")


def _site_label(site: str) -> str:
    """An atlas site's name (a region name stays a region)."""
    found = atlas.SITES.get(site)
    return found.name if found else region_label(site)


def _load_data() -> dict[str, Any]:
    text = resources.files("taut.clinical.data").joinpath("payer_policies.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


_DATA = _load_data()

# Atlas muscle ids (taut.clinical.atlas.MUSCLES) by anatomical region: Taut's own
# grouping after the LCD's examples [S49]; status: unverified. Edit the JSON file.
REGION_MUSCLES: Mapping[AnatomicalRegion, tuple[str, ...]] = MappingProxyType(
    {AnatomicalRegion(r): tuple(muscles) for r, muscles in _DATA["regions"].items()}
)
MUSCLE_REGION: Mapping[str, AnatomicalRegion] = MappingProxyType(
    {muscle: region for region, muscles in REGION_MUSCLES.items() for muscle in muscles}
)


def region_of(site: str) -> AnatomicalRegion:
    """The anatomical region of a site: an atlas muscle id or a region name. A ligament or
    tendon site has none (ValueError): it is not a trigger point site [S49].

    Source: LCD L34211 definition of "anatomical region" [S49] (verified); the
    muscle-to-region grouping is Taut's own (unverified).
    """
    if site in MUSCLE_REGION:
        return MUSCLE_REGION[site]
    if site in atlas.STRUCTURES:
        raise ValueError(
            f"sites: {site!r} is a ligament or tendon site, not a TPI region (see structure_checks)"
        )
    try:
        return AnatomicalRegion(site)
    except ValueError:
        raise ValueError(f"sites: unknown site {site!r} (an atlas muscle id or region)") from None


def _regions(sites: Iterable[str]) -> frozenset[AnatomicalRegion]:
    """The TPI regions of the sites: ligament and tendon sites have none."""
    return frozenset(region_of(s) for s in sites if s not in atlas.STRUCTURES)


# -- Policies -----------------------------------------------------------------

_PARAMETERS = (
    "max_sessions_per_12_months",
    "min_interval_days",
    "required_relief",
    "requires_same_scale",
    "requires_functional_improvement",
    "requires_conservative_programme",
    "one_region_per_session",
    "fibromyalgia_investigational",
)


@dataclass(frozen=True, kw_only=True)
class Policy:
    """A payer's repeat rules. ``None`` limits mean the policy sets none.

    ``status`` gives, for each parameter in ``_PARAMETERS``, "verified",
    "secondary" or "unverified" (clinical.md's seen / seen-2° / memory).
    """

    id: str
    name: str
    version: str  # the revision the parameters were taken from
    source: str
    max_sessions_per_12_months: int | None  # including the planned session
    min_interval_days: int | None  # between injections in the same region
    required_relief_percent: float | None  # of the index pain, same scale as baseline
    required_relief_days: int | None  # how long that relief must last
    requires_same_scale: bool
    requires_functional_improvement: bool
    requires_conservative_programme: bool
    one_region_per_session: bool
    fibromyalgia_investigational: bool
    status: Mapping[str, str] = field(default_factory=dict, compare=False)
    status_basis: Mapping[str, str] = field(default_factory=dict, compare=False)
    notes: str = ""
    # The clinic's own limit on ligament and tendon sites (distinct site and side) in one
    # session; None: no limit. No payer rule seen sets one (clinic policy, unverified).
    structure_sites_per_session: int | None = None

    def __post_init__(self) -> None:
        for name in ("id", "name", "version", "source"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ValueError(f"{name}: must be non-empty text")
        for name in (
            "max_sessions_per_12_months",
            "min_interval_days",
            "required_relief_days",
            "structure_sites_per_session",
        ):
            value = getattr(self, name)
            if value is not None and not is_whole(value):
                raise ValueError(f"{name}: must be a whole number or None")
            if value is not None and value < 1:
                raise ValueError(f"{name}: must be at least 1")
        relief = self.required_relief_percent
        if (relief is None) != (self.required_relief_days is None):
            raise ValueError("required_relief_percent: set it together with required_relief_days")
        if relief is not None and relief != outcomes.SUSTAINED_RELIEF_PERCENT:
            # outcomes.relief_duration measures the run at this one threshold.
            raise ValueError(
                f"required_relief_percent: only {outcomes.SUSTAINED_RELIEF_PERCENT} is supported"
            )
        if set(self.status) != set(_PARAMETERS) or not set(self.status.values()) <= STATUSES:
            raise ValueError(f"status: give one of {sorted(STATUSES)} for each of {_PARAMETERS}")
        object.__setattr__(self, "status", MappingProxyType(dict(self.status)))
        object.__setattr__(self, "status_basis", MappingProxyType(dict(self.status_basis)))


POLICIES: Mapping[str, Policy] = MappingProxyType(
    {entry["id"]: Policy(**entry) for entry in _DATA["policies"]}
)


def as_policy(policy: Policy | str) -> Policy:
    """``policy`` itself, or the policy in ``POLICIES`` with that id.

    Not a rule: a data lookup, so it has no source of its own.
    """
    if isinstance(policy, Policy):
        return policy
    if isinstance(policy, str) and policy in POLICIES:
        return POLICIES[policy]
    raise ValueError(f"policy: unknown policy {policy!r}; known: {', '.join(POLICIES)}")


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool | None  # None: unknown, the data to decide is missing
    text: str
    source: str
    status: str
