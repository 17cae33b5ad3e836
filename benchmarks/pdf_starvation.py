"""Can people downloading PDFs starve the server? The benchmark issue 16 asks for.

Before decision 0019 a note, handout or outcomes PDF was rendered by WeasyPrint inside the
request (about 0.6 s of CPU each): six people printing at once took every gunicorn worker,
and the login page's median went from 4 ms to 1.6 s. Now the worker renders each PDF once
and a download serves the stored bytes. The aim: six users downloading PDFs at once keep
the login page's median at or under 50 ms.

What it does: a fresh database (SQLite in a temporary folder; or the one ``DATABASE_URL``
names: a throwaway PostgreSQL database, which it migrates and seeds), the demo clinic with
``--patients`` patients, the PDFs of ``--documents`` signed sessions rendered and stored as
``taut worker`` would (note, aftercare handout, the patient's outcomes summary) plus the
clinic's public handout; then gunicorn (``--workers`` processes of 4 threads, as ``taut
serve``; ``--worker-class sync`` to compare; decisions 0023 and 0034) and:

1. the login page alone: ``--seconds`` of sequential GETs, median and p95;
2. the same while ``--users`` processes, each signed in with its own session, download
   those PDFs in a loop with no pause (``--pause`` to add one; each checks it got a PDF,
   not the "Preparing" page).

It prints both medians and whether the aim holds, and checks that no gunicorn worker loaded
Pango, WeasyPrint's renderer (so no request rendered). Exits 1 if the aim is missed. Not a
test: run it by hand,

    .venv/bin/python benchmarks/pdf_starvation.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taut_bench .venv/bin/python benchmarks/pdf_starvation.py

Measured on this 2-core machine while other sessions kept its load average at 7 to 15,
6 users, 10 s per phase; login page median / p95 in ms (decision 0034 has every run and the
reason):

    database    gunicorn                         alone         while 6 users download   downloads/s
    SQLite      3 sync workers                   2.2 / 10.6    127.2 / 196.4  MISSED    34
    SQLite      2 sync workers                   1.8 / 6.8     109.9 / 150.6  MISSED    46
    SQLite      3 gthread workers x 4 threads    2.1 / 5.1       5.6 / 32.0   holds     73
    SQLite      2 gthread workers x 4 threads    1.6 / 6.9       3.4 / 39.3   holds     73
    PostgreSQL  3 sync workers                   2.7 / 7.8      92.0 / 144.2  MISSED    49
    PostgreSQL  3 gthread workers x 4 threads    2.0 / 3.6       5.9 / 28.6   holds    103
    quieter (load 4 to 5, after MFA and throttles were merged):
    SQLite      3 sync workers                   1.9 / 2.8      36.8 / 63.1   holds    110
    SQLite      3 gthread workers x 4 threads    2.0 / 2.8       4.1 / 20.3   holds    115

Before decision 0019 (PDFs rendered in the request) the login median went from 4 ms to
1.6 s. With sync workers no request renders either, but each download's audit row waits
for the disk while holding its worker, and the login page queues behind them.
"""

import argparse
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AIM_MEDIAN_MS = 50.0


def setup(database_url: str, static_root: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["STATIC_ROOT"] = static_root
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taut.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def seed(patients: int, documents: int) -> tuple[str, list[str]]:
    """Seed the demo clinic, store the PDFs of ``documents`` signed sessions, and return the
    login page's path and the paths to download."""
    from django.urls import reverse
    from django.utils import timezone

    from taut.demo.seed import seed_demo
    from taut.public import handout
    from taut.visits.models import PrintedDocument, Visit
    from taut.workflows.rendering import render_document

    now = timezone.now()
    result = seed_demo(patients_wanted=patients, now=now)
    clinic = result.clinic
    signed = (
        Visit.objects.filter(patient__clinic=clinic, state=Visit.State.SIGNED)
        .select_related("patient")
        .order_by("-scheduled_for", "pk")
    )
    visits, seen = [], set()
    for visit in signed:
        if visit.patient_id not in seen:
            seen.add(visit.patient_id)
            visits.append(visit)
        if len(visits) == documents:
            break
    Kind = PrintedDocument.Kind
    paths = []
    for visit in visits:
        for kind, subject in (
            (Kind.NOTE, visit.public_id),
            (Kind.AFTERCARE, visit.public_id),
            (Kind.OUTCOMES, visit.patient.public_id),
        ):
            render_document(kind=kind, subject=str(subject), now=now)
        paths += [
            reverse("visits:pdf", args=[visit.patient.public_id, visit.public_id]),
            reverse("aftercare:instructions_pdf", args=[visit.patient.public_id, visit.public_id]),
            reverse("outcomes:summary_pdf", args=[visit.patient.public_id]),
        ]
    handout.render_handout(clinic_id=clinic.pk, language="en", now=now)
    paths.append(reverse("public:handout", args=[clinic.slug, "en"]))
    return reverse("accounts:login"), paths


def session_cookies(users: int) -> list[str]:
    """One signed-in session per user (clinician and nurse in turn), as the login view
    leaves it."""
    from django.conf import settings
    from django.test import Client

    from taut.accounts.models import User
    from taut.tests.cast import sign_in

    staff = [User.objects.get(username="clinician"), User.objects.get(username="nurse")]
    cookies = []
    for number in range(users):
        client = sign_in(Client(), staff[number % len(staff)])
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={value}")
    return cookies


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, cookie: str = "") -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (localhost)
        return response.status, response.headers.get("Content-Type", ""), response.read()


def timed_gets(url: str, seconds: float) -> list[float]:
    """Sequential GETs of ``url`` for ``seconds``: each one's time in ms."""
    times = []
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        start = time.perf_counter()
        status, _, _ = get(url)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"{url}: status {status}")
    return times


def downloader(
    base: str, paths: list[str], cookie: str, pause: float, stop, counts, failures, number
) -> None:
    """One user: download the PDFs in turn, ``pause`` seconds apart, until ``stop`` is set."""
    done = bad = 0
    while not stop.is_set():
        for path in paths:
            try:
                _, kind, body = get(base + path, cookie)
                ok = kind == "application/pdf" and body.startswith(b"%PDF")
            except (urllib.error.URLError, OSError):
                ok = False
            done, bad = done + ok, bad + (not ok)
            if stop.wait(pause) if pause else stop.is_set():
                break
    counts[number], failures[number] = done, bad


def loaded_pango(master: int) -> list[int]:
    """The gunicorn workers (children of ``master``) that have Pango, WeasyPrint's
    renderer, mapped into memory: any that rendered a PDF."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == master and "libpango" in (entry / "maps").read_text():
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(len(ordered) * share) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument(
        "--worker-class", default="gthread", help="gunicorn worker class (gthread, as taut serve)"
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gthread worker (4, as taut serve)"
    )
    parser.add_argument("--users", type=int, default=6, help="users downloading (default 6)")
    parser.add_argument("--seconds", type=float, default=10, help="per phase (default 10)")
    parser.add_argument("--patients", type=int, default=12, help="demo patients (default 12)")
    parser.add_argument("--documents", type=int, default=3, help="signed sessions printed")
    parser.add_argument(
        "--pause",
        type=float,
        default=0,
        help="seconds each user waits between downloads (default 0: a tight loop, the worst case)",
    )
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="taut-pdf-starvation-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite3"
    print(f"Database: {database_url.split('@')[-1]}; seeding {args.patients} patients…", flush=True)
    setup(database_url, f"{scratch}/static")
    login_path, paths = seed(args.patients, args.documents)
    cookies = session_cookies(args.users)
    from django import db

    db.connections.close_all()  # the downloaders are forked: no shared connection

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    # gunicorn turns sync workers with threads into gthread ones: threads only for gthread.
    threads = ["--threads", str(args.threads)] if args.worker_class == "gthread" else []
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "taut.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--worker-class", args.worker_class, *threads,
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        for path in paths:  # each a stored PDF, not the "Preparing the PDF…" page
            _, kind, body = get(base + path, cookies[0])
            if kind != "application/pdf" or not body.startswith(b"%PDF"):
                raise SystemExit(f"{path} did not serve a stored PDF ({kind})")
        login = base + login_path
        timed_gets(login, 1)  # warm every worker
        alone = timed_gets(login, args.seconds)
        load_before = os.getloadavg()[0]

        context = multiprocessing.get_context("fork")
        stop = context.Event()
        counts = context.Array("i", args.users)
        failures = context.Array("i", args.users)
        users = [
            context.Process(
                target=downloader,
                args=(base, paths, cookies[n], args.pause, stop, counts, failures, n),
            )
            for n in range(args.users)
        ]
        for user in users:
            user.start()
        time.sleep(1)  # every user mid-loop
        loaded = timed_gets(login, args.seconds)
        stop.set()
        for user in users:
            user.join()
        load_after = os.getloadavg()[0]
        rendered_in = loaded_pango(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)

    downloads = sum(counts)
    median_alone, median_loaded = statistics.median(alone), statistics.median(loaded)
    holds = median_loaded <= AIM_MEDIAN_MS and not rendered_in and not sum(failures)
    print(
        f"\n{args.workers} {args.worker_class} gunicorn workers"
        f"{f' × {args.threads} threads' if threads else ''}, {args.users} users downloading "
        f"{len(paths)} PDFs in a loop, {args.pause:g} s apart (note, handout, outcomes summary × {args.documents}, "
        f"public handout), {args.seconds:.0f} s per phase; load average {load_before:.1f} → "
        f"{load_after:.1f} on {os.cpu_count()} cores.\n"
    )
    print(f"{'login page':28} {'median ms':>10} {'p95 ms':>8} {'requests':>9}")
    print(f"{'alone':28} {median_alone:10.1f} {percentile(alone, 0.95):8.1f} {len(alone):9d}")
    print(
        f"{'while PDFs download':28} {median_loaded:10.1f} "
        f"{percentile(loaded, 0.95):8.1f} {len(loaded):9d}"
    )
    print(
        f"\nPDF downloads: {downloads} in {args.seconds + 1:.0f} s "
        f"({downloads / (args.seconds + 1):.0f}/s), {sum(failures)} failed or not a PDF."
    )
    print(
        "No gunicorn worker loaded Pango (WeasyPrint): no request rendered a PDF."
        if not rendered_in
        else f"Gunicorn workers {rendered_in} loaded Pango: a request rendered a PDF."
    )
    verdict = "holds" if holds else "MISSED"
    print(
        f"\nAim: login median ≤ {AIM_MEDIAN_MS:.0f} ms while {args.users} users download: {verdict}."
    )
    return 0 if holds else 1


if __name__ == "__main__":
    sys.exit(main())
