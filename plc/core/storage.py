"""Where uploaded files live: a small interface, so that another store can replace the disk.

`Storage` is what features use (save, open, delete, by key). `LocalStorage` keeps files in a
folder outside `static/` (`UPLOAD_FOLDER`, by default `<instance>/uploads`), under generated
names only: a key never comes from a user. A save writes to a temporary file in the same folder,
flushes it to disk and renames it into place, so a failed or interrupted write (a full disk, a
read-only folder) leaves no partial file under the key, and no temporary file either.

`get_storage()` builds the configured backend (`STORAGE_BACKEND`, "local" by default); an
S3-compatible store can be added with `register_backend("s3", factory)`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any, Protocol

from flask import current_app

#: Bytes copied at a time.
CHUNK_SIZE = 1024 * 1024
_KEY = re.compile(r"^[a-z0-9]{16,64}$")
_TEMPORARY_PREFIX = ".upload-"


class Storage(Protocol):
    """A place to keep file contents by key."""

    def save(self, key: str, stream: IO[bytes]) -> int:
        """Store everything `stream` holds from its current position; returns the size.

        Either the whole content is stored under `key`, or nothing is (the error propagates).
        """
        ...

    def open(self, key: str) -> IO[bytes]:
        """A binary file object positioned at the start; the caller closes it.

        Raises FileNotFoundError when nothing is stored under `key`.
        """
        ...

    def delete(self, key: str) -> None:
        """Forget the content under `key`; no error when there is none."""
        ...


def new_key() -> str:
    """A fresh random key (128 bits, lower-case hex)."""
    return secrets.token_hex(16)


def is_key(key: object) -> bool:
    """Whether `key` has the form of a storage key (so it names no other path)."""
    return isinstance(key, str) and _KEY.fullmatch(key) is not None


def _checked(key: str) -> str:
    if not is_key(key):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class LocalStorage:
    """Files in one folder on the local disk."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / _checked(key)

    def save(self, key: str, stream: IO[bytes]) -> int:
        target = self.path(key)
        self.root.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.root, prefix=_TEMPORARY_PREFIX, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(stream, out, CHUNK_SIZE)
                out.flush()
                os.fsync(out.fileno())
                size = out.tell()
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return size

    def open(self, key: str) -> IO[bytes]:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()


StorageFactory = Callable[[Mapping[str, Any]], Storage]

_BACKENDS: dict[str, StorageFactory] = {
    "local": lambda config: LocalStorage(config["UPLOAD_FOLDER"]),
}


def register_backend(name: str, factory: StorageFactory) -> None:
    """Make another store available as `STORAGE_BACKEND=<name>`."""
    _BACKENDS[name] = factory


def get_storage(config: Mapping[str, Any] | None = None) -> Storage:
    """The configured store (built per call: cheap, and follows configuration changes)."""
    config = current_app.config if config is None else config
    name = config.get("STORAGE_BACKEND") or "local"
    try:
        factory = _BACKENDS[name]
    except KeyError:
        raise RuntimeError(f"Unknown STORAGE_BACKEND {name!r}") from None
    return factory(config)
