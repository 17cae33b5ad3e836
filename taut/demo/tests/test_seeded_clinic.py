"""The demo clinic as ``taut demo`` seeds it: its past visits and today's list, the
check-ins answered since, the reminders, alerts, reviews and decisions. One clinic serves
the whole module (seeding is the slow part); the tests only read it."""

import hashlib
from collections import Counter
from datetime import timedelta
from itertools import pairwise

from django.db import transaction
from django.utils import timezone

from taut.accounts.models import User
from taut.accounts.roles import Role
from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.queries import checkins_to_chase
from taut.audit.services import verify_chain
from taut.demo.checkins import ALERT_WINDOW_DAYS
from taut.demo.scale import TEAMS, replica_mrn, replicate, team_of
from taut.demo.seed import seed_demo
from taut.demo.stories import plan_for
from taut.demo.tests.seeded import PATIENTS, check_analytics_variety, check_structure_sessions
from taut.outcomes.models import NextStepDue
from taut.outcomes.queries import due_from_for, latest_decision, next_step_for, sessions_for_patient
from taut.patients.models import Allergy, Patient
from taut.reminders.models import Reminder
from taut.visits.models import Addendum, InjectionSite, Note, Visit
from taut.visits.queries import dose_check, note_is_intact

State = Visit.State

# Past visits and today's list.


def test_past_visits_are_signed_notes_with_sites_within_the_dose_limit(seeded, db):
    _, today, _ = seeded
    past = Visit.objects.filter(scheduled_for__date__lt=today)
    signed = past.filter(state=State.SIGNED).select_related("note", "procedure", "intake")
    assert signed.count() >= 10
    assert past.filter(scheduled_for__date__lt=today - timedelta(days=120)).exists()
    for v in signed:
        assert note_is_intact(v.note) and v.note.icd_codes
        # Injected muscles are 20552/20553; a dry-needling session is coded on its own.
        codes = {v.note.cpt_code, v.note.dry_needling_code} - {""}
        assert codes and (
            v.note.cpt_code or {s.kind for s in v.procedure.sites.all()} == {"dry_needling"}
        )
        assert timezone.localdate(v.note.signed_at) == timezone.localdate(v.scheduled_for)
        assert 1 <= v.procedure.sites.count() <= 5
        assert v.procedure.nrs_after is not None and v.procedure.complications
        overridden = v.procedure.sites.exclude(override_reason="").exists()
        assert dose_check(v.procedure).fraction <= (1.1 if overridden else 1)
        if v.intake.anticoagulant_or_antiplatelet:
            assert v.decisions.get().kind == "proceed"
    sites = InjectionSite.objects.filter(procedure__visit__in=past)
    assert {"lidocaine", "bupivacaine"} <= set(sites.values_list("agent", flat=True))
    assert all(1 <= s.volume_ml <= 3 for s in sites if s.volume_ml is not None)
    by_patient = {}
    for v in signed:
        by_patient.setdefault(v.patient_id, []).append(v.scheduled_for.date())
    for days in by_patient.values():
        days.sort()
        assert all((b - a).days >= 42 for a, b in pairwise(days))
    check_analytics_variety(*seeded[:2])


def test_today_has_a_visit_in_every_state_for_different_patients(seeded, db):
    _, today, _ = seeded
    visits = Visit.objects.filter(scheduled_for__date=today).select_related("clinician")
    states = Counter(v.state for v in visits)
    # A no-show needs a visit whose time has passed: not there when seeded before 09:00.
    assert set(State.values) - set(states) <= {State.NO_SHOW}
    assert len(visits) >= 8
    assert len({v.patient_id for v in visits}) == len(visits)
    assert {v.clinician.username for v in visits} == {"clinician", "clinician2"}
    assert Note.objects.filter(visit__in=visits).count() == states[State.SIGNED]


def test_a_second_run_adds_nothing_and_the_audit_chain_holds(seeded, db):
    _, _, now = seeded

    def counts():
        return [
            model.objects.count()
            for model in (Patient, User, Allergy, Visit, Note, InjectionSite, CheckIn)
        ]

    before = counts()
    again = seed_demo(seed=2026, patients_wanted=PATIENTS, now=now)
    assert again.created_patients == 0 and again.total_patients == PATIENTS
    assert counts() == before
    assert verify_chain().ok


def test_it_tops_up_to_a_larger_number(seeded, db):
    clinic, _, now = seeded
    topped = seed_demo(seed=2026, patients_wanted=PATIENTS + 3, now=now)
    assert (topped.created_patients, topped.total_patients) == (3, PATIENTS + 3)
    assert sorted(Patient.objects.filter(clinic=clinic).values_list("mrn", flat=True))[-3:] == [
        f"D{n:06d}" for n in range(PATIENTS + 1, PATIENTS + 4)
    ]


def test_a_repeat_sessions_intake_starts_where_the_last_check_in_left_off(seeded, db):
    """A returning patient's intake pain and PEG interference are within two points of
    their last answered check-in before the visit (today's returning patients included),
    and the relief they recall is what they reported after the last session."""
    checked = 0
    visits = Visit.objects.filter(intake__isnull=False).select_related("intake", "patient")
    for v in visits.order_by("scheduled_for"):
        day = timezone.localdate(v.scheduled_for)
        earlier = Visit.objects.filter(
            patient=v.patient, state=State.SIGNED, scheduled_for__lt=v.scheduled_for
        )
        if not earlier.exists():
            continue
        answered = CheckIn.objects.filter(patient=v.patient, nrs__isnull=False, due_on__lt=day)
        last = answered.order_by("due_on", "offset_days").last()
        assert abs(v.intake.nrs_average - last.nrs) <= 2, (v.patient.mrn, day)
        assert abs(v.intake.peg_enjoyment - last.peg_enjoyment) <= 2
        assert abs(v.intake.peg_activity - last.peg_activity) <= 2
        before = earlier.select_related("intake").order_by("scheduled_for").last()
        reported = [
            100 * (before.intake.nrs_average - c.nrs) / before.intake.nrs_average
            for c in answered.filter(visit=before)
        ]
        assert v.intake.previous_tpi and abs(v.intake.previous_tpi_relief - max(0, *reported)) <= 5
        checked += 1
    assert checked >= 5


# Check-ins, reminders, alerts and the clinician's reviews since.


def test_past_checkins_are_answered_but_a_few_recent_ones(seeded, db):
    clinic, today, _ = seeded
    past = CheckIn.objects.filter(patient__clinic=clinic, due_on__lt=today)
    open_ = past.filter(completed_at__isnull=True)
    assert past.count() >= 50
    assert 1 <= open_.count() <= 8
    assert not open_.filter(due_on__lt=today - timedelta(days=21)).exists()
    assert 1 <= len(checkins_to_chase(clinic, today=today)["overdue"]) <= 8
    done = past.filter(completed_at__isnull=False)
    assert all(c.source == "staff_phone" and c.recorded_by.username == "nurse" for c in done)
    assert all(timezone.localdate(c.completed_at) == c.due_on for c in done)
    assert not CheckIn.objects.filter(due_on__gte=today, completed_at__isnull=False).exists()


def test_answers_tell_a_course_soreness_fades_and_pain_follows_relief(seeded, db):
    clinic, _, _ = seeded
    done = CheckIn.objects.filter(patient__clinic=clinic, completed_at__isnull=False)
    day1 = [c.soreness for c in done.filter(checkpoint="day_1")]
    week2 = [c.soreness for c in done.filter(checkpoint="week_2")]
    assert day1 and all(5 <= s <= 7 for s in day1)
    assert sum(week2) <= len(week2)  # gone, but for an infection
    responders = 0
    for c in done.filter(checkpoint="week_2").select_related("visit__intake"):
        baseline = c.visit.intake.nrs_average
        if c.nrs * 2 <= baseline:
            responders += 1
            assert c.pgic in {"very_much_improved", "much_improved"}
    assert responders >= len(week2) // 4


def test_infection_answers_raise_alerts_one_acknowledged(seeded, db):
    """The recent weeks' alerts: two or three infection answers, one acknowledged (older
    ones: ``check_analytics_variety``)."""
    clinic, today, _ = seeded
    recent = today - timedelta(days=ALERT_WINDOW_DAYS)
    alerts = Alert.objects.filter(patient__clinic=clinic, checkin__due_on__gte=recent)
    assert 2 <= alerts.count() <= 3
    assert set(alerts.values_list("code", flat=True)) == {"infection"}
    closed = alerts.filter(acknowledged_at__isnull=False).get()
    assert closed.acknowledged_by.username == "clinician" and closed.note
    assert alerts.filter(acknowledged_at__isnull=True).exists()
    assert all(timezone.localdate(a.raised_at) == a.checkin.due_on for a in alerts)


def test_a_second_run_changes_nothing_and_the_audit_chain_holds(seeded, db):
    _, _, now = seeded

    def state():
        return (
            list(CheckIn.objects.order_by("pk").values_list("pk", "completed_at", "answers")),
            list(Alert.objects.order_by("pk").values_list("pk", "acknowledged_at")),
        )

    before = state()
    seed_demo(seed=2026, patients_wanted=PATIENTS, now=now)
    assert state() == before
    assert verify_chain().ok


def test_the_next_step_panel_tells_each_story_true(seeded, db):
    """Responders whose relief and function lasted are eligible for a repeat under the
    default payer policy, non-responders are advised to reconsider, and one patient shows
    a check-in due today on the worklist."""
    clinic, today, _ = seeded
    advice = {}
    for patient in Patient.objects.filter(clinic=clinic):
        sessions = sessions_for_patient(patient)
        if sessions:
            advice[patient.mrn] = next_step_for(patient, sessions, today=today)
    actions = Counter(str(a.action) for a in advice.values())
    assert actions["reconsider"] >= 1 and actions["continue"] >= 3
    story = {mrn: plan_for(2026, mrn).story.name for mrn in advice}
    assert all(story[m] == "none" for m, a in advice.items() if a.action == "reconsider")
    eligible = [mrn for mrn, a in advice.items() if a.repeat and a.repeat.eligible]
    assert len(eligible) >= 1  # under L34211, with function read as improved after week 6
    assert {story[m] for m in eligible} <= {"early", "late"}
    assert actions["repeat"] == len(eligible)
    due_today = CheckIn.objects.filter(patient__clinic=clinic, due_on=today)
    assert due_today.exists() and not due_today.filter(completed_at__isnull=False).exists()
    assert checkins_to_chase(clinic, today=today)["due"]


def test_pgic_and_goal_levels_agree_with_the_relief_reported(seeded, db):
    """Nobody with less than 15 % relief since their session says they improved or
    raises a goal above where it started; with 50 % or more, every goal is at least at
    the expected level (0) and the PGIC is "much" or "very much" improved."""
    clinic, _, _ = seeded
    done = CheckIn.objects.filter(patient__clinic=clinic, completed_at__isnull=False)
    levels = {"low": [], "high": []}
    for c in done.exclude(pgic="").select_related("visit__intake").prefetch_related("visit__goals"):
        baseline = c.visit.intake.nrs_average
        relief = (baseline - c.nrs) / baseline
        goals = {str(g.pk): g.baseline for g in c.visit.goals.all()}
        gas = c.answers.get("gas", {})
        if relief < 0.15:
            assert c.pgic in {"no_change", "minimally_worse"}
            assert all(level <= goals[pk] for pk, level in gas.items())
            levels["low"] += gas.values()
        elif relief >= 0.5:
            assert c.pgic in {"very_much_improved", "much_improved"}
            assert all(level >= 0 for level in gas.values())
            levels["high"] += gas.values()
    assert levels["low"] and levels["high"]


def test_past_reminders_are_settled_as_a_worker_would_have_left_them(seeded, db):
    """Nothing overdue waits in the queue; a few failed ones wait for a person."""
    from django_tasks_db.models import DBTaskResult

    from taut.reminders.queries import needing_a_person

    clinic, _, now = seeded
    reminders = Reminder.objects.filter(patient__clinic=clinic)
    overdue = reminders.filter(status=Reminder.Status.PENDING, send_after__lt=now)
    assert not overdue.exclude(kind=Reminder.Kind.INTAKE).exists()
    sent = reminders.filter(status=Reminder.Status.SENT, kind=Reminder.Kind.CHECKIN)
    assert sent.count() >= 50
    assert all(r.sent_at == r.send_after and r.to_address == r.patient.email for r in sent)
    failed = [r for r in needing_a_person(clinic, now=now) if r.status == Reminder.Status.FAILED]
    assert len(failed) == 2
    pending = set(reminders.filter(status=Reminder.Status.PENDING).values_list("pk", flat=True))
    queued = DBTaskResult.objects.filter(task_path__endswith="send_reminder_task")
    assert {t.args_kwargs["args"][0] for t in queued} == pending


def test_visits_booked_ahead_and_one_patient_report_waits_for_review(seeded, db):
    from taut.visits.models import Intake, Visit

    clinic, today, _ = seeded
    # The visits the outbox's story booked ahead (with the intake email), not the schedule's.
    emailed = Reminder.objects.filter(kind=Reminder.Kind.INTAKE).values("visit_id")
    ahead = Visit.objects.filter(
        patient__clinic=clinic, scheduled_for__date__gt=today, pk__in=emailed
    )
    assert ahead.count() == 3
    reported = Intake.objects.filter(visit__in=ahead, source=Intake.Source.PATIENT)
    assert reported.count() == 1 and reported.get().reviewed_at is None
    assert reported.get().visit.drawing.source == "patient"
    links = Reminder.objects.filter(visit__in=ahead, kind=Reminder.Kind.INTAKE)
    assert sorted(links.values_list("status", flat=True)) == ["pending", "pending", "sent"]


def test_the_clinician_has_read_function_and_decided_for_a_few(seeded, db):
    from taut.outcomes.models import FunctionReading, NextStepDecision

    clinic, today, _ = seeded
    readings = FunctionReading.objects.filter(patient__clinic=clinic)
    assert readings.filter(improved=True).exists() and readings.filter(improved=False).exists()
    assert all((today - r.visit.scheduled_for.date()).days >= 42 for r in readings)
    decided = NextStepDecision.objects.filter(patient__clinic=clinic)
    assert {d.decision for d in decided} >= {"stop"}
    assert all(d.note for d in decided if d.decision == "stop")


def test_the_patient_report_answers_only_what_patients_are_asked(seeded, db):
    """Examination findings (e.g. long-tract signs) stay unanswered for the clinician."""
    from taut.clinical import screening
    from taut.visits.models import Intake

    clinic, _, _ = seeded
    report = Intake.objects.get(visit__patient__clinic=clinic, source=Intake.Source.PATIENT)
    asked = {q.id for group in screening.PATIENT_RED_FLAG_SETS.values() for q in group}
    answered = {key for key, value in report.red_flags.items() if value is not None}
    assert answered == asked
    assert "neck.long_tract_signs" not in answered


def test_a_steroid_session_or_two_show_on_the_note_within_the_clinics_limit(seeded, db):
    """Issue 11: a clinician can click to a session with triamcinolone beside the
    anaesthetic, planned at intake (diabetes asked), stated on the note."""
    clinic, _, _ = seeded
    with_steroid = InjectionSite.objects.filter(
        procedure__visit__patient__clinic=clinic, steroid="triamcinolone"
    ).select_related("procedure__visit__note", "procedure__visit__intake")
    assert with_steroid.count() >= 1
    for site in with_steroid:
        v = site.procedure.visit
        assert v.intake.steroid_planned is True and v.intake.diabetes_poorly_controlled is False
        assert "Steroid given:" in v.note.body_html and "Triamcinolone 40 mg" in v.note.body_html
        assert "limit of 80 mg in 3 months" in v.note.body_html


def test_a_few_sessions_examine_and_inject_a_ligament_or_tendon_the_drawing_suggests(seeded, db):
    """Issue 15: a few past sessions add a ligament or tendon site the drawing suggests,
    coded on the signed note; `taut demo` names their patients (``structure_sessions``)."""
    check_structure_sessions(seeded[0])


def test_today_has_a_visit_whose_screening_decision_lapsed(seeded, db):
    """A red flag recorded after the clinician's "proceed": the decision no longer stands
    and the visit says which reason is new (issue 11, point 2)."""
    from taut.demo.lapsed import REASON
    from taut.visits.queries import procedure_gate

    _, today, _ = seeded
    v = Visit.objects.get(scheduled_for__date=today, intake__reason=REASON)
    assert v.decisions.get().kind == "proceed"
    allowed, why = procedure_gate(v)
    assert not allowed and "New since the decision: Red flag: fever" in why


def test_front_desk_sees_a_working_day_and_week(seeded, db):
    """Two clinicians today, patients in the room (those being seen), and visits booked on
    the working days ahead for both."""
    _, today, _ = seeded
    todays = Visit.objects.filter(scheduled_for__date=today)
    assert todays.filter(clinician__username="clinician2").count() >= 5
    assert todays.filter(arrival=Visit.Arrival.IN_ROOM).exists()
    ahead = Visit.objects.filter(
        scheduled_for__date__gt=today, scheduled_for__date__lte=today + timedelta(days=7)
    )
    assert {v.clinician.username for v in ahead.select_related("clinician")} == {
        "clinician",
        "clinician2",
    }


# The stored day each next-step decision falls due (issue 13).


def test_every_patients_stored_due_day_agrees_with_the_advice(seeded, db):
    """For every demo patient, on the seed's day and later ones, "due" read from the stored
    ``NextStepDue.due_from`` is what the advice and ``schedule.next_step_due`` computed from
    the whole history say (the way the worklist computed it for every patient before)."""
    from taut.clinical import schedule
    from taut.outcomes.models import NextStepDecision, NextStepDue

    clinic, today, _ = seeded
    stored = {row.patient_id: row for row in NextStepDue.objects.filter(clinic=clinic)}
    patients = list(Patient.objects.filter(clinic=clinic).select_related("clinic"))
    assert len(patients) >= PATIENTS
    codes = Counter()
    for patient in patients:
        sessions = sessions_for_patient(patient)
        row = stored.get(patient.pk)  # none before a first session is signed
        if row is None:
            assert not sessions, patient.mrn
            row = NextStepDue(due_from=None)
        else:
            assert row.rule_version == schedule.DUE_FROM_VERSION
            assert row.last_session == (sessions[-1].visit if sessions else None)
        decision = NextStepDecision.objects.filter(
            patient=patient, followed_by__isnull=True
        ).first()
        for later in (0, 1, 7, 30, 90, 400):
            day = today + timedelta(days=later)
            advice = next_step_for(patient, sessions, today=day)
            if advice is None:
                due = False
            else:
                last = sessions[-1]
                decided = decision is not None and decision.visit_id == last.visit.pk
                offsets = sorted(c.offset_days for c in last.visit.checkins.all())
                verdict = schedule.next_step_due(
                    last_session=last.day,
                    action=advice.action,
                    today=day,
                    decided=decided,
                    review_on=decision.review_on if decided else None,
                    plan=schedule.plan_from_days(offsets) if offsets else clinic.plan(),
                )
                due = verdict.due
                codes[later, verdict.code] += 1
            assert due == (row.due_from is not None and row.due_from <= day), (patient.mrn, day)
    # Not vacuous: on the seed's day some are due and some are not, for several reasons.
    assert sum(n for (later, code), n in codes.items() if later == 0) >= 10
    assert {code for (later, code) in codes if later == 0} >= {"followup_open", "followup_ended"}


# `taut seed-scale`: the seeded clinic as the template of a network of replicas.

REPLICAS = 170  # with the template's PATIENTS, a network of 200
CLINICS = 3


def network_snapshot(clinics):
    """What the replicas are, without the database's own keys."""
    patients = Patient.objects.filter(clinic__in=clinics)
    people = ("clinic__slug", "mrn", "public_id", "given_name", "family_name", "date_of_birth")
    checkins = CheckIn.objects.filter(patient__in=patients)
    return (
        sorted(patients.values_list(*people)),
        sorted(Note.objects.filter(visit__patient__in=patients).values_list("sha256", flat=True)),
        sorted(checkins.values_list("patient__mrn", "public_id", "due_on", "completed_at", "nrs")),
    )


def test_seed_scale_replicates_coherent_patient_histories_into_several_clinics(seeded, db):
    """Each replica clinic has its share of patients and its own staff; each replica's
    signed notes pass the integrity check and name the replica; its doses stay within the
    limit; its stored next-step day is what the advice computed from its history says, the
    same as its template patient's; the audit chain holds."""
    template, today, now = seeded
    made = replicate(template=template, seed=2026, replicas=REPLICAS, clinics=CLINICS, now=now)
    assert made.created_patients == REPLICAS and made.total_patients == REPLICAS
    shares = Counter(Patient.objects.filter(clinic__in=made.clinics).values_list("clinic_id"))
    assert sorted(shares.values()) == [56, 57, 57]
    # The template's staff with TEAMS of each clinician, each round of patients the next's.
    roles = Counter(User.objects.filter(clinic=template).values_list("role", flat=True))
    roles[Role.CLINICIAN] *= TEAMS
    assert {team_of(n, clinics=CLINICS, template=PATIENTS, teams=TEAMS) for n in (1, 170)} == {0, 1}
    for clinic in made.clinics:
        staff = User.objects.filter(clinic=clinic)
        assert Counter(staff.values_list("role", flat=True)) == roles
        assert len(set(staff.values_list("last_name", flat=True))) == len(staff)
        seen_by = Visit.objects.filter(patient__clinic=clinic).values_list("clinician", flat=True)
        assert len(set(seen_by) - {None}) > 2  # more than one team's
    replicas = Patient.objects.filter(clinic__in=made.clinics)
    notes = Note.objects.filter(visit__patient__in=replicas).select_related("visit__patient")
    assert notes.count() >= REPLICAS // 2
    for note in notes:
        assert note_is_intact(note) and f"MRN {note.visit.patient.mrn}" in note.body_html
        assert note.signed_by.clinic_id == note.visit.patient.clinic_id
    addenda = Addendum.objects.filter(note__visit__patient__in=replicas).select_related("note")
    assert addenda.exists()
    for a in addenda:  # chained to the replica's note and author, as when signed
        signed = (a.signed_at.isoformat(), a.signed_at.astimezone(template.zone()).isoformat())
        chained = {f"{a.note.sha256}|{at}|{a.signed_by_id}|{a.text}".encode() for at in signed}
        assert a.sha256 in {hashlib.sha256(text).hexdigest() for text in chained}
    for site in InjectionSite.objects.filter(procedure__visit__patient__in=replicas)[:40]:
        overridden = site.procedure.sites.exclude(override_reason="").exists()
        assert dose_check(site.procedure).fraction <= (1.1 if overridden else 1)
    # GAS answers name the replica's own goals; reminder keys the replica's own records.
    for checkin in CheckIn.objects.filter(patient__in=replicas).exclude(answers__gas=None)[:40]:
        goals = {str(g) for g in checkin.visit.goals.values_list("pk", flat=True)}
        assert set(checkin.answers.get("gas", {})) <= goals
    keys = list(Reminder.objects.filter(patient__in=replicas).values_list("key", flat=True))
    assert keys and len(set(keys)) == len(keys)
    templates = {p.mrn: p for p in Patient.objects.filter(clinic=template)}
    ordered = sorted(templates)
    stored = {row.patient_id: row for row in NextStepDue.objects.filter(patient__in=replicas)}
    checked = 0
    for number in range(1, REPLICAS + 1, 7):
        clinic = made.clinics[(number - 1) % CLINICS]
        patient = Patient.objects.get(clinic=clinic, mrn=replica_mrn(number))
        original = templates[ordered[((number - 1) // CLINICS) % len(ordered)]]
        sessions = sessions_for_patient(patient)
        due, row = due_from_for(patient, sessions, latest_decision(patient)), stored.get(patient.pk)
        assert (row.due_from if row else None) == due, patient.mrn
        assert (row.last_session if row else None) == (sessions[-1].visit if sessions else None)
        advice = next_step_for(patient, sessions, today=today)
        expected = next_step_for(original, sessions_for_patient(original), today=today)
        assert (advice and advice.action) == (expected and expected.action)
        checked += bool(sessions)
    assert checked >= 5
    assert verify_chain().ok


def test_seed_scale_is_deterministic_and_adds_nothing_twice(seeded, db):
    template, _, now = seeded

    def run():
        return replicate(template=template, seed=2026, replicas=REPLICAS, clinics=CLINICS, now=now)

    with transaction.atomic():
        first = network_snapshot(run().clinics)
        transaction.set_rollback(True)
    made = run()
    assert network_snapshot(made.clinics) == first
    again = run()
    assert again.created_patients == 0 and network_snapshot(again.clinics) == first
