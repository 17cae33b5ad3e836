"""A $export kick-off is checked before any job exists: the headers the IG requires, and
``_type``, ``_since``, ``_outputFormat`` and unsupported parameters (Bulk Data IG 2.0,
"Bulk Data Kick-off Request")."""

from datetime import UTC, datetime, timedelta

import pytest

from taut.audit.models import Action, AuditEvent
from taut.fhir.bulk.kickoff import Invalid, read_kickoff
from taut.fhir.models import ExportJob
from taut.fhir.tests.bulk import kickoff

GOOD = {"accept": "application/fhir+json", "prefer": "respond-async"}
TYPES = {"exportable": ("Patient", "Encounter"), "known": ("Patient", "Organization", "Encounter")}


def read(params=None, **headers):
    return read_kickoff(params=params or {}, **(GOOD | headers), **TYPES)


@pytest.mark.parametrize(
    ("params", "headers", "code", "words"),
    [
        ({}, {"prefer": ""}, "invalid", "respond-async"),
        ({}, {"accept": "application/json"}, "invalid", "Accept"),
        ({"_type": ["Patient,Basic"]}, {}, "not-supported", "'Basic'"),
        ({"_type": ["Organization"]}, {}, "invalid", "Patient compartment"),
        ({"_type": [","]}, {}, "invalid", "no resource type"),
        ({"_since": ["2026-12-01"]}, {}, "invalid", "instant"),
        ({"_since": ["2026-12-01T10:00:00"]}, {}, "invalid", "instant"),
        ({"_since": ["yesterday"]}, {}, "invalid", "instant"),
        ({"_outputFormat": ["application/fhir+json"]}, {}, "not-supported", "_outputFormat"),
        ({"_typeFilter": ["Encounter?status=finished"]}, {}, "not-supported", "_typeFilter"),
    ],
)
def test_it_refuses_a_bad_kickoff_saying_why(params, headers, code, words):
    with pytest.raises(Invalid) as refused:
        read(params, **headers)
    assert refused.value.code == code and words in refused.value.message


def test_it_reads_types_in_the_servers_order_once_each_and_the_since_instant():
    """Repeated and comma-separated ``_type`` values are one list; ``_since`` keeps its
    offset, and a "+" that arrived as a space (not percent-encoded) is read as "+"."""
    asked = read(
        {"_type": ["Encounter,Patient", "Encounter"], "_since": ["2026-12-01T10:00:00 02:00"]}
    )
    assert asked.types == ("Patient", "Encounter")
    assert asked.since == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert asked.since.utcoffset() == timedelta(hours=2)
    zulu = read({"_since": ["2026-12-01T10:00:00.250Z"], "_outputFormat": ["ndjson"]})
    assert zulu.since == datetime(2026, 12, 1, 10, 0, 0, 250000, tzinfo=UTC)
    assert zulu.types is None and zulu.ignored == ()


def test_it_ignores_unsupported_parameters_when_told_to_be_lenient():
    asked = read({"_elements": ["id"]}, prefer="respond-async, handling=lenient")
    assert asked.ignored == ("_elements",)


def test_it_answers_a_bad_kickoff_with_a_400_operation_outcome(client, cast, signed_in):
    signed_in(cast.lead)
    response = kickoff(client, headers={"Prefer": ""})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/fhir+json"
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["severity"] == "error" and body["issue"][0]["code"] == "invalid"
    assert kickoff(client, _type="Patient,Nonsense").status_code == 400
    assert kickoff(client, "fhir:export_patients", _type="Organization").status_code == 400
    assert kickoff(client, _since="last week").status_code == 400
    assert not ExportJob.objects.exists()


def test_it_refuses_a_role_without_the_export_need_and_audits_it(client, cast, signed_in):
    """A clinician reads one patient at a time; taking every record out is a lead's."""
    signed_in(cast.clinician)
    response = kickoff(client)
    assert response.status_code == 403 and response.json()["issue"][0]["code"] == "forbidden"
    assert AuditEvent.objects.filter(action=Action.DENIED, actor_id=cast.clinician.pk).exists()
    assert not ExportJob.objects.exists()


def test_it_answers_anonymous_with_401(client, cast):
    response = kickoff(client)
    assert response.status_code == 401 and response.json()["issue"][0]["code"] == "login"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_another_clinics_group(client, cast, signed_in):
    signed_in(cast.lead)
    other = cast.other_clinic.public_id
    assert kickoff(client, "fhir:export_group", args=[other]).status_code == 404
    assert client.get(f"/fhir/Group/{other}").status_code == 404
    assert not ExportJob.objects.exists()
