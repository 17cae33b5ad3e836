"""Reminders that did not go out show on the worklist, and can be tried again."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from taut.aftercare.tests import flow as aftercare_flow
from taut.reminders.models import Reminder


def failed_reminder(cast, error="SMTPServerDisconnected: Connection unexpectedly closed"):
    visit = aftercare_flow.signed(cast.patient, cast.clinician)
    reminder = Reminder.objects.get(checkin__visit=visit, checkin__checkpoint="day_1")
    Reminder.objects.filter(pk=reminder.pk).update(
        status=Reminder.Status.FAILED, attempts=5, last_error=error
    )
    return reminder


def test_it_lists_failed_reminders_on_the_worklist(cast, signed_in, client):
    failed_reminder(cast)
    signed_in(cast.nurse)
    response = client.get(reverse("reminders:worklist_section"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert cast.patient.display_name in page
    assert "Day 1" in page and "SMTPServerDisconnected" in page
    assert "Try again" in page


def test_it_lists_a_page_at_a_time_newest_first(cast, signed_in, client):
    """17 failed notices: the newest 15 on the first page, the 2 oldest on the next."""
    now = timezone.now()
    made = Reminder.objects.bulk_create(
        Reminder(
            key=f"test:{number}",
            kind=Reminder.Kind.PASSWORD,
            patient=cast.patient,
            clinic=cast.clinic,
            status=Reminder.Status.FAILED,
            send_after=now,
            last_error=f"Error number {number}",
        )
        for number in range(17)
    )
    for number, reminder in enumerate(made):  # number 0 the newest
        Reminder.objects.filter(pk=reminder.pk).update(updated_at=now - timedelta(hours=number))
    signed_in(cast.nurse)
    url = reverse("reminders:worklist_section")
    first = client.get(url)
    assert [r.last_error for r in first.context["rows"]] == [f"Error number {n}" for n in range(15)]
    assert f'href="{url}?page=2">Older' in first.content.decode()
    second = client.get(url, {"page": "2"}).context["rows"]
    assert [r.last_error for r in second] == ["Error number 15", "Error number 16"]


def test_it_shows_an_empty_state_when_everything_went_out(cast, signed_in, client):
    signed_in(cast.clinician)
    response = client.get(reverse("reminders:worklist_section"))
    assert "Every reminder and alert email due so far has gone out." in response.content.decode()


def test_it_hides_other_clinics_failures(cast, signed_in, client):
    failed_reminder(cast)
    signed_in(cast.outsider)
    response = client.get(reverse("reminders:worklist_section"))
    assert cast.patient.display_name not in response.content.decode()


def test_it_puts_a_failed_reminder_back_in_the_queue(cast, signed_in, client):
    reminder = failed_reminder(cast)
    before = DBTaskResult.objects.count()
    signed_in(cast.nurse)
    url = reverse("reminders:retry", args=[cast.patient.public_id, reminder.public_id])
    response = client.post(url)
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.PENDING, 0)
    assert DBTaskResult.objects.count() == before + 1


def test_it_refuses_to_retry_a_reminder_that_did_not_fail(cast, signed_in, client):
    visit = aftercare_flow.signed(cast.patient, cast.clinician)
    reminder = Reminder.objects.get(checkin__visit=visit, checkin__checkpoint="day_1")
    signed_in(cast.nurse)
    url = reverse("reminders:retry", args=[cast.patient.public_id, reminder.public_id])
    response = client.post(url, follow=True)
    assert "Only a reminder that failed can be tried again." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING


def test_it_gives_an_outsider_404_and_front_desk_403(cast, signed_in, client):
    reminder = failed_reminder(cast)
    url = reverse("reminders:retry", args=[cast.patient.public_id, reminder.public_id])
    signed_in(cast.outsider)
    assert client.post(url).status_code == 404
    signed_in(cast.front_desk)
    assert client.post(url).status_code == 403
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED
