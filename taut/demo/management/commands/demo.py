from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from taut.demo.seed import DEMO_PASSWORD, STAFF, seed_demo


class Command(BaseCommand):
    help = "Set up the demo clinic (migrate, seed synthetic patients) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026)")
        parser.add_argument("--patients", type=int, default=240, help="How many (default 240)")
        parser.add_argument("--no-serve", action="store_true", help="Seed only; don't serve")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

        def progress(items):
            return tqdm(items, desc="Seeding demo patients", unit=" patients", ncols=80)

        result = seed_demo(
            seed=options["seed"],
            patients_wanted=options["patients"],
            today=timezone.localdate(),
            progress=progress,
            say=self.stdout.write,
        )
        self.stdout.write(
            f"{result.clinic.name}: {result.total_patients} synthetic patients "
            f"({result.created_patients} added now). Database: {settings.DATABASES['default']['NAME']}"
        )
        url = f"http://{options['addrport']}/"
        lines = [f"  {username:<10} {role.label}" for username, _, _, role in STAFF]
        self.stdout.write(
            self.style.SUCCESS(f"\nTaut demo clinic: {url}\n")
            + f"Demo logins (password for all: {DEMO_PASSWORD}):\n"
            + "\n".join(lines)
            + "\n"
        )
        if not options["no_serve"]:
            call_command("runserver", options["addrport"], use_reloader=False)
