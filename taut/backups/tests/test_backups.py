"""`taut backup`, `taut restore --check` and `--decrypt-to` (decision 0034): a round trip
through a scratch database on the database the suite runs on (SQLite, or PostgreSQL with
pg_dump), and each way a check must fail: a wrong key, a changed archive, a manifest that does not match, no
key at all."""

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from taut.accounts.actors import Actor
from taut.audit import anchors
from taut.audit.models import Action, AuditEvent
from taut.audit.services import anchor_head, link_events, record_event
from taut.backups import archive, services


def record(number: int) -> None:
    record_event(
        actor=Actor.anonymous(f"user{number}", now=timezone.now(), address=""),
        action=Action.VIEW,
        object_type="patient",
        object_id=str(number),
    )


@pytest.fixture
def key(tmp_path) -> Path:
    path = tmp_path / "keys" / "backup.key"
    path.parent.mkdir()
    archive.new_key(path)
    return path


@pytest.mark.usefixtures("committed_db")
def test_it_round_trips_a_backup_through_a_scratch_database(tmp_path, key, capsys):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    anchored = tmp_path / "anchors.log"
    record(1), record(2)
    link_events()
    anchor_head(path=str(anchored), now=timezone.now())
    call_command("backup", "--key", str(key), "--output", str(tmp_path / "out"))
    [made] = (tmp_path / "out").glob("*.tautbak")
    manifest = json.loads(services.manifest_path_for(made).read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["audit_head"]["seq"] == 2 and manifest["audit_events"] == 2
    assert manifest["migrations"]["audit"] == "0003_unchained_events_linked_once"
    assert manifest["archive_sha256"] == archive.sha256_of(made)
    assert b"user1" not in made.read_bytes()  # encrypted
    # Later events, anchored: the backup holds their predecessors only.
    record(3)
    link_events()
    anchors.append(
        str(anchored), anchors.Anchor(3, AuditEvent.objects.get(seq=3).hash, timezone.now())
    )
    capsys.readouterr()

    call_command("restore", str(made), "--check", "--key", str(key), "--anchors", str(anchored))

    out = capsys.readouterr().out
    assert "Migrations: the backup is at this version's latest migration." in out
    assert "Audit trail intact: 2 events verified, chain head #2." in out
    assert "agrees with the 1 anchors" in out
    assert "events #3 to #3 exist only in the live database" in out
    assert "Restore check passed" in out
    assert not hasattr(connections._connections, services.SCRATCH)  # the scratch is gone
    assert AuditEvent.objects.count() == 3  # the live database as it was

    copy = tmp_path / "restored"
    call_command("restore", str(made), "--decrypt-to", str(copy), "--key", str(key))
    if connection.vendor == "sqlite":
        with sqlite3.connect(copy) as restored:
            assert restored.execute("SELECT COUNT(*) FROM audit_auditevent").fetchone() == (2,)
    else:
        assert copy.read_bytes().startswith(b"PGDMP")  # for pg_restore


def sealed(tmp_path, key: bytes, payload: bytes = b"not really a database") -> Path:
    """An archive and its manifest made without a database."""
    path = tmp_path / "taut-x.tautbak"
    facts = {"engine": "sqlite", "audit_head": {"seq": 0, "hash": ""}}
    with path.open("wb") as out:
        archive.encrypt(io.BytesIO(payload), out, key=key, manifest=facts)
    outer = {**facts, "archive_sha256": archive.sha256_of(path)}
    services.manifest_path_for(path).write_text(json.dumps(outer))
    return path


def check(path: Path, key_path: Path) -> list[str]:
    return services.check_archive(
        archive_path=path,
        manifest_path=services.manifest_path_for(path),
        key_path=key_path,
        anchor_path="",
    )


def flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))


def test_it_fails_clearly_with_the_wrong_key(tmp_path, key):
    made = sealed(tmp_path, archive.read_key(key))
    other = tmp_path / "other.key"
    archive.new_key(other)
    with pytest.raises(services.BackupError, match="not the key this archive was made with"):
        check(made, other)


def test_it_fails_when_the_archive_does_not_match_its_manifest(tmp_path, key):
    made = sealed(tmp_path, archive.read_key(key))
    flip_last_byte(made)
    with pytest.raises(services.BackupError, match=r"SHA-256 .* is not the one its manifest"):
        check(made, key)


@pytest.mark.parametrize(
    "change, problem",
    [
        (flip_last_byte, "chunk 1 of the archive does not decrypt: it was changed"),
        (lambda path: path.write_bytes(path.read_bytes()[:-40]), "cut short"),
        (
            lambda path: path.write_bytes(path.read_bytes() + b"\0\0\0\x20" + b"x" * 32),
            "does not decrypt",
        ),
    ],
)
def test_it_fails_when_the_archive_was_changed_with_its_manifest(tmp_path, key, change, problem):
    """Whoever recomputes the manifest's hash still cannot change, cut or extend the
    encrypted archive: each chunk is authenticated, the last one marked as last."""
    made = sealed(tmp_path, archive.read_key(key), payload=b"x" * (archive.CHUNK + 10))
    change(made)
    manifest = services.manifest_path_for(made)
    outer = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**outer, "archive_sha256": archive.sha256_of(made)}))
    with pytest.raises(services.BackupError, match=problem):
        check(made, key)


def test_it_refuses_to_back_up_without_a_key_or_with_the_key_among_the_backups(
    tmp_path, settings, key
):
    settings.BACKUP_KEY_PATH = ""
    with pytest.raises(CommandError, match="No backup key: set BACKUP_KEY_PATH"):
        call_command("backup", "--output", str(tmp_path))
    with pytest.raises(CommandError, match="cannot read the key file"):
        call_command("backup", "--key", str(tmp_path / "x"), "--output", str(tmp_path))
    (tmp_path / "bad.key").write_text("short")
    with pytest.raises(CommandError, match="does not hold a key"):
        call_command("backup", "--key", str(tmp_path / "bad.key"), "--output", str(tmp_path))
    with pytest.raises(CommandError, match="keep the key apart from the backups"):
        call_command("backup", "--key", str(key), "--output", str(key.parent))
    with pytest.raises(CommandError, match="a key is never overwritten"):
        call_command("backup", "--new-key", str(key))
    assert not list(tmp_path.rglob("*.tautbak"))


def test_it_refuses_a_backup_made_by_a_newer_taut_and_lists_migrations_to_apply(db, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(copy) as made:
        made.execute(
            "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT)"
        )
        made.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('audit', '0001_initial', '2026-01-01 00:00:00')"
        )
    with services._scratch_sqlite(copy) as alias:
        [line] = services._migrations(alias)
    assert "of this version's migrations are not applied in the backup" in line
    assert "run `taut migrate`" in line
    with sqlite3.connect(copy) as made:
        made.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('audit', '9999_future', '2026-01-01 00:00:00')"
        )
    with (
        services._scratch_sqlite(copy) as alias,
        pytest.raises(
            services.BackupError,
            match=r"does not know \(audit.9999_future\): it was made by a newer",
        ),
    ):
        services._migrations(alias)
