"""An export job's life beyond the happy path: cancelled while it runs, failing, expiring
and purged; the clinic's Group; and the real ``taut worker`` running an export."""

from datetime import timedelta
from types import MappingProxyType

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from taut.fhir import registry
from taut.fhir.bulk import running, storage
from taut.fhir.mapping.base import resource
from taut.fhir.models import ExportFile, ExportJob
from taut.fhir.tasks import purge_exports_task
from taut.fhir.tests.bulk import kickoff, run_exports, status_path
from taut.fhir.tests.checks import assert_valid


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


def only_kind(monkeypatch, load):
    """The registry holding one type, ``Basic``, loaded by ``load``."""
    kind = registry.Kind("Basic", load)
    monkeypatch.setattr(registry, "KINDS", MappingProxyType({"Basic": kind}))


def basic(n):
    return resource("Basic", f"b{n}", last_updated=None, code={"text": "synthetic"})


def test_it_stops_a_running_export_when_cancelled_and_deletes_what_it_wrote(
    client, cast, signed_in, monkeypatch, settings, export_dir
):
    settings.FHIR_EXPORT_FILE_RESOURCES = 1
    monkeypatch.setattr(running, "PROGRESS_EVERY", 1)

    def load(scope):
        yield None, basic(1)
        ExportJob.objects.update(state=ExportJob.State.CANCELLED)  # the client's DELETE
        yield None, basic(2)
        raise AssertionError("read on after the cancellation")

    only_kind(monkeypatch, load)
    signed_in(cast.lead)
    status = status_path(kickoff(client))
    assert run_exports() == ["cancelled"]
    assert not ExportFile.objects.exists()
    assert not any(p.is_file() for p in export_dir.rglob("*"))
    assert client.get(status).status_code == 404


def test_it_marks_a_failed_export_and_answers_its_status_with_500(
    client, cast, signed_in, monkeypatch, settings, export_dir
):
    settings.FHIR_EXPORT_FILE_RESOURCES = 1

    def load(scope):
        yield None, basic(1)
        raise RuntimeError("a loader broke")

    only_kind(monkeypatch, load)
    signed_in(cast.lead)
    status = status_path(kickoff(client))
    with pytest.raises(RuntimeError):
        run_exports()
    assert ExportJob.objects.get().state == ExportJob.State.FAILED
    response = client.get(status)
    assert response.status_code == 500
    assert response.json()["issue"][0]["code"] == "exception"
    assert "loader" not in response.content.decode()  # the log has it, not the client
    assert not ExportFile.objects.exists()
    assert not any(p.is_file() for p in export_dir.rglob("*"))


def test_it_reports_progress_as_it_goes(client, cast, signed_in, monkeypatch):
    monkeypatch.setattr(running, "PROGRESS_EVERY", 1)
    seen = []

    def load(count):
        def loader(scope):
            for n in range(count):
                yield None, basic(n)
                seen.append(client.get(status).headers.get("X-Progress"))

        return loader

    kinds = {"Basic": registry.Kind("Basic", load(2)), "Binary": registry.Kind("Binary", load(1))}
    monkeypatch.setattr(registry, "KINDS", MappingProxyType(kinds))
    signed_in(cast.lead)
    status = status_path(kickoff(client))
    assert run_exports() == ["done"]
    assert seen == ["0% (type 1 of 2)", "0% (type 1 of 2)", "50% (type 2 of 2)"]


def test_it_expires_a_finished_export_and_purges_it_then(client, cast, signed_in, export_dir):
    signed_in(cast.lead)
    status = status_path(kickoff(client, _type="Patient"))
    assert run_exports() == ["done"]
    job = ExportJob.objects.get()
    assert job.expires_at == job.finished_at + timedelta(hours=24)
    purge = DBTaskResult.objects.get(task_path=purge_exports_task.module_path)
    assert purge.run_after == job.expires_at  # the worker purges it when it expires
    names = list(ExportFile.objects.values_list("name", flat=True))
    with time_machine.travel(job.expires_at - timedelta(seconds=1)):
        signed_in(cast.lead)
        assert client.get(status).status_code == 200
        call_command("purge_exports", verbosity=0)
        assert ExportJob.objects.exists()
    with time_machine.travel(job.expires_at + timedelta(seconds=1)):
        signed_in(cast.lead)
        assert client.get(status).status_code == 404
        call_command("purge_exports", verbosity=0)
    assert not ExportJob.objects.exists() and not ExportFile.objects.exists()
    assert names and not any(storage.export_storage().exists(name) for name in names)


def test_it_serves_the_clinics_patients_as_a_group(client, cast, signed_in):
    signed_in(cast.nurse)
    response = client.get(f"/fhir/Group/{cast.clinic.public_id}")
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    group = response.json()
    assert_valid(group)
    assert (group["id"], group["type"], group["actual"], group["quantity"]) == (
        str(cast.clinic.public_id), "person", True, 1,
    )  # fmt: skip
    assert group["managingEntity"]["reference"] == f"Organization/{cast.clinic.public_id}"


@pytest.mark.usefixtures("committed_db")
def test_it_is_run_by_taut_worker(client, cast, signed_in):
    signed_in(cast.lead)
    status = status_path(kickoff(client, _type="Patient"))
    call_command("worker", "--batch", verbosity=0)
    manifest = client.get(status).json()
    assert [(e["type"], e["count"]) for e in manifest["output"]] == [("Patient", 1)]
