"""How long export files are kept, and deleting them (decision 0045).

A finished job's files stay ``FHIR_EXPORT_HOURS`` (default 24) after it finished; a job is
never served after ``expires_at`` (404), and is purged (rows and files) by the worker at
that moment (``taut.fhir.tasks.purge_exports_task``, queued with ``run_after``) or by
``taut purge-exports`` (for cron, should the worker have been down then).
"""

from datetime import datetime, timedelta

from django.conf import settings

from taut.fhir.bulk import storage
from taut.fhir.models import ExportFile, ExportJob


def lifetime() -> timedelta:
    return timedelta(hours=settings.FHIR_EXPORT_HOURS)


def delete_files(job: ExportJob) -> None:
    """Delete ``job``'s stored files and their rows."""
    files = list(ExportFile.objects.filter(job=job).values_list("pk", "name"))
    storage.delete([name for _, name in files])
    ExportFile.objects.filter(pk__in=[pk for pk, _ in files]).delete()


def purge_exports(*, now: datetime) -> int:
    """Delete every job past its expiry, with its files; how many."""
    expired = list(ExportJob.objects.filter(expires_at__lte=now))
    for job in expired:
        delete_files(job)
        job.delete()
    return len(expired)
