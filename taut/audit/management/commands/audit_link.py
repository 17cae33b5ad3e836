from django.core.management.base import BaseCommand

from taut.audit.services import link_events


class Command(BaseCommand):
    help = "Chain the audit events not linked yet (``taut worker`` does this every few seconds)."

    def handle(self, *args, **options):
        self.stdout.write(f"Linked {link_events()} audit events.")
