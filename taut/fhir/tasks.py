"""Tasks run by ``taut worker`` for the Bulk Data export: thin wrappers taking ids.

The task is the edge: it reads the clock and hands it on. An export runs on the "default"
queue (decision 0045: a 10,000-patient export takes minutes; a clinic that runs them often
can add an "export" queue and a worker for it). When it is done, the purge of its files is
queued for the moment they expire.
"""

from django.tasks import task
from django.utils import timezone

from taut.fhir.bulk.expiry import purge_exports
from taut.fhir.bulk.running import run_export
from taut.fhir.models import ExportJob


@task()
def export_task(job_id: str) -> str:
    """Run one export job (``taut.fhir.bulk.running.run_export``)."""
    outcome = run_export(job_id=job_id, now=timezone.now(), clock=timezone.now)
    if outcome == "done":
        expires = ExportJob.objects.values_list("expires_at", flat=True).get(public_id=job_id)
        purge_exports_task.using(run_after=expires).enqueue()
    return outcome


@task()
def purge_exports_task() -> int:
    """Delete the export jobs past their expiry, with their files; how many."""
    return purge_exports(now=timezone.now())
