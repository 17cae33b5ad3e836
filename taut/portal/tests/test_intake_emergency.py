"""A pre-visit intake answer that needs a call (issue 11, "emergencies are called
emergencies"): the emergency instruction first on the thank-you page, an alert on the
clinic's worklist (urgent for an emergency) and an email to the clinic about it.

Tiers: taut.clinical.urgency ([S25] cauda equina, [S26] myelopathy and dissection)."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.aftercare.models import Alert
from taut.audit.models import AuditEvent
from taut.clinical import screening
from taut.clinical.aftercare import reading_grade
from taut.reminders import sending
from taut.reminders.models import Reminder
from taut.tests.words import NINE_ONE_ONE
from taut.visits.tests import flow


@pytest.fixture
def visit(cast):
    cast.clinic.phone = "555-0100"
    cast.clinic.email = "desk@clinic.example.org"
    cast.clinic.save(update_fields=["phone", "email"])
    return flow.scheduled(cast.patient, cast.front_desk, when=timezone.now() + timedelta(days=3))


def send(client, visit, **changes):
    data = {
        "reason": "Pain in my lower back",
        "index_region": "low_back",
        "index_side": "both",
        "pain_months": "8",
        "nrs_now": "6",
        "nrs_average": "5",
        "nrs_worst": "8",
        "peg_pain": "5",
        "peg_enjoyment": "6",
        "peg_activity": "4",
        "conservative_care": "Stretching",
        "conservative_care_weeks": "10",
        "previous_tpi": "no",
        "goal_1": "Walk the dog",
        "step": "drawing",
        "mark": ["low_back:left"],
        "intensity:low_back:left": "6",
    }
    for question in screening.PATIENT_SAFETY_QUESTIONS:
        data[question.id] = "no"
    for group in screening.PATIENT_RED_FLAG_SETS.values():
        for question in group:
            data[f"rf:{question.id}"] = "no"
    data.update(changes)
    url = reverse("portal:intake", kwargs={"token": links.intake_token(visit)})
    response = client.post(url, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


@pytest.mark.parametrize(
    "question",
    ["back.saddle_numbness", "back.bladder_bowel", "neck.bladder_bowel", "neck.vascular"],
)
def test_it_shows_the_emergency_first_and_raises_an_urgent_alert(client, visit, question):
    """The issue's four answers, each told "call the clinic today" before."""
    body = send(client, visit, **{f"rf:{question}": "yes"})
    first = body.index("Call 911 now. This could be an emergency.")
    assert first < body.index("We have your answers")
    assert first < body.index("Once you have help, please also call Test Clinic at 555-0100.")
    assert 'href="tel:911"' in body
    assert "call the clinic today" not in body.lower()
    alert = Alert.objects.get()
    assert (alert.severity, alert.code, alert.visit, alert.checkin) == (
        "urgent", question, visit, None
    )  # fmt: skip
    assert alert.text.startswith("Pre-visit intake: ")
    assert "Emergency" in alert.text and "clinic policy" in alert.source
    assert AuditEvent.objects.filter(object_type="alert", details__from="intake").exists()


def test_it_asks_for_a_call_today_for_a_same_day_red_flag(client, visit):
    body = send(client, visit, **{"rf:back.fever": "yes"})
    assert body.index("Please call Test Clinic today at 555-0100.") < body.index(
        "We have your answers"
    )
    assert not NINE_ONE_ONE.search(body)
    assert Alert.objects.get().severity == "soon"


def test_it_raises_one_alert_per_answer_the_emergency_first(client, visit):
    send(client, visit, **{"rf:back.fever": "yes", "rf:neck.vascular": "yes"})
    alerts = Alert.objects.order_by("pk")
    assert [(a.code, a.severity) for a in alerts] == [
        ("neck.vascular", "urgent"),
        ("back.fever", "soon"),
    ]


def test_it_raises_nothing_and_shows_no_call_when_every_answer_is_no(client, visit):
    body = send(client, visit)
    assert not Alert.objects.exists()
    assert "<h1>Thank you</h1>" in body and "Call 911" not in body
    assert not Reminder.objects.filter(kind=Reminder.Kind.ALERT).exists()


def test_it_uses_the_clinics_emergency_number(client, cast, visit):
    cast.clinic.emergency_number = "112"
    cast.clinic.save(update_fields=["emergency_number"])
    body = send(client, visit, **{"rf:back.saddle_numbness": "yes"})
    assert "Call 112 now." in body and 'href="tel:112"' in body and not NINE_ONE_ONE.search(body)


def test_it_emails_the_clinic_that_an_emergency_was_reported_before_the_visit(client, visit):
    send(client, visit, **{"rf:back.saddle_numbness": "yes"})
    reminder = Reminder.objects.get(kind=Reminder.Kind.ALERT)
    sent = []
    outcome = sending.send_reminder(
        reminder_id=reminder.pk, now=reminder.send_after, deliver=sent.append
    )
    assert outcome.outcome == "sent"
    (message,) = sent
    assert message.to == ["desk@clinic.example.org"]
    assert "Urgent" in message.subject and "pre-visit intake" in message.subject
    assert "told to call the emergency number (911) now" in message.body
    assert visit.patient.family_name not in message.body  # the email names no patient


def sentences(body):
    """The text of each paragraph, list item and heading of the page's main part."""
    main = body[body.index("<main") : body.index("</main>")]
    found = re.findall(r"<(p|li|h1|h2)\b[^>]*>(.*?)</\1>", main, flags=re.S)
    texts = (" ".join(re.sub(r"<[^>]+>", " ", inner).split()) for _, inner in found)
    return [html.unescape(text) for text in texts if text]


@pytest.mark.parametrize(
    "answers",
    [{}, {"rf:back.fever": "yes"}, {"rf:back.saddle_numbness": "yes"}],
)
def test_it_writes_the_thank_you_page_at_a_reading_age_of_about_12(client, visit, answers):
    body = send(client, visit, **answers)
    texts = sentences(body)
    assert "We have your answers and your body map. You do not need to fill them in again." in (
        texts
    )
    when = timezone.localtime(visit.scheduled_for)
    appointment = f"Your visit is on {when:%A} {when.day} {when:%B} at {when:%H:%M} ."
    assert appointment in texts
    for text in texts:
        if text == appointment:
            # The day and month names are the appointment, not prose: "Wednesday 9
            # December" alone scores above grade 7 and "Monday 4 May" does not.
            continue
        if len(text.split()) > 3:  # a heading or a button of a few words is not prose
            assert reading_grade(text) <= 7, text


def test_it_shows_the_intake_alert_on_the_worklist_urgent_with_its_source(client, cast, visit):
    send(client, visit, **{"rf:back.fever": "yes", "rf:back.bladder_bowel": "yes"})
    client.force_login(cast.nurse)
    body = client.get(reverse("aftercare:worklist")).content.decode()
    urgent = body.index("Pre-visit intake: New bladder or bowel trouble: possible cauda equina.")
    assert urgent < body.index("Pre-visit intake: Fever, chills or recent infection")
    assert "Source: [S25]; tier: clinic policy" in body
