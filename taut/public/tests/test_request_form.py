"""The visitor's appointment request form: it stores a request and says "sent" without
echoing anything typed; bad input, a robot's honeypot, an oversized body and a flood each
change nothing (and are answered 400, a fake "sent", 413 and 429); the clinic's email
names nobody; the self-check's answers travel as a signed token, posted and never in a URL."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse

from taut.accounts.models import ThrottleCount
from taut.audit.models import Action, AuditEvent
from taut.clinical import patient_education
from taut.public.models import AppointmentRequest
from taut.public.request_notice import SUBJECT, send_notice

SELFCHECK_SALT = "taut.public.selfcheck"


def selfcheck_answers(*, yes=()):
    """Answers as the self-check's form builds them."""
    return {
        "regions": ["low_back"],
        "duration": "over_3_months",
        "tried": ["massage"],
        "red_flags": {q.id: q.id in yes for q in patient_education.SELFCHECK_RED_FLAGS},
    }


def url(cast, lang="en", name="public:request"):
    return reverse(name, kwargs={"clinic_slug": cast.clinic.slug, "lang": lang})


def start(token):
    """What the self-check's result page (and the language switch) posts: only the token."""
    return {"start": "1", "answers": token}


def valid(**overrides):
    data = {
        "given_name": "Marisol",
        "family_name": "Quintanar-Wexley",
        "date_of_birth": "1981-04-09",
        "phone": "555 010 7788",
        "email": "marisol@example.org",
        "language": "es",
        "preferred_time": "mornings",
        "consent": "on",
        "answers": "",
        "website": "",
    }
    data.update(overrides)
    return data


def test_it_stores_the_request_and_redirects_to_a_sent_page_that_echoes_nothing(client, cast):
    response = client.post(url(cast), valid())
    assert response.status_code == 302
    assert response["Location"] == url(cast, name="public:request_sent")
    stored = AppointmentRequest.objects.get()
    assert (stored.given_name, stored.family_name) == ("Marisol", "Quintanar-Wexley")
    assert stored.date_of_birth == date(1981, 4, 9)
    assert stored.language == "es" and stored.preferred_time == "mornings" and stored.consent
    assert stored.status == AppointmentRequest.Status.OPEN
    assert (stored.expires_at - stored.created_at).days == 14
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    for typed in ("Marisol", "Quintanar", "555 010 7788", "marisol@example.org", "1981"):
        assert typed not in html
    received = AuditEvent.objects.get(action=Action.CREATE, object_type="appointment_request")
    assert received.details["change"] == "received"
    assert received.object_id == str(stored.public_id)
    assert "Marisol" not in str(received.details)


def test_it_shows_the_form_and_the_sent_page_in_spanish(client, cast):
    form = client.get(url(cast, "es")).content.decode()
    assert '<html lang="es">' in form
    assert "Pida una cita" in form and "Ask for an appointment" not in form
    sent = client.get(url(cast, "es", "public:request_sent")).content.decode()
    assert "Gracias" in sent


@pytest.mark.parametrize(
    "change, field",
    [
        ({"given_name": ""}, "given_name"),
        ({"family_name": "x" * 101}, "family_name"),
        ({"date_of_birth": "not a date"}, "date_of_birth"),
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "call me maybe"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"consent": ""}, "consent"),
        ({"preferred_time": "midnight"}, "preferred_time"),
        ({"language": "fr"}, "language"),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_stores_nothing(client, cast, change, field):
    response = client.post(url(cast), valid(**change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'href="#id_{field}' in html  # the summary links to the field
    assert f'id="id_{field}_error"' in html
    assert not AppointmentRequest.objects.exists()
    assert not ThrottleCount.objects.filter(key__startswith="request-").exists()


def test_it_refuses_a_date_of_birth_in_the_future(client, cast):
    response = client.post(url(cast), valid(date_of_birth="2999-01-01"))
    assert response.status_code == 400
    assert not AppointmentRequest.objects.exists()


def test_it_answers_a_body_over_16_kb_with_413_and_stores_nothing(client, cast):
    response = client.post(url(cast), valid(website="", answers="a" * 17000))
    assert response.status_code == 413
    assert not AppointmentRequest.objects.exists()


def test_it_pretends_to_accept_a_filled_honeypot_but_keeps_nothing_and_audits_it(client, cast):
    response = client.post(url(cast), valid(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == url(cast, name="public:request_sent")
    assert not AppointmentRequest.objects.exists()
    caught = AuditEvent.objects.get(action=Action.DENIED, object_type="appointment_request")
    assert caught.details == {"change": "honeypot"}
    assert caught.clinic_id == cast.clinic.pk
    assert mail.outbox == []


# The throttle's windows are an hour and the clinic's day: the tests that fill one stand
# still in the middle of both, so no window closes between their posts.
STILL = datetime(2026, 3, 4, 12, 30, tzinfo=UTC)


@time_machine.travel(STILL, tick=False)
def test_it_throttles_one_address_per_hour_with_a_polite_429(client, cast, settings):
    settings.APPOINTMENT_REQUEST_PER_ADDRESS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(url(cast), valid()).status_code == 302
    refused = client.post(url(cast), valid())
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert AppointmentRequest.objects.count() == 2
    # Another address is counted apart.
    other = client.post(url(cast), valid(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302
    assert AppointmentRequest.objects.count() == 3
    keys = set(ThrottleCount.objects.values_list("key", flat=True))
    assert not any("127.0.0.1" in key or "203.0.113.9" in key for key in keys)


@time_machine.travel(STILL, tick=False)
def test_it_throttles_a_clinic_per_day_across_addresses(client, cast, settings):
    settings.APPOINTMENT_REQUEST_PER_CLINIC_PER_DAY = 2
    for n in range(2):
        assert client.post(url(cast), valid(), REMOTE_ADDR=f"198.51.100.{n}").status_code == 302
    refused = client.post(url(cast), valid(), REMOTE_ADDR="198.51.100.77")
    assert refused.status_code == 429
    assert "Please call us instead" in refused.content.decode()
    assert AppointmentRequest.objects.count() == 2
    other_clinic = reverse("public:request", kwargs={"clinic_slug": "other", "lang": "en"})
    assert client.post(other_clinic, valid(), REMOTE_ADDR="198.51.100.78").status_code == 302


def test_it_answers_404_for_a_clinic_that_does_not_exist(client, cast):
    missing = reverse("public:request", kwargs={"clinic_slug": "nowhere", "lang": "en"})
    assert client.get(missing).status_code == 404
    assert client.post(missing, valid()).status_code == 404
    assert not AppointmentRequest.objects.exists()


def test_it_answers_404_when_the_clinic_has_switched_its_public_page_off(client, cast):
    cast.clinic.public_page_on = False
    cast.clinic.save(update_fields=["public_page_on"])
    assert client.get(url(cast)).status_code == 404
    assert client.post(url(cast), valid()).status_code == 404
    assert client.get(url(cast, name="public:request_sent")).status_code == 404
    assert not AppointmentRequest.objects.exists()


def test_it_attaches_the_self_checks_answers_posted_with_start(client, cast):
    """The start post shows the blank form with the token attached, without errors, storing
    and counting nothing; the full post then stores the answers."""
    answers = selfcheck_answers()
    token = signing.dumps(answers, salt=SELFCHECK_SALT)
    form = client.post(url(cast), start(token))
    assert form.status_code == 200
    html = form.content.decode()
    assert "Your self-check answers will be sent" in html
    assert f'name="answers" value="{token}"' in html
    assert not form.context["form"].is_bound and "Please check these answers" not in html
    assert (
        not AppointmentRequest.objects.exists()
        and not ThrottleCount.objects.filter(key__startswith="request-").exists()
    )
    assert not AuditEvent.objects.filter(object_type="appointment_request").exists()
    assert "no-cache" in form["Cache-Control"] and "no-store" in form["Cache-Control"]
    assert form["Referrer-Policy"] == "same-origin"
    client.post(url(cast), valid(answers=token))
    assert AppointmentRequest.objects.get().answers == answers


def test_it_attaches_nothing_from_answers_in_the_address(client, cast):
    token = signing.dumps(selfcheck_answers(), salt=SELFCHECK_SALT)
    form = client.get(url(cast) + f"?answers={token}")
    assert form.status_code == 200
    html = form.content.decode()
    assert token not in html
    assert "self-check answers" not in html
    assert form.context["form"]["answers"].value() in (None, "")


@time_machine.travel(STILL, tick=False)
def test_it_does_not_count_a_start_post_against_the_throttle(client, cast, settings):
    settings.APPOINTMENT_REQUEST_PER_ADDRESS_PER_HOUR = 1
    token = signing.dumps(selfcheck_answers(), salt=SELFCHECK_SALT)
    for _ in range(3):
        assert client.post(url(cast), start(token)).status_code == 200
    assert not ThrottleCount.objects.filter(key__startswith="request-").exists()
    assert client.post(url(cast), valid(answers=token)).status_code == 302
    assert client.post(url(cast), start(token)).status_code == 200  # past the limit, still shown
    assert client.post(url(cast), valid()).status_code == 429


def test_it_answers_an_oversized_start_post_with_413(client, cast):
    response = client.post(url(cast), start("a" * 17000))
    assert response.status_code == 413


@pytest.mark.parametrize("lang, other, label", [("en", "es", "Español"), ("es", "en", "English")])
def test_its_language_switch_posts_the_answers_to_the_other_language(
    client, cast, lang, other, label
):
    token = signing.dumps(selfcheck_answers(), salt=SELFCHECK_SALT)
    html = client.post(url(cast, lang), start(token)).content.decode()
    switch = html[html.index('<form method="post" action="' + url(cast, other) + '"') :]
    switch = switch[: switch.index("</form>")]
    assert 'name="start" value="1"' in switch and f'name="answers" value="{token}"' in switch
    assert "csrfmiddlewaretoken" in switch and f">{label}</button>" in switch
    assert "?answers" not in html
    # Following it shows the other language's form with the answers still attached.
    there = client.post(url(cast, other), start(token))
    assert there.status_code == 200 and there.context["attached"]
    assert f'<html lang="{other}">' in there.content.decode()


def test_its_language_switch_keeps_the_answers_when_the_form_has_errors(client, cast):
    token = signing.dumps(selfcheck_answers(), salt=SELFCHECK_SALT)
    html = client.post(url(cast), valid(answers=token, given_name="")).content.decode()
    assert f'<form method="post" action="{url(cast, "es")}"' in html
    assert html.count(f'name="answers" value="{token}"') == 2  # the form's and the switch's


def test_its_language_switch_is_a_plain_link_without_answers(client, cast):
    for response in (
        client.get(url(cast)),
        client.post(url(cast), start("forged.token")),
        client.get(url(cast, name="public:request_sent")),
    ):
        html = response.content.decode()
        assert 'class="lang-switch" href="/c/' + cast.clinic.slug + "/es/" in html
        assert "lang-switch-form" not in html


def test_it_ignores_a_token_whose_answers_are_not_the_self_checks(client, cast):
    token = signing.dumps({"duration": "forever"}, salt=SELFCHECK_SALT)
    assert client.post(url(cast), valid(answers=token)).status_code == 302
    assert AppointmentRequest.objects.get().answers is None


def test_it_ignores_an_expired_token(client, cast):
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        token = signing.dumps(selfcheck_answers(), salt=SELFCHECK_SALT)
    with time_machine.travel(datetime(2026, 3, 2, 9, 1, tzinfo=UTC), tick=False):
        form = client.post(url(cast), start(token))
        assert "could not attach your self-check answers" in form.content.decode()
        assert client.post(url(cast), valid(answers=token)).status_code == 302
    assert AppointmentRequest.objects.get().answers is None


def test_it_ignores_a_bad_or_expired_token_with_a_note_not_an_error(client, cast):
    form = client.post(url(cast), start("forged.token"))
    assert form.status_code == 200
    assert "could not attach your self-check answers" in form.content.decode()
    assert client.post(url(cast), valid(answers="forged.token")).status_code == 302
    assert AppointmentRequest.objects.get().answers is None


def test_it_emails_the_clinic_naming_nobody(client, cast):
    cast.clinic.email = "desk@clinic.example"
    cast.clinic.save(update_fields=["email"])
    client.post(url(cast), valid())
    stored = AppointmentRequest.objects.get()
    outcome = send_notice(request_id=stored.pk, now=stored.created_at)
    assert outcome.outcome == "sent"
    (message,) = mail.outbox
    assert message.subject == SUBJECT == "Taut: a new appointment request"
    assert message.to == ["desk@clinic.example"]
    for typed in ("Marisol", "Quintanar", "010 7788", "marisol@example.org", "1981"):
        assert typed not in message.body and typed not in message.subject
    assert "/c/requests/" in message.body
    assert str(stored.public_id) not in message.body
    noticed = AuditEvent.objects.get(action=Action.EXPORT, object_type="appointment_request")
    assert noticed.details["change"] == "notice sent" and noticed.actor_username == "taut worker"
    # Sent at most once.
    assert send_notice(request_id=stored.pk, now=stored.created_at).outcome != "sent"
    assert len(mail.outbox) == 1


def test_it_skips_the_email_when_the_clinic_has_no_address(client, cast):
    cast.clinic.email = ""
    cast.clinic.save(update_fields=["email"])
    client.post(url(cast), valid())
    stored = AppointmentRequest.objects.get()
    assert send_notice(request_id=stored.pk, now=stored.created_at).outcome == "skipped"
    assert mail.outbox == []
