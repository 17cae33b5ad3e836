import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone
from tqdm import tqdm

from taut import links
from taut.accounts.models import Clinic
from taut.aftercare.models import CheckIn
from taut.demo.schedule import SECOND_CLINICIAN
from taut.demo.seed import CLINIC_SLUG, DEMO_PASSWORD, STAFF, seed_demo
from taut.demo.visits.structures import structure_sessions


def local_sqlite(database: Mapping[str, Any]) -> bool:
    """Whether the database is an SQLite file on this machine (not a server)."""
    return database["ENGINE"].endswith("sqlite3")


def anchor_path(database: Mapping[str, Any]) -> Path:
    """Where the demo's worker anchors the audit chain (decision 0028): AUDIT_ANCHOR_PATH if
    set, else beside the SQLite file (``taut.sqlite3`` → ``taut.sqlite3-audit-anchors.log``),
    else in ``var/``."""
    if settings.AUDIT_ANCHOR_PATH:
        return Path(settings.AUDIT_ANCHOR_PATH)
    if local_sqlite(database):
        return Path(f"{database['NAME']}-audit-anchors.log")
    return Path(settings.BASE_DIR) / "var" / "audit-anchors.log"


def use_anchor_path(database: Mapping[str, Any], *, now) -> str:
    """Anchor the demo's audit chain (``anchor_path``), for its worker and for ``taut
    audit-verify``; returns what to tell the user. A new SQLite file starts a new chain: the
    anchors of the database it replaces are kept aside (they would report the new, shorter
    chain as rolled back)."""
    path = anchor_path(database)
    said = ""
    new_database = local_sqlite(database) and not Path(database["NAME"]).exists()
    if new_database and not settings.AUDIT_ANCHOR_PATH and path.exists():
        kept = path.with_name(f"{path.name}.before-{now:%Y%m%d-%H%M%S}")
        path.rename(kept)
        said = f" (a new database: the previous anchors were kept as {kept})"
    path.parent.mkdir(parents=True, exist_ok=True)
    settings.AUDIT_ANCHOR_PATH = str(path)
    return (
        f"Audit anchors: {path}{said}. Check the audit trail with "
        f"AUDIT_ANCHOR_PATH={path} taut audit-verify\n"
    )


WILDCARD_HOSTS = ("", "0", "0.0.0.0", "[::]")  # noqa: S104 (listen addresses, not a bind)


def serving_url(addrport: str) -> str:
    """The address links should use for runserver's ``addrport`` ("9000", "0.0.0.0:9000",
    "[::1]:8000"). A wildcard host (listen on every interface) is no address a phone or a
    colleague can open, so links name this machine instead."""
    host, _, port = addrport.rpartition(":") if ":" in addrport else ("127.0.0.1", "", addrport)
    if host in WILDCARD_HOSTS:
        host = socket.gethostname()
    return f"http://{host}:{port}"


def use_serving_url(url: str) -> None:
    """Links in emails, the chart's portal card and the printed examples use the address
    the demo serves on, unless PORTAL_BASE_URL names another (a proxy in front, say); the
    demo server also answers to that host."""
    if "PORTAL_BASE_URL" not in os.environ and "PORTAL_BASE_URL_FILE" not in os.environ:
        settings.PORTAL_BASE_URL = url
    host = url.removeprefix("http://").rpartition(":")[0]
    if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]


class Command(BaseCommand):
    help = "Set up the demo clinic (migrate, seed synthetic patients) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026)")
        parser.add_argument("--patients", type=int, default=240, help="How many (default 240)")
        parser.add_argument("--no-serve", action="store_true", help="Seed only; don't serve")
        parser.add_argument(
            "--addrport",
            default="127.0.0.1:8000",
            help="Where to serve, as for runserver (default 127.0.0.1:8000; 0.0.0.0:9000 "
            "serves every interface on port 9000); links the demo makes use this address.",
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Seed a database that is not a local SQLite file (the demo adds staff "
            "accounts whose password is published).",
        )

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if not (local_sqlite(database) or options["not_production"]):
            raise CommandError(
                f"The demo seeds staff accounts whose password is published, so it runs only "
                f"on a local SQLite file; DATABASE_URL points at {database['ENGINE']} "
                f"({database.get('HOST') or database['NAME']}). If that database is a "
                "throwaway, run again with --i-know-this-is-not-production."
            )
        base_url = serving_url(options["addrport"])
        use_serving_url(base_url)
        anchors_said = use_anchor_path(database, now=timezone.now())
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

        def progress(items):
            return tqdm(items, desc="Seeding demo patients", unit=" patients", ncols=80)

        result = seed_demo(
            seed=options["seed"],
            patients_wanted=options["patients"],
            now=timezone.now(),
            progress=progress,
            say=self.stdout.write,
        )
        self.stdout.write(
            f"{result.clinic.name}: {result.total_patients} synthetic patients "
            f"({result.created_patients} added now). Database: {settings.DATABASES['default']['NAME']}"
        )
        url = f"{base_url}/"
        # The second clinician shares the past sessions and today's list.
        lines = [f"  {u:<10} {role.label}" for u, _, _, role in (*STAFF, SECOND_CLINICIAN)]
        self.stdout.write(
            self.style.SUCCESS(f"\nTaut demo clinic: {url}\n")
            + f"Demo logins (password for all: {DEMO_PASSWORD}):\n"
            + "\n".join(lines)
            + "\n"
            + "MFA: the demo clinic does not require a second factor and no demo user has one, "
            "so these logins need only the password (Clinic settings → Require MFA turns it on).\n"
        )
        self.stdout.write(self.portal_example(settings.PORTAL_BASE_URL))
        self.stdout.write(self.public_example(settings.PORTAL_BASE_URL))
        self.stdout.write(self.structure_example(settings.PORTAL_BASE_URL))
        self.stdout.write(self.fhir_example(settings.PORTAL_BASE_URL))
        self.stdout.write(anchors_said)
        if not options["no_serve"]:
            worker = self.start_worker(settings.PORTAL_BASE_URL)
            # Stopped with SIGTERM (not only Ctrl+C): still stop the worker on the way out.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            try:
                call_command("runserver", options["addrport"], use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=30)

    def portal_example(self, url: str) -> str:
        """Links into the patient portal for one demo patient with a check-in due today."""
        clinic = Clinic.objects.get(slug=CLINIC_SLUG)
        checkin = (
            CheckIn.objects.filter(
                patient__clinic=clinic, completed_at__isnull=True, due_on=clinic.today()
            )
            .select_related("patient")
            .order_by("patient__family_name", "id")
            .first()
        )
        if checkin is None:
            return ""
        base = url.rstrip("/")
        check_in = reverse("portal:checkin", kwargs={"token": links.checkin_token(checkin)})
        token = links.home_token(checkin.patient, now=clinic.now())
        home = reverse("portal:home", kwargs={"token": token})
        return (
            f"Patient portal, as {checkin.patient.given_name} {checkin.patient.family_name} (open it in a phone-sized window):\n"
            f"  their {checkin.label.lower()} check-in: {base}{check_in}\n"
            f"  their aftercare and progress:  {base}{home}\n"
        )

    def public_example(self, url: str) -> str:
        """The demo clinic's public page about trigger point injections, in both languages."""
        base = url.rstrip("/")
        pages = {
            lang: reverse("public:page", kwargs={"clinic_slug": CLINIC_SLUG, "lang": lang})
            for lang in ("en", "es")
        }
        return (
            "Public page about trigger point injections (no sign-in; self-check and PDF "
            "handout linked from it):\n"
            f"  English: {base}{pages['en']}\n"
            f"  Spanish: {base}{pages['es']}\n"
        )

    def fhir_example(self, url: str) -> str:
        """Where the FHIR API and the connected apps are."""
        base = url.rstrip("/")
        return (
            "FHIR R4 API (read-only; signed in, or with a SMART app's token):\n"
            f"  {base}/fhir/metadata  (then e.g. {base}/fhir/Procedure?_count=5)\n"
            f"  Connect an app as the clinic lead: {base}/clinic/apps/\n"
        )

    def structure_example(self, url: str) -> str:
        """The demo's past sessions with a ligament or tendon site: whose chart to open, and
        the codes the signed note gives them."""
        clinic = Clinic.objects.get(slug=CLINIC_SLUG)
        rows = structure_sessions(clinic)
        if not rows:
            return ""
        base = url.rstrip("/")
        lines = [
            f"  {row.patient.family_name}, {row.patient.given_name} ({row.patient.mrn}), "
            f"{row.day:%-d %b %Y}: {row.summary}\n"
            f"    {base}{reverse('patients:chart', kwargs={'patient_id': row.patient.public_id})}"
            for row in rows
        ]
        return (
            "Sessions with a ligament or tendon site (signed notes; open the chart, then the "
            "session's note):\n" + "\n".join(lines) + "\n"
        )

    def start_worker(self, url: str) -> subprocess.Popen:
        """`taut worker` beside the demo server, writing its emails to files (unless
        EMAIL_BACKEND says otherwise), so reminders and alerts really go through the queue."""
        env = dict(os.environ)
        env.setdefault("PORTAL_BASE_URL", url.rstrip("/"))
        # Not a line per task on the demo's console (hundreds of PDFs render at start);
        # warnings and failed tasks still show. LOG_LEVEL set by the caller wins.
        env.setdefault("LOG_LEVEL", "WARNING")
        env["AUDIT_ANCHOR_PATH"] = settings.AUDIT_ANCHOR_PATH  # use_anchor_path's
        if "EMAIL_BACKEND" not in env:
            env["EMAIL_BACKEND"] = "file"
            env.setdefault("EMAIL_FILE_PATH", str(settings.BASE_DIR / "var" / "mail"))
        where = env.get("EMAIL_FILE_PATH") if env["EMAIL_BACKEND"] == "file" else None
        self.stdout.write(
            "Background worker started (taut worker): reminder and alert emails "
            + (f"are written to {where}/" if where else f"use EMAIL_BACKEND={env['EMAIL_BACKEND']}")
        )
        return subprocess.Popen([sys.executable, "-m", "taut.cli", "worker"], env=env)
