"""Does the FHIR Bulk Data export stream in flat memory as the clinic grows?

Seeds (or reuses) the demo scaled up with ``taut seed-scale --patients N --clinics 1`` on a
SQLite file (default ``var/fhir-export-bench.sqlite3``; ``--fresh`` starts again): the demo
clinic's 200 patients and the rest in one further clinic. Then, for each clinic, its lead
kicks off a system-level ``$export`` (every type in ``taut.fhir.registry.KINDS``) and the
job is run in this process exactly as ``taut worker`` runs it (``run_export``), writing
NDJSON files to a scratch folder (deleted afterwards). Prints, per clinic and in all:
patients, resources, MB written, seconds, the peak of Python's allocations (tracemalloc)
and the process's peak resident size (``ru_maxrss``). ``--no-trace`` times without
tracemalloc (which slows Python down about twofold).

Not a test: run it by hand, e.g. ``.venv/bin/python benchmarks/bench_fhir_export.py``;
compare ``--patients 2000 --database var/fhir-export-bench-2000.sqlite3``.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def taut(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "taut.cli", *args], cwd=ROOT, check=True)


def megabytes(size: float, traced: bool) -> str:
    return f"{size / 2**20:.1f}" if traced else "(not traced)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--database", default=str(ROOT / "var" / "fhir-export-bench.sqlite3"))
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--no-trace", dest="trace", action="store_false")
    options = parser.parse_args()
    database = Path(options.database)
    database.parent.mkdir(exist_ok=True)
    if options.fresh and database.exists():
        database.unlink()
    scratch = tempfile.mkdtemp(prefix="taut-fhir-export-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["FHIR_EXPORT_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taut.settings")
    taut("migrate", "--verbosity", "0")

    import django

    django.setup()
    from django.utils import timezone

    from taut.accounts.actors import Actor
    from taut.accounts.models import Clinic, User
    from taut.accounts.roles import Role
    from taut.fhir import registry
    from taut.fhir.bulk.callers import Exporter
    from taut.fhir.bulk.kickoff import Kickoff
    from taut.fhir.bulk.running import run_export
    from taut.fhir.bulk.services import start_export
    from taut.fhir.models import ExportJob
    from taut.patients.models import Patient

    if Patient.objects.count() < options.patients:
        taut("seed-scale", "--patients", str(options.patients), "--clinics", "1")
    print(f"{'clinic':<12} {'patients':>8} {'resources':>10} {'MB out':>7} {'s':>7} "
          f"{'MB peak (tracemalloc)':>22}")  # fmt: skip
    totals = [0, 0, 0, 0.0, 0]
    try:
        for clinic in Clinic.objects.order_by("pk"):
            lead = User.objects.filter(clinic=clinic, role=Role.CLINIC_LEAD).first()
            if lead is None:
                continue
            exporter = Exporter(clinic=clinic, user=lead, client_id="",
                                readable=frozenset(registry.KINDS))  # fmt: skip
            job = start_export(
                exporter=exporter, actor=Actor.staff(lead, now=timezone.now()),
                level=ExportJob.Level.SYSTEM, kickoff=Kickoff(types=None, since=None, ignored=()),
                exportable=tuple(registry.KINDS), request_url="http://bench/fhir/$export",
                base_url="http://bench/fhir",
            )  # fmt: skip
            if options.trace:
                tracemalloc.start()
            started = time.perf_counter()
            outcome = run_export(job_id=str(job.public_id), now=timezone.now(), clock=timezone.now)
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if options.trace else 0
            tracemalloc.stop()
            assert outcome == "done", outcome
            job.refresh_from_db()
            files = list(job.files.all())
            count, size = sum(f.count for f in files), sum(f.size for f in files)
            print(f"{clinic.slug:<12} {job.patients:>8} {count:>10} {size / 2**20:>7.1f} "
                  f"{seconds:>7.1f} {megabytes(peak, options.trace):>22}")  # fmt: skip
            for i, value in enumerate((job.patients, count, size, seconds)):
                totals[i] += value
            totals[4] = max(totals[4], peak)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    patients, count, size, seconds, peak = totals
    print(f"{'all':<12} {patients:>8} {count:>10} {size / 2**20:>7.1f} {seconds:>7.1f} "
          f"{megabytes(peak, options.trace):>22}")  # fmt: skip
    print(f"process peak resident size: {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
