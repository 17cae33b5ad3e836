"""Recording the clinician's next-step decision on the Outcomes card."""

import re

import pytest
from django.urls import reverse

from taut.aftercare import services as aftercare
from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.clinical import schedule
from taut.outcomes import services
from taut.outcomes.models import NextStepDecision
from taut.tests.cast import acting, sign_in
from taut.tests.once import built_once_per_module

HTMX = {"HX-Request": "true"}


def session_without_relief(cast):
    """A signed session with no relief at two weeks (6/10 from 6/10): advice "continue"."""
    visit = flow.signed(cast.patient, cast.clinician)
    for checkin in visit.checkins.order_by("due_on")[:4]:
        aftercare.record_checkin(
            checkin=checkin,
            answers=flow.answers(checkin, nrs=6),
            actor=flow.on_due_day(cast.nurse, checkin),
        )
    return visit


visit, _visit_once = built_once_per_module(session_without_relief, name="visit")


def decide_url(patient):
    return reverse("outcomes:decide", args=[patient.public_id])


def opened(client, patient, response=None):
    """The decision form's hidden fields as the card (or ``response``) renders them."""
    if response is None:
        url = reverse("outcomes:chart_section", args=[patient.public_id])
        response = client.get(url, headers=HTMX)
    body = response.content.decode()
    body = body[body.index('id="decide-h"') :]  # the decision form, not a function form
    return {
        name: re.search(f'name="{name}" value="([^"]*)"', body).group(1)
        for name in ("visit", "advice", "previous")
    }


def post(client, patient, data, **headers):
    return client.post(decide_url(patient), data, headers=headers)


def test_it_records_a_decision_that_follows_the_advice(client, cast, visit):
    sign_in(client, cast.clinician)
    data = {**opened(client, cast.patient), "decision": "continue", "note": ""}
    response = post(client, cast.patient, data, **HTMX)
    assert response.status_code == 200
    decision = NextStepDecision.objects.get()
    assert (decision.decision, decision.advice_action) == ("continue", "continue")
    assert decision.visit == visit and decision.decided_by == cast.clinician
    assert decision.payer_policy == "L34211" and decision.reconsider_after == 2
    assert decision.eligible == "no" and decision.rule_version == schedule.VERSION
    codes = [c["code"] for c in decision.advice_checks["checks"]]
    assert "interval_same_region" in codes
    body = response.content.decode()
    assert "Decided:</strong> Continue the current plan or self-care" in body
    assert "Casey Clinician" in body and "Record a new decision" in body


def test_it_writes_an_audit_event_without_the_note(client, cast, visit):
    sign_in(client, cast.clinician)
    note = "Patient prefers to wait for the physio programme first."
    data = {
        **opened(client, cast.patient),
        "decision": "review",
        "note": note,
        "review_on": visit.checkins.get(checkpoint="week_6").due_on.isoformat(),
    }
    assert post(client, cast.patient, data).status_code == 302
    decision = NextStepDecision.objects.get()
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="next_step_decision")
    assert event.object_id == str(decision.public_id)
    assert event.patient_id == cast.patient.public_id and event.actor_id == cast.clinician.pk
    assert event.details["decision"] == "review" and event.details["advice"] == "continue"
    assert event.details["follows_advice"] is False
    assert note not in str(event.details)


def test_it_shows_the_history_with_the_advice_each_decision_answered(client, cast, visit):
    sign_in(client, cast.clinician)
    first = {**opened(client, cast.patient), "decision": "continue"}
    post(client, cast.patient, first)
    second = {
        **opened(client, cast.patient),
        "decision": "other",
        "note": "Referred to pain clinic.",
    }
    response = post(client, cast.patient, second, **HTMX)
    assert response.status_code == 200
    newest, oldest = NextStepDecision.objects.all()
    assert newest.previous == oldest
    body = response.content.decode()
    assert "Decisions so far (2)" in body
    assert "Why: Referred to pain clinic." in body
    assert body.count("Advice then: Continue the current plan") == 2
    assert "differs from the advice" in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"decision": ""}, "decision", "Choose a decision."),
        ({"decision": "sometimes"}, "decision", "Select a valid choice"),
        ({"decision": "repeat", "note": "no"}, "note", "differs from the advice: say why"),
        ({"decision": "review"}, "review_on", "Give the date to review on."),
        ({"decision": "continue", "review_on": "2020-01-01"}, "review_on", "after today"),
        ({"decision": "continue", "review_on": "not a date"}, "review_on", "Enter a valid date"),
    ],
)
def test_it_rerenders_bad_input_and_saves_nothing(client, cast, visit, changes, field, message):
    sign_in(client, cast.clinician)
    data = {**opened(client, cast.patient), "note": "", **changes}
    response = post(client, cast.patient, data, **HTMX)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert message.split(":")[0] in response.content.decode().replace("&#x27;", "'")
    assert not NextStepDecision.objects.exists()
    assert not AuditEvent.objects.filter(object_type="next_step_decision").exists()


def test_it_refuses_a_form_missing_what_the_card_showed(client, cast, visit):
    sign_in(client, cast.clinician)
    response = post(client, cast.patient, {"decision": "continue"})
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    assert not NextStepDecision.objects.exists()


def test_it_refuses_a_decision_when_another_clinician_decided_meanwhile(client, cast, visit):
    sign_in(client, cast.clinician)
    seen = opened(client, cast.patient)
    colleague = {**seen, "decision": "continue"}
    services.record_decision(
        patient=cast.patient,
        visit=visit,
        decision="continue",
        note="",
        review_on=None,
        actor=acting(cast.clinician),
        advice_seen=seen["advice"],
        decision_seen=None,
    )
    response = post(
        client,
        cast.patient,
        {**colleague, "decision": "stop", "note": "Stop: no response at all."},
        **HTMX,
    )
    assert response.status_code == 409
    assert "Casey Clinician recorded a decision (Continue the current plan or self-care)" in (
        response.content.decode()
    )
    assert NextStepDecision.objects.count() == 1


def test_it_refuses_a_decision_on_advice_that_has_changed(client, cast, visit):
    sign_in(client, cast.clinician)
    seen = opened(client, cast.patient)
    cast.clinic.reconsider_after = 1  # now the advice is "reconsider"
    cast.clinic.save(update_fields=["reconsider_after"])
    response = post(client, cast.patient, {**seen, "decision": "continue"}, **HTMX)
    assert response.status_code == 409
    assert "The advice changed after you opened this card" in response.content.decode()
    assert not NextStepDecision.objects.exists()
    # The card shown with the conflict carries the new advice: deciding on it works.
    assert 'value="continue" required id="id_decision_1" checked' in response.content.decode()
    again = {**opened(client, cast.patient, response), "decision": "review", "note": "",
             "review_on": visit.checkins.get(checkpoint="week_6").due_on.isoformat()}  # fmt: skip
    assert post(client, cast.patient, again, **HTMX).status_code == 200
    assert NextStepDecision.objects.get().advice_action == "reconsider"


def test_it_refuses_a_decision_on_an_older_session(client, cast, visit):
    sign_in(client, cast.clinician)
    seen = opened(client, cast.patient)
    flow.signed(cast.patient, cast.clinician)
    response = post(client, cast.patient, {**seen, "decision": "continue"})
    assert response.status_code == 409
    assert "A newer session was signed" in response.content.decode()
    assert not NextStepDecision.objects.exists()


def test_it_refuses_two_first_decisions_in_the_database(cast, visit):
    """The chain is kept by the database too, whatever a caller checked first."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    fields = {
        "patient": cast.patient,
        "visit": visit,
        "advice_action": "continue",
        "rule_version": "x",
        "payer_policy": "L34211",
        "reconsider_after": 2,
        "eligible": "no",
        "decision": "continue",
        "decided_at": timezone.now(),
    }
    NextStepDecision.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        NextStepDecision.objects.create(**fields)


@pytest.mark.parametrize("role", ["nurse", "front_desk", "lead"])
def test_it_refuses_roles_that_do_not_decide(client, cast, visit, role):
    sign_in(client, cast.clinician)
    data = {**opened(client, cast.patient), "decision": "continue"}
    sign_in(client, cast.staff()[role])
    assert post(client, cast.patient, data).status_code == 403
    assert not NextStepDecision.objects.exists()
    assert AuditEvent.objects.filter(action=Action.DENIED, actor_id=cast.staff()[role].pk).exists()


def test_it_hides_another_clinics_patient(client, cast, visit):
    sign_in(client, cast.outsider)
    assert post(client, cast.patient, {"decision": "continue"}).status_code == 404
    assert not NextStepDecision.objects.exists()


def test_it_sends_anonymous_visitors_to_login(client, cast, visit):
    response = post(client, cast.patient, {"decision": "continue"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_refuses_a_session_of_another_patient(client, cast, visit):
    from taut.tests.cast import make_patient

    other = flow.signed(make_patient(cast.clinic, cast.front_desk, mrn="T0002"), cast.clinician)
    sign_in(client, cast.clinician)
    data = {**opened(client, cast.patient), "visit": other.public_id, "decision": "continue"}
    assert post(client, cast.patient, data).status_code == 404
    assert not NextStepDecision.objects.exists()


def test_it_keeps_the_decision_choices_equal_to_the_rules():
    assert set(NextStepDecision.Choice.values) == {str(s) for s in schedule.NextStep}
    assert set(NextStepDecision.Advice.values) == {str(a) for a in schedule.Action}
