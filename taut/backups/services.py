"""Backups: ``backup`` writes an encrypted copy of the database with its manifest;
``check_archive`` restores one into a scratch database, never the live one, and checks it
(migrations, the audit trail against its anchors). Decision 0034, docs/security/backups.md.

SQLite is copied with its online backup API (a consistent copy while Taut runs);
PostgreSQL with ``pg_dump --format=custom`` inside a repeatable-read snapshot that the
manifest's facts are read from too, so they describe the dump exactly.
"""

import importlib.metadata
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.db import DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend

from taut.audit import anchors
from taut.audit.models import AuditEvent, ChainHead
from taut.audit.services import verify_chain
from taut.backups import archive

FORMAT = 1
SCRATCH = "taut_restore_check"
ARCHIVE_SUFFIX = ".tautbak"
MANIFEST_SUFFIX = ".manifest.json"


class BackupError(Exception):
    """A backup could not be made, or an archive did not pass its check."""


@dataclass(frozen=True)
class Made:
    archive: Path
    manifest: Path
    facts: dict[str, Any]


def manifest_path_for(archive_path: Path) -> Path:
    return archive_path.with_name(archive_path.name.removesuffix(ARCHIVE_SUFFIX) + MANIFEST_SUFFIX)


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _taut_version() -> str:
    try:
        return importlib.metadata.version("taut")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _facts(cursor: Any, *, engine: str, now: datetime) -> dict[str, Any]:
    """What the manifest says of the copy, read through ``cursor`` from the copy itself
    (SQLite) or from the dump's snapshot (PostgreSQL)."""
    cursor.execute("SELECT app, name FROM django_migrations")
    heads: dict[str, str] = {}
    for app, name in cursor.fetchall():
        heads[app] = max(heads.get(app, ""), name)
    cursor.execute(f"SELECT seq, hash FROM {ChainHead._meta.db_table} WHERE id = 1")  # noqa: S608
    row = cursor.fetchone()
    cursor.execute(f"SELECT COUNT(*) FROM {AuditEvent._meta.db_table}")  # noqa: S608
    (events,) = cursor.fetchone()
    return {
        "format": FORMAT,
        "created_at": now.isoformat(timespec="seconds"),
        "engine": engine,
        "taut_version": _taut_version(),
        "migrations": dict(sorted(heads.items())),
        "audit_head": {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": ""},
        "audit_events": events,
    }


def _postgres_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for ``pg_dump``/``pg_restore``: the password never on a command
    line (other users can read those)."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed (PostgreSQL's client tools: apt install postgresql-client)"
        )
    return path


def _dump_sqlite(target: Path, *, now: datetime) -> dict[str, Any]:
    connection = connections["default"]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # online: a consistent copy, writers go on
        return _facts(copy.cursor(), engine="sqlite", now=now)
    finally:
        copy.close()


def _dump_postgres(target: Path, *, now: datetime) -> dict[str, Any]:
    dump = _tool("pg_dump")
    connection = connections["default"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        facts = _facts(cursor, engine="postgresql", now=now)
        done = subprocess.run(
            [dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}",
             "--dbname", connection.settings_dict["NAME"]],
            env=_postgres_env(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return facts


def backup(*, key_path: Path, directory: Path, now: datetime) -> Made:
    """Copy the database into ``directory`` as an encrypted archive and its manifest:
    ``taut-<time>.tautbak`` and ``taut-<time>.manifest.json``."""
    key = archive.read_key(key_path)
    directory = directory.resolve()
    if key_path.resolve().is_relative_to(directory):
        raise BackupError(
            f"the key file {key_path} is inside the backup folder {directory}: keep the key "
            "apart from the backups, or a stolen copy can be read"
        )
    directory.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    stem = f"taut-{now:%Y%m%dT%H%M%SZ}"
    archive_path = directory / f"{stem}{ARCHIVE_SUFFIX}"
    if archive_path.exists():
        raise BackupError(f"{archive_path} exists already")
    with tempfile.TemporaryDirectory(prefix="taut-backup-") as scratch:
        dump = Path(scratch) / "dump"
        dumper = _dump_sqlite if engine == "sqlite" else _dump_postgres
        facts = dumper(dump, now=now)
        partial = archive_path.with_name(archive_path.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with dump.open("rb") as source, os.fdopen(descriptor, "wb") as out:
            archive.encrypt(source, out, key=key, manifest=facts)
            out.flush()
            os.fsync(out.fileno())
        partial.rename(archive_path)
    manifest = {
        **facts,
        "archive": archive_path.name,
        "archive_bytes": archive_path.stat().st_size,
        "archive_sha256": archive.sha256_of(archive_path),
    }
    manifest_path = manifest_path_for(archive_path)
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return Made(archive=archive_path, manifest=manifest_path, facts=manifest)


# Restore check


def _outer_manifest(archive_path: Path, manifest_path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(manifest_path.read_text())
    except OSError as error:
        raise BackupError(
            f"cannot read the manifest {manifest_path} ({error.strerror}); pass --manifest"
        ) from None
    except ValueError:
        raise BackupError(f"the manifest {manifest_path} is not JSON") from None
    digest = archive.sha256_of(archive_path)
    if not isinstance(manifest, dict) or manifest.get("archive_sha256") != digest:
        raise BackupError(
            f"the archive's SHA-256 ({digest[:16]}…) is not the one its manifest records: "
            "the archive was changed, damaged or is not the one the manifest describes"
        )
    return dict(manifest)


@contextmanager
def _scratch_sqlite(dump: Path) -> Iterator[str]:
    settings_dict = dict(connections["default"].settings_dict)
    settings_dict.update(
        ENGINE="django.db.backends.sqlite3",
        NAME=str(dump),
        OPTIONS={},
        CONN_MAX_AGE=0,
        CONN_HEALTH_CHECKS=False,
    )
    with _alias(settings_dict) as alias:
        yield alias


@contextmanager
def _scratch_postgres(dump: Path) -> Iterator[str]:
    if connections["default"].vendor != "postgresql":
        raise BackupError(
            "this archive is of a PostgreSQL database: check it with DATABASE_URL naming a "
            "PostgreSQL server (a scratch database is created there and dropped)"
        )
    import psycopg  # a PostgreSQL driver only where PostgreSQL is configured

    restore = _tool("pg_restore")
    live = connections["default"].settings_dict
    name = f"{SCRATCH}_{secrets.token_hex(6)}"
    server = psycopg.conninfo.make_conninfo(
        dbname="postgres",
        **{
            option: str(live[key])
            for option, key in (
                ("host", "HOST"),
                ("port", "PORT"),
                ("user", "USER"),
                ("password", "PASSWORD"),
            )
            if live.get(key)
        },
    )
    with psycopg.connect(server, autocommit=True) as admin:
        # WAL_LOG (PostgreSQL 15+) copies the small template without a checkpoint.
        strategy = " STRATEGY WAL_LOG" if admin.info.server_version >= 150000 else ""
        admin.execute(f'CREATE DATABASE "{name}"{strategy}')
        try:
            done = subprocess.run(
                [restore, "--no-owner", "--no-privileges", "--single-transaction",
                 "--dbname", name, str(dump)],
                env=_postgres_env(live),
                capture_output=True,
                text=True,
                check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
            settings_dict = dict(live)
            options = {k: v for k, v in live.get("OPTIONS", {}).items() if k != "pool"}
            settings_dict.update(NAME=name, OPTIONS=options, CONN_MAX_AGE=0)
            with _alias(settings_dict) as alias:
                yield alias
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _alias(settings_dict: dict[str, Any]) -> Iterator[str]:
    """The scratch database as a connection of its own under the alias ``SCRATCH``, gone
    afterwards: the checks name it in every query, so nothing here reaches the live
    database. It is not added to the configured databases (``DATABASES``)."""
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, SCRATCH)
    connections[SCRATCH] = wrapper
    try:
        yield SCRATCH
    finally:
        wrapper.close()
        del connections[SCRATCH]


def _migrations(alias: str) -> list[str]:
    executor = MigrationExecutor(connections[alias])
    applied = set(executor.loader.applied_migrations)
    # On disk, not in the graph: a squashed migration's originals count as known.
    unknown = sorted(applied - set(executor.loader.disk_migrations))
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"the backup has migrations this version of Taut does not know ({names}): "
            "it was made by a newer Taut; restore it with that version"
        )
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return ["Migrations: the backup is at this version's latest migration."]
    names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
    more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
    return [
        f"Migrations: {len(plan)} of this version's migrations are not applied in the "
        f"backup ({names}{more}); after restoring it, run `taut migrate`."
    ]


def _audit(alias: str, *, facts: dict[str, Any], anchor_path: str) -> list[str]:
    head = facts.get("audit_head") or {"seq": 0, "hash": ""}
    try:
        anchored = anchors.read(anchor_path) if anchor_path else []
    except anchors.AnchorFileError as error:
        raise BackupError(f"audit anchors not read: {error}") from None
    # Anchors written after the backup name events it cannot hold: check the ones it can.
    older = [a for a in anchored if a.seq <= head["seq"]]
    newer = [a for a in anchored if a.seq > head["seq"]]
    restored = ChainHead.objects.using(alias).filter(pk=1).first()
    if (restored.seq if restored else 0) != head["seq"]:
        raise BackupError("the restored chain head is not the one the manifest records")
    try:
        verdict = verify_chain(anchored=older, using=alias)
    except DatabaseError as error:
        raise BackupError(
            f"the audit trail could not be read with this version's models ({error}); "
            "restore with the version that made the backup"
        ) from None
    if not verdict.ok:
        raise BackupError(
            f"audit trail in the backup broken at event #{verdict.first_bad_seq}: "
            f"{verdict.problem} ({verdict.checked} events verified before it)"
        )
    lines = [f"Audit trail intact: {verdict.checked} events verified, chain head #{head['seq']}."]
    if not anchor_path:
        lines.append(
            "No anchor file given (AUDIT_ANCHOR_PATH, --anchors): the backup was not "
            "compared with the heads anchored outside the database."
        )
    else:
        lines.append(f"It agrees with the {len(older)} anchors in {anchor_path} up to its head.")
        if newer:
            lines.append(
                f"{len(newer)} anchors are newer than the backup (up to #{newer[-1].seq}): "
                f"events #{head['seq'] + 1} to #{newer[-1].seq} exist only in the live "
                "database; restoring this backup loses them (audit-verify will say so)."
            )
    return lines


def _decrypt(
    *, archive_path: Path, manifest_path: Path, key: bytes, out: BinaryIO
) -> dict[str, Any]:
    """Check ``archive_path`` against its manifest and decrypt it into ``out``; the facts
    sealed inside it."""
    outer = _outer_manifest(archive_path, manifest_path)
    try:
        with archive_path.open("rb") as source:
            inner = archive.decrypt(source, out, key=key)
    except archive.ArchiveError as error:
        raise BackupError(f"archive not decrypted: {error}") from None
    changed = sorted(k for k, v in inner.items() if outer.get(k) != v)
    if changed:
        raise BackupError(
            f"the manifest beside the archive differs from the one sealed inside it "
            f"({', '.join(changed)})"
        )
    return inner


def decrypt_archive(
    *, archive_path: Path, manifest_path: Path, key_path: Path, target: Path
) -> dict[str, Any]:
    """Write the database copy in ``archive_path`` to ``target`` (a new file, readable by
    its owner only): an SQLite database, or a ``pg_dump`` custom-format dump for
    ``pg_restore``. For a real restore, which Taut leaves to the operator (README)."""
    key = archive.read_key(key_path)
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{target} exists already") from None
    try:
        with os.fdopen(descriptor, "wb") as out:
            return _decrypt(
                archive_path=archive_path, manifest_path=manifest_path, key=key, out=out
            )
    except BackupError:
        target.unlink()
        raise


def check_archive(
    *, archive_path: Path, manifest_path: Path, key_path: Path, anchor_path: str
) -> list[str]:
    """Check ``archive_path`` against its manifest, decrypt it, restore it into a scratch
    database and check its migrations and audit trail there; the scratch is removed. The
    report's lines, or BackupError naming the first thing wrong."""
    key = archive.read_key(key_path)
    with tempfile.TemporaryDirectory(prefix="taut-restore-check-") as scratch:
        dump = Path(scratch) / "dump"
        with dump.open("wb") as out:
            inner = _decrypt(
                archive_path=archive_path, manifest_path=manifest_path, key=key, out=out
            )
        lines = [
            f"Archive {archive_path.name}: its SHA-256 matches the manifest.",
            f"Decrypted: a {inner['engine']} database copied at {inner['created_at']} "
            f"by Taut {inner['taut_version']}, {inner['audit_events']} audit events.",
        ]
        if inner["engine"] == "sqlite":
            scratch_db = _scratch_sqlite(dump)
            where = "a scratch SQLite file, deleted afterwards"
        else:
            scratch_db = _scratch_postgres(dump)
            where = "a scratch PostgreSQL database, dropped afterwards"
        with scratch_db as alias:
            lines.append(f"Restored into {where}.")
            lines += _migrations(alias)
            lines += _audit(alias, facts=inner, anchor_path=anchor_path)
    return lines
