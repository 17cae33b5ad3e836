"""Demo visits: past signed sessions, and today's schedule in every state.

Every visit is documented through the real visit services, step by step (intake and
screening, exam, consent, time-out, weight, sites under the dose guard, pain scores,
signing), so the demo holds only what the app itself would have let a clinic record.
The answers follow each patient's chart: the anticoagulant question from their
medicines, anaesthetic allergies from their allergies, the indication from their
conditions, the pain scores and muscles from their pain drawing.

A treated patient's sessions follow their story (``taut.demo.stories``): how many, when,
and how they respond. Before each repeat session the check-ins since the last one are
answered (``taut.demo.checkins.answer_checkins``), and the intake's pain scores start where
the last answered check-in left them, drifting back toward the patient's pain before any
session as relief wears off. Today's schedule (``seed_today``) comes after the past
check-ins are answered, so a returning patient's intake today does the same.

How a treated patient's sessions are given comes from another stream of their own
(``plan.Choices``): which of the two clinicians sees them (each patient stays with one),
dry needling or an injectate, a steroid at the first session. The clinic needles its deep
muscles under ultrasound (``Run.ultrasound``), and a few past sessions have a complication
(``plan.COMPLICATIONS``: fainting, haematoma, bleeding on a blood thinner, one suspected
pneumothorax sent to the emergency department) or a clinician's dose-guard override.

Deterministic for a seed: each patient's history comes from its own random stream (seed
and MRN), so adding patients leaves the others' histories alone (only the clinic's free
slots, the run-wide caps on rare events (caution and override sessions, complications),
the few sessions that add a ligament or tendon site (``structures``: no random numbers) and
the one session placed so that a check-in is due today are shared). Re-running adds nothing twice: a patient who has any visit gets no
past ones, and today's schedule is added only when the clinic has no visit today yet (a
run on a new day adds that day's).

Every step of a past visit is written by the member of staff who takes it, at the time
they would (``Run.act``): the services stamp the records with the actor's moment, so the
intake, the time-out, the sites and the signature fall on the visit's day, and the note's
body, hash and payer checks agree with it. The audit log keeps the true time of every
write.
"""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction

from taut.aftercare.models import CheckIn
from taut.clinical import atlas
from taut.demo import stories
from taut.demo.checkins import answer_checkins
from taut.demo.visits.plan import (
    CONSERVATIVE_CARE,
    GOALS_OF_GROUP,
    MAX_SESSIONS,
    PAIN_BACK,
    SESSION_GAP_DAYS,
    TODAY_PLAN,
    TREATED_SHARE,
    Chart,
    Course,
    Run,
    State,
    _charts,
    _drawings,
    _marks,
    _nearest,
    _slot,
    choices_for,
)
from taut.demo.visits.steps import _index, _visit
from taut.visits import queries
from taut.visits.models import InjectionSite, Visit


def seed_visits(*, clinic, staff, second, seed: int, now: datetime) -> int:
    """Add past sessions to the demo clinic, as it stands at ``now``; return visits added.
    About half the treated patients are the ``second`` clinician's (``plan.Choices``)."""
    run = Run(clinic=clinic, staff=staff, now=now, seed=seed, second=second)
    today = run.today
    run.due_today = _due_today(today)
    run.busy = set(
        Visit.objects.filter(patient__clinic=clinic).values_list("scheduled_for", flat=True)
    )
    with_visits = set(
        Visit.objects.filter(patient__clinic=clinic).values_list("patient_id", flat=True)
    )
    # A run that tops the clinic up hands out only the ligament and tendon sessions not
    # already in it.
    injected = InjectionSite.objects.filter(
        procedure__visit__patient__clinic=clinic, muscle__in=list(atlas.STRUCTURES)
    )
    done = set(injected.values_list("muscle", flat=True))
    run.structure_sessions = [s for s in run.structure_sessions if s.site not in done]
    drawings = _drawings(clinic)
    charts = _charts(clinic)
    patients = sorted(
        {d.patient for ds in drawings.values() for d in ds}, key=lambda patient: patient.mrn
    )
    added = 0
    for patient in patients:
        rng = random.Random(f"taut-demo-visits:{seed}:{patient.mrn}")
        if patient.pk in with_visits or rng.random() >= TREATED_SHARE:
            continue
        with transaction.atomic():  # one patient's history per transaction
            added += _history(run, rng, patient, charts[patient.pk], drawings[patient.pk], today)
    return added


def seed_today(*, clinic, staff, seed: int, now: datetime) -> int:
    """Add today's schedule (the clinic's day at ``now``), unless the clinic has a visit
    today; return visits added."""
    run = Run(clinic=clinic, staff=staff, now=now, seed=seed)
    today = run.today
    if queries.visits_for_day(clinic, today).exists():
        return 0
    run.busy = set(
        Visit.objects.filter(patient__clinic=clinic).values_list("scheduled_for", flat=True)
    )
    drawings = _drawings(clinic)
    charts = _charts(clinic)
    patients = sorted(
        {d.patient for ds in drawings.values() for d in ds}, key=lambda patient: patient.mrn
    )
    rng = random.Random(f"taut-demo-today:{seed}:{today.isoformat()}")
    return _today(run, rng, patients, charts, drawings, today)


def _due_today(today: date) -> date:
    """A weekday whose session has a check-in due today (day 1, 3, week 1 or week 2)."""
    return next(
        day
        for days in (7, 14, 3, 1)
        if (day := today - timedelta(days=days)).weekday() < 5  # one of them always is
    )


def _history(run: Run, rng, patient, chart: Chart, drawings, today: date) -> int:
    plan = stories.plan_for(run.seed, patient.mrn)
    ending = None
    if rng.random() < 0.1:
        ending = rng.choice(["declined", "referred", "no_active_points"])
    anchor = None
    if run.due_today and ending is None and plan.story.name == "partial":
        anchor, run.due_today = run.due_today, None
    days = stories.session_days(plan, today, last=anchor)
    first = _marks(_nearest(drawings, days[0]))
    group = _index(first)[2]
    course = Course(
        first_months=rng.randint(4, 48),
        goals=rng.sample(GOALS_OF_GROUP[group], k=rng.choice([1, 1, 2])),
        care=rng.choice(CONSERVATIVE_CARE),
        care_weeks=rng.choice([3, 4]) if rng.random() < 0.07 else rng.randint(6, 40),
        choices=choices_for(run.seed, patient.mrn),
    )
    # The patient's clinician documents every session of theirs.
    run.seeing = run.second if course.choices.second_clinician else None
    for number, day in enumerate(days):
        last = number == len(days) - 1
        if number:
            # The calls since the last session, so this session's intake can follow them.
            answer_checkins(
                patient=patient, before=day, seed=run.seed, nurse=run.nurse, now=run.now
            )
        when = _slot(run, rng, day)
        v = _visit(run, rng, patient, chart, drawings, course, when, end=ending if last else None)
    run.seeing = None
    if anchor and (v.state != State.SIGNED or queries.session_date(v) != anchor):
        run.due_today = anchor  # not signed that day after all: the next one takes it
    return len(days)


# --- today's list -----------------------------------------------------------------------------


def _today(run: Run, rng, patients, charts, drawings, today: date) -> int:
    """Eight visits for the demo clinician today, left in every state a visit can be in."""
    # New patients, and patients back for a repeat session: their last visit was a signed
    # session at least six weeks ago, with room left in the payer's 12-month limit, and
    # their last check-in says the pain is back.
    history = defaultdict(list)
    zone = run.clinic.zone()
    for patient_id, state, when in (
        Visit.objects.filter(patient__clinic=run.clinic)
        .order_by("scheduled_for")
        .values_list("patient_id", "state", "scheduled_for")
    ):
        history[patient_id].append((state, when.astimezone(zone).date()))
    pain = {
        patient_id: nrs
        for patient_id, nrs in CheckIn.objects.filter(patient__clinic=run.clinic, nrs__isnull=False)
        .order_by("due_on", "offset_days")
        .values_list("patient_id", "nrs")
        if nrs is not None
    }  # the last answer of each
    year_ago = today - timedelta(days=365)

    def ready_for_today(patient):
        visits = history.get(patient.pk)
        if not visits:
            return True
        state, last = visits[-1]
        sessions = sum(1 for s, day in visits if s == State.SIGNED and day > year_ago)
        return (
            state == State.SIGNED
            and (today - last).days >= SESSION_GAP_DAYS
            and sessions < MAX_SESSIONS
            and pain.get(patient.pk, PAIN_BACK) >= PAIN_BACK
        )

    ready = [p for p in patients if ready_for_today(p)]
    # The intake left waiting for the clinician's review: a patient on a blood thinner.
    thinned = [p for p in ready if charts[p.pk].antithrombotics]
    thinned = [rng.choice(thinned)] if thinned else []
    others = [p for p in ready if p not in thinned]
    chosen = rng.sample(others, k=min(len(TODAY_PLAN) - len(thinned), len(others)))
    chosen[5:5] = thinned
    for patient, (at, state) in zip(chosen, TODAY_PLAN, strict=False):
        chart, mine = charts[patient.pk], drawings[patient.pk]
        group = _index(_marks(_nearest(mine, today)))[2]
        course = _course_so_far(patient) or Course(
            first_months=rng.randint(4, 48),
            goals=rng.sample(GOALS_OF_GROUP[group], k=rng.choice([1, 2])),
            care=rng.choice(CONSERVATIVE_CARE),
            care_weeks=rng.randint(6, 40),
        )
        when = _slot(run, rng, today, at=at)
        if state == State.ENDED:
            _visit(run, rng, patient, chart, mine, course, when, end="declined")
        else:
            _visit(run, rng, patient, chart, mine, course, when, stop=state)
    return len(chosen)


def _course_so_far(patient) -> Course | None:
    """A returning patient's course, from their signed sessions (None: a new patient)."""
    signed = list(
        Visit.objects.filter(patient=patient, state=State.SIGNED)
        .select_related("intake", "procedure")
        .prefetch_related("procedure__sites", "goals")
        .order_by("scheduled_for")
    )
    if not signed:
        return None
    first = signed[0].intake
    return Course(
        first_months=first.pain_months,
        goals=[goal.text for goal in signed[-1].goals.all()],
        care=first.conservative_care,
        care_weeks=first.conservative_care_weeks or 0,
        previous=[
            (
                queries.session_date(v),
                [s.muscle for s in v.procedure.sites.all()],
                v.procedure.nrs_before,
                v.procedure.nrs_after,
            )
            for v in signed
        ],
        untreated=(first.nrs_average, first.peg_enjoyment, first.peg_activity),
    )
