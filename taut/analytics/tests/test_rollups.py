"""The day counts (``outcomes.DayCount``, ``ReliefCount``; ``rollups``) give the page the
same figures as reading every stored facet (``queries``, ``operations`` without
``counted``), on random synthetic worlds: patients with one to eight sessions (some on the
same day), few enough per group that many groups sit at the 11-patient edge; and they stay
equal to a recount when a patient's outcomes are stored again."""

import random
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from taut.aftercare.models import CheckIn
from taut.analytics import operations, queries, rollups
from taut.outcomes import daycounts
from taut.outcomes.models import (
    CheckinCount,
    DayCount,
    ReliefCount,
    SessionCheckin,
    SessionFacet,
    SessionOutcome,
)
from taut.tests.cast import make_patient
from taut.visits.models import Visit

TODAY = date(2026, 6, 30)
NOW = datetime.combine(TODAY, time(12), tzinfo=timezone.get_default_timezone())
MUSCLES = ("trapezius_upper", "levator_scapulae", "infraspinatus", "gluteus_medius")
GAPS = (0, 7, 14, 28, 42, 70, 150, 400)
D = SessionFacet.Dimension


def _responses(r: random.Random) -> dict[str, object]:
    found: dict[str, object] = {}
    for window in ("2w", "6w"):
        score = r.random()
        r50 = None if score < 0.25 else score > 0.6
        found[f"resp50_{window}"] = r50
        found[f"resp30_{window}"] = None if r50 is None else (r50 or score > 0.45)
    if r.random() < 0.7:
        found["relief_days"], found["relief_ended"] = (
            r.choice((3, 14, 14, 21, 42, 60)),
            r.random() < 0.6,
        )
    return found


def random_world(cast, seed: int, *, patients: int = 36) -> None:
    """Sessions of ``patients`` synthetic patients over about three years to ``TODAY``."""
    r = random.Random(seed)
    clinicians = [cast.clinician, cast.lead]
    plans = []
    for n in range(patients):
        patient = make_patient(
            cast.clinic, cast.front_desk, mrn=f"R{seed}{n:04d}", given_name=f"R{n}"
        )
        day = TODAY - timedelta(days=r.randrange(1100))
        days = []
        for _ in range(r.randint(1, 8)):
            if day > TODAY:
                break
            days.append(day)
            day += timedelta(days=r.choice(GAPS))
        plans.append((patient, days))
    visits = Visit.objects.bulk_create(
        Visit(
            patient=patient,
            scheduled_for=datetime.combine(day, time(10), tzinfo=NOW.tzinfo),
            recorded_at=NOW,
            updated_at=NOW,
            state=Visit.State.SIGNED,
        )
        for patient, days in plans
        for day in days
    )
    rows, facets = [], []
    made = iter(visits)
    for patient, days in plans:
        for number, day in enumerate(days, start=1):
            responses = _responses(r)
            gas = round(r.gauss(50, 10), 1) if r.random() < 0.4 else None
            clinician = r.choice(clinicians)
            complication = r.choice(("haematoma", "vasovagal")) if r.random() < 0.15 else ""
            row = SessionOutcome(
                visit=next(made),
                patient=patient,
                clinic=cast.clinic,
                day=day,
                clinician=clinician,
                session_number=number,
                days_since_previous=(day - days[number - 2]).days if number > 1 else None,
                baseline=6,
                guidance=SessionOutcome.Guidance.LANDMARK,
                method=SessionOutcome.Method.INJECTION,
                complications=1 if complication else 0,
                payer_met=None if number == 1 else r.random() < 0.7,
                gas_t=gas,
                gas_day=20 if gas is not None else None,
                followups=r.choice((0, 1, 2)),
                rule_version="test",
                computed_at=NOW,
                **responses,
            )
            rows.append(row)
            groups = [(D.MUSCLE, m) for m in set(r.sample(MUSCLES, r.randint(1, 2)))]
            groups += [
                (D.AGENT, r.choice(("lidocaine 1%", "bupivacaine 0.25%"))),
                (D.SESSION, str(min(number, 4)) if number < 4 else "4+"),
                (D.CLINICIAN, str(clinician.pk)),
            ]
            if complication:
                groups.append((D.COMPLICATION, complication))
            copied = dict(responses)
            facets += [
                SessionFacet(
                    outcome=row,
                    clinic=cast.clinic,
                    patient=patient,
                    day=day,
                    dimension=g,
                    value=v,
                    **copied,
                )
                for g, v in groups
            ]
    SessionOutcome.objects.bulk_create(rows)
    SessionFacet.objects.bulk_create(facets)
    checkins = [
        CheckIn(
            visit=row.visit,
            patient=row.patient,
            checkpoint=key,
            offset_days=offset,
            label=key,
            due_on=row.day + timedelta(days=offset),
            completed_at=NOW
            if row.day + timedelta(days=offset) <= TODAY and r.random() < 0.7
            else None,
        )
        for row in rows
        for key, offset in (("day_3", 3), ("week_2", 14), ("week_6", 42))
    ]
    CheckIn.objects.bulk_create(checkins)
    SessionCheckin.objects.bulk_create(
        SessionCheckin(
            outcome=row,
            clinic=cast.clinic,
            patient=row.patient,
            day=row.day,
            checkpoint=checkin.checkpoint,
            offset_days=checkin.offset_days,
            label=checkin.label,
            due_on=checkin.due_on,
            answered=checkin.completed_at is not None,
        )
        for row, checkin in zip([row for row in rows for _ in range(3)], checkins, strict=True)
    )
    daycounts.rebuild(cast.clinic.pk)


def both(clinic, filters, today):
    """The page's figures read from the facets, and from the day counts."""
    counted = rollups.counted(clinic, filters.start, filters.end, filters.dimension, today=today)
    assert counted is not None
    found = []
    for given in (None, counted):
        process = operations.process_for_clinic(clinic, filters, today=today, counted=given)
        found.append(
            {
                "responders": queries.responders_for_clinic(
                    clinic, filters, today=today, counted=given
                ),
                "groups": queries.groups_for_clinic(clinic, filters, today=today, counted=given),
                "curves": {
                    by: queries.durability_for_clinic(clinic, filters, dimension=by, counted=given)
                    for by in ("", D.MUSCLE, D.AGENT, D.CLINICIAN)
                },
                "complications": operations.complications_for_clinic(
                    clinic, filters, counted=given
                ),
                "process": (
                    process.repeats,
                    process.repeats_met,
                    process.per_patient,
                    process.intervals,
                    process.no_followup,
                    process.checkpoints,
                ),
                "goals": operations.goals_for_clinic(clinic, filters, counted=given),
            }
        )
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_day_counts_give_the_figures_the_facets_give(cast, seed, monkeypatch):
    random_world(cast, seed)
    counted_exactly = []  # groups whose window's patients the bounds left open
    edge = rollups._window_patients

    def spied(counted, window, keys):
        counted_exactly.extend(keys)
        return edge(counted, window, keys)

    monkeypatch.setattr(rollups, "_window_patients", spied)
    cells = set()
    for days_back, ahead, later in [
        (364, 0, 0),
        (60, 0, 0),
        (1200, 0, 0),
        (10, 5, 0),
        (364, 0, 30),
        (200, 40, 90),
        # Periods that end before the latest session: the sessions after them are read.
        (364, -1, 0),
        (120, -30, 0),
        (500, -200, 0),
        (430, -400, 10),
    ]:
        filters = queries.Filters(TODAY - timedelta(days=days_back), TODAY + timedelta(days=ahead))
        today = TODAY + timedelta(days=later)
        direct, counted = both(cast.clinic, filters, today)
        for name in direct:
            assert counted[name] == direct[name], (name, days_back, ahead, later)
        cells |= {rate.cell for group in counted["groups"] for rate in group.rates}
    # The worlds have groups on both sides of 11 patients, some decided by counting.
    assert {"shown", "suppressed", "empty"} <= cells
    assert counted_exactly


def test_they_answer_any_period_but_not_a_group_filter(cast):
    random_world(cast, 4, patients=8)
    latest = SessionOutcome.objects.latest("day").day
    year_ago = TODAY - timedelta(days=364)
    assert rollups.counted(cast.clinic, year_ago, latest, "", today=TODAY)
    assert rollups.counted(cast.clinic, year_ago, latest - timedelta(days=1), "", today=TODAY)
    assert rollups.counted(cast.clinic, year_ago, TODAY, D.MUSCLE, today=TODAY) is None


def counts(clinic) -> tuple[list[tuple], list[tuple], list[tuple]]:
    days = DayCount.objects.filter(clinic=clinic).order_by("dimension", "value", "day")
    reliefs = ReliefCount.objects.filter(clinic=clinic).order_by(
        "dimension", "value", "day", "relief_days", "relief_ended"
    )
    fields = ["dimension", "value", "day", *daycounts.COUNTS]
    checkins = CheckinCount.objects.filter(clinic=clinic).order_by("day", "checkpoint", "due_on")
    return (
        [
            row
            for row in checkins.values_list("day", "checkpoint", "due_on", "due", "answered")
            if row[3]
        ],
        [row for row in days.values_list(*fields) if any(row[3:])],
        [
            row
            for row in reliefs.values_list(
                "dimension", "value", "day", "relief_days", "relief_ended", "sessions"
            )
            if row[-1]
        ],
    )


def test_the_counts_kept_in_step_equal_a_recount(cast):
    """Outcomes stored again (a session gone, responses changed, a new session) through
    ``kept_in_step``, as the service stores them, leave the counts a recount gives."""
    random_world(cast, 5, patients=20)
    r = random.Random(5)
    patients = list({row.patient_id for row in SessionOutcome.objects.filter(clinic=cast.clinic)})
    for patient_id in r.sample(patients, 6):
        rows = list(SessionOutcome.objects.filter(patient_id=patient_id).order_by("day", "id"))
        facets = list(SessionFacet.objects.filter(patient_id=patient_id))
        checkins = list(SessionCheckin.objects.filter(patient_id=patient_id))
        visit_of = {row.pk: row.visit_id for row in rows}
        with daycounts.kept_in_step([patient_id]):
            SessionOutcome.objects.filter(patient_id=patient_id).delete()
            kept = rows[1:] if len(rows) > 1 else rows
            for row in kept:
                row.pk = None
                row.resp50_2w, row.relief_days, row.relief_ended = True, 30, False
            SessionOutcome.objects.bulk_create(kept)
            by_visit = {row.visit_id: row for row in kept}
            for facet in facets:
                outcome = by_visit.get(visit_of[facet.outcome_id])
                facet.pk, facet.outcome = None, outcome
                facet.resp50_2w, facet.relief_days, facet.relief_ended = True, 30, False
            SessionFacet.objects.bulk_create([f for f in facets if f.outcome_id is not None])
            for checkin in checkins:
                outcome = by_visit.get(visit_of[checkin.outcome_id])
                checkin.pk, checkin.outcome, checkin.answered = None, outcome, not checkin.answered
            SessionCheckin.objects.bulk_create([c for c in checkins if c.outcome_id is not None])
    kept_in_step = counts(cast.clinic)
    daycounts.rebuild(cast.clinic.pk)
    assert counts(cast.clinic) == kept_in_step
    assert all(kept_in_step)
