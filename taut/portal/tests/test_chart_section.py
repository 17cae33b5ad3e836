"""Staff side: the chart section lists the patient's open check-ins and upcoming visits, and
shows their portal links (and the home link) only on request, audited as an export.
The role matrix (clinical roles read it, front desk 403, outsiders 404, anonymous to login)
is in taut/tests/test_routes.py."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from taut.audit.models import Action, AuditEvent
from taut.tests.cast import sign_in
from taut.visits.tests import flow as visit_flow


def section(patient, links=False):
    url = reverse("portal:chart_section", args=[patient.public_id])
    return url + "?links=1" if links else url


def test_it_lists_open_check_ins_without_links_until_asked(client, cast, visit):
    sign_in(client, cast.nurse)
    response = client.get(section(cast.patient))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Week 1" in body and "Show links to give the patient" in body
    assert "/p/check-in/" not in body and "/p/home/" not in body
    assert not AuditEvent.objects.filter(object_type="portal_link").exists()


def test_it_shows_each_link_and_audits_the_export(client, cast, visit):
    sign_in(client, cast.clinician)
    response = client.get(section(cast.patient, links=True))
    body = response.content.decode()
    assert body.count("/p/check-in/") == 6 and "/p/home/" in body
    assert 'data-copy="link-' in body and "readonly" in body
    event = AuditEvent.objects.get(object_type="portal_link")
    assert event.action == Action.EXPORT and event.actor_id == cast.clinician.pk
    assert event.patient_id == cast.patient.public_id
    purposes = [item["purpose"] for item in event.details["links"]]
    assert purposes == ["checkin"] * 6 + ["home"]
    assert "token" not in str(event.details) and "/p/" not in str(event.details)


def test_it_hands_out_links_that_open_the_patients_own_records(client, cast, visit, on_day):
    week_1 = visit.checkins.get(checkpoint="week_1")
    sign_in(client, cast.clinician)
    found = client.get(section(cast.patient, links=True)).context["links"]
    link = next(row for row in found.checkins if row.checkin == week_1)
    client.logout()
    with on_day(week_1.due_on):
        page = client.get(urlsplit(link.url).path)
    assert page.status_code == 200 and page.context["checkin"] == week_1
    home = client.get(urlsplit(found.home_url).path)
    assert home.status_code == 200 and home.context["patient"] == cast.patient


def test_it_marks_links_that_have_expired(client, cast, visit, on_day, settings):
    day_1 = visit.checkins.get(checkpoint="day_1")
    sign_in(client, cast.clinician)
    with on_day(day_1.due_on, days=settings.PORTAL_CHECKIN_GRACE_DAYS + 1):
        sign_in(client, cast.clinician)
        response = client.get(section(cast.patient, links=True))
    row = next(r for r in response.context["links"].checkins if r.checkin == day_1)
    assert row.expired and row.url == ""
    assert "Link expired" in response.content.decode()


def test_it_offers_the_form_before_an_upcoming_visit(client, cast):
    upcoming = visit_flow.scheduled(
        cast.patient, cast.clinician, when=timezone.now() + timedelta(days=3)
    )
    sign_in(client, cast.clinician)
    response = client.get(section(cast.patient, links=True))
    rows = response.context["links"].visits
    assert [row.visit for row in rows] == [upcoming]
    assert "/p/before-your-visit/" in rows[0].url


def test_it_renders_a_fragment_for_the_chart(client, cast, visit):
    sign_in(client, cast.clinician)
    response = client.get(section(cast.patient), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="chart-portal"')
    assert 'hx-get="' in body and 'href="' in body  # the button also works as a plain link


def test_it_costs_the_same_queries_however_many_visits_are_booked(client, cast, visit):
    """Each upcoming visit's intake comes with it (no query per visit)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, cast.clinician)
    soon = timezone.now() + timedelta(days=2)
    visit_flow.scheduled(cast.patient, cast.front_desk, when=soon)
    with CaptureQueriesContext(connection) as one:
        client.get(section(cast.patient, links=True))
    for days in (3, 4, 5):
        visit_flow.scheduled(cast.patient, cast.front_desk, when=soon + timedelta(days=days))
    with CaptureQueriesContext(connection) as four:
        client.get(section(cast.patient, links=True))
    assert len(four) == len(one)
