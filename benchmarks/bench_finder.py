"""How fast does the finder answer htmx as regions are painted? (goal: under 50 ms)

Seeds the demo clinic into a temporary SQLite database, signs in as the demo clinician and
posts drawings of 1 to 40 marks to the finder as htmx does, many times. Prints the median,
95th and 99th percentile in milliseconds. Not a test: run it by hand,
``.venv/bin/python benchmarks/bench_finder.py``.
"""

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 300


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="taut-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["STATIC_ROOT"] = str(workdir / "static")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taut.settings")
    taut = Path(sys.executable).parent / "taut"
    subprocess.run([str(taut), "demo", "--no-serve"], check=True, capture_output=True, cwd=ROOT)

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from taut.accounts.models import User
    from taut.clinical.atlas import places

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="clinician"))
    session = client.session
    session["taut_started"] = session["taut_seen"] = time.time()
    session.save()

    rng = random.Random(2026)
    every = places()
    timings = []
    for run in range(RUNS):
        marks = rng.sample(every, 1 + run % 40)
        data = {"mark": [f"{region}:{side or 'mid'}" for region, side in marks]}
        for region, side in marks:
            data[f"intensity:{region}:{side or 'mid'}"] = str(rng.randint(0, 10))
        start = time.perf_counter()
        response = client.post("/atlas/", data, headers={"HX-Request": "true"})
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    timings.sort()
    print(f"finder htmx response, {RUNS} posts of 1-40 marks, demo clinic data")
    print(
        f"median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(RUNS * 0.95)]:.1f} ms, p99 {timings[int(RUNS * 0.99)]:.1f} ms, "
        f"max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
