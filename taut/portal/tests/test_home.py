"""The patient's own page: due check-ins (each its own link), the aftercare handout of the
latest session, and the progress chart with a text alternative. Only their own data."""

from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.aftercare.services import record_checkin
from taut.aftercare.tests import flow
from taut.tests.cast import acting, make_patient, patient_acting


def home(patient):
    return reverse("portal:home", kwargs={"token": links.home_token(patient, now=timezone.now())})


def test_it_offers_each_due_check_in_as_its_own_link(client, cast, visit, on_day):
    """Overdue ones too, while their link is open: on week 1's day, days 1 and 3 are late."""
    week_1 = visit.checkins.get(checkpoint="week_1")
    with on_day(week_1.due_on):
        response = client.get(home(cast.patient))
        due = response.context["due"]
        assert [row.checkin.checkpoint for row in due] == ["day_1", "day_3", "week_1"]
        assert "Answer your week 1 check-in" in response.content.decode()
        for row in due:  # each button opens its own check-in
            assert client.get(row.url).context["checkin"] == row.checkin
    assert "Your next check-in is on" in response.content.decode()


def test_it_leaves_out_check_ins_whose_link_has_expired(client, cast, visit, on_day, settings):
    day_1 = visit.checkins.get(checkpoint="day_1")
    with on_day(day_1.due_on, days=settings.PORTAL_CHECKIN_GRACE_DAYS + 1):
        due = client.get(home(cast.patient)).context["due"]
    assert "day_1" not in [row.checkin.checkpoint for row in due]


def test_it_leaves_out_check_ins_that_are_answered_or_not_yet_due(client, cast, visit, on_day):
    day_1 = visit.checkins.get(checkpoint="day_1")
    record_checkin(checkin=day_1, answers=flow.answers(day_1), actor=acting(cast.nurse))
    with on_day(day_1.due_on):
        response = client.get(home(cast.patient))
    assert response.context["due"] == []
    assert "no check-ins to answer today" in response.content.decode()


def test_it_shows_the_aftercare_handout_of_the_latest_session(client, cast, visit):
    body = client.get(home(cast.patient)).content.decode()
    assert "Your muscles may be sore for a few days." in body
    assert "Call 911 now if you get short of breath or chest pain." in body  # neck site
    assert body.index("Get help now") < body.index("What to expect")  # the emergency first


def test_it_draws_progress_with_a_summary_and_a_data_table(client, cast, visit, on_day):
    week_1 = visit.checkins.get(checkpoint="week_1")
    record_checkin(
        checkin=week_1, answers=flow.answers(week_1, nrs=2), actor=patient_acting(week_1.patient)
    )
    with on_day(week_1.due_on):
        body = client.get(home(cast.patient)).content.decode()
    assert 'role="img" aria-labelledby="progress-title progress-summary"' in body
    assert "Your pain score was 6 out of 10" in body  # the intake's average pain
    assert "Your latest pain score is 2 out of 10" in body
    assert "<caption>Your scores" in body and "Week 1 check-in" in body
    assert "Before your session" in body


def test_it_shows_only_this_patients_data(client, cast, visit, on_day):
    """Another patient of the same clinic, with answers of their own, never shows up."""
    second = make_patient(cast.clinic, cast.front_desk, mrn="T0002", given_name="Bertram")
    theirs = flow.signed(second, cast.clinician, sites=[flow.flow.site("gluteus_medius")])
    their_week_1 = theirs.checkins.get(checkpoint="week_1")
    record_checkin(
        checkin=their_week_1,
        answers=flow.answers(their_week_1, nrs=9),
        actor=patient_acting(their_week_1.patient),
    )
    with on_day(their_week_1.due_on, days=-7):
        response = client.get(home(cast.patient))
    body = response.content.decode()
    assert "Bertram" not in body and "9 out of 10" not in body
    assert all(row.checkin.patient == cast.patient for row in response.context["due"])
    assert response.context["session"] == visit


def test_it_says_so_before_the_first_session(client, cast):
    body = client.get(home(cast.patient)).content.decode()
    assert "Your scores will show here after your first session." in body
    assert "Your aftercare advice will be here after your first session." in body


def test_it_shows_no_password_option_when_the_clinic_does_not_use_them(client, cast, visit):
    body = client.get(home(cast.patient)).content.decode()
    assert "Set a password" not in body and "Sign out" not in body
