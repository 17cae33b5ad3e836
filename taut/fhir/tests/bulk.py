"""Helpers for the Bulk Data tests: a kick-off as a client sends it, the queued exports run
in the test's own process as ``taut worker`` would run them, the NDJSON files read back."""

import json

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from taut.fhir.tasks import export_task

HEADERS = {"Accept": "application/fhir+json", "Prefer": "respond-async"}


def kickoff(client, route="fhir:export", *, args=(), headers=None, **params):
    return client.get(reverse(route, args=args), params, headers=HEADERS | (headers or {}))


def status_path(response) -> str:
    """The path of the status URL a 202 kick-off named in Content-Location."""
    location = response["Content-Location"]
    assert location.startswith("http://testserver/fhir/bulk/")
    return location.removeprefix("http://testserver")


def run_exports() -> list[str]:
    """Run every queued export now, taking it off the queue; what each did."""
    waiting = DBTaskResult.objects.ready().filter(task_path=export_task.module_path)
    done = []
    for task in list(waiting):
        done.append(export_task.call(*task.args_kwargs["args"]))
        task.delete()
    return done


def lines(client, url) -> list[dict]:
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/fhir+ndjson"
    body = b"".join(response.streaming_content).decode()
    assert body.endswith("\n")
    return [json.loads(line) for line in body.splitlines()]
