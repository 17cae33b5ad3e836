"""The worklist's "Next step due" section: patients whose next-step decision is due."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.outcomes import queries, services
from taut.outcomes.models import NextStepDecision
from taut.tests.cast import acting, make_patient, sign_in

URL = reverse("outcomes:worklist_section")


def signed_days_ago(patient, clinician, days):
    """A signed session ``days`` ago (through the real services, at that time)."""
    with time_machine.travel(timezone.now() - timedelta(days=days)):
        return flow.signed(patient, clinician)


def decide(patient, visit, by, **changes):
    sessions = queries.sessions_for_patient(patient)
    advice = queries.next_step_for(patient, sessions, today=timezone.localdate())
    latest = NextStepDecision.objects.filter(patient=patient).first()
    fields = {"decision": "continue", "note": "", "review_on": None, **changes}
    return services.record_decision(
        patient=patient,
        visit=visit,
        actor=acting(by),
        advice_seen=queries.advice_fingerprint(advice, sessions),
        decision_seen=latest.public_id if latest else None,
        **fields,
    )


def patient(cast, mrn, name):
    return make_patient(cast.clinic, cast.front_desk, mrn=mrn, given_name=name)


def test_it_lists_patients_whose_follow_up_ended_without_a_decision(client, cast):
    ended = patient(cast, "T0002", "Ended")
    signed_days_ago(ended, cast.clinician, 90)  # week 12 was day 84
    signed_days_ago(patient(cast, "T0003", "Open"), cast.clinician, 30)
    visit = signed_days_ago(patient(cast, "T0004", "Decided"), cast.clinician, 90)
    decide(visit.patient, visit, cast.clinician)
    sign_in(client, cast.nurse)
    response = client.get(URL, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [row.patient for row in response.context["rows"]] == [ended]
    body = response.content.decode()
    assert "<html" not in body  # the htmx fragment only
    assert "Quillbrook, Ended" in body and "Quillbrook, Open" not in body
    assert "Quillbrook, Decided" not in body
    assert reverse("outcomes:chart_section", args=[ended.public_id]) in body
    assert "Continue the current plan" in body and "ended with the Week 12 check-in" in body
    # One line per patient (advice and why it is due now); the reasons on demand.
    assert "Continue the current plan</strong> · Follow-up plan ended, " in body
    assert '<details class="why"><summary>Why' in body
    assert 'Next step due <span class="count">1</span>' in body


def test_it_lists_a_patient_again_when_the_review_date_comes(cast):
    visit = signed_days_ago(cast.patient, cast.clinician, 30)
    today = timezone.localdate()
    decide(cast.patient, visit, cast.clinician, decision="review", review_on=today + timedelta(1),
           note="Waiting for the physio report before deciding.")  # fmt: skip
    assert queries.due_for_clinic(cast.clinic, today=today) == []
    (row,) = queries.due_for_clinic(cast.clinic, today=today + timedelta(days=1))
    assert (row.patient, row.due.code) == (cast.patient, "review_date")
    assert row.decision.decision == "review"


def test_it_lists_a_repeat_the_payer_allows(cast):
    cast.clinic.payer_policy = "BCBSA-2.01.103"
    cast.clinic.save(update_fields=["payer_policy"])
    flow.signed(cast.patient, cast.clinician)
    (row,) = queries.due_for_clinic(cast.clinic, today=timezone.localdate())
    assert row.due.code == "repeat" and row.advice_label == "A repeat session is supported"


def test_it_omits_other_clinics_patients(client, cast):
    signed_days_ago(cast.other_patient, cast.outsider, 90)
    sign_in(client, cast.clinician)
    response = client.get(URL)
    assert response.context["rows"] == []
    assert "No next-step decisions due." in response.content.decode()


def test_it_serves_a_full_page_without_htmx_and_audits_the_list(client, cast):
    signed_days_ago(cast.patient, cast.clinician, 90)
    sign_in(client, cast.lead)
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body and "Next step due" in body
    event = AuditEvent.objects.get(action=Action.VIEW, object_type="next_step_worklist")
    assert event.actor_id == cast.lead.pk and event.details == {"patients": 1}


def test_it_runs_a_constant_number_of_queries_however_many_patients(cast):
    def count():
        with CaptureQueriesContext(connection) as queries_run:
            rows = queries.due_for_clinic(cast.clinic, today=timezone.localdate())
        return len(queries_run), len(rows)

    signed_days_ago(cast.patient, cast.clinician, 90)
    # The stored due days, then visits, sites, check-ins, goals, function readings, decisions.
    assert count() == (7, 1)
    for number in range(2, 4):
        signed_days_ago(patient(cast, f"T000{number}", f"P{number}"), cast.clinician, 90)
    assert count() == (7, 3)


def test_it_computes_the_advice_for_the_page_shown_only(cast, monkeypatch):
    """A page of the stored due days, longest due first, then by name; the advice is
    computed for its rows alone."""
    names = ["Cole", "Abel", "Bree"]
    for number, (name, days) in enumerate(zip(names, (100, 90, 90), strict=True), start=2):
        signed_days_ago(patient(cast, f"T000{number}", name), cast.clinician, days)
    computed = []
    real = queries.next_step_for
    monkeypatch.setattr(
        queries, "next_step_for", lambda p, s, **kw: computed.append(p) or real(p, s, **kw)
    )
    today = timezone.localdate()
    first = queries.due_page_for_clinic(cast.clinic, today=today, number=1, per_page=2)
    assert [row.patient.given_name for row in first] == ["Cole", "Abel"]
    assert first.paginator.count == 3 and computed == [row.patient for row in first]
    second = queries.due_page_for_clinic(cast.clinic, today=today, number=2, per_page=2)
    assert [row.patient.given_name for row in second] == ["Bree"]


def test_it_refuses_front_desk_and_sends_anonymous_visitors_to_login(client, cast):
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))
    sign_in(client, cast.front_desk)
    assert client.get(URL).status_code == 403


def test_it_loads_the_section_on_the_clinicians_worklist(client, cast):
    sign_in(client, cast.clinician)
    body = client.get(reverse("aftercare:worklist")).content.decode()
    assert f'hx-get="{URL}' in body and f'href="{URL}' in body


@pytest.mark.parametrize("days", [0, 83])
def test_it_waits_while_follow_up_runs(cast, days):
    signed_days_ago(cast.patient, cast.clinician, days)
    assert queries.due_for_clinic(cast.clinic, today=timezone.localdate()) == []


def test_it_reads_the_end_of_follow_up_from_the_plan_the_session_was_signed_under(cast):
    """A clinic plan ending on day 30: the decision is due from day 31, not week 12."""
    from datetime import timedelta

    from django.utils import timezone

    from taut.aftercare.tests import flow
    from taut.outcomes.queries import due_for_clinic

    cast.clinic.followup_plan = [
        {"key": "day_2", "offset_days": 2, "label": "Day 2"},
        {"key": "day_10", "offset_days": 10, "label": "Day 10"},
        {"key": "day_30", "offset_days": 30, "label": "Day 30"},
    ]
    cast.clinic.save()
    visit = flow.signed(cast.patient, cast.clinician)
    day = timezone.localdate(visit.scheduled_for)
    assert sorted(visit.checkins.values_list("offset_days", flat=True)) == [2, 10, 30]
    rows = due_for_clinic(cast.clinic, today=day + timedelta(days=31))
    assert [r.patient for r in rows] == [cast.patient]
    assert due_for_clinic(cast.clinic, today=day + timedelta(days=29)) == []
