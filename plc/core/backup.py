"""Backups while the app runs, and restoring them (`flask --app wsgi plc backup|restore PATH`).

A backup is a folder:

- `database.sqlite3` (SQLite, through SQLite's online backup API in one step, so the copy is one
  consistent snapshot while writers go on in WAL mode) or `database.dump` (PostgreSQL,
  `pg_dump --format=custom` of an exported snapshot);
- `uploads/<key>`: every stored file the snapshot refers to (`FILE_COLUMNS`), read from the
  storage. Uploads are written to a temporary file and renamed into place, and a row is
  committed only after its file is complete, so a file the snapshot refers to is whole;
  files of uploads still in progress are not referred to yet and are left out;
- `manifest.json`: when, which backend, the Alembic revision, the row count of every table and
  the files (size, sha256), all read from the same snapshot as the copy of the database.

Restoring puts the database and the files back and compares the row counts with the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from plc.core.storage import CHUNK_SIZE, get_storage, is_key

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
UPLOADS = "uploads"
FORMAT = "leernetwerk-amsterdam-backup/1"

Progress = Callable[[int], None]


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why, for the operator."""


@dataclass
class Snapshot:
    """What the copy of the database holds: tables and their row counts, the files it refers to."""

    revision: str | None
    tables: dict[str, int]
    file_keys: list[str]


@dataclass
class Manifest:
    created_at: str
    backend: str
    database_file: str
    alembic_revision: str | None
    tables: dict[str, int]
    files: list[dict[str, Any]] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **self.__dict__}

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            data = json.loads((folder / MANIFEST).read_text("utf-8"))
        except FileNotFoundError:
            raise BackupError(f"{folder} holds no {MANIFEST}: not a backup.") from None
        except (OSError, ValueError) as error:
            raise BackupError(f"{folder / MANIFEST} cannot be read: {error}") from None
        if data.pop("format", None) != FORMAT:
            raise BackupError(f"{folder / MANIFEST} is not a backup of this application.")
        try:
            manifest = cls(**data)
        except TypeError as error:
            raise BackupError(f"{folder / MANIFEST} is incomplete: {error}") from None
        # A key names a file inside uploads/: a tampered manifest must not reach other paths.
        if not all(is_key(entry.get("key")) for entry in manifest.files):
            raise BackupError(f"{folder / MANIFEST} lists a file name that is not a storage key.")
        return manifest


# -- the target folder -------------------------------------------------------------------------


def prepare_folder(path: Path) -> bool:
    """Make `path` ready to receive a backup; True when it was created here.

    A folder that exists and holds anything is refused, so that no backup is ever mixed with
    or written over another."""
    if path.exists():
        if not path.is_dir():
            raise BackupError(f"{path} exists and is not a folder; choose a new path.")
        if any(path.iterdir()):
            raise BackupError(f"{path} exists and is not empty; choose a new or empty folder.")
        if not os.access(path, os.W_OK | os.X_OK):
            raise BackupError(f"{path} cannot be written to.")
        return False
    try:
        path.mkdir(parents=True)
    except OSError as error:
        raise BackupError(f"{path} cannot be created: {error.strerror or error}") from None
    return True


def _clear(path: Path, created: bool) -> None:
    """Remove what a failed backup wrote: the folder if it was made here, else its contents."""
    if created:
        shutil.rmtree(path, ignore_errors=True)
        return
    for child in path.iterdir():
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


# -- reading a snapshot ------------------------------------------------------------------------


def _file_columns() -> list[tuple[str, str]]:
    from plc.auth.privacy import FILE_COLUMNS  # the one list of columns that hold storage keys

    return [(spec.table, spec.key) for spec in FILE_COLUMNS]


def _read_snapshot(connection: sa.Connection, table_names: list[str]) -> Snapshot:
    """Counts, revision and file keys, read through `connection` (inside the snapshot)."""
    tables = {
        name: int(
            connection.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
        )
        for name in sorted(table_names)
    }
    revision = None
    if "alembic_version" in tables:
        revision = connection.execute(
            sa.select(sa.column("version_num")).select_from(sa.table("alembic_version"))
        ).scalar()
    keys: set[str] = set()
    for table, column in _file_columns():
        if table in tables:
            key = sa.column(column)
            query = sa.select(key).select_from(sa.table(table)).where(key.is_not(None)).distinct()
            keys.update(connection.execute(query).scalars())
    return Snapshot(revision, tables, sorted(keys))


def _sqlite_path(url: sa.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _sqlite_snapshot(path: Path) -> Snapshot:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            names = sa.inspect(connection).get_table_names()
            return _read_snapshot(connection, names)
    finally:
        engine.dispose()


def backup_sqlite(url: sa.URL, target: Path) -> Snapshot:
    """Copy the database in one step of the online backup API: a consistent snapshot, taken
    under a read transaction, while other connections go on writing (WAL)."""
    source_path = _sqlite_path(url)
    if not source_path.exists():
        raise BackupError(f"The database {source_path} does not exist.")
    copy = target / SQLITE_FILE
    with (
        contextlib.closing(sqlite3.connect(source_path, timeout=30)) as source,
        contextlib.closing(sqlite3.connect(copy)) as destination,
    ):
        source.backup(destination, pages=-1)
        # One self-contained file: the copy must not depend on a -wal file beside it.
        destination.execute("PRAGMA journal_mode=DELETE")
    return _sqlite_snapshot(copy)


def _postgres_environment(url: sa.URL) -> dict[str, str]:
    """libpq's environment for `url`: nothing from the URL goes on a command line (where other
    users of the machine could read the password, and where a name could pass for an option)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    parts = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),  # type: ignore[arg-type]
    }
    env.update({key: str(value) for key, value in parts.items() if value})
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; it is needed for PostgreSQL.")
    result = subprocess.run(  # noqa: S603 - fixed program, arguments without user text
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def backup_postgres(engine: sa.Engine, target: Path) -> Snapshot:
    """Export a snapshot from a REPEATABLE READ transaction, read the counts in it, and let
    pg_dump dump exactly that snapshot while the transaction stays open."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        snapshot_id = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        names = sa.inspect(connection).get_table_names()
        snapshot = _read_snapshot(connection, names)
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot_id}",
                f"--file={target / POSTGRES_FILE}",
            ],
            _postgres_environment(engine.url),
        )
        connection.rollback()
    return snapshot


# -- files -------------------------------------------------------------------------------------


def _copy_hashing(source: IO[bytes], out: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_SIZE):
        digest.update(chunk)
        out.write(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def copy_files(
    keys: list[str], target: Path, progress: Progress | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Copy the files under `keys` from the storage; (files with size and sha256, missing keys).

    A file deleted after the snapshot (its row went later) is missing, and said so."""
    storage = get_storage()
    folder = target / UPLOADS
    folder.mkdir()
    files: list[dict[str, Any]] = []
    missing: list[str] = []
    for key in keys:
        try:
            source = storage.open(key)
        except FileNotFoundError:
            missing.append(key)
        else:
            with source, (folder / key).open("xb") as out:
                size, digest = _copy_hashing(source, out)
            files.append({"key": key, "size": size, "sha256": digest})
        if progress:
            progress(1)
    return files, missing


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


# -- backup ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _cleared_on_failure(path: Path, created: bool) -> Iterator[None]:
    try:
        yield
    except BaseException:
        _clear(path, created)
        raise


def make_backup(
    engine: sa.Engine,
    path: Path,
    progress: Callable[[int], contextlib.AbstractContextManager[Progress]] | None = None,
) -> Manifest:
    """Write a backup of the database behind `engine` and the files it refers to into `path`.

    `progress(total)` may give a context manager yielding a step function for the file copy."""
    created = prepare_folder(path)
    with _cleared_on_failure(path, created):
        backend = engine.dialect.name
        if backend == "sqlite":
            snapshot, database_file = backup_sqlite(engine.url, path), SQLITE_FILE
        elif backend == "postgresql":
            snapshot, database_file = backup_postgres(engine, path), POSTGRES_FILE
        else:
            raise BackupError(f"Backups of {backend} databases are not supported.")
        bar = progress(len(snapshot.file_keys)) if progress else contextlib.nullcontext(None)
        with bar as step:
            files, missing = copy_files(snapshot.file_keys, path, step)
        manifest = Manifest(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            backend=backend,
            database_file=database_file,
            alembic_revision=snapshot.revision,
            tables=snapshot.tables,
            files=files,
            missing_files=missing,
        )
        (path / MANIFEST).write_text(
            json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n", "utf-8"
        )
    return manifest


# -- checking and restoring --------------------------------------------------------------------


def verify_files(path: Path, manifest: Manifest) -> list[str]:
    """Problems with the backup's files: missing ones, or ones whose content changed."""
    problems = []
    for entry in manifest.files:
        copy = path / UPLOADS / entry["key"]
        if not copy.is_file():
            problems.append(f"{entry['key']}: missing from the backup")
        elif sha256_of(copy) != entry["sha256"]:
            problems.append(f"{entry['key']}: content differs from the manifest (sha256)")
    return problems


def count_rows(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        names = sa.inspect(connection).get_table_names()
        return _read_snapshot(connection, names).tables


def database_is_empty(engine: sa.Engine) -> bool:
    """No table holds a row (an empty schema made by the migrations counts as empty)."""
    counts = count_rows(engine)
    return not any(count for name, count in counts.items() if name != "alembic_version")


def _restore_sqlite(engine: sa.Engine, path: Path) -> None:
    """Copy the backup into the configured file through the backup API, page by page under
    SQLite's own locks (so no stale -wal file of the old database can mix in)."""
    target = _sqlite_path(engine.url)
    target.parent.mkdir(parents=True, exist_ok=True)
    engine.dispose()
    with (
        contextlib.closing(sqlite3.connect(path / SQLITE_FILE)) as source,
        contextlib.closing(sqlite3.connect(target, timeout=30)) as destination,
    ):
        source.backup(destination, pages=-1)


def _restore_postgres(engine: sa.Engine, path: Path) -> None:
    engine.dispose()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            "--dbname=" + (engine.url.database or ""),
            str(path / POSTGRES_FILE),
        ],
        _postgres_environment(engine.url),
    )


def restore_files(path: Path, manifest: Manifest) -> int:
    """Put the backup's files back in the storage (each written whole, or not at all)."""
    storage = get_storage()
    for entry in manifest.files:
        with (path / UPLOADS / entry["key"]).open("rb") as source:
            storage.save(entry["key"], source)
    return len(manifest.files)


def count_differences(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    return [
        f"{name}: {expected.get(name)} in the backup, {found.get(name)} restored"
        for name in sorted(set(expected) | set(found))
        if expected.get(name) != found.get(name)
    ]


def restore_backup(engine: sa.Engine, path: Path, *, force: bool = False) -> list[str]:
    """Restore `path` into the database behind `engine` and the storage; the differences
    between the restored row counts and the manifest's (an empty list when all is equal)."""
    manifest = Manifest.read(path)
    backend = engine.dialect.name
    if manifest.backend != backend:
        raise BackupError(
            f"This backup is of a {manifest.backend} database; the configured one is {backend}."
        )
    problems = verify_files(path, manifest)
    if not (path / manifest.database_file).is_file():
        problems.append(f"{manifest.database_file}: missing from the backup")
    if problems:
        raise BackupError("The backup is damaged:\n  " + "\n  ".join(problems))
    if not force and not _target_is_empty(engine):
        raise BackupError(
            "The configured database is not empty; restoring would replace everything in it. "
            "Use --force to do so."
        )
    if backend == "sqlite":
        _restore_sqlite(engine, path)
    else:
        _restore_postgres(engine, path)
    restore_files(path, manifest)
    return count_differences(manifest.tables, count_rows(engine))


def _target_is_empty(engine: sa.Engine) -> bool:
    if backend_missing(engine):
        return True
    return database_is_empty(engine)


def backend_missing(engine: sa.Engine) -> bool:
    """A SQLite file that is not there yet is an empty target (the restore creates it)."""
    return engine.dialect.name == "sqlite" and not _sqlite_path(engine.url).exists()
