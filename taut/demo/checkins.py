"""Demo follow-up: answers to the past check-ins of the demo clinic's signed sessions.

Signing a session schedules six check-ins (day 1 … week 12). The demo nurse answers them
"by phone", through ``record_checkin``, so the answers pass the same checks as a real call:
those due before a patient's next session while their history is documented
(``answer_checkins``, so that session's intake can start where they left off), the rest up
to today at the end (``seed_checkins``).

Each answer follows the patient's story (``taut.demo.stories``): the index pain is the
baseline of the patient's latest session less that session's relief on the day, so a
check-in of an older session that falls after a newer one tells how the patient is now.
The PEG follows the pain, soreness is high on day 1 and gone by week 2, the PGIC matches
the relief since the check-in's own session and goal levels (GAS) rise with it.

So the worklist has something true to show, a few recent check-ins are left unanswered
(overdue, and one or two still within their grace days), those due today are not called
yet, and two or three recent ones answer "yes" to the infection question, raising alerts;
the clinician acknowledges one of them with a note. Older check-ins now and then answer
"yes" to a warning question they ask (``HISTORY_WARNINGS``; breathlessness the day after the
session with a suspected pneumothorax), and each alert raised was acknowledged with what was
done: an urgent one by the session's clinician within the hour, the others by the nurse
within the day.

Deterministic for a seed (each answer comes from its own random stream: seed, MRN, session
day and checkpoint) and idempotent (completed check-ins are skipped). Each call is recorded
by the nurse at the time it was made (``Actor.at``), so completion and alert times fall on
the check-in's day, and the acknowledgement that afternoon; the audit log keeps the true
time of every write.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction

from taut.accounts.actors import Actor
from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.queries import questions_for
from taut.aftercare.services import acknowledge_alert
from taut.clinical import aftercare, checkins
from taut.clinical.outcomes import PGIC
from taut.demo import stories
from taut.visits import queries as visit_queries
from taut.visits.models import Visit
from taut.workflows import followup

# Days before today: past the grace period, within three weeks.
OVERDUE_WINDOW = (checkins.GRACE_DAYS + 1, 21)
OVERDUE_COUNT = (4, 6)
WAITING_COUNT = (1, 2)  # due in the last few (grace) days, not called yet
ALERT_WINDOW_DAYS = 28  # infection "yes" answers come from check-ins this recent
OPEN_CANDIDATES = 4  # the open alerts come from the newest few sessions that ask
ALERT_COUNT = (2, 3)
ACK_NOTE = (
    "Called back: mild redness at one site, no fever. Warm compresses advised; "
    "seen in clinic next day, no antibiotics needed. Will check again at the next check-in."
)
# Older check-ins (past ``ALERT_WINDOW_DAYS``): (warning sign, chance a check-in that asks it
# answers "yes", up to this check-in day). Demo numbers.
HISTORY_WARNINGS = (
    ("last_symptoms", 0.03, 1),
    ("chest_pain", 0.02, 3),
    ("blood_sugar", 0.5, 3),
    ("infection", 0.015, 7),  # soreness stays high with it: not at week 2
)
# What was done about each, as written when acknowledging it; (minutes, minutes) it took.
HISTORY_ACKS = {
    "last_symptoms": (
        "Called back at once: numb lips and light-headedness for about ten minutes on the way "
        "home, gone within the hour; alert and well now. Told to call 911 if they return.",
        (5, 40),
    ),
    "chest_pain": (
        "Called back at once: an ache over the treated muscle when moving, breathing "
        "comfortably, no breathlessness: soreness, not a pneumothorax. Told to call 911 if "
        "short of breath.",
        (5, 40),
    ),
    "breathing": (
        "Called back: seen in the emergency department after the session; chest X-ray showed "
        "a small apical pneumothorax, no drain needed. Breathing easier today; the emergency "
        "department's repeat X-ray is booked.",
        (10, 60),
    ),
    "blood_sugar": (
        "Called back: readings up to 250 mg/dL for two days after the steroid, no thirst or "
        "drowsiness, settling now. Advised to keep checking and to call their primary care "
        "doctor if above 300 mg/dL.",
        (60, 24 * 60),
    ),
    "infection": (
        "Called back: redness and warmth around one site, no fever. Seen in clinic the same "
        "day: mild cellulitis, oral antibiotics started by the clinician; settled at review.",
        (60, 24 * 60),
    ),
}
TREATMENT_SETS = [
    (["stretching"], 45),
    (["stretching", "physical_therapy"], 15),
    (["stretching", "medicines"], 15),
    (["medicines"], 8),
    (["physical_therapy"], 5),
    (["stretching", "other"], 4),
    ([], 8),
]


def seed_checkins(*, clinic, nurse, clinician, seed: int, now: datetime) -> int:
    """Answer the demo clinic's check-ins due before the clinic's day at ``now``; return how
    many were recorded now."""
    today = now.astimezone(clinic.zone()).date()
    items = list(
        CheckIn.objects.filter(patient__clinic=clinic, due_on__lt=today)
        .select_related("patient")
        .order_by("due_on", "patient__mrn", "offset_days")
    )
    if not any(c.completed_at is None for c in items):
        return 0
    pick = random.Random(f"taut-demo-checkins:{seed}:{today.isoformat()}")
    # Chosen among all check-ins of the window, answered or not, so a second run on the
    # same day picks the same ones (and leaves them alone).
    waiting = (1, OVERDUE_WINDOW[0] - 1)
    unanswered = set()
    for (first, last), count in ((OVERDUE_WINDOW, OVERDUE_COUNT), (waiting, WAITING_COUNT)):
        window = [c for c in items if first <= (today - c.due_on).days <= last]
        unanswered |= {c.pk for c in pick.sample(window, k=min(len(window), pick.randint(*count)))}
    infection = _infection_picks(pick, items, unanswered, today)
    todo = [c for c in items if c.completed_at is None and c.pk not in unanswered]
    with transaction.atomic():
        raised = _answer(
            todo,
            _timelines(seed, Visit.objects.filter(patient__clinic=clinic)),
            nurse=nurse,
            now=now,
            infection=infection,
        )
        raised = [a for a in raised if a.acknowledged_at is None]  # the recent weeks'
        if raised:
            # The oldest alert was dealt with the same afternoon; the rest are still open.
            oldest = min(
                raised, key=lambda a: (a.checkin.due_on if a.checkin else a.raised_at.date(), a.pk)
            )
            later = oldest.raised_at + timedelta(hours=2)
            acknowledge_alert(
                alert=oldest, note=ACK_NOTE, actor=Actor.staff(clinician, now=min(later, now))
            )
    return len(todo)


def answer_checkins(*, patient, before: date, seed: int, nurse, now: datetime) -> int:
    """Answer the patient's open check-ins due before ``before`` (their next session's
    day); return how many. Only ``HISTORY_WARNINGS`` here, acknowledged as they were."""
    todo = list(
        CheckIn.objects.filter(patient=patient, completed_at__isnull=True, due_on__lt=before)
        .select_related("patient")
        .order_by("due_on", "offset_days")
    )
    if todo:
        with transaction.atomic():
            timelines = _timelines(seed, Visit.objects.filter(patient=patient))
            _answer(todo, timelines, nurse=nurse, now=now)
    return len(todo)


def _answer(items, timelines, *, nurse, now: datetime, infection=frozenset()) -> list[Alert]:
    """Record each check-in's answers as a phone call on its day (never later than
    ``now``); return the alerts raised, those of older weeks acknowledged."""
    answered = []
    for checkin in items:
        timeline = timelines[checkin.patient_id]
        today = now.astimezone(timeline.zone).date()
        answers, called_at = timeline.answers(
            checkin, infection=checkin.pk in infection, today=today
        )
        answered.append((checkin, answers, Actor.staff(nurse, now=min(called_at, now))))
    raised = followup.record_checkins(answered=answered)
    for alert in raised:
        if alert.code in HISTORY_ACKS and alert.checkin_id not in infection:
            _acknowledge(alert, timelines[alert.patient_id], nurse=nurse, now=now)
    return raised


def _acknowledge(alert: Alert, timeline: "_Timeline", *, nurse, now: datetime) -> None:
    """An older alert, acknowledged with what was done: an urgent one by the session's
    clinician within the hour, the others by the nurse within the day."""
    assert alert.checkin is not None
    note, (soonest, latest) = HISTORY_ACKS[alert.code]
    rng = random.Random(
        f"taut-demo-ack:{timeline.seed}:{timeline.mrn}:{alert.checkin.due_on}:{alert.code}"
    )
    at = alert.raised_at + timedelta(minutes=rng.randint(soonest, latest))
    urgent = alert.severity == Alert.Severity.URGENT
    by = alert.checkin.visit.clinician if urgent and alert.checkin.visit.clinician else nurse
    if at < now:
        acknowledge_alert(alert=alert, note=note, actor=Actor.staff(by, now=at))


def _infection_picks(pick, items, unanswered, today) -> set[int]:
    """Two or three recent check-ins, each of a different session, that answer "yes" to
    the infection question: the newest stay open, one a little older is acknowledged."""
    asks = [
        c
        for c in reversed(items)  # newest first
        # Day 1 is too early for an infection to show; it is asked up to week 2.
        if 3 <= c.offset_days <= aftercare.INFECTION_UNTIL_DAY
        and 0 < (today - c.due_on).days <= ALERT_WINDOW_DAYS
        and c.pk not in unanswered
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


def _called_at(rng, day: date, zone) -> datetime:
    """A phone call on ``day`` during clinic hours (the clinic's clock)."""
    at = time(hour=rng.randint(9, 16), minute=rng.choice([0, 10, 15, 20, 30, 40, 45, 50]))
    return datetime.combine(day, at, tzinfo=zone)


def _timelines(seed: int, visits) -> dict[int, "_Timeline"]:
    """Each patient's story, by patient id, from their signed ``visits``."""
    signed = defaultdict(list)
    rows = (
        visits.filter(state=Visit.State.SIGNED)
        .select_related("intake", "procedure", "patient__clinic")
        .order_by("scheduled_for")
    )
    for visit in rows:
        signed[visit.patient_id].append(visit)
    return {patient_id: _Timeline(seed, mine) for patient_id, mine in signed.items()}


@dataclass(frozen=True)
class _Session:
    visit_id: int
    day: date
    baseline: int  # the intake's average pain, the baseline relief is measured from
    enjoyment: int
    activity: int
    response: stories.Response
    treatments: tuple[str, ...]
    pneumothorax: bool  # a suspected pneumothorax after the needle


class _Timeline:
    """One patient's signed sessions, oldest first, each with its course after the shots."""

    def __init__(self, seed: int, visits):
        self.seed, self.mrn = seed, visits[0].patient.mrn
        self.zone = visits[0].patient.clinic.zone()
        plan = stories.plan_for(seed, self.mrn)
        self.sessions = []
        for index, visit in enumerate(visits):
            day = visit_queries.session_date(visit)
            intake = getattr(visit, "intake", None)
            nrs = _value(intake, "nrs_average", 6)
            rng = random.Random(f"taut-demo-treatments:{seed}:{self.mrn}:{day.isoformat()}")
            treatments = rng.choices(TREATMENT_SETS, weights=[t[1] for t in TREATMENT_SETS])[0][0]
            self.sessions.append(
                _Session(
                    visit_id=visit.pk,
                    day=day,
                    baseline=nrs,
                    enjoyment=_value(intake, "peg_enjoyment", nrs),
                    activity=_value(intake, "peg_activity", nrs),
                    response=stories.response(seed, self.mrn, day, index=index, plan=plan),
                    treatments=tuple(treatments),
                    pneumothorax="pneumothorax" in (visit.procedure.complications or ()),
                )
            )

    def answers(self, checkin: CheckIn, *, infection: bool, today: date) -> tuple[dict, datetime]:
        """The answers to ``checkin`` and when the call was made (``infection``: "yes" to
        the infection question, one of the recent weeks' picks)."""
        own = next(s for s in self.sessions if s.visit_id == checkin.visit_id)
        latest = [s for s in self.sessions if s.day < checkin.due_on][-1]
        days = (checkin.due_on - latest.day).days
        rng = random.Random(
            f"taut-demo-checkins:{self.seed}:{self.mrn}:{own.day.isoformat()}:{checkin.checkpoint}"
        )
        nrs = latest.response.pain(latest.baseline, days, rng)
        # What is left of PEG interference: with lasting relief patients get back to what
        # they enjoy and do a little faster than the pain falls (so a responder's function
        # reading at week 6 shows it, a partial responder's does not).
        lifted = max(0.0, 1 - latest.response.relief(days) * 1.2)
        relief = (own.baseline - nrs) / own.baseline if own.baseline else 0.0
        asked, facts = questions_for(checkin)
        warned = self._warnings(checkin, asked, own, today) | (
            {"infection"} if infection else set()
        )
        infection = "infection" in warned
        given: dict = {}
        for question in asked:
            kind = question.kind
            if kind is checkins.Kind.NRS:
                given["nrs"] = nrs
            elif question.id == "peg_pain":
                given["peg_pain"] = min(10, nrs + rng.choice([0, 0, 1]))
            elif question.id == "peg_enjoyment":
                given["peg_enjoyment"] = _score(rng, latest.enjoyment * lifted)
            elif question.id == "peg_activity":
                given["peg_activity"] = _score(rng, latest.activity * lifted)
            elif kind is checkins.Kind.SORENESS:
                given["soreness"] = _soreness(rng, checkin.offset_days, infection)
            elif kind is checkins.Kind.WARNING:
                given[question.id] = "yes" if question.id in warned else "no"
            elif kind is checkins.Kind.PGIC:
                given["pgic"] = str(_pgic(relief))
            elif kind is checkins.Kind.TREATMENTS:
                given["treatments"] = list(own.treatments)
            elif kind is checkins.Kind.GAS:
                given["gas"] = {str(g.pk): _gas(rng, g.baseline, relief) for g in facts.goals}
        return given, _called_at(rng, checkin.due_on, self.zone)

    def _warnings(self, checkin: CheckIn, asked, own: _Session, today: date) -> set[str]:
        """The warning questions an older check-in answers "yes" (``HISTORY_WARNINGS``, from
        its own random stream; breathlessness the day after a suspected pneumothorax). None
        in the recent weeks, whose alerts are ``seed_checkins``' picks."""
        if (today - checkin.due_on).days <= ALERT_WINDOW_DAYS:
            return set()
        ids = {q.id for q in asked if q.kind is checkins.Kind.WARNING}
        rng = random.Random(
            f"taut-demo-warnings:{self.seed}:{self.mrn}:{own.day.isoformat()}:{checkin.checkpoint}"
        )
        found = set()
        if own.pneumothorax and checkin.offset_days == 1 and "breathing" in ids:
            found.add("breathing")
        for sign, chance, until_day in HISTORY_WARNINGS:
            if rng.random() < chance and sign in ids and checkin.offset_days <= until_day:
                found.add(sign)
        return found


def _soreness(rng, day: int, infection: bool) -> int:
    """High on day 1, mild by day 3, gone by week 1–2; an infected site stays sore."""
    sore = {1: rng.randint(5, 7), 3: rng.randint(1, 3), 7: rng.choice([0, 0, 1])}.get(day, 0)
    return max(sore, 5) if infection else sore


def _gas(rng, baseline: int, relief: float) -> int:
    """A goal's level rising with relief: about +1 at 50 %, the expected level (0) at 25 %,
    and no better than where it started with little or none."""
    level = round(-1 + 4 * relief + rng.uniform(-0.5, 0.5))
    if relief < 0.15:
        level = min(level, baseline)
    return max(-2, min(2, level))


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
