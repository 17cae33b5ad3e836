"""Is every page fast at 50,000 patients? The benchmark issue 13 asks for.

Seeds (or reuses) a clinic network of ``--patients`` synthetic patients (``taut seed-scale``)
on the database ``DATABASE_URL`` names (default: ``var/scale.sqlite3``), then:

1. every staff page a clinician (and, for the clinic pages, the clinic lead) can open with a
   GET: the lists, the worklist and each of its sections, a rich patient's chart and each
   chart section, each visit page of a signed visit, the finder and the muscle pages, search
   by name, MRN and date of birth, the note, handout and outcomes PDFs (rendered first, as the
   worker would, so the stored bytes are served); and the patient's portal pages.
   Each is requested in-process through Django's full stack (middleware, access gate, audit)
   ``--requests`` times after one warm-up: p50 and p95 in ms, queries per request, bytes,
   and EXPLAIN of each of its queries, naming any large table read without an index
   (benchmarks/plans.py);
2. requests per second under ``--clients`` concurrent clients (wrk, else Python threads) for
   the chart, the day list and the worklist, against the floor (``/healthz``) served by the
   same gunicorn with the same settings (one sync worker per core, as ``taut serve``).

Prints a table and exits 1 if a page misses the aims (staff pages p95 <= 100 ms and <= 15
queries, every large table read through an index; the worklist with its sections <= 150 ms
in total; PDFs <= 20 ms; chart, day list and worklist throughput >= half the floor's). Not a test: run it by hand, e.g.

    .venv/bin/python benchmarks/scale.py                       # SQLite, var/scale.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taut_scale .venv/bin/python benchmarks/scale.py
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import plans  # benchmarks/plans.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AIM_P95_MS = 100.0
AIM_QUERIES = 15
AIM_WORKLIST_MS = 150.0
AIM_PDF_MS = 20.0
AIM_THROUGHPUT = 0.5


@dataclass
class Row:
    label: str
    url: str
    status: int
    p50: float
    p95: float
    queries: int
    size: int
    scans: list[str]
    aim_ms: float | None = AIM_P95_MS
    aim_queries: int | None = AIM_QUERIES

    def misses(self) -> list[str]:
        out = []
        if self.status != 200:
            out.append(f"status {self.status}")
        if self.aim_ms is not None and self.p95 > self.aim_ms:
            out.append(f"p95 {self.p95:.1f} > {self.aim_ms:.0f} ms")
        if self.aim_queries is not None and self.queries > self.aim_queries:
            out.append(f"{self.queries} > {self.aim_queries} queries")
        out += [f"reads {scan} without an index" for scan in self.scans]
        return out


# The tables large enough that a page must not read them whole ({table: rows}), counted once
# after seeding (plans.large_tables).
LARGE: dict[str, int] = {}


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taut.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 405 probes, 403s
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Pages and gunicorn serve the hashed, compressed files of production (decision 0023).
    call_command("collectstatic", interactive=False, verbosity=0)


def ensure_seeded(patients: int, seed: int) -> None:
    from django.core.management import call_command

    from taut.patients.models import Patient

    have = Patient.objects.count()
    if have >= patients:
        print(f"Reusing {have:,} patients.")
        return
    print(f"Seeding {patients:,} patients (have {have:,})…", flush=True)
    start = time.perf_counter()
    call_command("seed_scale", patients=patients, seed=seed)
    print(f"Seeded in {time.perf_counter() - start:.0f} s.", flush=True)


def measure(
    client, url: str, runs: int, **headers
) -> tuple[int, float, float, int, int, list[str]]:
    """Status, p50 and p95 in ms, queries, bytes, and the large tables a query of the page
    reads whole (EXPLAIN of the last request's queries: benchmarks/plans.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, **headers)  # warm-up
    times, queries, size = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, **headers)
            if getattr(response, "streaming", False):
                size = len(b"".join(response.streaming_content))
            else:
                size = len(response.content)
            times.append((time.perf_counter() - start) * 1000)
        queries = max(queries, len(captured.captured_queries))
    times.sort()
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    scans = plans.full_scans(connection, [q["sql"] for q in captured.captured_queries], LARGE)
    return response.status_code, statistics.median(times), p95, queries, size, scans


def staff_client(user):
    from django.test import Client

    from taut.tests.cast import sign_in

    return sign_in(Client(), user)


def sample(clinic):
    """A rich patient of ``clinic`` (most signed visits), their latest signed visit and
    latest drawing."""
    from django.db.models import Count

    from taut.drawings.models import PainDrawing
    from taut.patients.models import Patient
    from taut.visits.models import Visit

    signed = Visit.objects.filter(patient__clinic=clinic, state=Visit.State.SIGNED)
    top = signed.values("patient").annotate(n=Count("id")).order_by("-n", "patient").first()
    patient = Patient.objects.get(pk=top["patient"])
    visit = signed.filter(patient=patient).order_by("-scheduled_for").first()
    drawing = PainDrawing.objects.filter(patient=patient).order_by("-pk").first()
    return patient, visit, drawing


def store_pdfs(patient, visit) -> list[str]:
    """Render the sample's PDFs as ``taut worker`` would (docs/decisions/0019), so the
    downloads measure serving the stored bytes, not the "Preparing the PDF…" page: a
    seeded replica's PDFs are not rendered until someone asks."""
    from django.utils import timezone

    from taut.visits.models import PrintedDocument
    from taut.workflows.rendering import render_document

    Kind = PrintedDocument.Kind
    subjects = [(Kind.OUTCOMES, patient.public_id)]
    if visit is not None:
        subjects += [(Kind.NOTE, visit.public_id), (Kind.AFTERCARE, visit.public_id)]
    return [
        f"{kind} {render_document(kind=kind, subject=str(subject), now=timezone.now())}"
        for kind, subject in subjects
    ]


def staff_urls(patient, visit, drawing, user) -> list[tuple[str, str, dict]]:
    """(label, url, headers) for every GET page of the resolver a clinician may open."""
    from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

    values = {
        "patient_id": patient.public_id,
        "visit_id": visit.public_id if visit else None,
        "drawing_id": drawing.public_id if drawing else None,
        "muscle_id": "trapezius_upper",
        "kind": "allergies",
        "user_id": user.public_id if hasattr(user, "public_id") else None,
    }
    skip = re.compile(
        r"(logout|sign_out|login|sign_in|remove|retire|retry|cancel|move|no_show|arrival|"
        r"sign$|addendum|decide|record_function|here|password|entry_add|preview|end$)"
    )

    def walk(patterns, namespace=None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                yield namespace, entry

    out = []
    for namespace, entry in walk(get_resolver().url_patterns):
        if namespace in (None, "admin") or skip.search(entry.name):
            continue
        if namespace == "portal" and entry.name != "chart_section":
            continue  # the patient's pages: portal_urls
        name = f"{namespace}:{entry.name}"
        kwargs = {k: values.get(k) for k in entry.pattern.converters}
        if any(v is None for v in kwargs.values()):
            continue
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        htmx = {"HTTP_HX_REQUEST": "true"} if "section" in entry.name else {}
        out.append((name, url, htmx))
    return out


def portal_urls(patient, now) -> list[tuple[str, str]]:
    """The patient's pages: home through an emailed link, sign-in, a pending check-in."""
    from django.urls import reverse

    from taut import links
    from taut.aftercare.models import CheckIn

    urls = [
        ("portal: home", reverse("portal:home", args=[links.home_token(patient, now=now)])),
        ("portal: sign-in", reverse("portal:login")),
    ]
    today = now.astimezone(patient.clinic.zone()).date()
    pending = (
        CheckIn.objects.filter(patient__clinic=patient.clinic, completed_at__isnull=True)
        .filter(due_on__lte=today)
        .order_by("-due_on", "pk")
        .first()
    )
    if pending is not None:
        urls.append(
            ("portal: check-in", reverse("portal:checkin", args=[links.checkin_token(pending)]))
        )
    return urls


def run_pages(args) -> list[Row]:
    from django.utils import timezone

    from taut.accounts.models import Clinic, User
    from taut.accounts.roles import Role

    clinic = max(Clinic.objects.all(), key=lambda c: c.patients.count())
    clinician = User.objects.filter(clinic=clinic, role=Role.CLINICIAN).order_by("pk").first()
    lead = User.objects.filter(clinic=clinic, role=Role.CLINIC_LEAD).order_by("pk").first()
    patient, visit, drawing = sample(clinic)
    stored = store_pdfs(patient, visit)
    print(f"PDFs of the sample patient: {', '.join(stored)}.")
    rows: list[Row] = []
    client = staff_client(clinician)
    lead_client = staff_client(lead) if lead else None
    for label, url, headers in staff_urls(patient, visit, drawing, clinician):
        use = client
        if label.startswith(("accounts:", "audit:")) and lead_client is not None:
            use, label = lead_client, f"{label} (lead)"
        if use.get(url, **headers).status_code == 405:
            continue  # a form's POST target: not a page
        measured = measure(use, url, args.requests, **headers)
        pdf = url.endswith(".pdf") or "/pdf" in url
        row = Row(label, url, *measured, aim_ms=AIM_PDF_MS if pdf else AIM_P95_MS)
        if "export" in label:  # a download that grows with the period asked for: reported only
            row.aim_ms = row.aim_queries = None
        rows.append(row)
    name = patient.family_name[:3]
    for label, query in (
        ("search: name prefix", name),
        ("search: MRN prefix", patient.mrn[:4]),
        ("search: date of birth", patient.date_of_birth.isoformat()),
    ):
        url = f"/patients/?q={urllib.parse.quote(query)}"
        rows.append(Row(label, url, *measure(client, url, args.requests)))
    for label, url in portal_urls(patient, timezone.now()):
        from django.test import Client

        rows.append(Row(label, url, *measure(Client(), url, args.requests)))
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def python_load(url: str, cookie: str, clients: int, seconds: float) -> float:
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def worker(n: int) -> None:
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
        while time.perf_counter() < stop:
            with urllib.request.urlopen(request) as response:  # noqa: S310 (localhost only)
                response.read()
            done[n] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def wrk_load(url: str, cookie: str, clients: int, seconds: float) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} failed responses under load")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def run_throughput(args, chart_url: str) -> list[tuple[str, float, float]]:
    from django.conf import settings

    from taut.accounts.models import Clinic, User
    from taut.accounts.roles import Role

    clinic = max(Clinic.objects.all(), key=lambda c: c.patients.count())
    clinician = User.objects.filter(clinic=clinic, role=Role.CLINICIAN).order_by("pk").first()
    client = staff_client(clinician)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = free_port()
    workers = str(args.workers or os.cpu_count() or 2)
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "taut.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", workers, "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz").read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        load = wrk_load if shutil.which("wrk") else python_load
        print(f"Throughput: {load.__name__}, {args.clients} clients, {workers} workers…")
        floor = load(f"{base}/healthz", cookie, args.clients, args.seconds)
        results = [("/healthz (floor)", floor, 1.0)]
        for label, path in (
            ("chart", chart_url),
            ("day list", "/patients/today/"),
            ("worklist", "/patients/worklist/"),
        ):
            rate = load(base + path, cookie, args.clients, args.seconds)
            results.append((label, rate, rate / floor))
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: cores)")
    parser.add_argument("--no-load", action="store_true", help="skip the throughput part")
    parser.add_argument("--no-pages", action="store_true", help="only the throughput part")
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    setup(os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'scale.sqlite3'}")
    ensure_seeded(args.patients, args.seed)
    from django.db import connection

    LARGE.update(plans.large_tables(connection))

    rows = [] if args.no_pages else run_pages(args)
    misses = []
    print(
        f"\nEXPLAIN of every query: {len(LARGE)} tables of {plans.LARGE_ROWS:,} rows or more"
        " must be read through an index."
    )
    print(f"\n{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KB':>7}  verdict")
    for row in rows:
        miss = row.misses()
        misses += [f"{row.label}: {m}" for m in miss]
        verdict = "ok" if not miss else "MISS " + "; ".join(miss)
        print(
            f"{row.label[:44]:44} {row.p50:8.1f} {row.p95:8.1f} {row.queries:8d} "
            f"{row.size / 1024:7.1f}  {verdict}"
        )
    worklist = [r for r in rows if "worklist" in r.label]
    total = sum(r.p50 for r in worklist)
    if worklist:
        print(f"\nWorklist with its {len(worklist) - 1} sections: {total:.1f} ms (aim ≤ 150)")
    if total > AIM_WORKLIST_MS:
        misses.append(f"worklist total {total:.1f} ms > {AIM_WORKLIST_MS:.0f}")

    if not args.no_load:
        chart = next((r.url for r in rows if r.label == "patients:chart"), "")
        if not chart:
            from django.urls import reverse

            from taut.accounts.models import Clinic

            clinic = max(Clinic.objects.all(), key=lambda c: c.patients.count())
            chart = reverse("patients:chart", args=[sample(clinic)[0].public_id])
        print()
        for label, rate, ratio in run_throughput(args, chart):
            ok = ratio >= AIM_THROUGHPUT
            print(
                f"{label:20} {rate:8.0f} req/s  {ratio:5.2f} of the floor  {'ok' if ok else 'MISS'}"
            )
            if not ok:
                misses.append(f"{label} throughput {ratio:.2f} of the floor")
    print()
    if misses:
        print(f"{len(misses)} aims missed:\n  " + "\n  ".join(misses))
        return 1
    print("Every aim met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
