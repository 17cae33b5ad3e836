"""ACR fibromyalgia criteria: the 2016 revision and, for older records, 2010 and 2011.

The Widespread Pain Index (WPI, 0–19) counts painful areas in the past week. The Symptom
Severity Scale (SSS, 0–12) adds three 0–3 ratings (fatigue, waking unrefreshed, cognitive
symptoms) to a 0–3 part that differs by version: in 2011 and 2016 one point each for
headaches, lower abdominal pain or cramps and depression in the previous 6 months; in the
2010 physician form a 0–3 rating of somatic symptoms in general.

Sources: [S41] (2016 and 2011 tables), [S41b], [S42]/[S42b] (2011 and the region rule),
[S43b], [S43c] (2010); ids of ``docs/clinical-rules.md``.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from taut.clinical.inputs import is_whole, member_of, read_collection, read_flag

VERSION = "2026.1"


class Area(StrEnum):
    JAW_LEFT = "jaw_left"
    JAW_RIGHT = "jaw_right"
    SHOULDER_GIRDLE_LEFT = "shoulder_girdle_left"
    SHOULDER_GIRDLE_RIGHT = "shoulder_girdle_right"
    UPPER_ARM_LEFT = "upper_arm_left"
    UPPER_ARM_RIGHT = "upper_arm_right"
    LOWER_ARM_LEFT = "lower_arm_left"
    LOWER_ARM_RIGHT = "lower_arm_right"
    HIP_LEFT = "hip_left"
    HIP_RIGHT = "hip_right"
    UPPER_LEG_LEFT = "upper_leg_left"
    UPPER_LEG_RIGHT = "upper_leg_right"
    LOWER_LEG_LEFT = "lower_leg_left"
    LOWER_LEG_RIGHT = "lower_leg_right"
    NECK = "neck"
    UPPER_BACK = "upper_back"
    LOWER_BACK = "lower_back"
    CHEST = "chest"
    ABDOMEN = "abdomen"


WPI_AREAS = tuple(Area)


class Region(StrEnum):
    LEFT_UPPER = "left_upper"
    RIGHT_UPPER = "right_upper"
    LEFT_LOWER = "left_lower"
    RIGHT_LOWER = "right_lower"
    AXIAL = "axial"


# The five regions as the 2016 table lists them [S41]: jaw sits in the upper regions,
# chest and abdomen in the axial one. They are listed but do not count for generalised
# pain (NOT_COUNTED_FOR_GENERALIZED) [S41], [S42b].
REGIONS: Mapping[Region, frozenset[Area]] = MappingProxyType(
    {
        Region.LEFT_UPPER: frozenset(
            {Area.JAW_LEFT, Area.SHOULDER_GIRDLE_LEFT, Area.UPPER_ARM_LEFT, Area.LOWER_ARM_LEFT}
        ),
        Region.RIGHT_UPPER: frozenset(
            {Area.JAW_RIGHT, Area.SHOULDER_GIRDLE_RIGHT, Area.UPPER_ARM_RIGHT, Area.LOWER_ARM_RIGHT}
        ),
        Region.LEFT_LOWER: frozenset({Area.HIP_LEFT, Area.UPPER_LEG_LEFT, Area.LOWER_LEG_LEFT}),
        Region.RIGHT_LOWER: frozenset({Area.HIP_RIGHT, Area.UPPER_LEG_RIGHT, Area.LOWER_LEG_RIGHT}),
        Region.AXIAL: frozenset(
            {Area.NECK, Area.UPPER_BACK, Area.LOWER_BACK, Area.CHEST, Area.ABDOMEN}
        ),
    }
)
NOT_COUNTED_FOR_GENERALIZED = frozenset({Area.JAW_LEFT, Area.JAW_RIGHT, Area.CHEST, Area.ABDOMEN})

GENERALIZED_MIN_REGIONS = 4
MIN_MONTHS = 3
# Severity arms: (lowest WPI, highest WPI or None, lowest SSS).
type Arm = tuple[int, int | None, int]
ARMS_2016: tuple[Arm, ...] = ((7, None, 5), (4, 6, 9))
ARMS_2010: tuple[Arm, ...] = ((7, None, 5), (3, 6, 9))


@dataclass(frozen=True)
class Reason:
    """One part of a verdict: ``met`` is True/False for a criterion, None for a fact."""

    text: str
    source: str
    met: bool | None = None


@dataclass(frozen=True)
class FMResult:
    """A fibromyalgia criteria verdict; ``generalized`` is None where the set has no such rule."""

    criteria: str
    wpi: int
    sss: int
    generalized: bool | None
    meets: bool
    reasons: tuple[Reason, ...]
    version: str = VERSION

    @property
    def fs(self) -> int:
        """Fibromyalgia Symptom scale, WPI + SSS (0–31) [S42]."""
        return self.wpi + self.sss


def _areas(painful_areas: object) -> frozenset[Area]:
    areas = set()
    for item in read_collection(painful_areas, "painful_areas", "a collection of area ids"):
        area = member_of(Area, item)
        if area is None:
            raise ValueError(
                f"painful_areas: unknown area {item!r}; known areas: {', '.join(WPI_AREAS)}"
            )
        areas.add(area)
    return frozenset(areas)


def _rating(value: object, field: str) -> int:
    if not is_whole(value) or not 0 <= value <= 3:
        raise ValueError(f"{field}: expected a whole number from 0 to 3, got {value!r}")
    return value


def _months(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise ValueError(f"months: expected a number, got {value!r}")
    if (isinstance(value, float) and not math.isfinite(value)) or (
        isinstance(value, Decimal) and not value.is_finite()
    ):
        raise ValueError(f"months: must be finite, got {value!r}")
    months = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    if months < 0:
        raise ValueError(f"months: must not be negative, got {value!r}")
    return months


def _names(items: Iterable[str]) -> str:
    return ", ".join(item.replace("_", " ") for item in sorted(items)) or "none"


def painful_regions(painful_areas: Iterable[str]) -> tuple[Region, ...]:
    """The regions with pain that count toward generalised pain (2016).

    A region counts when any of its areas other than jaw, chest and abdomen is painful.
    Source: [S41], [S42b]. Status: seen.
    """
    areas = _areas(painful_areas) - NOT_COUNTED_FOR_GENERALIZED
    return tuple(region for region, members in REGIONS.items() if areas & members)


def _severity(wpi: int, sss: int, arms: tuple[Arm, ...], source: str) -> Reason:
    for low, high, min_sss in arms:
        in_range = wpi >= low and (high is None or wpi <= high)
        if in_range and sss >= min_sss:
            wpi_text = f"WPI ≥ {low}" if high is None else f"WPI {low}–{high}"
            return Reason(f"Severity met: {wpi_text} and SSS ≥ {min_sss}.", source, True)
    arms_text = " or ".join(
        (f"WPI ≥ {low}" if high is None else f"WPI {low}–{high}") + f" with SSS ≥ {min_sss}"
        for low, high, min_sss in arms
    )
    return Reason(f"Severity not met: WPI {wpi} and SSS {sss}; needs {arms_text}.", source, False)


def _duration(months: Fraction, source: str) -> Reason:
    shown = f"{months:g}"
    if months >= MIN_MONTHS:
        return Reason(f"Duration met: symptoms for {shown} months (≥ {MIN_MONTHS}).", source, True)
    return Reason(
        f"Duration not met: symptoms for {shown} months; needs at least {MIN_MONTHS}.",
        source,
        False,
    )


def _six_month_points(headaches: object, lower_abdominal: object, depression: object) -> int:
    flags = {
        "headaches": read_flag(headaches, "headaches"),
        "lower_abdominal": read_flag(lower_abdominal, "lower_abdominal"),
        "depression": read_flag(depression, "depression"),
    }
    return sum(flags.values())


def _ratings(fatigue: object, unrefreshed: object, cognitive: object) -> tuple[int, int, int]:
    return (
        _rating(fatigue, "fatigue"),
        _rating(unrefreshed, "unrefreshed"),
        _rating(cognitive, "cognitive"),
    )


def acr2016(
    painful_areas: Iterable[str],
    *,
    fatigue: int,
    unrefreshed: int,
    cognitive: int,
    headaches: bool,
    lower_abdominal: bool,
    depression: bool,
    months: float,
) -> FMResult:
    """ACR 2016 revised fibromyalgia criteria (Wolfe et al., Semin Arthritis Rheum 2016).

    Meets when all hold: generalised pain in at least 4 of the 5 regions (jaw, chest and
    abdomen not counted); (WPI ≥ 7 and SSS ≥ 5) or (WPI 4–6 and SSS ≥ 9); symptoms for at
    least 3 months. The diagnosis is valid whatever other diagnoses the patient has.
    Source: [S41], [S43b] (criteria), [S42b] (regions). Status: seen.
    """
    areas = _areas(painful_areas)
    ratings = _ratings(fatigue, unrefreshed, cognitive)
    extra = _six_month_points(headaches, lower_abdominal, depression)
    period = _months(months)
    wpi, sss = len(areas), sum(ratings) + extra
    regions = painful_regions(areas)
    generalized = len(regions) >= GENERALIZED_MIN_REGIONS
    source = "[S41]"
    reasons = (
        Reason(f"WPI {wpi} of 19: {_names(areas)}.", source),
        Reason(
            f"SSS {sss} of 12: fatigue {ratings[0]} + waking unrefreshed {ratings[1]} + "
            f"cognitive {ratings[2]} + {extra} of 3 symptoms in the previous 6 months.",
            source,
        ),
        Reason(
            f"Generalised pain {'met' if generalized else 'not met'}: {len(regions)} of 5 "
            f"regions ({_names(regions)}); needs {GENERALIZED_MIN_REGIONS}. Jaw, chest and "
            "abdomen do not count.",
            "[S41], [S42b]",
            generalized,
        ),
        _severity(wpi, sss, ARMS_2016, source),
        _duration(period, source),
        Reason("Valid irrespective of other diagnoses (2016).", "[S41], [S43b]"),
    )
    meets = all(reason.met for reason in reasons if reason.met is not None)
    return FMResult("ACR 2016", wpi, sss, generalized, meets, reasons)


def _acr2010_family(
    criteria: str,
    areas: frozenset[Area],
    ratings: tuple[int, int, int],
    extra: int,
    extra_text: str,
    period: Fraction,
    explained: bool,
    source: str,
) -> FMResult:
    wpi, sss = len(areas), sum(ratings) + extra
    reasons = (
        Reason(f"WPI {wpi} of 19: {_names(areas)}.", source),
        Reason(
            f"SS {sss} of 12: fatigue {ratings[0]} + waking unrefreshed {ratings[1]} + "
            f"cognitive {ratings[2]} + {extra_text}.",
            source,
        ),
        _severity(wpi, sss, ARMS_2010, source),
        _duration(period, source),
        Reason(
            "Another disorder explains the pain: criteria not met."
            if explained
            else "No other disorder would explain the pain.",
            source,
            not explained,
        ),
    )
    meets = all(reason.met for reason in reasons if reason.met is not None)
    return FMResult(criteria, wpi, sss, None, meets, reasons)


def acr2010(
    painful_areas: Iterable[str],
    *,
    fatigue: int,
    unrefreshed: int,
    cognitive: int,
    somatic: int,
    months: float,
    explained_by_other_disorder: bool,
) -> FMResult:
    """ACR 2010 preliminary criteria (Wolfe et al. 2010), the physician form.

    SS = fatigue + waking unrefreshed + cognitive (each 0–3) + the physician's 0–3 rating
    of somatic symptoms in general. Meets when (WPI ≥ 7 and SS ≥ 5) or (WPI 3–6 and
    SS ≥ 9), symptoms at a similar level for ≥ 3 months, and no other disorder would
    explain the pain. No generalised-pain rule. For records made under 2010.
    Source: [S42], [S43c], [S42b]. Status: seen.
    """
    return _acr2010_family(
        "ACR 2010",
        _areas(painful_areas),
        _ratings(fatigue, unrefreshed, cognitive),
        _rating(somatic, "somatic"),
        f"somatic symptoms {somatic}",
        _months(months),
        read_flag(explained_by_other_disorder, "explained_by_other_disorder"),
        "[S42], [S43c]",
    )


def acr2011(
    painful_areas: Iterable[str],
    *,
    fatigue: int,
    unrefreshed: int,
    cognitive: int,
    headaches: bool,
    lower_abdominal: bool,
    depression: bool,
    months: float,
    explained_by_other_disorder: bool,
) -> FMResult:
    """ACR 2010 criteria as modified for self-report in 2011 (Wolfe et al., J Rheumatol 2011).

    As :func:`acr2010`, but the 0–3 somatic part is one point each for headaches, lower
    abdominal pain or cramps and depression in the previous 6 months.
    Source: [S41b], [S42], [S42b]. Status: seen.
    """
    extra = _six_month_points(headaches, lower_abdominal, depression)
    return _acr2010_family(
        "ACR 2011",
        _areas(painful_areas),
        _ratings(fatigue, unrefreshed, cognitive),
        extra,
        f"{extra} of 3 symptoms in the previous 6 months",
        _months(months),
        read_flag(explained_by_other_disorder, "explained_by_other_disorder"),
        "[S41b], [S42]",
    )


# The lowest WPI that can meet the ACR 2016 criteria (the "WPI 4-6 and SSS >= 9" arm).
SURVEY_MIN_WPI = 4


def survey_indicated(painful_areas: Iterable[str]) -> bool:
    """Whether a pain drawing covers enough WPI areas that the ACR 2016 survey could be met,
    so the visit should offer it (pre-filled with these areas).

    Source: ACR 2016 criteria [S41], [S42b]: WPI 4-6 with SSS >= 9 is the lower arm, so a
    drawing with fewer than 4 WPI areas cannot meet them. Status: verified (threshold);
    offering the survey at that point is Taut's workflow choice.
    """
    return len(_areas(painful_areas)) >= SURVEY_MIN_WPI
