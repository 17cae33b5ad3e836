"""The worker's half of an export: each type's resources streamed into NDJSON files.

``run_export`` claims a queued job, reads each type through its loader
(``taut.fhir.registry.KINDS``, a chunk of patients at a time), keeps what changed since
``_since``, and writes one resource per line to a temporary file that is stored once it
holds ``FHIR_EXPORT_FILE_RESOURCES`` or the type ends. Nothing grows with the clinic but a
bitmap of the patients exported (one bit per patient key, for their audit events), so
memory stays flat (``benchmarks/bench_fhir_export.py``). Every ``PROGRESS_EVERY`` resources
it writes its progress with a conditional UPDATE that also notices a cancellation (or the
job purged): then it stops and deletes what it wrote.
"""

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import IO

from django.conf import settings
from django.db import transaction
from django.db.models import F

from taut.accounts.actors import Actor
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.fhir import registry
from taut.fhir.bulk import storage
from taut.fhir.bulk.expiry import delete_files, lifetime
from taut.fhir.mapping.base import Json
from taut.fhir.mapping.outcome import operation_outcome
from taut.fhir.models import ExportFile, ExportJob
from taut.fhir.scope import Scope
from taut.patients.models import Patient

State = ExportJob.State
PROGRESS_EVERY = 1000  # resources between progress writes (and cancellation checks)
FAILED = "The export failed on the server; its log says why. Start a new export."


class Stopped(Exception):
    """The job was cancelled (or purged) while it ran."""


class PatientSet:
    """Patient keys, one bit each: 125 kB holds a million keys."""

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, key: int) -> None:
        byte = key >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1, 2 * len(self._bits)) - len(self._bits)))
        self._bits[byte] |= 1 << (key & 7)

    def __contains__(self, key: int) -> bool:
        byte = key >> 3
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << (key & 7)))


def changed_since(resource: Json, since: datetime) -> bool:
    """Whether ``resource`` changed at or after ``since`` by its ``meta.lastUpdated``
    (written to the second, so ``since`` is compared to the second too: a change in the
    same second is sent again rather than missed). No lastUpdated: not known to have
    changed, left out."""
    stamp = resource.get("meta", {}).get("lastUpdated")
    if not stamp:
        return False
    return datetime.fromisoformat(stamp) >= since.replace(microsecond=0)


class _Files:
    """The files of one type, written a line at a time, stored every ``limit`` lines."""

    def __init__(self, job: ExportJob, resource_type: str, limit: int):
        self.job, self.resource_type, self.limit = job, resource_type, limit
        self.part: IO[bytes] | None = None
        self.count = self.seq = 0

    def write(self, resource: Json) -> None:
        if self.part is None:
            self.part, self.count = storage.new_part(), 0
        line = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
        self.part.write(line.encode() + b"\n")
        self.count += 1
        if self.count >= self.limit:
            self.close()

    def close(self) -> None:
        if self.part is None:
            return
        self.seq += 1
        part, self.part = self.part, None
        name, size = storage.store(
            part, f"{self.job.public_id}/{self.resource_type}-{self.seq}.ndjson"
        )
        ExportFile.objects.create(
            job=self.job, resource_type=self.resource_type, seq=self.seq, name=name,
            count=self.count, size=size,
        )  # fmt: skip

    def discard(self) -> None:
        if self.part is not None:
            storage.discard_part(self.part)
            self.part = None


def _report(job: ExportJob, *, index: int, fraction: float) -> None:
    """Write the progress ("42% (type 3 of 12)"); ``Stopped`` if the job is no longer
    running (cancelled, purged)."""
    total = len(job.types)
    percent = min(99, int(100 * (index + min(fraction, 1.0)) / total))
    moved = ExportJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
        percent=percent, progress=f"{percent}% (type {index + 1} of {total})"
    )
    if not moved:
        raise Stopped


def _resources(job: ExportJob, scope: Scope, files: _Files, index: int, total: int, seen):
    """Write one type's resources; how many."""
    kind = registry.KINDS[job.types[index]]
    written = patients = 0
    last = None
    for loaded, (patient, resource) in enumerate(kind.load(scope), 1):
        if patient is not None and patient.pk != last:
            last, patients = patient.pk, patients + 1
        if scope.since is None or changed_since(resource, scope.since):
            files.write(resource)
            written += 1
            if patient is not None:
                seen.add(patient.pk)
        if loaded % PROGRESS_EVERY == 0:
            _report(job, index=index, fraction=patients / total if total else 0)
    files.close()
    _report(job, index=index, fraction=1.0)
    return written


def _notes(job: ExportJob) -> Iterator[Json]:
    """What the manifest's error file tells the client: parameters ignored, types gone."""
    for name in job.ignored:
        yield operation_outcome(
            "not-supported", f"The parameter {name} is not supported and was ignored.",
            severity="warning",
        )  # fmt: skip
    for name in job.types:
        if name not in registry.KINDS:
            yield operation_outcome("not-supported", f"{name} is no longer served; not exported.")


def _audit(job: ExportJob, seen: PatientSet, *, now: datetime) -> int:
    """One ``export`` event per patient with a resource in the files, naming the job, as
    its requester (or the app, for a backend service); how many patients."""
    if job.requested_by is not None:
        actor = Actor.staff(job.requested_by, now=now)
    else:
        actor = Actor.system(f"app {job.client_id}"[:150], now=now, clinic=job.clinic)
    scope = Scope(clinic=job.clinic, base=job.base_url)
    count = 0
    for chunk in scope.patients():
        with transaction.atomic():
            for patient in chunk:
                if patient.pk in seen:
                    record_event(
                        actor=actor, action=Action.EXPORT, patient=patient,
                        object_type=ExportJob.AUDIT_TYPE, object_id=str(job.public_id),
                        details={"client": job.client_id, "step": "written"},
                    )  # fmt: skip
                    count += 1
    return count


def run_export(*, job_id: str, now: datetime, clock: Callable[[], datetime]) -> str:
    """Run the queued job ``job_id`` (a public id): what happened ("done", "cancelled",
    "not queued"). ``now`` is its transactionTime; ``clock`` stamps its end. A failure
    marks the job failed, deletes its files and is raised again for the worker's log."""
    claimed = ExportJob.objects.filter(public_id=job_id, state=State.QUEUED).update(
        state=State.RUNNING, transaction_time=now, progress="0%", version=F("version") + 1
    )
    if not claimed:
        return "not queued"
    job = ExportJob.objects.select_related("clinic", "requested_by").get(public_id=job_id)
    scope = Scope(clinic=job.clinic, base=job.base_url, since=job.since)
    total = Patient.objects.filter(clinic=job.clinic).count()
    seen = PatientSet()
    files: _Files | None = None
    try:
        for index, name in enumerate(job.types):
            if name not in registry.KINDS:
                continue
            files = _Files(job, name, settings.FHIR_EXPORT_FILE_RESOURCES)
            _resources(job, scope, files, index, total, seen)
        files = _Files(job, "OperationOutcome", settings.FHIR_EXPORT_FILE_RESOURCES)
        for note in _notes(job):
            files.write(note)
        files.close()
        patients = _audit(job, seen, now=clock())
        finished = clock()
        done = ExportJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
            state=State.DONE, percent=100, progress="100%", patients=patients,
            finished_at=finished, expires_at=finished + lifetime(), version=F("version") + 1,
        )  # fmt: skip
        if not done:
            raise Stopped
    except Stopped:
        if files is not None:
            files.discard()
        delete_files(job)
        return "cancelled"
    except Exception:
        if files is not None:
            files.discard()
        ExportJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
            state=State.FAILED, error=FAILED, progress="Failed", finished_at=clock(),
            version=F("version") + 1,
        )  # fmt: skip
        delete_files(job)
        raise
    return "done"
