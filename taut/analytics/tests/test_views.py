"""The analytics pages: the overview, the sessions behind a figure and the PDF report, for
each role, the outsider and the anonymous visitor; bad filters; the empty state; audit;
and the report rendered by the worker, served stored and made again when the facts change.
The clinic is ``taut/analytics/tests/world.py``'s, seen on its ``TODAY``."""

import re
import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from taut.accounts import services as accounts
from taut.accounts.roles import Role
from taut.analytics import operations, queries, report
from taut.analytics.models import AnalyticsReport
from taut.analytics.tests import world
from taut.audit.models import Action, AuditEvent
from taut.tests.cast import acting, make_staff, sign_in
from taut.tests.once import built_once_per_module
from taut.tests.test_visible_text import PDFTOTEXT, problems_in
from taut.visits.tests import flow as visit_flow
from taut.workflows import notes

clinic_world, _clinic_world_once = built_once_per_module(world.build, name="clinic_world")
pytestmark = pytest.mark.usefixtures("clinic_world")

PAGES = ("analytics:overview", "analytics:sessions", "analytics:report")


@pytest.fixture(autouse=True)
def on_the_worlds_day():
    with time_machine.travel(world.COMPUTED, tick=False):
        yield


def get(client, user, name, **query):
    if user is not None:
        sign_in(client, user)
    return client.get(reverse(name), query)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("clinician", 200), ("lead", 200), ("nurse", 403), ("front_desk", 403)],
)
def test_it_opens_each_page_for_the_roles_that_read_analytics(client, cast, name, role, status):
    assert get(client, getattr(cast, role), name).status_code == status


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_anonymous_visitors_to_login(client, cast, name):
    response = get(client, None, name)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_shows_the_clinics_figures(client, cast):
    body = get(client, cast.clinician, "analytics:overview").content.decode()
    assert "22 sessions for 11 patients" in body
    assert "Fewer than 11 patients: not shown" in body  # six-week window: 11 sessions, not yet


def test_it_shows_an_outsider_only_their_own_clinic(client, cast):
    body = get(client, cast.outsider, "analytics:overview").content.decode()
    assert "1 session for 1 patient" in body and "22 sessions" not in body
    sessions = get(client, cast.outsider, "analytics:sessions").content.decode()
    assert cast.other_patient.display_name in sessions
    assert "Quillbrook" in sessions and "Anna" not in sessions  # no patient of the first clinic


def test_it_names_the_clinics_patients_behind_a_figure(client, cast):
    response = get(client, cast.clinician, "analytics:sessions", window="2w", responded="yes")
    body = response.content.decode()
    assert response.status_code == 200
    links = re.findall(r'href="/patients/[0-9a-f-]{36}/"', body)
    assert len(links) == 11 and len(set(links)) == 6  # the first five responded twice
    assert cast.other_patient.display_name not in body


@pytest.mark.parametrize("name", ("analytics:overview", "analytics:sessions", "analytics:report"))
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-06-01", "end": "2026-05-01"}, "end", "The end date is before the start"),
        ({"only": "trapezius_upper"}, "only", "Choose what the sessions should share"),  # no kind
        ({"only": "colour:blue"}, "only", "Choose what the sessions should share"),
        ({"start": "last spring"}, "start", "Enter a valid date"),
    ],
)
def test_it_refuses_bad_filters_with_a_field_error(client, cast, name, query, field, message):
    response = get(client, cast.clinician, name, **query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not DBTaskResult.objects.exists()  # no report is queued for a filter not asked for


def test_it_shows_the_empty_state_for_a_clinic_with_no_sessions(client):
    clinic = accounts.create_clinic(name="New Clinic", slug="new", require_mfa=False)
    newcomer = make_staff(clinic, "newcomer", Role.CLINICIAN)
    body = get(client, newcomer, "analytics:overview").content.decode()
    assert "No signed sessions in this period" in body


def audited(user, object_type):
    return AuditEvent.objects.filter(actor_id=user.pk, object_type=object_type)


def test_it_audits_opening_the_page_and_the_sessions_list(client, cast):
    get(client, cast.lead, "analytics:overview", only="muscle:trapezius_upper")
    (event,) = audited(cast.lead, "clinic_analytics")
    assert event.action == Action.VIEW and event.details["only"] == "muscle:trapezius_upper"
    get(client, cast.lead, "analytics:sessions", window="2w")
    (event,) = audited(cast.lead, "clinic_analytics_sessions")
    assert event.action == Action.VIEW and event.details["patients_named"] == 11


def queued(clinic) -> int:
    return DBTaskResult.objects.filter(task_path=report.render_report_task.module_path).count()


def test_it_queues_the_report_once_and_shows_it_is_being_prepared(client, cast):
    first = get(client, cast.clinician, "analytics:report")
    assert first.status_code == 200 and "Preparing the report…" in first.content.decode()
    assert queued(cast.clinic) == 1
    assert "Preparing the report…" in get(client, cast.lead, "analytics:report").content.decode()
    assert queued(cast.clinic) == 1
    (stored,) = AnalyticsReport.objects.all()
    assert stored.content is None and stored.params["end"] == world.TODAY.isoformat()


def test_it_renders_the_report_in_the_worker_and_serves_it_until_the_facts_change(client, cast):
    get(client, cast.clinician, "analytics:report")
    (stored,) = AnalyticsReport.objects.all()
    # The worker gets to it the next day: it still counts to the day it was asked for.
    later = timezone.now() + timedelta(days=1)
    assert report.render_report(report_id=stored.pk, now=later) == "rendered"
    stored.refresh_from_db()
    assert bytes(stored.content).startswith(b"%PDF")
    if PDFTOTEXT:  # the crawl of every page does not reach this PDF: it reads it here
        text = subprocess.run(
            [PDFTOTEXT, "-q", "-", "-"], input=bytes(stored.content), capture_output=True
        ).stdout.decode()
        assert "Clinic analytics" in text and "Counted to 30 Jun 2026;" in text
        assert problems_in(text) == []
    response = get(client, cast.clinician, "analytics:report")
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(stored.content)
    (event,) = audited(cast.clinician, "clinic_analytics_report")
    assert event.action == Action.PRINT
    # A session is signed (its outcome stored): the report no longer counts everything.
    world.outcome(cast.patient, cast.clinician, days_ago=1, number=1, muscle=world.TRAPEZIUS)
    again = get(client, cast.clinician, "analytics:report")
    assert "Preparing the report…" in again.content.decode()
    assert queued(cast.clinic) == 2


def test_it_makes_a_new_report_when_an_override_is_recorded_or_a_session_signed(client, cast):
    """The safety section lists dose-guard overrides of visits not signed yet: recording
    one changes the facts the report is made of, though no session outcome changes; so
    does signing the session."""
    params = {"start": "2025-07-01", "end": world.TODAY.isoformat()}
    before = report.fingerprint(cast.clinic, params, today=world.TODAY)
    visit = visit_flow.scheduled(cast.patient, cast.clinician)
    visit = visit_flow.examined(visit_flow.with_intake(visit, cast.clinician), cast.clinician)
    visit = visit_flow.consented(visit, cast.clinician)
    visit = visit_flow.with_sites(
        visit, cast.clinician, [visit_flow.site(override="Weighed again: 70 kg is right.")]
    )
    overridden = report.fingerprint(cast.clinic, params, today=world.TODAY)
    assert overridden != before
    body = get(client, cast.clinician, "analytics:overview").content.decode()
    assert "Weighed again: 70 kg is right." in body
    assert "Dose guard: Trapezius - upper fibres" in body  # not its id, trapezius_upper
    # The override is of no signed session: a figure of the sessions on a muscle leaves it out.
    year = queries.Filters(world.TODAY - timedelta(days=364), world.TODAY)
    assert operations.overrides_for_clinic(cast.clinic, year).dose == 1
    muscle = queries.Filters(year.start, year.end, "muscle", world.TRAPEZIUS)
    assert operations.overrides_for_clinic(cast.clinic, muscle).dose == 0
    visit = visit_flow.finished(visit, cast.clinician)
    notes.sign_note(visit=visit, version=visit.version, icd_codes=[], actor=acting(cast.clinician))
    assert report.fingerprint(cast.clinic, params, today=world.TODAY) != overridden
    assert operations.overrides_for_clinic(cast.clinic, muscle).dose == 1  # now a session
