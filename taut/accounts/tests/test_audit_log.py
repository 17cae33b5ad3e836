import csv
import io
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from taut.accounts.actors import Actor
from taut.audit.models import Action, AuditEvent
from taut.audit.services import link_events, record_event
from taut.patients.audit_views import AUDIT_PAGE_SIZE, csv_safe
from taut.tests.cast import acting


def test_it_shows_the_lead_their_clinics_events_only(client, cast, signed_in):
    record_event(
        actor=acting(cast.outsider), action=Action.VIEW, object_type="patient", object_id="x"
    )
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    events = response.context["page"].events
    assert events
    assert all(event.clinic_id == cast.clinic.pk for event in events)


def test_it_filters_by_action_and_username(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"), {"action": "create", "username": "desk"})
    events = response.context["page"].events
    assert events and all(e.action == "create" and e.actor_username == "desk" for e in events)


def test_it_filters_by_patient(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"), {"patient": cast.patient.public_id})
    events = response.context["page"].events
    assert events and all(e.patient_id == cast.patient.public_id for e in events)


def test_it_rejects_an_end_before_the_start(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"), {"start": "2026-05-02", "end": "2026-05-01"})
    assert b"The end date is before the start date." in response.content


def test_it_exports_csv_and_audits_the_export(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.get(reverse("audit:export"), {"action": "create"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["seq", "at", "actor_username", "actor_role", "action"]
    assert len(rows) > 1 and all(row[4] == "create" for row in rows[1:])
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor_id=cast.lead.pk).exists()


# Each character a spreadsheet starts a formula with (OWASP, "CSV Injection").
FORMULAS = ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        *[(formula, "'" + formula) for formula in FORMULAS],
        ("desk", "desk"),
        ("a=b", "a=b"),  # only a leading character starts a formula
        ("", ""),
        (None, ""),
        (7, "7"),
    ],
)
def test_it_neutralises_a_cell_starting_a_formula(value, cell):
    assert csv_safe(value) == cell


def test_it_neutralises_spreadsheet_formulas_in_the_export(client, cast, signed_in):
    for formula in FORMULAS:
        record_event(
            actor=Actor.anonymous(formula, now=timezone.now(), address=""),
            action=Action.LOGIN_FAILED,
            clinic_id=cast.clinic.pk,
        )
    signed_in(cast.lead)
    body = b"".join(client.get(reverse("audit:export")).streaming_content).decode()
    usernames = {row[2] for row in csv.reader(io.StringIO(body, newline=""))}
    assert {"'" + formula for formula in FORMULAS} <= usernames
    assert not usernames & set(FORMULAS)


def test_it_refuses_the_audit_log_to_clinicians(client, cast, signed_in):
    signed_in(cast.clinician)
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_it_names_the_patient_and_describes_each_event_for_the_lead(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"), {"patient": cast.patient.public_id})
    body = response.content.decode()
    name = f"{cast.patient.given_name} {cast.patient.family_name}"
    assert name in body
    assert str(cast.patient.public_id) in body  # the whole id, on demand
    assert "{'" not in body
    rows = response.context["rows"]
    assert rows and all(row["description"] for row in rows)
    assert AuditEvent.objects.filter(
        action=Action.VIEW, object_type="audit_log", actor_id=cast.lead.pk
    ).exists()


def test_it_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_it_shows_ids_only_to_a_lead_of_another_clinic(client, cast, signed_in):
    """Names come through the gate: the outsider's lead sees none of this clinic's events."""
    signed_in(cast.outsider)
    response = client.get(reverse("audit:log"))
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert cast.patient.family_name not in response.content.decode()


def fill(cast, count):
    actor = acting(cast.front_desk)
    for number in range(count):
        record_event(actor=actor, action=Action.SEARCH, patient=cast.patient, details={"n": number})


def test_it_pages_by_keyset_through_every_event_once(client, cast, signed_in):
    """Older and Newer walk the whole log newest first, each event on one page only."""
    fill(cast, 2 * AUDIT_PAGE_SIZE)
    signed_in(cast.lead)
    expected = list(
        AuditEvent.objects.filter(clinic_id=cast.clinic.pk).order_by("-id").values_list("id")
    )
    seen, pages, query = [], [], {}
    while True:
        page = client.get(reverse("audit:log"), query).context["page"]
        pages.append(page)
        seen += [(event.id,) for event in page.events]
        if page.older is None:
            break
        query = {"before": page.older}
    # Each view of the log records an event too: the newest of them are not in the walk.
    assert seen == expected
    assert len(pages) == -(-len(expected) // AUDIT_PAGE_SIZE)
    assert pages[0].newer is None and pages[1].newer is not None
    back = client.get(reverse("audit:log"), {"after": pages[1].newer}).context["page"]
    assert back.events[-1].id == pages[0].events[-1].id
    assert back.older == pages[0].older


def test_it_keeps_the_filters_in_the_older_link(client, cast, signed_in):
    fill(cast, AUDIT_PAGE_SIZE + 5)
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"), {"action": "search"})
    older = response.context["page"].older
    assert f'href="?action=search&amp;before={older}"' in response.content.decode()
    page = client.get(reverse("audit:log"), {"action": "search", "before": older}).context["page"]
    assert len(page.events) == 5 and all(event.action == "search" for event in page.events)


def test_it_reads_a_bad_cursor_as_the_newest_page(client, cast, signed_in):
    fill(cast, AUDIT_PAGE_SIZE + 1)
    signed_in(cast.lead)
    newest = client.get(reverse("audit:log"), {"action": "search"}).context["page"]
    for bad in ("x", "-3", "9" * 30, "１２", ""):
        for cursor in ("before", "after"):
            query = {"action": "search", cursor: bad}
            page = client.get(reverse("audit:log"), query).context["page"]
            assert page == newest, (cursor, bad)


def test_it_shows_events_waiting_to_be_linked(client, cast, signed_in):
    link_events()
    fill(cast, 1)
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"), {"action": "search"})
    rows = response.context["page"].events
    assert rows[0].seq is None and all(row.seq for row in rows[1:])
    assert response.content.decode().count(">linking<") == 1


def test_its_queries_do_not_grow_with_the_log_and_count_nothing(client, cast, signed_in):
    signed_in(cast.lead)
    counts = []
    for total in (AUDIT_PAGE_SIZE + 1, 4 * AUDIT_PAGE_SIZE):
        fill(cast, total - AuditEvent.objects.filter(action=Action.SEARCH).count())
        search = {"action": "search"}
        older = client.get(reverse("audit:log"), search).context["page"].older
        for query in (search, {**search, "before": older}, {**search, "after": older}):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("audit:log"), query).status_code == 200
            counts.append(len(queries))
            assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert counts[:3] == counts[3:]
    assert max(counts) <= 15


def test_it_says_which_visit_or_note_was_seen_and_links_it(client, cast, signed_in):
    """An event names the visit or note, not only the patient: the lead sees which, and
    opens it (its page checks access again)."""
    visit = SimpleNamespace(public_id=uuid.uuid4())  # only its public id is recorded
    for kind in ("note", "visit"):
        record_event(
            actor=acting(cast.nurse), action=Action.VIEW, patient=cast.patient, obj=visit,
            object_type=kind,
        )  # fmt: skip
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"), {"patient": cast.patient.public_id})
    body = response.content.decode()
    for kind, page in (("note", "visits:note"), ("visit", "visits:detail")):
        url = reverse(page, args=[cast.patient.public_id, visit.public_id])
        assert f'<a href="{url}">The {kind}</a>' in body
    assert body.count(str(visit.public_id)) >= 2  # the whole id, on demand
