import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from taut.demo.management.commands.demo import local_sqlite
from taut.demo.scale import TEAMS, TEMPLATE_PATIENTS, seed_scale


class Command(BaseCommand):
    help = (
        "Build a synthetic clinic network of realistic size (the demo clinic and replicas "
        "of its patients in further clinics), e.g. --patients 50000. Does not serve."
    )

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=50000, help="How many in all")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026)")
        parser.add_argument(
            "--template",
            type=int,
            default=TEMPLATE_PATIENTS,
            help=f"Patients seeded through the services, then replicated (default "
            f"{TEMPLATE_PATIENTS})",
        )
        parser.add_argument(
            "--clinics", type=int, default=None, help="Further clinics (default: one per 5,000)"
        )
        parser.add_argument(
            "--teams",
            type=int,
            default=TEAMS,
            help=f"Copies of the template's clinicians in each further clinic, sharing its "
            f"patients (default {TEAMS})",
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Seed a database that is not a local SQLite file (the seeder adds staff "
            "accounts whose password is published).",
        )

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if not (local_sqlite(database) or options["not_production"]):
            raise CommandError(
                f"seed-scale adds staff accounts whose password is published, so it runs only "
                f"on a local SQLite file; DATABASE_URL points at {database['ENGINE']} "
                f"({database.get('HOST') or database['NAME']}). If that database is a "
                "throwaway, run again with --i-know-this-is-not-production."
            )
        if min(options["patients"], options["template"], options["teams"]) < 1:
            raise CommandError("--patients, --template and --teams must be at least 1.")
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # as taut demo does

        def progress(batches):
            return tqdm(batches, desc="Replicating", unit=" batches", ncols=80)

        result = seed_scale(
            seed=options["seed"],
            patients_wanted=options["patients"],
            now=timezone.now(),
            template=options["template"],
            clinics=options["clinics"],
            teams=options["teams"],
            say=self.stdout.write,
            progress=progress,
        )
        took = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.total_patients} synthetic patients in {len(result.clinics)} clinics "
                f"({result.created_patients} replicated now) in {took:.0f} s."
            )
        )
        for clinic in result.clinics:
            self.stdout.write(f"  {clinic.slug:<10} {clinic.name}")
        self.stdout.write(
            "Staff logins: clinician, nurse, frontdesk, lead in the demo clinic; "
            "<clinic>-clinician (e.g. scale-01-clinician, scale-01-clinician-2…) and so on in "
            "the others; "
            "the demo password for all. Serve it with `taut runserver` or `taut serve`."
        )
