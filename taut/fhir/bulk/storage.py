"""Where export files live: the ``fhir_export`` storage (``settings.STORAGES``; a folder,
``FHIR_EXPORT_DIR``, by default, readable by Taut's user only). Files are written line by
line to a temporary file and handed to the storage whole, so any Django storage (S3 through
django-storages, say) can hold them and memory never holds a file."""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage, storages

ALIAS = "fhir_export"


def export_storage() -> Storage:
    return storages[ALIAS]


class _Finished(File):
    """A written temporary file: FileSystemStorage moves it into place (``file_move_safe``)
    rather than copying it; other storages read it in chunks."""

    def temporary_file_path(self) -> str:
        return str(getattr(self.file, "name", ""))


def new_part() -> IO[bytes]:
    """A temporary file to write one export file into."""
    return tempfile.NamedTemporaryFile(prefix="taut-export-", suffix=".ndjson", delete=False)


def store(part: IO[bytes], name: str) -> tuple[str, int]:
    """Store the written ``part`` as ``name``: the name the storage gave it, and its size."""
    part.flush()
    size = part.tell()
    part.seek(0)
    try:
        stored = export_storage().save(name, _Finished(part, name=name))
    finally:
        part.close()
        discard_part(part)
    return stored, size


def discard_part(part: IO[bytes]) -> None:
    part.close()
    with contextlib.suppress(FileNotFoundError):  # moved into place by the storage
        os.unlink(part.name)


def delete(names: list[str]) -> None:
    storage = export_storage()
    for name in names:
        storage.delete(name)


def chunks(name: str, size: int = 64 * 1024) -> Iterator[bytes]:
    """The stored file ``name``, a chunk at a time (for a streaming response)."""
    with export_storage().open(name, "rb") as f:
        while chunk := f.read(size):
            yield chunk
