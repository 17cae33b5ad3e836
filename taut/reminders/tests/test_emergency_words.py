"""The check-in reminder a patient gets by email says what to do in an emergency before it
says when to call the clinic, with the clinic's emergency number (issue 11)."""

from taut.aftercare.models import CheckIn
from taut.aftercare.tests import flow as aftercare_flow
from taut.clinical.aftercare import reading_grade
from taut.clinical.tests.test_patient_voice import NOT_US
from taut.reminders import sending
from taut.reminders.models import Reminder
from taut.tests.words import NINE_ONE_ONE


def day_1_email(cast, *, emergency_number="911"):
    cast.clinic.phone = "555-0100"
    cast.clinic.emergency_number = emergency_number
    cast.clinic.save(update_fields=["phone", "emergency_number"])
    cast.patient.email = "ada.example@example.org"
    cast.patient.save(update_fields=["email"])
    visit = aftercare_flow.signed(cast.patient, cast.clinician)
    reminder = Reminder.objects.get(checkin=CheckIn.objects.get(visit=visit, checkpoint="day_1"))
    sent = []
    outcome = sending.send_reminder(
        reminder_id=reminder.pk, now=reminder.send_after, deliver=sent.append
    )
    assert outcome.outcome == "sent"
    return sent[0].body


def test_it_puts_the_emergency_before_the_call_to_the_clinic(cast):
    body = day_1_email(cast)
    emergency = body.index("If you have chest pain or trouble breathing, call 911 now.")
    assert emergency < body.index("call the clinic today at 555-0100.")
    assert "emergency services" not in body


def test_it_uses_the_clinics_emergency_number(cast):
    body = day_1_email(cast, emergency_number="112")
    assert "call 112 now" in body and not NINE_ONE_ONE.search(body)


def test_it_words_the_safety_lines_plainly(cast):
    body = day_1_email(cast)
    for line in body.splitlines():
        if line.startswith(("If you have", "Is a place")):
            assert reading_grade(line) <= 7, line
            assert not NOT_US.search(line), line
