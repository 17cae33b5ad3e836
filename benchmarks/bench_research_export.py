"""Does the de-identified research export stream in flat memory as the clinic grows?

Seeds (or reuses) a clinic network with ``taut seed-scale --patients N`` on a SQLite file
(default ``var/export-bench.sqlite3``; ``--fresh`` starts again), stores each signed
session's outcome (``taut refresh-next-steps``) where a clinic has none yet, then streams each
table of the clinic with the most sessions, as CSV and as Parquet, through the same
generators the download view returns. Prints rows, seconds, and the peak of Python's
allocations (tracemalloc) once 10 % of the CSV rows, or the first Parquet row group, had
gone, and at the end; exits 1 if the
final peak is more than twice the early one plus 16 MB (the Parquet row group of 5,000
rows is the largest thing held).

Not a test: run it by hand, e.g. ``.venv/bin/python benchmarks/bench_research_export.py``.
"""

import argparse
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def taut(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "taut.cli", *args], cwd=ROOT, check=True)


def measure(chunks, early_after: int):
    """Stream ``chunks``; the tracemalloc peak after ``early_after`` chunks and at the end."""
    tracemalloc.start()
    started = time.perf_counter()
    early, size = None, 0
    for seen, chunk in enumerate(chunks, 1):
        size += len(chunk)
        if early is None and seen >= early_after:
            early = tracemalloc.get_traced_memory()[1]
    final = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return time.perf_counter() - started, early or final, final, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--database", default=str(ROOT / "var" / "export-bench.sqlite3"))
    parser.add_argument("--fresh", action="store_true")
    options = parser.parse_args()
    database = Path(options.database)
    database.parent.mkdir(exist_ok=True)
    if options.fresh and database.exists():
        database.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taut.settings")
    taut("migrate", "--verbosity", "0")

    import django

    django.setup()
    from django.db.models import Count

    from taut.accounts.models import Clinic, User
    from taut.accounts.roles import Need, Role
    from taut.analytics.export import TABLES, ResearchExport, csv_chunks, parquet_chunks
    from taut.outcomes.models import SessionOutcome
    from taut.patients.access import patients_for_user
    from taut.patients.models import Patient

    if Patient.objects.count() < options.patients:
        taut("seed-scale", "--patients", str(options.patients))
    # The seeder's copies of the demo clinic have no stored outcomes until computed.
    if SessionOutcome.objects.values("clinic").distinct().count() < Clinic.objects.count():
        taut("refresh-next-steps")
    biggest = SessionOutcome.objects.values("clinic").annotate(n=Count("pk")).order_by("-n").first()
    if biggest is None:
        print("No signed sessions to export.")
        return 1
    lead = User.objects.filter(clinic_id=biggest["clinic"], role=Role.CLINIC_LEAD).first()
    assert lead is not None, "the seeded clinic has a clinic lead"
    export = ResearchExport(
        clinic=lead.clinic, patients=patients_for_user(lead, need=Need.EXPORT_RESEARCH)
    )
    failed = False
    print(
        f"{'table':<10} {'format':<8} {'rows':>8} {'s':>7} {'MB early':>9} {'MB end':>8} {'MB out':>7}"
    )
    for name, table in TABLES.items():
        rows = export.counts(name)["rows"]
        # CSV: a chunk per row, measured after 10 % of them; Parquet: a chunk per row group.
        for kind, writer, early_after in (
            ("csv", csv_chunks, max(rows // 10, 1)),
            ("parquet", parquet_chunks, 1),
        ):
            chunks = writer(export.rows(name), table)
            seconds, early, final, size = measure(chunks, early_after)
            flat = final <= 2 * early + 16 * 2**20
            failed |= not flat
            print(
                f"{name:<10} {kind:<8} {rows:>8} {seconds:>7.2f} {early / 2**20:>9.1f} "
                f"{final / 2**20:>8.1f} {size / 2**20:>7.1f}{'' if flat else '  GROWS'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
