from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from taut.accounts.models import Clinic
from taut.outcomes import services


class Command(BaseCommand):
    help = (
        "Compute again the day each patient's next-step decision falls due (the worklist's "
        "'Next step due'): run after changing a clinic's payer policy or 'reconsider after'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinic", help="the clinic's public id (default: every clinic)")

    def handle(self, *args, **options):
        clinics = Clinic.objects.order_by("pk")
        if options["clinic"]:
            clinics = clinics.filter(public_id=options["clinic"])
            if not clinics.exists():
                raise CommandError(f"No clinic with public id {options['clinic']}.")
        now = timezone.now()
        for clinic in clinics:
            count = services.refresh_next_steps_for_clinic(clinic=clinic, now=now)
            self.stdout.write(f"{clinic.name}: {count} patients computed.")
