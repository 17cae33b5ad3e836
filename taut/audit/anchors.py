"""Anchors: the chain head copied, at most once a minute, to a file outside the database.

Whoever can write to the database can delete the newest events and restore an older chain
head from a backup, or empty the log and the head: the chain that remains verifies, only
shorter. So the worker appends the head (its ``seq``, its hash and the time) to an
append-only file (``AUDIT_ANCHOR_PATH``) that operators ship elsewhere as it grows (syslog,
remote storage), and ``taut audit-verify`` fails when the database's chain stops before an
anchored head or disagrees with one (decision 0028).

One line per anchor, for people and ``grep``, found again inside a line a log shipper
prefixed (a syslog timestamp and host)::

    taut-audit-anchor seq=1234 hash=<64 hex digits> at=2026-12-06T23:01:00+00:00

This module reads and writes the file; it knows nothing of the database.
"""

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MARK = "taut-audit-anchor"
INTERVAL = timedelta(minutes=1)  # at most one anchor a minute
_LINE = re.compile(MARK + r" seq=(\d+) hash=([0-9a-f]{64}) at=(\S+)\s*$")
_TAIL_BYTES = 4096  # enough for the last few lines (about 120 bytes each)


class AnchorFileError(Exception):
    """The anchor file cannot be read, or holds a line marked as an anchor that is not one."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: datetime

    def line(self) -> str:
        at = self.at.astimezone(UTC).isoformat(timespec="seconds")
        return f"{MARK} seq={self.seq} hash={self.hash} at={at}\n"


def parse(lines: Iterable[str]) -> list[Anchor]:
    """The anchors in ``lines``, in file order. Lines without the mark are skipped (a shipped
    copy may hold other messages); a marked line that does not read as an anchor is an
    error, since only an edit makes one."""
    found = []
    for number, text in enumerate(lines, start=1):
        if MARK not in text:
            continue
        match = _LINE.search(text)
        try:
            if match is None:
                raise ValueError
            at = datetime.fromisoformat(match[3])
            if at.tzinfo is None:
                raise ValueError
        except ValueError:
            raise AnchorFileError(f"line {number} of the anchor file is not an anchor") from None
        found.append(Anchor(int(match[1]), match[2], at))
    return found


def read(path: str) -> list[Anchor]:
    """Every anchor in the file at ``path`` (``AnchorFileError`` if it is missing)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return parse(handle)
    except OSError as error:
        raise AnchorFileError(
            f"the anchor file {path} cannot be read ({error.strerror or error})"
        ) from None


def last(path: str) -> Anchor | None:
    """The newest anchor in the file, from its last few lines (None if it has none yet)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    lines = tail.splitlines()
    if size > _TAIL_BYTES:
        lines = lines[1:]  # the first may be cut short
    try:
        anchors = parse(lines)
    except AnchorFileError:
        return None  # write a fresh anchor; audit-verify reports the bad line
    return anchors[-1] if anchors else None


def due(previous: Anchor | None, now: datetime) -> bool:
    """Whether an anchor may be written at ``now``: a minute or more after the previous
    one (or none yet; or the clock went back, which must not stop anchoring)."""
    return previous is None or not (previous.at <= now < previous.at + INTERVAL)


def append(path: str, anchor: Anchor) -> None:
    """Add ``anchor`` as one line at the end of the file (created if missing), on disk when
    this returns: ``O_APPEND``, so writers never overwrite each other or earlier lines,
    then ``fsync``."""
    created = not os.path.exists(path)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, anchor.line().encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:  # the new file's name is on disk too
        folder = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
