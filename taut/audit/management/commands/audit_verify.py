from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from taut.audit import anchors
from taut.audit.services import link_events, verify_chain


class Command(BaseCommand):
    help = (
        "Link the events waiting to be chained, then check the audit trail's hash chain, "
        "every event's seal, and the chain against the heads anchored outside the database "
        "(AUDIT_ANCHOR_PATH), and report the first broken link."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-link",
            action="store_true",
            help="Change nothing: check the linked chain and the seals of events not linked yet.",
        )
        parser.add_argument(
            "--anchors",
            dest="anchor_path",
            metavar="PATH",
            default=None,
            help="The anchor file to check against (default: AUDIT_ANCHOR_PATH), e.g. the "
            "copy shipped to another machine.",
        )

    def handle(self, *args, no_link, anchor_path: str | None, **options):
        linked = 0 if no_link else link_events()
        path = settings.AUDIT_ANCHOR_PATH if anchor_path is None else anchor_path
        try:
            # Read before the chain: every anchor names a head already committed.
            anchored = anchors.read(path) if path else []
        except anchors.AnchorFileError as error:
            raise CommandError(
                f"Audit trail not verified: {error}. Without the anchors a database rolled "
                "back to an older chain, or emptied, cannot be told from an intact one. "
                "Restore the file from its shipped copy (or pass that copy with --anchors); "
                "if it is gone, find out why before trusting the log."
            ) from None
        verdict = verify_chain(anchored=anchored)
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
        if not path:
            self.stdout.write(
                "No anchor file (AUDIT_ANCHOR_PATH is not set): a database rolled back to an "
                "older chain, or emptied, would also read as intact."
            )
        elif anchored:
            self.stdout.write(
                f"It agrees with every anchor in {path} ({len(anchored)} in all; "
                f"the newest records #{verdict.anchored})."
            )
        else:
            self.stdout.write(f"The anchor file {path} holds no anchor yet.")
