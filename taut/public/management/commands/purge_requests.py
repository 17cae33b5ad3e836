"""``taut purge-requests``: delete appointment requests past their expiry (each deletion
audited) and closed throttle windows. Expired requests are already hidden from staff; run
this daily (cron or a systemd timer) so they are gone from the database too."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from taut.public.request_services import purge_expired


class Command(BaseCommand):
    help = "Delete appointment requests past their clinic's expiry, and old throttle counts."

    def handle(self, *args, **options):
        purged = purge_expired(now=timezone.now())
        self.stdout.write(f"{purged} expired appointment requests deleted.")
