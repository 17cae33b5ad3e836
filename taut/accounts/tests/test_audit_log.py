import csv
import io

from django.urls import reverse
from django.utils import timezone

from taut.accounts.actors import Actor
from taut.audit.models import Action, AuditEvent
from taut.audit.services import record_event
from taut.tests.cast import acting


def test_it_shows_the_lead_their_clinics_events_only(client, cast, signed_in):
    record_event(
        actor=acting(cast.outsider), action=Action.VIEW, object_type="patient", object_id="x"
    )
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count > 0
    assert all(event.clinic_id == cast.clinic.pk for event in page)


def test_it_filters_by_action_and_username(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"), {"action": "create", "username": "desk"})
    events = list(response.context["page"])
    assert events and all(e.action == "create" and e.actor_username == "desk" for e in events)


def test_it_filters_by_patient(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.get(reverse("audit:log"), {"patient": cast.patient.public_id})
    events = list(response.context["page"])
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


def test_it_neutralises_spreadsheet_formulas_in_the_export(client, cast, signed_in):
    record_event(
        actor=Actor.anonymous("=HYPERLINK(1)", now=timezone.now(), address=""),
        action=Action.LOGIN_FAILED,
        clinic_id=cast.clinic.pk,
    )
    signed_in(cast.lead)
    body = b"".join(client.get(reverse("audit:export")).streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


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
