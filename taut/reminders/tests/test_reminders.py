"""Reminders are queued with the records they are about, sent once by the worker, retried
with back-off when the mail server fails, and handed to a person after the last try."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from taut.aftercare.models import CheckIn
from taut.aftercare.services import record_checkin
from taut.aftercare.tests import flow as aftercare_flow
from taut.audit.models import AuditEvent
from taut.reminders import sending, services
from taut.reminders.models import Reminder
from taut.reminders.tests.backends import FlakyBackend
from taut.tests.cast import acting, patient_acting
from taut.workflows import booking, followup, portal

pytestmark = pytest.mark.usefixtures("committed_db")


def run_worker():
    """The queue reminders go on; the signed note's PDFs wait on "printing" (not read here)."""
    call_command("worker", "--batch", "--queue", "default", verbosity=0)


def day_1_reminder(visit):
    checkin = CheckIn.objects.get(visit=visit, checkpoint="day_1")
    return Reminder.objects.get(checkin=checkin)


@pytest.fixture
def signed(cast):
    cast.patient.email = "ada.example@example.org"
    cast.patient.save()
    return aftercare_flow.signed(cast.patient, cast.clinician)


def after(reminder, **delta):
    return reminder.send_after + timedelta(minutes=1, **delta)


def test_it_queues_one_reminder_per_checkin_when_a_session_is_signed(signed):
    checkins = CheckIn.objects.filter(visit=signed)
    reminders = Reminder.objects.filter(checkin__visit=signed)
    assert reminders.count() == checkins.count() == 6
    day_1 = day_1_reminder(signed)
    assert day_1.status == Reminder.Status.PENDING
    local = day_1.send_after.astimezone(signed.patient.clinic.zone())
    assert (local.date(), local.hour) == (day_1.checkin.due_on, 9)
    queued = DBTaskResult.objects.filter(task_path__endswith="send_reminder_task")
    assert queued.count() == Reminder.objects.count()  # and the booked visit's intake link
    run_after = {t.run_after for t in queued}
    assert set(reminders.values_list("send_after", flat=True)) <= run_after


def test_it_sends_a_due_reminder_once_with_the_patients_own_link(signed):
    reminder = day_1_reminder(signed)
    with time_machine.travel(after(reminder)):
        run_worker()
        run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada.example@example.org"]
    assert "/p/check-in/" in message.body
    assert "day 1 check-in" in message.subject
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 1)
    assert reminder.to_address == "ada.example@example.org"
    assert AuditEvent.objects.filter(object_type="reminder", details__change="sent").count() == 1


def test_it_does_not_send_a_reminder_before_it_is_due(signed):
    reminder = day_1_reminder(signed)
    with time_machine.travel(reminder.send_after - timedelta(minutes=5)):
        run_worker()
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING


def test_it_skips_the_reminder_of_a_checkin_already_answered(signed, cast):
    reminder = day_1_reminder(signed)
    checkin = reminder.checkin
    record_checkin(
        checkin=checkin,
        answers=aftercare_flow.answers(checkin),
        actor=acting(cast.nurse),
    )
    with time_machine.travel(after(reminder)):
        run_worker()
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SKIPPED
    assert "answered" in reminder.last_error


def test_it_skips_a_patient_without_an_email_address_and_says_why(cast):
    cast.patient.email = ""
    cast.patient.save()
    visit = aftercare_flow.signed(cast.patient, cast.clinician)
    reminder = day_1_reminder(visit)
    with time_machine.travel(after(reminder)):
        run_worker()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SKIPPED
    assert reminder.last_error == "No email address on file for the patient."


def test_it_retries_with_back_off_after_the_mail_server_fails(signed, settings):
    settings.MAILERS = {"default": {"BACKEND": "taut.reminders.tests.backends.FlakyBackend"}}
    settings.REMINDER_RETRY_SECONDS = 60
    FlakyBackend.failures = 2
    reminder = day_1_reminder(signed)
    first = after(reminder)
    with time_machine.travel(first):
        run_worker()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.PENDING, 1)
    assert "SMTPServerDisconnected" in reminder.last_error
    assert abs((reminder.send_after - first.astimezone(UTC)).total_seconds() - 60) < 5
    with time_machine.travel(first + timedelta(seconds=30)):
        run_worker()  # still backing off: nothing tried
    reminder.refresh_from_db()
    assert reminder.attempts == 1
    with time_machine.travel(first + timedelta(seconds=70)):
        run_worker()  # second failure: the next wait is four times longer
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.PENDING, 2)
    assert reminder.send_after >= (first + timedelta(seconds=70 + 230)).astimezone(UTC)
    with time_machine.travel(first + timedelta(seconds=70 + 250)):
        run_worker()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 3)
    assert len(mail.outbox) == 1


def test_it_gives_up_after_the_last_try_and_leaves_it_for_a_person(signed, settings):
    settings.MAILERS = {"default": {"BACKEND": "taut.reminders.tests.backends.DownBackend"}}
    settings.REMINDER_MAX_ATTEMPTS = 3
    settings.REMINDER_RETRY_SECONDS = 1
    reminder = day_1_reminder(signed)
    start = after(reminder)
    for minutes in range(4):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            run_worker()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.FAILED, 3)
    assert "SMTPServerDisconnected" in reminder.last_error


def test_it_never_resends_a_reminder_whose_worker_stopped_mid_send(signed, settings):
    reminder = day_1_reminder(signed)
    claimed = after(reminder)
    Reminder.objects.filter(pk=reminder.pk).update(
        status=Reminder.Status.SENDING, claimed_at=claimed, attempts=1
    )
    with time_machine.travel(claimed + timedelta(seconds=settings.REMINDER_STALE_SECONDS + 5)):
        run_worker()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED
    assert "may have gone out" in reminder.last_error
    assert mail.outbox == []


def test_it_emails_the_clinic_when_a_warning_sign_is_reported(signed, cast):
    cast.clinic.email = "desk@clinic.example.org"
    cast.clinic.save()
    checkin = day_1_reminder(signed).checkin
    followup.record_checkin(
        checkin=checkin,
        answers=aftercare_flow.answers(checkin, infection="yes"),
        actor=acting(cast.nurse),
    )
    run_worker()
    alerts = [m for m in mail.outbox if m.to == ["desk@clinic.example.org"]]
    assert len(alerts) == 1
    assert "warning sign" in alerts[0].subject.lower()
    assert cast.patient.family_name not in alerts[0].body  # the email names no patient
    assert "/patients/worklist/" in alerts[0].body


def test_it_emails_the_pre_visit_link_when_a_future_visit_is_booked(cast):
    cast.patient.email = "ada.example@example.org"
    cast.patient.save()
    when = datetime.now(UTC) + timedelta(days=3)
    visit = booking.book_visit(
        patient=cast.patient, scheduled_for=when, actor=acting(cast.front_desk)
    )
    run_worker()
    assert len(mail.outbox) == 1
    assert "/p/before-your-visit/" in mail.outbox[0].body
    assert Reminder.objects.get(visit=visit).status == Reminder.Status.SENT


def test_it_creates_missing_reminders_when_it_sweeps(signed):
    Reminder.objects.all().delete()
    counts = services.sweep(now=timezone.now())
    assert counts["created"] == 6
    assert Reminder.objects.filter(checkin__visit=signed).count() == 6


def test_it_does_not_email_a_link_that_has_already_expired(signed, settings):
    reminder = day_1_reminder(signed)
    late = after(reminder, days=settings.PORTAL_CHECKIN_GRACE_DAYS + 2)
    with time_machine.travel(late):
        run_worker()
    assert not [m for m in mail.outbox if "day 1" in m.subject]
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SKIPPED
    assert "expired" in reminder.last_error


def test_a_send_that_outlasts_the_stale_limit_ends_as_sent_not_failed(signed, settings):
    """The sweep marks a long send FAILED; when it does finish, "sent" wins, so nobody
    presses "Try again" and sends it twice."""
    reminder = day_1_reminder(signed)
    claimed = after(reminder)
    Reminder.objects.filter(pk=reminder.pk).update(
        status=Reminder.Status.SENDING, claimed_at=claimed, attempts=1
    )
    reminder.refresh_from_db()
    with time_machine.travel(claimed + timedelta(seconds=settings.REMINDER_STALE_SECONDS + 5)):
        assert services.sweep(now=timezone.now())["stale"] == 1
        assert sending.close(reminder, Reminder.Status.SENT, now=claimed, sent_at=claimed)
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    changes = AuditEvent.objects.filter(object_id=str(reminder.public_id)).order_by("id")
    assert [e.details["change"] for e in changes] == ["failed", "sent"]


def test_the_sweep_requeues_only_a_late_reminder_whose_task_was_lost(signed):
    reminder = day_1_reminder(signed)
    with time_machine.travel(after(reminder) + timedelta(minutes=5)):
        assert services.sweep(now=timezone.now())["requeued"] == 0  # its task is still waiting
        DBTaskResult.objects.all().delete()
        assert services.sweep(now=timezone.now())["requeued"] >= 1
        run_worker()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert len([m for m in mail.outbox if "day 1" in m.subject]) == 1


def test_it_tells_the_patient_when_their_portal_password_is_set_or_changed(cast):
    cast.clinic.portal_passwords = True
    cast.clinic.save()
    cast.patient.email = "ada.example@example.org"
    cast.patient.save()
    first, second = "lantern orchard pebble", "harbour violet stone"
    portal.set_password(
        patient=cast.patient,
        password=first,
        date_of_birth=cast.patient.date_of_birth,
        actor=patient_acting(cast.patient),
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        portal.set_password(
            patient=cast.patient,
            password=second,
            current_password=first,
            actor=patient_acting(cast.patient),
        )
        run_worker()
    notices = [m for m in mail.outbox if "password" in m.subject]
    assert [m.to for m in notices] == [["ada.example@example.org"]] * 2
    assert sorted(m.subject.rsplit(" ", 1)[-1] for m in notices) == ["changed", "set"]
    assert all("If it was not you, please call the clinic" in m.body for m in notices)
    assert "lantern" not in "".join(m.body for m in notices)  # never the password itself
