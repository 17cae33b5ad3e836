"""A Bulk Data export from kick-off to download, with the worker run in the test's process:
status while queued, the manifest, NDJSON files of valid resources, ``_type`` and
``_since``, the audit, and who may see a job."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.fhir import bulk_views, registry
from taut.fhir.access import Caller
from taut.fhir.bulk import storage
from taut.fhir.models import ExportFile, ExportJob
from taut.fhir.tests.bulk import kickoff, lines, run_exports, status_path
from taut.fhir.tests.checks import assert_valid
from taut.patients import services as patient_services
from taut.patients.models import Allergy, Condition, Medication
from taut.tests.cast import acting, make_patient
from taut.tests.once import built_once_per_module


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "fhir_export": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }
    return tmp_path / "exports"


def signed_session(cast):
    """A signed session, and one entry on each of the chart's lists, so that every type
    the registry holds has a resource to export (added after signing: a new allergy would
    lapse the screening)."""
    visit = flow.signed(cast.patient, cast.clinician)
    for entry in (
        Allergy(agent="Lidocaine", anaesthetic="lidocaine", reaction="Hives"),
        Condition(name="Myofascial pain syndrome", icd10="M79.18"),
        Medication(name="Apixaban", dose="5 mg twice daily", antithrombotic=True),
    ):
        patient_services.add_chart_entry(
            patient=cast.patient, entry=entry, actor=acting(cast.nurse)
        )
    return visit


visit, _visit_once = built_once_per_module(signed_session, name="visit")


def finished(client, **params):
    """Kick off, run the worker, and return the status URL and the manifest."""
    response = kickoff(client, **params)
    assert response.status_code == 202, response.content
    status = status_path(response)
    assert run_exports() == ["done"]
    done = client.get(status)
    assert done.status_code == 200, done.content
    return status, done.json()


def test_it_exports_the_clinic_and_serves_a_manifest_of_valid_ndjson(
    client, cast, signed_in, visit
):
    signed_in(cast.lead)
    response = kickoff(client)
    assert response.status_code == 202
    status = status_path(response)
    waiting = client.get(status)
    assert waiting.status_code == 202
    assert waiting["X-Progress"] == "Queued" and int(waiting["Retry-After"]) > 0
    assert run_exports() == ["done"]
    done = client.get(status)
    assert done.status_code == 200 and done["Content-Type"] == "application/json"
    assert done.has_header("Expires")
    manifest = done.json()
    assert set(manifest) == {"transactionTime", "request", "requiresAccessToken", "output", "error"}
    assert manifest["request"] == "http://testserver/fhir/$export"
    assert manifest["requiresAccessToken"] is True and manifest["error"] == []
    assert datetime.fromisoformat(manifest["transactionTime"]).tzinfo is not None
    exported = {}
    for entry in manifest["output"]:
        resources = lines(client, entry["url"])
        assert len(resources) == entry["count"] > 0
        for resource in resources:
            assert resource["resourceType"] == entry["type"]
            assert_valid(resource)
        exported[entry["type"]] = resources
    assert set(exported) == set(registry.KINDS)  # every type the registry holds
    assert [p["id"] for p in exported["Patient"]] == [str(cast.patient.public_id)]
    assert str(visit.public_id) in {e["id"] for e in exported["Encounter"]}
    assert str(cast.other_patient.public_id) not in json.dumps(exported)


def test_it_audits_the_request_and_each_exported_patient_once(client, cast, signed_in, visit):
    signed_in(cast.lead)
    finished(client)
    job = ExportJob.objects.get()
    events = AuditEvent.objects.filter(object_type="fhir_export", object_id=str(job.public_id))
    assert [(e.action, e.details["step"]) for e in events.filter(patient_id=None)] == [
        (Action.EXPORT, "requested")
    ]
    written = events.exclude(patient_id=None)
    assert [(e.action, e.patient_id, e.actor_id) for e in written] == [
        (Action.EXPORT, cast.patient.public_id, cast.lead.pk)
    ]
    assert job.patients == 1


def test_it_exports_only_the_types_asked_for(client, cast, signed_in, visit):
    signed_in(cast.lead)
    _, manifest = finished(client, _type="Encounter,Patient")
    assert [e["type"] for e in manifest["output"]] == ["Patient", "Encounter"]
    assert ExportJob.objects.get().types == ["Patient", "Encounter"]


def test_it_exports_the_patient_compartment_at_the_patient_and_group_levels(
    client, cast, signed_in, visit
):
    signed_in(cast.lead)
    for route, args in [("fhir:export_patients", []),
                        ("fhir:export_group", [cast.clinic.public_id])]:  # fmt: skip
        response = kickoff(client, route, args=args)
        assert response.status_code == 202
        assert run_exports() == ["done"]
        manifest = client.get(status_path(response)).json()
        types = {e["type"] for e in manifest["output"]}
        assert "Patient" in types and "Encounter" in types
        assert not types & {"Organization", "Practitioner", "PractitionerRole"}


def test_it_exports_only_what_changed_since(client, cast, signed_in, visit):
    """``_since``: resources whose lastUpdated is at or after it; a resource without one
    (the clinic's Organization) is not known to have changed and is left out."""
    with time_machine.travel(datetime(2031, 3, 1, 12, 0, tzinfo=UTC)):
        later = make_patient(cast.clinic, cast.front_desk, mrn="T0002")
    signed_in(cast.lead)
    _, manifest = finished(client, _type="Patient,Organization", _since="2031-03-01T11:00:00Z")
    (entry,) = manifest["output"]
    assert [p["id"] for p in lines(client, entry["url"])] == [str(later.public_id)]
    _, manifest = finished(client, _type="Patient", _since="2031-03-01T12:00:01Z")
    assert manifest["output"] == []


def test_it_splits_a_type_into_files_of_the_set_size(client, cast, signed_in, visit, settings):
    settings.FHIR_EXPORT_FILE_RESOURCES = 1
    second = make_patient(cast.clinic, cast.front_desk, mrn="T0002")
    signed_in(cast.lead)
    _, manifest = finished(client, _type="Patient")
    assert [(e["type"], e["count"]) for e in manifest["output"]] == [("Patient", 1), ("Patient", 1)]
    assert {p["id"] for e in manifest["output"] for p in lines(client, e["url"])} == {
        str(cast.patient.public_id),
        str(second.public_id),
    }


def test_it_reports_ignored_parameters_in_the_error_file(client, cast, signed_in, visit):
    signed_in(cast.lead)
    _, manifest = finished(
        client,
        _type="Patient",
        _elements="id",
        headers={"Prefer": "respond-async, handling=lenient"},
    )
    (error,) = manifest["error"]
    assert error["type"] == "OperationOutcome"
    (note,) = lines(client, error["url"])
    assert_valid(note)
    assert "_elements" in note["issue"][0]["diagnostics"]


def test_it_shows_a_job_only_to_its_requester(client, cast, signed_in, visit):
    """Another clinic's member (even with the need) and another role get 404 or 403 for a
    job and its files, and the job is unchanged."""
    signed_in(cast.lead)
    status, manifest = finished(client, _type="Patient")
    file_url = manifest["output"][0]["url"].removeprefix("http://testserver")
    signed_in(cast.outsider)
    assert client.get(status).status_code == 403  # a clinician: no export need at all
    cast.outsider.role = cast.lead.role
    cast.outsider.save(update_fields=["role"])
    signed_in(cast.outsider)
    for url in (status, file_url):
        assert client.get(url).status_code == 404
    assert client.delete(status).status_code == 404
    assert ExportJob.objects.get().state == ExportJob.State.DONE
    signed_in(cast.clinician)
    assert client.get(file_url).status_code == 403


def test_it_cancels_a_queued_job_and_deletes_a_finished_ones_files(
    client, cast, signed_in, visit, export_dir
):
    signed_in(cast.lead)
    status = status_path(kickoff(client))
    cancelled = client.delete(status)
    assert cancelled.status_code == 202
    assert cancelled.json()["issue"][0]["severity"] == "information"
    assert client.get(status).status_code == 404
    assert run_exports() == ["not queued"]
    status, manifest = finished(client)
    stored = list(ExportFile.objects.values_list("name", flat=True))
    assert stored and all(storage.export_storage().exists(name) for name in stored)
    assert client.delete(status).status_code == 202
    assert client.get(status).status_code == 404
    assert (
        client.get(manifest["output"][0]["url"].removeprefix("http://testserver")).status_code
        == 404
    )
    assert not ExportFile.objects.exists()
    assert not any(storage.export_storage().exists(name) for name in stored)


def test_it_limits_an_apps_export_to_its_scopes_and_its_jobs_to_the_app(
    client, cast, signed_in, visit, monkeypatch
):
    """A token acting as the lead (``caller_for``) with scopes for Patient only: without
    ``_type`` it exports Patient alone, naming another type is 403, and the job is the
    app's: the lead's own browser session gets 404 for it."""
    app = Caller(user=cast.lead, client_id="app-1", allows=lambda kind, _: kind == "Patient")
    signed_in(cast.lead)
    monkeypatch.setattr(bulk_views, "caller_for", lambda request: app)
    assert kickoff(client, _type="Encounter").status_code == 403
    status, manifest = finished(client)
    assert [e["type"] for e in manifest["output"]] == ["Patient"]
    assert ExportJob.objects.get().client_id == "app-1"
    monkeypatch.undo()
    assert client.get(status).status_code == 404
