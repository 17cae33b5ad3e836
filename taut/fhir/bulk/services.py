"""Starting, cancelling and purging export jobs: the writes of the requests' half.

Each takes the caller (``Exporter``) and the moment from the edge. Starting a job queues its
task in the same transaction (the database queue, decision 0006), so a job and its task
exist together or not at all.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from taut.accounts.actors import Actor
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.fhir.bulk.callers import Exporter
from taut.fhir.bulk.expiry import delete_files, lifetime
from taut.fhir.bulk.kickoff import Kickoff
from taut.fhir.models import ExportJob
from taut.fhir.tasks import export_task

State = ExportJob.State


@dataclass(frozen=True)
class Refused(Exception):
    """The caller may not read ``types`` (403)."""

    types: tuple[str, ...]


def start_export(
    *,
    exporter: Exporter,
    actor: Actor,
    level: str,
    kickoff: Kickoff,
    exportable: tuple[str, ...],
    request_url: str,
    base_url: str,
) -> ExportJob:
    """A queued job for ``kickoff`` at ``level``, audited as one ``export`` event naming
    the job (each patient's own event follows when the files are written). Types asked for
    that the caller may not read refuse the whole request (``Refused``); without ``_type``
    the job takes the level's types the caller may read, and refuses only if none."""
    if kickoff.types is not None:
        denied = tuple(t for t in kickoff.types if t not in exporter.readable)
        if denied:
            raise Refused(denied)
        types = kickoff.types
    else:
        types = tuple(t for t in exportable if t in exporter.readable)
        if not types:
            raise Refused(exportable)
    now = actor.now
    with transaction.atomic():
        job = ExportJob.objects.create(
            clinic=exporter.clinic,
            requested_by=exporter.user,
            client_id=exporter.client_id,
            level=level,
            types=list(types),
            since=kickoff.since,
            request_url=request_url,
            base_url=base_url,
            ignored=list(kickoff.ignored),
            progress="Queued",
            created_at=now,
            expires_at=now + lifetime(),
        )
        record_event(
            actor=actor,
            action=Action.EXPORT,
            obj=job,
            details={
                "level": level,
                "types": list(types),
                "since": kickoff.since.isoformat() if kickoff.since else "",
                "client": exporter.client_id,
                "step": "requested",
            },
        )
        export_task.enqueue(str(job.public_id))
    return job


def cancel_export(*, job: ExportJob, actor: Actor) -> None:
    """Cancel ``job`` (the client's DELETE): a running job stops at its next chunk, and the
    files written so far are deleted now (the worker deletes any it writes after)."""
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            state=State.CANCELLED,
            progress="Cancelled",
            finished_at=actor.now,
            version=F("version") + 1,
        )
        record_event(actor=actor, action=Action.DELETE, obj=job, details={"step": "cancelled"})
    delete_files(job)
