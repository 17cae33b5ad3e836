"""``taut purge-exports``: delete the Bulk Data export jobs past their expiry
(``FHIR_EXPORT_HOURS``) with their files. ``taut worker`` does it at each job's expiry; run
this daily from cron too, in case the worker was down then (decision 0045)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from taut.fhir.bulk.expiry import purge_exports


class Command(BaseCommand):
    help = "Delete FHIR bulk export jobs and files past their expiry."

    def handle(self, *args, verbosity, **options):
        purged = purge_exports(now=timezone.now())
        if verbosity:
            self.stdout.write(f"{purged} expired export(s) deleted")
