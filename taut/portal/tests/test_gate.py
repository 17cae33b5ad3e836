"""The portal gate: a signed link opens one record of one patient until it expires or is
used; everything else is refused with a plain message, no data, and an audit entry."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.aftercare.services import record_checkin
from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.portal.access import ACTOR
from taut.tests.cast import patient_acting


def checkin_url(checkin):
    return reverse("portal:checkin", kwargs={"token": links.checkin_token(checkin)})


def test_it_opens_a_valid_check_in_link(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    with on_day(checkin.due_on):
        response = client.get(checkin_url(checkin))
    assert response.status_code == 200
    assert "Your week 1 check-in" in response.content.decode()


def test_it_never_lets_a_portal_page_be_cached(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    with on_day(checkin.due_on):
        response = client.get(checkin_url(checkin))
    assert "no-store" in response["Cache-Control"]


def test_it_refuses_an_expired_link_with_410(client, cast, visit, on_day, settings):
    checkin = visit.checkins.get(checkpoint="week_1")
    url = checkin_url(checkin)
    with on_day(checkin.due_on, days=settings.PORTAL_CHECKIN_GRACE_DAYS + 1):
        response = client.get(url)
    assert response.status_code == 410
    body = response.content.decode()
    assert "This link has expired" in body
    assert "How bad is the pain" not in body


def test_it_refuses_a_link_with_one_character_changed(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    token = links.checkin_token(checkin)
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    with on_day(checkin.due_on):
        response = client.get(reverse("portal:checkin", kwargs={"token": tampered}))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_it_refuses_a_token_for_one_patient_naming_anothers_check_in(client, cast, visit, on_day):
    """A correctly signed token that names patient A but B's check-in opens nothing of B."""
    other = flow.signed(cast.other_patient, cast.outsider)
    theirs = other.checkins.get(checkpoint="week_1")
    token = links.make_token(
        purpose=links.Purpose.CHECKIN,
        patient=cast.patient,
        object_id=theirs.public_id,
        expires=links.checkin_expiry(theirs),
    )
    with on_day(theirs.due_on):
        response = client.get(reverse("portal:checkin", kwargs={"token": token}))
        posted = client.post(
            reverse("portal:checkin", kwargs={"token": token}), flow.form_data(theirs)
        )
    assert response.status_code == posted.status_code == 404
    body = response.content.decode()
    assert "Otis" not in body and "Quillbrook" not in body and "Other Clinic" not in body
    theirs.refresh_from_db()
    assert theirs.completed_at is None


def test_it_refuses_a_link_made_for_another_purpose(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    home_token = links.home_token(cast.patient, now=timezone.now())
    with on_day(checkin.due_on):
        response = client.get(reverse("portal:checkin", kwargs={"token": home_token}))
    assert response.status_code == 404


def test_it_refuses_a_check_in_link_once_the_check_in_is_sent(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    record_checkin(
        checkin=checkin, answers=flow.answers(checkin), actor=patient_acting(checkin.patient)
    )
    with on_day(checkin.due_on):
        response = client.get(checkin_url(checkin))
    assert response.status_code == 410
    assert "This has already been sent" in response.content.decode()


def test_it_audits_each_view_with_the_patient_as_subject(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    before = AuditEvent.objects.order_by("-id").first().id
    with on_day(checkin.due_on):
        client.get(checkin_url(checkin))
    event = AuditEvent.objects.get(id__gt=before, action=Action.VIEW)
    assert event.patient_id == cast.patient.public_id
    assert event.actor_username == ACTOR and event.actor_id is None
    assert event.object_type == "portal_checkin" and event.object_id == str(checkin.public_id)
    assert event.clinic_id == cast.clinic.pk


def test_it_audits_the_patient_not_a_member_of_staff_signed_in_on_the_same_browser(
    client, cast, visit, on_day, signed_in
):
    checkin = visit.checkins.get(checkpoint="week_1")
    signed_in(cast.nurse)
    before = AuditEvent.objects.order_by("-id").first().id
    with on_day(checkin.due_on):
        client.get(checkin_url(checkin))
    event = AuditEvent.objects.get(id__gt=before, action=Action.VIEW)
    assert (event.actor_username, event.actor_id) == (ACTOR, None)


def test_it_audits_each_refusal_with_its_reason(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    url = checkin_url(checkin)
    before = AuditEvent.objects.order_by("-id").first().id
    with on_day(checkin.due_on, days=60):
        client.get(url)
    client.get(reverse("portal:checkin", kwargs={"token": "nonsense"}))
    reasons = [
        e.details["reason"]
        for e in AuditEvent.objects.filter(id__gt=before, action=Action.DENIED).order_by("id")
    ]
    assert reasons == ["expired", "invalid"]


def test_it_keeps_a_home_link_open_for_the_configured_days(client, cast, visit, settings):
    url = reverse(
        "portal:home", kwargs={"token": links.home_token(cast.patient, now=timezone.now())}
    )
    assert client.get(url).status_code == 200
    later = timezone.now() + timedelta(days=settings.PORTAL_HOME_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        assert client.get(url).status_code == 410


def test_it_audits_a_post_that_shows_the_page_again(client, cast, visit, on_day):
    """A POST answered with an error page shows the patient's data again: a VIEW event, with
    the method and status, as a GET would have."""
    checkin = visit.checkins.get(checkpoint="week_1")
    before = AuditEvent.objects.order_by("-id").first().id
    with on_day(checkin.due_on):
        response = client.post(checkin_url(checkin), flow.form_data(checkin, nrs=11))
    assert response.status_code == 400 and "Please check your answers" in response.content.decode()
    event = AuditEvent.objects.get(id__gt=before, action=Action.VIEW)
    assert event.patient_id == cast.patient.public_id and event.actor_username == ACTOR
    assert event.object_type == "portal_checkin"
    assert (event.details["method"], event.details["status"]) == ("POST", 400)


def test_it_audits_a_post_refused_before_the_check_in_opens(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    before = AuditEvent.objects.order_by("-id").first().id
    with on_day(checkin.due_on, days=-1):
        response = client.post(checkin_url(checkin), flow.form_data(checkin))
    assert response.status_code == 403
    event = AuditEvent.objects.get(id__gt=before, action=Action.VIEW)
    assert event.details["status"] == 403


def test_it_throttles_an_address_that_keeps_sending_bad_links(
    client, cast, visit, on_day, settings
):
    """Past PORTAL_REFUSALS_PER_ADDRESS refusals in ten minutes: 429, one audit row for
    the throttling and none after it; a valid link from the same address still opens."""
    settings.PORTAL_REFUSALS_PER_ADDRESS = 3
    checkin = visit.checkins.get(checkpoint="week_1")
    bad = reverse("portal:checkin", kwargs={"token": "made-up-token"})
    with on_day(checkin.due_on):
        statuses = [client.get(bad).status_code for _ in range(3)]
        before = AuditEvent.objects.count()
        assert statuses == [404, 404, 404]
        assert client.get(bad).status_code == 429
        assert client.get(bad).status_code == 429
        assert AuditEvent.objects.count() == before + 1
        assert AuditEvent.objects.order_by("-id").first().details["reason"] == "throttled"
        assert client.get(checkin_url(checkin)).status_code == 200
