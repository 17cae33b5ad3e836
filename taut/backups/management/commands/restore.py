from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from taut.backups import archive as archive_module
from taut.backups.services import BackupError, check_archive, manifest_path_for


class Command(BaseCommand):
    help = (
        "Check a backup archive: its manifest's SHA-256, decrypt it with the key file, restore "
        "it into a scratch database (never the live one), check its migrations and its audit "
        "trail against the anchors, and drop the scratch database."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Required: only a check is offered (see the README's restore drill for a "
            "real restore).",
        )
        parser.add_argument(
            "--key", metavar="PATH", default=None, help="The key file (default: BACKUP_KEY_PATH)."
        )
        parser.add_argument(
            "--manifest",
            metavar="PATH",
            default=None,
            help="The manifest (default: beside the archive, <name>.manifest.json).",
        )
        parser.add_argument(
            "--anchors",
            metavar="PATH",
            default=None,
            help="The audit anchor file to compare with (default: AUDIT_ANCHOR_PATH).",
        )

    def handle(self, *args, archive: str, check: bool, key, manifest, anchors, **options):
        if not check:
            raise CommandError(
                "Only `taut restore --check ARCHIVE` is offered: Taut never restores over a "
                "database itself. The README's restore drill shows the manual steps."
            )
        key_path = key or settings.BACKUP_KEY_PATH
        if not key_path:
            raise CommandError("No backup key: set BACKUP_KEY_PATH or pass --key.")
        archive_path = Path(archive)
        if not archive_path.is_file():
            raise CommandError(f"No archive at {archive_path}.")
        manifest_path = Path(manifest) if manifest else manifest_path_for(archive_path)
        anchor_path = settings.AUDIT_ANCHOR_PATH if anchors is None else anchors
        try:
            lines = check_archive(
                archive_path=archive_path,
                manifest_path=manifest_path,
                key_path=Path(key_path),
                anchor_path=anchor_path,
            )
        except (archive_module.KeyFileError, BackupError) as error:
            raise CommandError(f"Restore check failed: {error}.") from None
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("Restore check passed; the live database was not touched.")
