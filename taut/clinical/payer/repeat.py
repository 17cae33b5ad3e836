"""May a trigger point injection session be repeated? ``repeat_eligibility`` checks a
planned session against one policy and explains every check with dates and figures. A
check whose data is missing is *unknown* (``passed=None``), never a pass, and the decision is
eligible only when every check passed. Ligament and tendon sites are not trigger points:
the checks read only the muscle sites (issue 15; ``structures.structure_checks``).

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from taut.clinical import atlas, relief_evidence
from taut.clinical.inputs import read_date
from taut.clinical.payer.policy import (
    VERSION,
    AnatomicalRegion,
    Check,
    Policy,
    _regions,
    _site_label,
    as_policy,
    region_label,
    region_of,
)

# -- History ------------------------------------------------------------------


def _score(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name}: must be a number from 0 to 10, not {value!r}")
    if not 0 <= value <= 10:
        raise ValueError(f"{name}: must be from 0 to 10, not {value!r}")
    return float(value)


def _sites(value: object, name: str) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{name}: pass a set of sites, not {value!r}")
    sites = frozenset(value)
    if not sites:
        raise ValueError(f"{name}: name at least one site")
    for site in sites:
        if not isinstance(site, str):
            raise ValueError(f"{name}: unknown site {site!r}")
        if site not in atlas.STRUCTURES:  # a ligament or tendon site is kept, with no region
            region_of(site)
    return sites


# A follow-up pain score: (date, score). Named here, outside SessionRecord, whose ``date``
# field would otherwise stand for the type in its annotations.
type Followup = tuple[date, float]
type Day = date  # for a SessionRecord field beside its ``date`` field


@dataclass(frozen=True, kw_only=True)
class SessionRecord:
    """A past TPI session: its sites and the index-pain scores on a 0–10 scale.

    ``followups`` are ``(date, score)`` pairs on ``followup_scale`` (None: the
    baseline's ``scale``), each dated the day it was obtained (answered), not the day it
    was due. ``baseline_date`` is the day the baseline was obtained (None: not recorded).
    ``scale`` and ``followup_scale`` name the question and its scale
    (``relief_evidence.SCALE_LABELS``).
    ``functional_improvement`` is the clinician's reading of an objective, validated
    function scale (None: not assessed).
    """

    date: date
    sites: frozenset[str]
    baseline: float | None = None
    baseline_date: Day | None = None
    followups: tuple[Followup, ...] = ()
    scale: str = "nrs"
    followup_scale: str | None = None
    functional_improvement: bool | None = None

    def __post_init__(self) -> None:
        read_date(self.date, "date")
        object.__setattr__(self, "sites", _sites(self.sites, "sites"))
        if self.baseline is not None:
            object.__setattr__(self, "baseline", _score(self.baseline, "baseline"))
        if self.baseline_date is not None:
            read_date(self.baseline_date, "baseline_date")
        points = []
        for point in self.followups:
            if not isinstance(point, tuple | list) or len(point) != 2:
                raise ValueError(f"followups: each must be a (date, score) pair, not {point!r}")
            when = read_date(point[0], "followups")
            if when < self.date:
                raise ValueError(f"followups: {when} is before the session on {self.date}")
            points.append((when, _score(point[1], "followups")))
        object.__setattr__(self, "followups", tuple(sorted(points)))
        if self.followup_scale is None:
            object.__setattr__(self, "followup_scale", self.scale)
        if self.functional_improvement not in (True, False, None):
            raise ValueError("functional_improvement: must be True, False or None")

    @property
    def regions(self) -> frozenset[AnatomicalRegion]:
        return _regions(self.sites)


@dataclass(frozen=True, kw_only=True)
class PlannedSession:
    sites: frozenset[str]
    conservative_programme_active: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sites", _sites(self.sites, "planned.sites"))
        if self.conservative_programme_active not in (True, False, None):
            raise ValueError("conservative_programme_active: must be True, False or None")

    @property
    def regions(self) -> frozenset[AnatomicalRegion]:
        return _regions(self.sites)


@dataclass(frozen=True, kw_only=True)
class TreatmentHistory:
    """Past sessions (any order; kept sorted by date) and the session being planned."""

    sessions: tuple[SessionRecord, ...]
    planned: PlannedSession

    def __post_init__(self) -> None:
        sessions = tuple(self.sessions)
        if not all(isinstance(s, SessionRecord) for s in sessions):
            raise ValueError("sessions: each must be a SessionRecord")
        if not isinstance(self.planned, PlannedSession):
            raise ValueError("planned: must be a PlannedSession")
        object.__setattr__(self, "sessions", tuple(sorted(sessions, key=lambda s: s.date)))


# -- Decision -----------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    eligible: bool
    checks: tuple[Check, ...]
    policy_id: str
    policy_version: str
    on: date
    version: str = VERSION

    def check(self, code: str) -> Check:
        return next(c for c in self.checks if c.code == code)


def _one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _dates(sessions: Iterable[SessionRecord]) -> str:
    return ", ".join(s.date.isoformat() for s in sessions)


def _region_list(regions: Iterable[AnatomicalRegion]) -> str:
    return ", ".join(region_label(r) for r in sorted(regions))


def repeat_eligibility(history: TreatmentHistory, *, on: date, policy: Policy | str) -> Decision:
    """May the planned session go ahead on ``on`` under ``policy``?

    Checks, each explained with dates and figures: sessions in the rolling 12
    months including the planned one (``on`` and the year before it, from the
    day after the same date a year earlier) [S49, S52]; days since the last
    injection in the same anatomical region [S51]; relief of the index pain
    after the last session in that region, at least the required percent for
    the required days on the same scale as baseline, measured with
    ``outcomes.relief_duration`` (soreness in the first three days set aside [S10, S13]),
    from a baseline and follow-ups each dated when obtained [S49, S51]; objective functional
    improvement after it [S50]; an active conservative programme [S51, S56];
    one anatomical region per session [S49]. Missing data makes a check
    unknown, and the decision is eligible only if every check passed.

    Status: per parameter, ``policy.status`` (the LCD's 6-week interval, same
    scale and conservative programme are verified; the 3-session limit, relief
    rule, function rule and one-region rule are secondary).
    """
    policy = as_policy(policy)
    if not isinstance(history, TreatmentHistory):
        raise ValueError("history: must be a TreatmentHistory")
    on = read_date(on, "on")
    for s in history.sessions:
        if s.date > on:
            raise ValueError(f"history: a session on {s.date} is after on={on}")
    planned = history.planned.regions
    same_region = [s for s in history.sessions if s.regions & planned]
    last = same_region[-1] if same_region else None
    if not planned:
        statuses = policy.status
        checks = (
            _no_tpi("sessions_in_12_months", statuses["max_sessions_per_12_months"]),
            _no_tpi("interval_same_region", statuses["min_interval_days"]),
            _no_tpi("relief", statuses["required_relief"]),
            _no_tpi("functional_improvement", statuses["requires_functional_improvement"]),
            _programme_check(history.planned, policy),
            _no_tpi("one_region", statuses["one_region_per_session"]),
        )
        return Decision(
            eligible=all(c.passed is True for c in checks),
            checks=checks,
            policy_id=policy.id,
            policy_version=policy.version,
            on=on,
        )
    checks = (
        _count_check(history.sessions, on, policy),
        _interval_check(last, on, planned, policy),
        _relief_check(last, planned, policy),
        _function_check(last, policy),
        _programme_check(history.planned, policy),
        _region_check(history.planned, policy),
    )
    return Decision(
        eligible=all(c.passed is True for c in checks),
        checks=checks,
        policy_id=policy.id,
        policy_version=policy.version,
        on=on,
    )


def _count_check(sessions: tuple[SessionRecord, ...], on: date, policy: Policy) -> Check:
    code, status = "sessions_in_12_months", policy.status["max_sessions_per_12_months"]
    limit = policy.max_sessions_per_12_months
    if limit is None:
        return Check(code, True, f"{policy.id} sets no limit on sessions a year.", "", status)
    start = _one_year_before(on) + timedelta(days=1)
    # A session of ligament and tendon sites only is not a trigger point session.
    recent = [s for s in sessions if start <= s.date <= on and s.regions]
    listed = f" ({_dates(recent)})" if recent else ""
    counted = "1 session" if len(recent) == 1 else f"{len(recent)} sessions"
    text = (
        f"{counted} since {start}{listed}; with the planned one that makes "
        f"{len(recent) + 1}. The policy allows {limit} in a rolling 12 months, including the "
        "planned one."
    )
    return Check(code, len(recent) + 1 <= limit, text, policy.source, status)


def _no_tpi(code: str, status: str) -> Check:
    text = (
        "No trigger point site is planned: the TPI rules do not apply to ligament and tendon "
        "sites (see the ligament and tendon checks)."
    )
    return Check(code, True, text, "S49, S50", status)


def _interval_check(
    last: SessionRecord | None, on: date, planned: frozenset[AnatomicalRegion], policy: Policy
) -> Check:
    code, status = "interval_same_region", policy.status["min_interval_days"]
    need = policy.min_interval_days
    if need is None:
        return Check(code, True, f"{policy.id} sets no minimum interval.", "", status)
    if last is None:
        text = f"No earlier injection in {_region_list(planned)}."
        return Check(code, True, text, "S51", status)
    days = (on - last.date).days
    where = _region_list(last.regions & planned)
    text = (
        f"Last injection in {where} was on {last.date}, {days} days before {on}; the policy "
        f"needs at least {need} days ({need / 7:g} weeks) in the same region"
    )
    if days < need:
        text += f": the earliest date is {last.date + timedelta(days=need)}."
    return Check(code, days >= need, text if days < need else text + ".", "S51", status)


def _relief_check(
    last: SessionRecord | None, planned: frozenset[AnatomicalRegion], policy: Policy
) -> Check:
    code, status, source = "relief", policy.status["required_relief"], "S49, S51, S10, S13"
    percent, days = policy.required_relief_percent, policy.required_relief_days
    if percent is None or days is None:  # a Policy sets both or neither
        return Check(code, True, f"{policy.id} sets no relief requirement.", "", status)
    if last is None:
        text = (
            f"No earlier injection in {_region_list(planned)}: this is a first session there, "
            "so no earlier relief is needed."
        )
        return Check(code, True, text, source, status)
    passed, text = relief_evidence.relief_evidence(
        session_date=last.date,
        baseline=last.baseline,
        baseline_date=last.baseline_date,
        scale=last.scale,
        followup_scale=last.followup_scale or last.scale,
        followups=last.followups,
        percent=percent,
        days=days,
        same_scale=policy.requires_same_scale,
    )
    return Check(code, passed, text, source, status)


def _function_check(last: SessionRecord | None, policy: Policy) -> Check:
    code, status = "functional_improvement", policy.status["requires_functional_improvement"]
    if not policy.requires_functional_improvement:
        return Check(code, True, f"{policy.id} sets no function requirement.", "", status)
    if last is None:
        return Check(code, True, "First session in this region: not needed.", "S50", status)
    if last.functional_improvement is None:
        text = f"Function after the session on {last.date} was not assessed on a validated scale."
        return Check(code, None, text, "S50, S51", status)
    text = (
        f"Function after the session on {last.date} "
        f"{'improved' if last.functional_improvement else 'did not improve'} on a validated "
        "scale; the policy needs an objective improvement."
    )
    return Check(code, last.functional_improvement, text, "S50, S51", status)


def _programme_check(planned: PlannedSession, policy: Policy) -> Check:
    code, status = "conservative_programme", policy.status["requires_conservative_programme"]
    if not policy.requires_conservative_programme:
        return Check(code, True, f"{policy.id} does not require a programme.", "", status)
    active = planned.conservative_programme_active
    text = {
        None: "Not recorded whether the patient is in an active conservative programme.",
        True: "The patient is in an active conservative programme (rehab or home exercise).",
        False: "The patient is not in an active conservative programme; the policy needs one.",
    }[active]
    return Check(code, active, text, "S51, S56", status)


def _region_check(planned: PlannedSession, policy: Policy) -> Check:
    code, status = "one_region", policy.status["one_region_per_session"]
    regions = planned.regions
    muscles = [s for s in planned.sites if s not in atlas.STRUCTURES]
    detail = "; ".join(
        f"{region_label(r)}: "
        f"{', '.join(sorted(_site_label(s) for s in muscles if region_of(s) is r))}"
        for r in sorted(regions)
    )
    if not policy.one_region_per_session:
        return Check(code, True, f"{policy.id} sets no region limit ({detail}).", "", status)
    count = len(regions)
    if count == 1:
        text = f"The planned session covers one anatomical region ({detail})."
    else:
        text = (
            f"The planned session covers {count} anatomical regions ({detail}); the policy "
            "covers one region per session."
        )
    return Check(code, count == 1, text, "S49", status)
