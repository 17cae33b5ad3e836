"""Password reset by email and by a clinic lead, a lead's reset of two-step sign-in, and
the emails that tell staff their account changed (docs/decisions/0032)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_tasks_db.models import DBTaskResult

from taut.accounts import mfa, recovery, throttles
from taut.accounts.models import StaffSession
from taut.audit.models import Action, AuditEvent
from taut.tests.cast import PASSWORD, acting

HOME = "/patients/"
NEW_PASSWORD = "quiet violet kettle under moss"
BREACHED = "password1234"


def run_worker():
    """Run the queued account emails as ``taut worker`` would (its own test runs the queue
    in a committed database; here the task runs in the test's transaction)."""
    queued = DBTaskResult.objects.filter(task_path__endswith="send_account_email_task")
    for row in queued.order_by("enqueued_at"):
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    queued.delete()


def logged_in(username, password=PASSWORD):
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302
    return client


def emailed_link(to):
    """The path of the reset link in the last email to ``to``."""
    message = [m for m in mail.outbox if m.to == [to]][-1]
    return re.search(r"https?://[^/\s]+(/password/reset/\S+)", message.body).group(1)


def ask_for_reset(email):
    return Client().post(reverse("accounts:password_reset"), {"email": email})


def set_password(client, link, password):
    """Open ``link`` (Django moves its token into the session) and choose ``password``."""
    opened = client.get(link)
    assert opened.status_code == 302  # to .../set-password/, without the token
    form = opened["Location"]
    return client.post(form, {"new_password1": password, "new_password2": password})


def test_it_resets_a_password_by_email_once_and_ends_every_session(cast, settings):
    phone, laptop = logged_in("nurse"), logged_in("nurse")
    settings.AXES_FAILURE_LIMIT = 1
    assert Client().post("/login/", {"username": "nurse", "password": "wrong"}).status_code == 429
    response = ask_for_reset("NURSE@example.org")  # any case
    assert response["Location"] == reverse("accounts:password_reset_sent")
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Taut: reset your password"]
    link = emailed_link("nurse@example.org")

    browser = Client()
    refused = set_password(browser, link, BREACHED)
    assert refused.status_code == 200
    assert "appeared in a published list of breached passwords" in refused.text
    done = browser.post(refused.request["PATH_INFO"], {"new_password1": NEW_PASSWORD,
                                                       "new_password2": NEW_PASSWORD})  # fmt: skip
    assert done["Location"] == reverse("accounts:password_reset_done")

    for client in (phone, laptop):
        assert client.get(HOME).status_code == 302
    assert not StaffSession.objects.filter(user=cast.nurse).exists()
    logged_in("nurse", NEW_PASSWORD)  # at once: the lockout was lifted
    old = Client().post("/login/", {"username": "nurse", "password": PASSWORD})
    assert old.status_code != 302

    again = Client().get(link, follow=True)  # single use: the token named the old password
    assert "This reset link no longer works" in again.text
    events = AuditEvent.objects.filter(object_id=str(cast.nurse.public_id))
    changes = list(events.order_by("id").values_list("details__change", flat=True))
    assert changes[-2:] == ["password_reset_requested", "password_reset"]
    assert events.filter(clinic_id=cast.clinic.pk, details__change="password_reset").exists()

    run_worker()  # the notice, with no link in it
    notice = mail.outbox[-1]
    assert notice.subject == "Taut: your password was reset"
    assert "/password/reset/" not in notice.body


def test_it_answers_the_same_for_an_unknown_address_and_keeps_it_out_of_the_trail(cast):
    known, unknown = ask_for_reset("nurse@example.org"), ask_for_reset("nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    sent = Client().get(unknown["Location"])
    assert "If that address belongs to a Taut account" in sent.text
    assert DBTaskResult.objects.filter(task_path__endswith="send_account_email_task").count() == 1
    unmatched = AuditEvent.objects.get(details__matched=False)
    assert (unmatched.action, unmatched.clinic_id) == (Action.DENIED, None)
    everything = list(AuditEvent.objects.values_list("actor_username", "object_id", "details"))
    assert "nobody" not in str(everything)


@pytest.mark.parametrize(("after", "works"), [(timedelta(minutes=59), True),
                                              (timedelta(minutes=61), False)])  # fmt: skip
def test_it_refuses_a_reset_link_after_an_hour(cast, settings, after, works):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ask_for_reset("nurse@example.org")
        run_worker()
        link = emailed_link("nurse@example.org")
        clock.shift(after)
        response = Client().get(link, follow=True)
    assert ('name="new_password1"' in response.text) is works
    assert ("This reset link no longer works" in response.text) is not works


def test_it_sends_one_link_per_account_in_five_minutes(cast):
    queued = DBTaskResult.objects.filter(task_path__endswith="send_account_email_task")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for minutes in (0, 4, 2, 2):  # asked at 0, 4, 6 and 8 minutes
            clock.shift(timedelta(minutes=minutes))
            ask_for_reset("nurse@example.org")
        assert queued.count() == 2  # at 0 and at 6
    asked = AuditEvent.objects.filter(details__change="password_reset_requested")
    assert list(asked.order_by("id").values_list("details__sent", flat=True)) == [
        True, False, True, False
    ]  # fmt: skip


def test_it_limits_reset_requests_from_one_address(cast, monkeypatch):
    monkeypatch.setattr(recovery, "RESET_LIMIT", throttles.Limit("password-reset-address", 2, 3600))
    answers = [ask_for_reset(f"someone{n}@example.org") for n in range(4)]
    assert [a.status_code for a in answers] == [302, 302, 429, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert "Too many reset requests" in answers[-1].text
    asked = AuditEvent.objects.filter(details__change="password_reset_requested")
    assert asked.count() == 3  # two answered, and the first refusal
    assert asked.filter(details__throttled="password-reset-address").count() == 1


def test_a_lead_sends_a_reset_and_the_member_is_emailed(client, cast, signed_in):
    signed_in(cast.lead)
    url = reverse("accounts:staff_send_reset", args=[cast.nurse.public_id])
    assert client.post(url)["Location"] == reverse("accounts:staff_edit",
                                                   args=[cast.nurse.public_id])  # fmt: skip
    assert AuditEvent.objects.filter(
        actor_id=cast.lead.pk, object_id=str(cast.nurse.public_id), details__by="clinic_lead"
    ).exists()
    run_worker()
    assert mail.outbox[-1].subject == "Taut: your clinic lead sent you a password reset"
    chosen = set_password(Client(), emailed_link("nurse@example.org"), NEW_PASSWORD)
    assert chosen.status_code == 302, chosen.text

    other_clinic = reverse("accounts:staff_send_reset", args=[cast.outsider.public_id])
    assert client.post(other_clinic).status_code == 404
    signed_in(cast.clinician)
    assert client.post(url).status_code == 403


def test_a_lead_resets_two_step_sign_in_after_checking_identity(client, cast, signed_in):
    nurse = logged_in("nurse")
    mfa.new_recovery_codes(user=cast.nurse, actor=acting(cast.nurse))
    run_worker()
    assert mail.outbox[-1].subject == "Taut: new recovery codes were made for your account"
    signed_in(cast.lead)
    url = reverse("accounts:staff_reset_mfa", args=[cast.nurse.public_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400  # no identity check: nothing done
    assert nurse.get(HOME).status_code == 200
    assert client.post(url, {"identity_check": "in_person"}).status_code == 302
    assert nurse.get(HOME).status_code == 302  # their sessions ended
    event = AuditEvent.objects.get(details__change="mfa_reset_identity_checked")
    assert (event.actor_id, event.details["identity_check"]) == (cast.lead.pk, "in_person")
    assert not StaticDevice.objects.filter(user=cast.nurse).exists()
    run_worker()
    assert mail.outbox[-1].subject == "Taut: your two-step sign-in was reset by your clinic lead"

    other_clinic = reverse("accounts:staff_reset_mfa", args=[cast.outsider.public_id])
    assert client.post(other_clinic, {"identity_check": "in_person"}).status_code == 404
    signed_in(cast.front_desk)
    assert client.post(url, {"identity_check": "in_person"}).status_code == 403
    assert AuditEvent.objects.filter(details__change="mfa_reset").count() == 1
    assert AuditEvent.objects.filter(details__change="mfa_reset_identity_checked").count() == 1


def test_it_emails_a_notice_when_staff_change_their_password(client, cast, signed_in):
    client = logged_in("clinician")
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD
    })  # fmt: skip
    assert response.status_code == 302
    run_worker()
    notice = mail.outbox[-1]
    assert (notice.to, notice.subject) == (["clinician@example.org"],
                                           "Taut: your password was changed")  # fmt: skip
    assert NEW_PASSWORD not in notice.body and PASSWORD not in notice.body
    assert Session.objects.count() == 1
