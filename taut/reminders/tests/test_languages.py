"""Every email to a patient is in their preferred language when Taut has it (English or
Spanish), else English; the alert to the clinic stays English. The booking email links to
the clinic's public page about trigger point injections, in the patient's language, when
the clinic's page is on."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from taut.accounts.models import Clinic
from taut.aftercare.tests import flow
from taut.patients.models import Patient
from taut.reminders import sending, services
from taut.reminders.models import Reminder
from taut.tests.cast import acting, patient_acting
from taut.tests.spanish import untranslated
from taut.workflows import booking, followup

pytestmark = pytest.mark.usefixtures("clinic_clock_in_utc")

Kind = Reminder.Kind
UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NINE = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # a Wednesday


def prefer(patient, language):
    Patient.objects.filter(pk=patient.pk).update(preferred_language=language)
    patient.refresh_from_db()


def send(reminder) -> mail.EmailMessage:
    now = max(reminder.send_after, NOW) + timedelta(minutes=1)
    assert sending.send_reminder(reminder_id=reminder.pk, now=now).outcome == "sent"
    return mail.outbox[-1]


def booked(cast):
    """A visit booked by the front desk, and the email that asks for its intake."""
    desk = acting(cast.front_desk, now=NOW)
    visit = booking.book_visit(
        patient=cast.patient, scheduled_for=NINE, clinician=cast.clinician, actor=desk
    )
    return visit, send(Reminder.objects.get(kind=Kind.INTAKE, visit=visit))


def patient_emails(cast) -> dict[str, mail.EmailMessage]:
    """One email of each kind the patient gets, sent by the worker."""
    desk = acting(cast.front_desk, now=NOW)
    visit, intake = booked(cast)
    sent = {Kind.INTAKE: intake}
    visit = booking.move_visit(
        visit=visit, version=visit.version, scheduled_for=NINE + timedelta(hours=2),
        clinician=cast.clinician, duration_minutes=30, actor=desk,
    )  # fmt: skip
    sent[Kind.MOVED] = send(Reminder.objects.get(kind=Kind.MOVED))
    booking.cancel_visit(visit=visit, version=visit.version, reason="Clinic closed", actor=desk)
    sent[Kind.CANCELLED] = send(Reminder.objects.get(kind=Kind.CANCELLED))
    signed = flow.signed(cast.patient, cast.clinician)
    day_1 = Reminder.objects.get(checkin__visit=signed, checkin__checkpoint="day_1")
    sent[Kind.CHECKIN] = send(day_1)
    password = services.queue_password_notice(
        patient=cast.patient, changed_at=NOW, first=True, now=NOW
    )
    sent[Kind.PASSWORD] = send(password)
    return sent


SPANISH = {
    Kind.INTAKE: ("antes de su visita del 4 de marzo", "el miércoles 4 de marzo de 2026 a las 09:00"),
    Kind.MOVED: ("su visita cambió al 4 de marzo", "miércoles 4 de marzo de 2026 a las 11:00"),
    Kind.CANCELLED: ("se canceló su visita del 4 de marzo", "Llámenos para hacer otra cita"),
    Kind.CHECKIN: ("su control del día 1", "Este enlace es solo para usted."),
    Kind.PASSWORD: ("se creó la contraseña", "Si fue usted, no necesita hacer nada."),
}  # fmt: skip


def test_each_patient_email_is_in_spanish_for_a_patient_who_prefers_it(cast):
    prefer(cast.patient, "es")
    emails = patient_emails(cast)
    assert set(emails) == set(SPANISH)
    for kind, message in emails.items():
        in_subject, in_body = SPANISH[kind]
        assert in_subject in message.subject, (kind, message.subject)
        assert in_body in message.body, (kind, message.body)
        assert message.body.startswith("Hola, Ada:"), kind
        assert untranslated(message.subject + "\n" + message.body) == [], kind


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_patient_email_is_in_english_for_anyone_else(cast, language):
    """French has no pages in Taut: the patient gets English."""
    prefer(cast.patient, language)
    emails = patient_emails(cast)
    for kind, message in emails.items():
        assert message.body.startswith("Hello Ada,"), kind
        assert "Hola" not in message.body, kind
    assert "Wednesday 4 March 2026 at 11:00" in emails[Kind.MOVED].body
    assert "day 1 check-in" in emails[Kind.CHECKIN].subject


def test_the_alert_to_the_clinic_stays_english(cast):
    prefer(cast.patient, "es")
    Clinic.objects.filter(pk=cast.clinic.pk).update(email="desk@example.org")
    signed = flow.signed(cast.patient, cast.clinician)
    checkin = signed.checkins.get(checkpoint="day_1")
    on_the_day = patient_acting(cast.patient)
    followup.record_checkin(
        checkin=checkin, answers=flow.answers(checkin, infection="yes"), actor=on_the_day
    )
    message = send(Reminder.objects.get(kind=Kind.ALERT))
    assert message.to == ["desk@example.org"]
    assert "A patient reported a warning sign at a follow-up check-in." in message.body
    assert "paciente" not in message.body


def test_the_booking_email_links_to_the_clinics_public_page_in_the_patients_language(
    cast, monkeypatch
):
    """Only when the clinic's page is on (``Clinic.public_page_on``)."""
    prefer(cast.patient, "es")
    Clinic.objects.filter(pk=cast.clinic.pk).update(public_page_on=True)
    body = booked(cast)[1].body
    link = f"/c/{cast.clinic.slug}/es/trigger-point-injections/"
    assert "¿Qué son las inyecciones en puntos gatillo" in body
    assert link in body
    assert body.index(link) > body.index("/p/before-your-visit/")


def test_the_booking_email_has_no_link_while_the_page_is_off(cast):
    Clinic.objects.filter(pk=cast.clinic.pk).update(public_page_on=False)
    body = booked(cast)[1].body
    assert "/c/" not in body and "trigger point injections" not in body
