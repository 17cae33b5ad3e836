from django.core.management.base import BaseCommand, CommandError

from taut.audit.services import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and report the first broken link."

    def handle(self, *args, **options):
        verdict = verify_chain()
        if not verdict.ok:
            raise CommandError(
                f"Audit trail broken at event #{verdict.first_bad_seq}: {verdict.problem} "
                f"({verdict.checked} events verified before it)."
            )
        self.stdout.write(f"Audit trail intact: {verdict.checked} events verified.")
