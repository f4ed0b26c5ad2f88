"""`plc backup PATH` and `plc restore PATH`, on the backend under test (SQLite, or PostgreSQL with
PLC_TEST_BACKEND=postgres): a backup taken while people keep replying and uploading restores
into a fresh database and upload folder with the manifest's row counts, foreign keys and
counters that hold, and every file whole."""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask

from plc import create_app
from plc.discussions.models import Post, Thread
from plc.extensions import db
from plc.resources.demo import tiny_pdf
from plc.resources.models import ResourceVersion
from tests.conftest import BACKEND, PlcClient, app_config, temporary_postgres_database


def _cli(app: Flask, *args: str) -> Result:
    """Run a `plc` command against `app` (Flask's CLI uses the app context it finds, so one of
    `app` is pushed: the test's own belongs to the app of the test session)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["plc", *args])


def _count(model: Any) -> int:
    db.session.commit()  # a fresh snapshot
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


@pytest.fixture
def community_at_work(create_user, create_community, add_member, login_client):
    """A community with a thread and two members, each with a logged-in browser."""
    owner = create_user()
    community = create_community(owner=owner)
    writers = [create_user(), create_user()]
    for writer in writers:
        add_member(community, writer)
    first = login_client(writers[0])
    response = first.submit(
        f"/gemeenschappen/{community.slug}/gesprekken/nieuw",
        {"title": "Wat werkt bij nakijken?", "body": "Deel je aanpak.", "idempotency_key": "t1"},
    )
    assert response.status_code == 302
    thread = db.session.scalars(sa.select(Thread)).one()
    return community, thread, [first, login_client(writers[1])]


class Writers:
    """Browsers that reply and upload in threads until told to stop; counts what was committed
    (a redirect after a form post is sent only after the commit)."""

    def __init__(self, community: Any, thread: Any, clients: list[Any]) -> None:
        # Plain paths: the ORM objects belong to the test's session, not to the threads.
        base = f"/gemeenschappen/{community.slug}"
        self.reply_path = f"{base}/gesprekken/{thread.id}/reacties"
        self.upload_path = f"{base}/materiaal/nieuw"
        self.stop = threading.Event()
        self.replies = 0
        self.uploads = 0
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._reply, args=(clients[0],)),
            threading.Thread(target=self._upload, args=(clients[1],)),
        ]

    def _reply(self, client: Any) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            body = {"body": f"Reactie {n}", "idempotency_key": f"r{n}"}
            self._record(client.submit(self.reply_path, body), "replies")

    def _upload(self, client: Any) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            content = tiny_pdf(f"Lesplan {n}", [f"Versie {n}", "x" * (n * 997 % 20000)])
            form = {
                "kind": "file",
                "title": f"Lesplan {n}",
                "licence": "cc-by-4.0",
                "file": (io.BytesIO(content), f"lesplan-{n}.pdf"),
            }
            response = client.submit(self.upload_path, form, content_type="multipart/form-data")
            self._record(response, "uploads")

    def _record(self, response: Any, counter: str) -> None:
        with self.lock:
            if response.status_code == 302:
                setattr(self, counter, getattr(self, counter) + 1)
            else:
                self.errors.append(f"{counter}: {response.status_code}")

    def committed(self) -> tuple[int, int]:
        with self.lock:
            return self.replies, self.uploads

    def wait_for(self, replies: int, uploads: int) -> None:
        while not (self.committed()[0] >= replies and self.committed()[1] >= uploads):
            assert not self.errors, self.errors
            assert all(t.is_alive() for t in self.threads), "a writer stopped"
            self.stop.wait(0.05)

    @contextmanager
    def running(self) -> Iterator[Writers]:
        for t in self.threads:
            t.start()
        try:
            yield self
        finally:
            self.stop.set()
            for t in self.threads:
                t.join(60)


@contextmanager
def fresh_instance(tmp_path: Path) -> Iterator[Flask]:
    """A second app on an empty database (no schema at all) and an empty upload folder."""

    @contextmanager
    def database() -> Iterator[str]:
        if BACKEND == "postgres":
            with temporary_postgres_database() as url:
                yield url
        else:
            yield f"sqlite:///{tmp_path / 'restored' / 'plc.sqlite3'}"

    with database() as url:
        restored = create_app(
            app_config(url, UPLOAD_FOLDER=str(tmp_path / "restored-uploads")),
            instance_path=str(tmp_path / "restored-instance"),
        )
        try:
            yield restored
        finally:
            with restored.app_context():
                db.session.remove()
                db.engine.dispose()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _foreign_key_violations() -> list[Any]:
    if db.engine.dialect.name == "sqlite":
        return list(db.session.execute(sa.text("PRAGMA foreign_key_check")))
    # PostgreSQL: pg_restore re-creates every constraint, which checks the rows; none may be
    # left unvalidated.
    return list(
        db.session.execute(
            sa.text(
                "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
                " WHERE c.contype = 'f' AND NOT c.convalidated AND n.nspname = current_schema()"
            )
        )
    )


def _check_consistent(upload_folder: Path, manifest: dict[str, Any]) -> None:
    """In the current app's database: foreign keys hold, counters match rows, and every file a
    row refers to is in the upload folder with the sha256 the row records."""
    assert _foreign_key_violations() == []
    if db.engine.dialect.name == "postgresql":
        count = db.session.scalar(
            sa.text(
                "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n"
                " ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()"
            )
        )
        assert count and count > 50  # the constraints came back with the tables
    for thread in db.session.scalars(sa.select(Thread)):
        replies = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Post)
            .where(Post.thread_id == thread.id, Post.is_opening.is_(False))
        )
        assert thread.reply_count == replies
    listed = {entry["key"]: entry for entry in manifest["files"]}
    for version in db.session.scalars(sa.select(ResourceVersion)):
        assert version.storage_key in listed
        stored = upload_folder / version.storage_key
        assert stored.stat().st_size == version.size == listed[version.storage_key]["size"]
        assert _sha256(stored) == version.sha256 == listed[version.storage_key]["sha256"]


def test_a_backup_under_load_restores_into_a_fresh_instance(
    app, upload_folder, community_at_work, tmp_path
):
    community, thread, clients = community_at_work
    target = tmp_path / "backup"
    posts_at_start = _count(Post)
    writers = Writers(community, thread, clients)
    with writers.running():
        writers.wait_for(replies=3, uploads=2)
        before = writers.committed()
        result = _cli(app, "backup", str(target))
        after = writers.committed()
        writers.wait_for(replies=after[0] + 2, uploads=after[1] + 1)  # and they go on
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output
    assert not writers.errors, writers.errors

    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["backend"] == db.engine.dialect.name
    assert manifest["alembic_revision"] == db.session.scalar(
        sa.text("SELECT version_num FROM alembic_version")
    )
    # The snapshot holds what was committed when it was taken: no fewer rows than before the
    # backup began, no more than when it ended, and fewer than the writers made in the end.
    tables = manifest["tables"]
    assert before[0] <= tables["post"] - posts_at_start <= after[0]
    assert before[1] <= tables["resource_version"] <= after[1]
    assert tables["post"] < _count(Post)
    assert sorted(entry["key"] for entry in manifest["files"]) == sorted(
        p.name for p in (target / "uploads").iterdir()
    )
    assert len(manifest["files"]) == tables["resource_version"]
    for entry in manifest["files"]:
        assert _sha256(target / "uploads" / entry["key"]) == entry["sha256"]
    assert manifest["missing_files"] == []

    with fresh_instance(tmp_path) as restored:
        result = _cli(restored, "restore", str(target))
        assert result.exit_code == 0, result.output
        assert "every table has the row count of the manifest" in result.output
        with restored.app_context():
            from plc.core.backup import count_rows

            assert count_rows(db.engine) == tables
            _check_consistent(Path(restored.config["UPLOAD_FOLDER"]), manifest)
        # The restored instance works: its pages read the restored rows.
        restored.test_client_class = PlcClient
        library = f"/gemeenschappen/{community.slug}/materiaal"
        with restored.test_client().get(library) as page:
            assert page.status_code == 200
            assert "Lesplan 1" in page.get_data(as_text=True)


def test_a_path_that_is_not_empty_is_refused(app, upload_folder, tmp_path, create_user):
    create_user()
    target = tmp_path / "earlier"
    target.mkdir()
    (target / "manifest.json").write_text("{}")
    result = _cli(app, "backup", str(target))
    assert result.exit_code != 0
    assert "exists and is not empty" in result.output
    assert [p.name for p in target.iterdir()] == ["manifest.json"]
    assert (target / "manifest.json").read_text() == "{}"


def test_a_path_that_cannot_be_written_is_refused(app, upload_folder, tmp_path, create_user):
    create_user()
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where a folder should be")
    result = _cli(app, "backup", str(blocker / "backup"))
    assert result.exit_code != 0
    assert "cannot be created" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_an_empty_folder_is_used_and_a_failure_leaves_it_empty(
    app, upload_folder, tmp_path, create_user, monkeypatch
):
    from plc.core import backup

    create_user()
    target = tmp_path / "empty"
    target.mkdir()

    def broken(*_args: Any) -> None:
        raise backup.BackupError("the copy broke off")

    monkeypatch.setattr(backup, "copy_files", broken)
    result = _cli(app, "backup", str(target))
    assert result.exit_code != 0 and "the copy broke off" in result.output
    assert list(target.iterdir()) == []


def _small_backup(app: Flask, tmp_path: Path, create_user: Callable[..., Any]) -> Path:
    create_user()
    target = tmp_path / "backup"
    assert _cli(app, "backup", str(target)).exit_code == 0
    return target


def test_restore_refuses_a_database_that_is_not_empty(app, upload_folder, tmp_path, create_user):
    target = _small_backup(app, tmp_path, create_user)
    create_user()  # after the backup: the database now differs from it
    users = db.session.scalar(sa.text("SELECT count(*) FROM user_account"))
    result = _cli(app, "restore", str(target))
    assert result.exit_code != 0
    assert "not empty" in result.output and "--force" in result.output
    assert db.session.scalar(sa.text("SELECT count(*) FROM user_account")) == users == 2


def test_restore_refuses_a_damaged_backup(app, upload_folder, tmp_path, create_user):
    target = _small_backup(app, tmp_path, create_user)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["files"].append({"key": "0" * 32, "size": 3, "sha256": "0" * 64})
    (target / "manifest.json").write_text(json.dumps(manifest))
    with fresh_instance(tmp_path) as restored:
        result = _cli(restored, "restore", str(target))
        assert result.exit_code != 0
        assert "The backup is damaged" in result.output and "0" * 32 in result.output
        assert not (tmp_path / "restored-uploads").exists()


def test_restore_refuses_a_manifest_that_names_other_paths(
    app, upload_folder, tmp_path, create_user
):
    target = _small_backup(app, tmp_path, create_user)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["files"].append({"key": "../../secret_key", "size": 1, "sha256": "0" * 64})
    (target / "manifest.json").write_text(json.dumps(manifest))
    with fresh_instance(tmp_path) as restored:
        result = _cli(restored, "restore", str(target))
        assert result.exit_code != 0
        assert "not a storage key" in result.output
        assert not (tmp_path / "restored").exists()
