"""How each treated demo patient responds to trigger point injections: one of four stories.

- ``early`` responds after one session: 50 % relief or more from day 1 that lasts past
  week 6 and wears off by about week 12; some come back for a repeat once it has.
- ``late`` responds after several sessions: little relief from the first, some from a
  second, lasting relief from the last.
- ``none`` does not respond: little or no relief (under 30 %) after each of two or three
  sessions.
- ``partial`` gets about a third better, never half.

A patient's story, how many past sessions they had and when, comes from their own random
stream (seed and MRN), so the visits that are documented and the check-ins answered later
(on this run or on a later day's) agree without storing anything. Each session's relief is
a fraction of that session's baseline pain: it rises over the first days, blurred by
post-injection soreness, except for a lasting response, felt from day 1; it holds at
week 6, fades by week 12 and is gone by about six months.

These are the demo's made-up numbers, not clinical rules: what the clinic should do next
(repeat, reconsider…) is for ``taut.clinical.schedule`` to say from what gets recorded.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise


@dataclass(frozen=True)
class Story:
    name: str
    weight: int  # share of treated patients
    sessions: tuple[int, ...]  # how many past sessions: one of these, at random
    last_days_ago: tuple[int, int]  # the last past session falls this many days before today
    gap_days: tuple[int, int]  # days between sessions (at least the payer's six weeks)
    recent: float  # the share whose last session is recent (``RECENT_DAYS`` ago) instead
    # Best relief of the first, middle and last sessions (one range: every session).
    relief: tuple[tuple[float, float], ...]

    def relief_range(self, index: int, count: int) -> tuple[float, float]:
        """Best relief of session ``index`` (0-based) of ``count``; later ones like the last."""
        if index >= count - 1:
            return self.relief[-1]
        return self.relief[min(index, len(self.relief) - 2)]


STORIES = (
    # Relief lasted ~12 weeks, so a second session (if any) came once it had worn off. The
    # last is 10 weeks ago or more, so its week-6 answer is in and past chasing.
    Story("early", 35, (1, 1, 2), (70, 200), (100, 150), 0.2, ((0.62, 0.8),)),
    Story(
        "late", 20, (2, 2, 3), (64, 120), (45, 70), 0.0,
        ((0.05, 0.2), (0.3, 0.45), (0.62, 0.78)),
    ),
    Story("none", 25, (2, 2, 3), (22, 120), (44, 60), 0.3, ((-0.05, 0.18),)),
    Story("partial", 20, (1, 2), (22, 200), (50, 90), 0.35, ((0.3, 0.45),)),
)  # fmt: skip
# A recent last session: the two-week answer that would settle its response is not in yet.
RECENT_DAYS = (6, 30)
BY_NAME = {story.name: story for story in STORIES}

LASTING = 0.6  # a session whose best relief range starts here gives lasting relief
RESPONSE_PERCENT = 30  # a best relief range wholly below this is no response at all
LASTS_UNTIL_DAY = 42  # a lasting response holds at 50 % or more through week 6
GONE_BY_DAY = 180
# How much of the best relief each early day shows.
RAMP_LASTING = {1: 0.85, 3: 0.95, 7: 1.0, 14: 1.0}
RAMP = {1: 0.3, 3: 0.6, 7: 0.9, 14: 1.0}  # soreness blurs the first days


@dataclass(frozen=True)
class Plan:
    """A patient's story and their past sessions, as days before today (oldest first)."""

    story: Story
    days_ago: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.days_ago)


def plan_for(seed: int, mrn: str) -> Plan:
    rng = random.Random(f"taut-demo-story:{seed}:{mrn}")
    story = rng.choices(STORIES, weights=[s.weight for s in STORIES])[0]
    count = rng.choice(story.sessions)
    recent = rng.random() < story.recent
    ago = [rng.randint(*(RECENT_DAYS if recent else story.last_days_ago))]
    for _ in range(count - 1):
        ago.append(ago[-1] + rng.randint(*story.gap_days))
    return Plan(story=story, days_ago=tuple(reversed(ago)))


def session_days(plan: Plan, today: date, *, last: date | None = None) -> list[date]:
    """The plan's session days, oldest first, each moved off a weekend to the Friday
    before; ``last`` puts the last session on that day and the others as far before it."""
    last = last or today - timedelta(days=plan.days_ago[-1])
    days = [weekday(last)]
    for older, newer in reversed(list(pairwise(plan.days_ago))):
        days.append(weekday(days[-1] - timedelta(days=older - newer)))
    return sorted(days)


def weekday(day: date) -> date:
    """``day``, or the Friday before it when it falls on a weekend."""
    return day - timedelta(days=max(0, day.weekday() - 4))


@dataclass(frozen=True)
class Response:
    """One session's course after the shots: relief on each day after it."""

    knots: tuple[tuple[int, float], ...]  # (day, relief), from day 1
    lasting: bool
    responds: bool  # some response at all (the best relief range reaches 30 %)

    def relief(self, day: int) -> float:
        if day <= self.knots[0][0]:
            return self.knots[0][1]
        for (d0, r0), (d1, r1) in pairwise(self.knots):
            if day < d1:
                return r0 + (r1 - r0) * (day - d0) / (d1 - d0)
            if day == d1:
                return r1
        return 0.0

    def pain(self, baseline: int, day: int, rng) -> int:
        """The index pain (0-10) ``day`` days after the session, from ``baseline``. Rounded
        down while a response holds and at random otherwise, but never to 30 % relief or
        more without a response, so a story never changes kind by rounding."""
        value = baseline * (1 - self.relief(day))
        if self.responds and day <= LASTS_UNTIL_DAY:
            whole = math.floor(value)
        else:
            whole = int(value) + (rng.random() < value - int(value))
        if not self.responds:
            whole = max(whole, baseline * (100 - RESPONSE_PERCENT) // 100 + 1)
        return max(0, min(10, whole))


def response(seed: int, mrn: str, day: date, *, index: int, plan: Plan) -> Response:
    """Session ``index`` (0-based) of the patient's story, held on ``day``."""
    rng = random.Random(f"taut-demo-response:{seed}:{mrn}:{day.isoformat()}")
    low, high = plan.story.relief_range(index, plan.count)
    best = rng.uniform(low, high)
    lasting = low >= LASTING
    ramp = RAMP_LASTING if lasting else RAMP
    week6 = best * (rng.uniform(0.85, 1.0) if lasting else rng.uniform(0.7, 1.0))
    week12 = best * (rng.uniform(0.3, 0.65) if lasting else rng.uniform(0.4, 0.9))
    knots = tuple((d, best * share) for d, share in ramp.items())
    knots += ((42, week6), (84, week12), (GONE_BY_DAY, 0.0))
    return Response(knots=knots, lasting=lasting, responds=low * 100 >= RESPONSE_PERCENT)
