from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from taut.backups import archive as archive_module
from taut.backups.services import (
    BackupError,
    check_archive,
    decrypt_archive,
    manifest_path_for,
)


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
            help="Restore into a scratch database and check it; the live one is never touched.",
        )
        parser.add_argument(
            "--decrypt-to",
            metavar="PATH",
            default=None,
            help="Instead: write the decrypted copy to PATH (a new file): an SQLite database, "
            "or a pg_dump archive for pg_restore (the README's restore drill).",
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

    def handle(
        self, *args, archive: str, check: bool, decrypt_to, key, manifest, anchors, **options
    ):
        if check == bool(decrypt_to):
            raise CommandError(
                "Say --check (restore into a scratch database and check it) or --decrypt-to "
                "PATH: Taut never restores over a database itself (the README's restore drill)."
            )
        key_path = key or settings.BACKUP_KEY_PATH
        if not key_path:
            raise CommandError("No backup key: set BACKUP_KEY_PATH or pass --key.")
        archive_path = Path(archive)
        if not archive_path.is_file():
            raise CommandError(f"No archive at {archive_path}.")
        manifest_path = Path(manifest) if manifest else manifest_path_for(archive_path)
        anchor_path = settings.AUDIT_ANCHOR_PATH if anchors is None else anchors
        if decrypt_to:
            try:
                facts = decrypt_archive(
                    archive_path=archive_path,
                    manifest_path=manifest_path,
                    key_path=Path(key_path),
                    target=Path(decrypt_to),
                )
            except (archive_module.KeyFileError, BackupError) as error:
                raise CommandError(f"Not decrypted: {error}.") from None
            kind = "SQLite database" if facts["engine"] == "sqlite" else "pg_dump archive"
            self.stdout.write(
                f"Decrypted to {decrypt_to}: a {kind} copied at {facts['created_at']}."
            )
            return
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
