from django.core.management.base import BaseCommand, CommandError

from taut.audit.services import link_events, verify_chain


class Command(BaseCommand):
    help = (
        "Link the events waiting to be chained, then check the audit trail's hash chain and "
        "every event's seal and report the first broken link."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-link",
            action="store_true",
            help="Change nothing: check the linked chain and the seals of events not linked yet.",
        )

    def handle(self, *args, no_link, **options):
        linked = 0 if no_link else link_events()
        verdict = verify_chain()
        if not verdict.ok:
            where = (
                f"event #{verdict.first_bad_seq}"
                if verdict.first_bad_seq is not None
                else f"the unlinked event {verdict.bad_public_id}"
            )
            raise CommandError(
                f"Audit trail broken at {where}: {verdict.problem} "
                f"({verdict.checked} events verified before it)."
            )
        waiting = (
            f"; {verdict.unlinked} not linked yet, their seals intact" if verdict.unlinked else ""
        )
        self.stdout.write(
            f"Audit trail intact: {verdict.checked} events verified "
            f"({linked} linked just now){waiting}."
        )
