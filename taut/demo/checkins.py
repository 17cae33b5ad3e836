"""Demo follow-up: answers to the past check-ins of the demo clinic's signed sessions.

Signing a session schedules six check-ins (day 1 … week 12). Here every check-in dated
before today is answered by the demo nurse "by phone", through ``record_checkin``, so the
answers pass the same checks as a real call. Each session follows one course: about half
respond (pain down by half or more from the intake's average by week 1–2, and staying
down), a quarter respond partly (about a third), a quarter not at all. Soreness is high on
day 1 and gone by week 2, the PEG follows the pain, the PGIC matches the relief, GAS
levels rise for responders.

So the worklist has something true to show, a few recent check-ins are left unanswered
(overdue), and two or three recent ones answer "yes" to the infection question, raising
alerts; the clinician acknowledges one of them with a note.

Deterministic for a seed (each session's answers come from its own random stream: seed,
MRN and session day) and idempotent (completed check-ins are skipped). Demo history only:
completion, alert and acknowledgement times are backdated to the check-in's day with a
queryset update; the audit log keeps the true time of every write.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.queries import questions_for
from taut.aftercare.services import acknowledge_alert, record_checkin
from taut.clinical import aftercare, checkins
from taut.clinical.outcomes import PGIC

OVERDUE_WINDOW = (4, 21)  # days before today: past the grace period, within three weeks
OVERDUE_COUNT = (5, 8)
ALERT_WINDOW_DAYS = 28  # infection "yes" answers come from check-ins this recent
OPEN_CANDIDATES = 4  # the open alerts come from the newest few sessions that ask
ALERT_COUNT = (2, 3)
ACK_NOTE = (
    "Called back: mild redness at one site, no fever. Warm compresses advised; "
    "seen in clinic next day, no antibiotics needed. Will check again at the next check-in."
)
# (course, share, relief at its best: lowest, highest)
COURSES = [("responder", 50, 0.55, 0.85), ("partial", 25, 0.22, 0.38), ("none", 25, -0.05, 0.12)]
# How much of the best relief each checkpoint shows (day 1 is blurred by soreness).
RAMP = {1: 0.2, 3: 0.55, 7: 0.9, 14: 1.0}
TREATMENT_SETS = [
    (["stretching"], 45),
    (["stretching", "physical_therapy"], 15),
    (["stretching", "medicines"], 15),
    (["medicines"], 8),
    (["physical_therapy"], 5),
    (["stretching", "other"], 4),
    ([], 8),
]


def seed_checkins(*, clinic, nurse, clinician, seed: int, today: date) -> int:
    """Answer the demo clinic's past check-ins; return how many were recorded now."""
    items = list(
        CheckIn.objects.filter(patient__clinic=clinic, due_on__lt=today)
        .select_related("visit__intake", "patient")
        .order_by("due_on", "patient__mrn", "offset_days")
    )
    if not any(c.completed_at is None for c in items):
        return 0
    pick = random.Random(f"taut-demo-checkins:{seed}:{today.isoformat()}")
    # Chosen among all check-ins of the window, answered or not, so a second run on the
    # same day picks the same ones (and leaves them alone).
    low, high = OVERDUE_WINDOW
    window = [c for c in items if low <= (today - c.due_on).days <= high]
    overdue = {c.pk for c in pick.sample(window, k=min(len(window), pick.randint(*OVERDUE_COUNT)))}
    infection = _infection_picks(pick, items, overdue, today)

    stories: dict[int, _Story] = {}
    recorded: list[CheckIn] = []
    raised: list[Alert] = []
    with transaction.atomic():
        for checkin in items:
            if checkin.visit_id not in stories:
                stories[checkin.visit_id] = _Story(seed, checkin)
            story = stories[checkin.visit_id]
            if checkin.completed_at is not None or checkin.pk in overdue:
                continue
            answers = story.answers(checkin, infection=checkin.pk in infection)
            record_checkin(checkin=checkin, answers=answers, by=nurse, source="staff_phone")
            checkin.completed_at = _called_at(story.rng, checkin.due_on)
            recorded.append(checkin)
            if checkin.pk in infection:
                raised += list(checkin.alerts.all())
        CheckIn.objects.bulk_update(recorded, ["completed_at"], batch_size=500)
        for alert in raised:
            Alert.objects.filter(pk=alert.pk).update(raised_at=alert.checkin.completed_at)
        if raised:
            # The oldest alert was dealt with the same afternoon; the rest are still open.
            first = min(raised, key=lambda a: (a.checkin.due_on, a.pk))
            later = first.checkin.completed_at + timedelta(hours=2)
            acknowledge_alert(alert=first, note=ACK_NOTE, by=clinician)
            Alert.objects.filter(pk=first.pk).update(acknowledged_at=later)
    return len(recorded)


def _infection_picks(pick, items, overdue, today) -> set[int]:
    """Two or three recent check-ins, each of a different session, that answer "yes" to
    the infection question: the newest stay open, one a little older is acknowledged."""
    asks = [
        c
        for c in reversed(items)  # newest first
        # Day 1 is too early for an infection to show; it is asked up to week 2.
        if 3 <= c.offset_days <= aftercare.INFECTION_UNTIL_DAY
        and 0 < (today - c.due_on).days <= ALERT_WINDOW_DAYS
        and c.pk not in overdue
    ]
    seen, one_per_session = set(), []
    for c in asks:
        if c.visit_id not in seen:
            seen.add(c.visit_id)
            one_per_session.append(c)
    newest, older = one_per_session[:OPEN_CANDIDATES], one_per_session[OPEN_CANDIDATES:]
    count = pick.randint(*ALERT_COUNT)
    chosen = pick.sample(older, k=min(1, len(older)))
    chosen += pick.sample(newest, k=min(count - len(chosen), len(newest)))
    return {c.pk for c in chosen}


def _called_at(rng, day: date) -> datetime:
    """A phone call on ``day`` during clinic hours (local time)."""
    at = time(hour=rng.randint(9, 16), minute=rng.choice([0, 10, 15, 20, 30, 40, 45, 50]))
    return timezone.make_aware(datetime.combine(day, at))


class _Story:
    """One session's course after the shots: the same patient across its check-ins."""

    def __init__(self, seed: int, checkin: CheckIn):
        visit = checkin.visit
        day = timezone.localdate(visit.scheduled_for).isoformat()
        self.rng = rng = random.Random(f"taut-demo-checkins:{seed}:{checkin.patient.mrn}:{day}")
        intake = getattr(visit, "intake", None)
        self.nrs = _value(intake, "nrs_average", 6)
        self.enjoyment = _value(intake, "peg_enjoyment", self.nrs)
        self.activity = _value(intake, "peg_activity", self.nrs)
        name, _, low, high = rng.choices(COURSES, weights=[c[1] for c in COURSES])[0]
        self.course = name
        self.best = rng.uniform(low, high)
        # Responders may drift back a little by week 12; partial ones fade more.
        self.hold = {42: rng.uniform(0.85, 1.0), 84: rng.uniform(0.6, 0.95)}
        if name == "partial":
            self.hold = {42: rng.uniform(0.7, 1.0), 84: rng.uniform(0.3, 0.8)}
        self.treatments = rng.choices(TREATMENT_SETS, weights=[t[1] for t in TREATMENT_SETS])[0][0]
        self.gas_step = {"responder": rng.choice([1, 1, 2]), "partial": 1, "none": 0}[name]

    def relief(self, day: int) -> float:
        if day in RAMP:
            return self.best * RAMP[day]
        return self.best * self.hold.get(day, 1.0)

    def answers(self, checkin: CheckIn, *, infection: bool) -> dict:
        rng, day = self.rng, checkin.offset_days
        relief = self.relief(day)
        nrs = _score(rng, self.nrs * (1 - relief))
        asked, facts = questions_for(checkin)
        given: dict = {}
        for question in asked:
            kind = question.kind
            if kind is checkins.Kind.NRS:
                given["nrs"] = nrs
            elif question.id == "peg_pain":
                given["peg_pain"] = min(10, nrs + rng.choice([0, 0, 1]))
            elif question.id == "peg_enjoyment":
                given["peg_enjoyment"] = _score(rng, self.enjoyment * (1 - relief * 0.9))
            elif question.id == "peg_activity":
                given["peg_activity"] = _score(rng, self.activity * (1 - relief * 0.9))
            elif kind is checkins.Kind.SORENESS:
                given["soreness"] = self._soreness(day, infection)
            elif kind is checkins.Kind.WARNING:
                given[question.id] = "yes" if infection and question.id == "infection" else "no"
            elif kind is checkins.Kind.PGIC:
                given["pgic"] = str(_pgic(relief))
            elif kind is checkins.Kind.TREATMENTS:
                given["treatments"] = list(self.treatments)
            elif kind is checkins.Kind.GAS:
                given["gas"] = {str(g.pk): self._gas(g, day) for g in facts.goals}
        return given

    def _soreness(self, day: int, infection: bool) -> int:
        rng = self.rng
        sore = {1: rng.randint(5, 7), 3: rng.randint(1, 3), 7: rng.choice([0, 0, 1])}.get(day, 0)
        return max(sore, 5) if infection else sore

    def _gas(self, goal, day: int) -> int:
        step = self.gas_step + (1 if day >= 84 and self.course == "responder" else 0)
        if self.course == "none":
            step = self.rng.choice([-1, 0, 0])
        return max(-2, min(2, goal.baseline + step))


def _value(intake, field: str, default: int) -> int:
    value = getattr(intake, field, None) if intake is not None else None
    return default if value is None else value


def _score(rng, value: float) -> int:
    """``value`` rounded up or down at random (in proportion), kept within 0–10."""
    whole = int(value)
    return max(0, min(10, whole + (rng.random() < value - whole)))


def _pgic(relief: float) -> PGIC:
    if relief >= 0.6:
        return PGIC.VERY_MUCH_IMPROVED
    if relief >= 0.4:
        return PGIC.MUCH_IMPROVED
    if relief >= 0.15:
        return PGIC.MINIMALLY_IMPROVED
    if relief >= -0.03:
        return PGIC.NO_CHANGE
    return PGIC.MINIMALLY_WORSE
