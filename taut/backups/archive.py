"""The backup archive's file format: a database dump encrypted with a key kept in a file,
in chunks, so a large database is never held in memory (decision 0034).

Layout (all integers big-endian)::

    MAGIC (8 bytes) | key id (8) | nonce prefix (7) | manifest length (4) | manifest (JSON)
    then chunks: ciphertext length (4) | AES-256-GCM ciphertext with its 16-byte tag

Each chunk encrypts up to ``CHUNK`` bytes of the dump. Its 12-byte nonce is the archive's
random prefix, the chunk's number (4 bytes) and a last-chunk flag (1 byte): the "STREAM"
construction (Hoang, Reyhanitabar, Rogaway, Vizár, 2015), so chunks cannot be reordered,
dropped or cut off at the end without the decryption failing. Every chunk authenticates
the whole header (its additional data), so the manifest inside the archive cannot be
changed either. The key id (a digest of the key) tells a wrong key from a damaged
archive.

The key file holds 32 random bytes in URL-safe base64, one line (``new_key``).
"""

import base64
import hashlib
import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"TAUTBAK1"
CHUNK = 1024 * 1024
_PREFIX = 7
_TAG = 16
_LENGTH = struct.Struct(">I")
_MAX_MANIFEST = 64 * 1024


class ArchiveError(Exception):
    """The archive cannot be opened: a wrong key, or damaged or changed bytes."""


class KeyFileError(Exception):
    """The key file is missing or does not hold a key."""


def new_key(path: Path) -> None:
    """Write a new random key to ``path`` (readable by its owner only); never overwrite."""
    key = base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(key + b"\n")


def read_key(path: Path) -> bytes:
    """The 32-byte key in the key file ``path``."""
    try:
        text = path.read_bytes().strip()
    except OSError as error:
        raise KeyFileError(f"cannot read the key file {path}: {error.strerror}") from None
    try:
        key = base64.urlsafe_b64decode(text)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise KeyFileError(
            f"the key file {path} does not hold a key (32 bytes in URL-safe base64; "
            "make one with `taut backup --new-key PATH`)"
        )
    return key


def key_id(key: bytes) -> bytes:
    """Names the key without revealing it."""
    return hashlib.sha256(b"taut-backup-key-id:" + key).digest()[:8]


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">I?", number, last)


def encrypt(source: BinaryIO, out: BinaryIO, *, key: bytes, manifest: dict) -> None:
    """Write ``source`` to ``out`` encrypted with ``key``, ``manifest`` in the header."""
    text = json.dumps(manifest, sort_keys=True).encode()
    prefix = os.urandom(_PREFIX)
    header = MAGIC + key_id(key) + prefix + _LENGTH.pack(len(text)) + text
    out.write(header)
    aead = AESGCM(key)
    number = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        sealed = aead.encrypt(_nonce(prefix, number, last), chunk, header)
        out.write(_LENGTH.pack(len(sealed)) + sealed)
        if last:
            return
        chunk, number = following, number + 1


def _exactly(source: BinaryIO, size: int, what: str) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise ArchiveError(f"the archive ends inside its {what}: it is cut short or damaged")
    return data


def read_header(source: BinaryIO) -> tuple[bytes, bytes, bytes, dict]:
    """(header bytes, key id, nonce prefix, manifest) at the start of ``source``."""
    if _exactly(source, len(MAGIC), "header") != MAGIC:
        raise ArchiveError("this is not a Taut backup archive")
    ident = _exactly(source, 8, "header")
    prefix = _exactly(source, _PREFIX, "header")
    size_bytes = _exactly(source, _LENGTH.size, "header")
    (size,) = _LENGTH.unpack(size_bytes)
    if size > _MAX_MANIFEST:
        raise ArchiveError("the archive's header is damaged")
    text = _exactly(source, size, "manifest")
    try:
        manifest = json.loads(text)
    except ValueError:
        raise ArchiveError("the archive's manifest is damaged") from None
    return MAGIC + ident + prefix + size_bytes + text, ident, prefix, manifest


def decrypt(source: BinaryIO, out: BinaryIO, *, key: bytes) -> dict:
    """Write the dump in ``source`` to ``out``; return the manifest it was sealed with.
    Raises ArchiveError for a wrong key or any changed, missing or extra byte."""
    header, ident, prefix, manifest = read_header(source)
    if ident != key_id(key):
        raise ArchiveError(
            "the key file is not the key this archive was made with (wrong key file)"
        )
    aead = AESGCM(key)
    for number, sealed, last in _chunks(source):
        try:
            out.write(aead.decrypt(_nonce(prefix, number, last), sealed, header))
        except InvalidTag:
            raise ArchiveError(
                f"chunk {number} of the archive does not decrypt: it was changed or damaged"
            ) from None
    return manifest


def _chunks(source: BinaryIO) -> Iterator[tuple[int, bytes, bool]]:
    number = 0
    size_bytes = source.read(_LENGTH.size)
    while True:
        if len(size_bytes) != _LENGTH.size:
            raise ArchiveError("the archive is cut short: its last chunk is missing")
        (size,) = _LENGTH.unpack(size_bytes)
        if size < _TAG or size > CHUNK + _TAG:
            raise ArchiveError(f"chunk {number} of the archive is damaged")
        sealed = _exactly(source, size, f"chunk {number}")
        size_bytes = source.read(_LENGTH.size)
        yield number, sealed, not size_bytes
        if not size_bytes:
            return
        number += 1


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()
