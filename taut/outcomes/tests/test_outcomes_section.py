"""The chart's Outcomes card: pain over time and each session's response."""

from django.urls import reverse

from taut.aftercare import services as aftercare
from taut.aftercare.tests import flow


def section(client, patient):
    url = reverse("outcomes:chart_section", args=[patient.public_id])
    return client.get(url, headers={"HX-Request": "true"})


def answer(checkin, by, nrs):
    aftercare.record_checkin(
        checkin=checkin, answers=flow.answers(checkin, nrs=nrs), actor=flow.on_due_day(by, checkin)
    )


def test_it_shows_an_empty_state_before_any_session(client, cast, signed_in):
    signed_in(cast.clinician)
    body = section(client, cast.patient).content.decode()
    assert "No outcome scores yet" in body and "<svg" not in body


def test_it_charts_pain_and_reports_each_sessions_relief(client, cast, signed_in):
    visit = flow.signed(cast.patient, cast.clinician)  # intake pain now 6/10
    first, second, third = visit.checkins.order_by("due_on")[:3]
    answer(first, cast.nurse, 3)  # 50 %: substantial
    answer(second, cast.nurse, 2)
    answer(third, cast.nurse, 4)  # 33 %: moderate, so >= 50 % relief ends
    signed_in(cast.clinician)
    response = section(client, cast.patient)
    body = response.content.decode()
    (session,) = response.context["sessions"]
    assert session.baseline == 6
    assert session.immediate_relief == 67  # 6 -> 2 just after (flow.finished)
    assert [f["relief"] for f in session.followups] == [50, 67, 33]
    assert [f["category"] for f in session.followups] == ["substantial", "substantial", "moderate"]
    assert session.latest_category == "moderate"
    assert session.relief_days == (second.due_on - session.day).days
    assert '<path class="nrs" d="M' in body and 'class="session"' in body
    assert "Trapezius" in body


def test_it_refuses_the_card_to_front_desk(client, cast, signed_in):
    signed_in(cast.front_desk)
    url = reverse("outcomes:chart_section", args=[cast.patient.public_id])
    assert client.get(url).status_code == 403


def test_it_advises_the_next_step_with_the_goals_beside_it(client, cast, signed_in):
    visit = flow.signed(cast.patient, cast.clinician)
    for checkin in visit.checkins.order_by("due_on")[:4]:  # relief 50 % through week 2
        answer(checkin, cast.nurse, 3)
    signed_in(cast.clinician)
    response = section(client, cast.patient)
    advice = response.context["advice"]
    assert str(advice.action) in {"continue", "repeat", "needs_data", "reconsider"}
    assert advice.goals == ("Sleep through the night",)
    body = response.content.decode()
    assert "Next step:" in body and "Sleep through the night" in body
    assert "Payer checks (L34211)" in body


def test_it_advises_reconsidering_after_two_sessions_without_relief(client, cast, signed_in):
    for _ in range(2):
        visit = flow.signed(cast.patient, cast.clinician)
        for checkin in visit.checkins.order_by("due_on")[:4]:
            answer(checkin, cast.nurse, 6)  # no relief from an average pain of 6
    signed_in(cast.clinician)
    response = section(client, cast.patient)
    assert str(response.context["advice"].action) == "reconsider"
    assert "clinic policy" in response.content.decode()
