from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from taut.backups import archive
from taut.backups.services import BackupError, backup


class Command(BaseCommand):
    help = (
        "Copy the database (SQLite: its online backup; PostgreSQL: pg_dump) into an archive "
        "encrypted with the key file BACKUP_KEY_PATH, with a manifest beside it. "
        "`taut backup --new-key PATH` makes a key file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--key", metavar="PATH", default=None, help="The key file (default: BACKUP_KEY_PATH)."
        )
        parser.add_argument(
            "--output",
            metavar="DIR",
            default=None,
            help="The folder to write to (default: BACKUP_DIR, else var/backups).",
        )
        parser.add_argument(
            "--new-key",
            metavar="PATH",
            default=None,
            help="Write a new random key file at PATH (never over an existing file), then stop.",
        )

    def handle(self, *args, key: str | None, output: str | None, new_key: str | None, **options):
        if new_key:
            try:
                archive.new_key(Path(new_key))
            except FileExistsError:
                raise CommandError(
                    f"{new_key} exists already: a key is never overwritten"
                ) from None
            self.stdout.write(
                f"New backup key written to {new_key} (readable by you only). Keep a copy "
                "apart from the backups (a password manager, a safe): without it no archive "
                "can be read."
            )
            return
        key_path = key or settings.BACKUP_KEY_PATH
        if not key_path:
            raise CommandError(
                "No backup key: set BACKUP_KEY_PATH (or pass --key) to a key file made with "
                "`taut backup --new-key PATH`. Backups are never written unencrypted."
            )
        directory = Path(
            output or settings.BACKUP_DIR or Path(settings.BASE_DIR) / "var" / "backups"
        )
        try:
            made = backup(key_path=Path(key_path), directory=directory, now=timezone.now())
        except (archive.KeyFileError, BackupError) as error:
            raise CommandError(f"Backup not made: {error}.") from None
        head = made.facts["audit_head"]
        self.stdout.write(
            f"Backup written: {made.archive} ({made.facts['archive_bytes']:,} bytes, "
            f"{made.facts['engine']}, audit chain head #{head['seq']}); manifest {made.manifest}. "
            "Copy both off this machine; check them with "
            f"`taut restore --check {made.archive}`."
        )
