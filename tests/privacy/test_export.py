"""Download all my data: the archive holds every row and file of the person, and nothing that
would expose others, secrets, or anonymous survey answers."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import sqlalchemy as sa

from plc.auth.privacy import JOIN_PATHS, USER_LINKS, Export, table, write_export
from plc.extensions import db
from plc.surveys.services import respondent_key
from tests.privacy.conftest import EMAIL, NAME


def archive_of(user: Any) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    write_export(user, buffer)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


def data_of(archive: zipfile.ZipFile) -> dict[str, Any]:
    return json.loads(archive.read("data.json"))


def ids(rows: list[dict[str, Any]], column: str = "id") -> set[Any]:
    return {row[column] for row in rows}


def test_the_export_holds_every_row_behind_every_user_link(everything) -> None:
    person_id = everything.person.id
    data = data_of(archive_of(everything.person))
    for (table_name, column), link in USER_LINKS.items():
        t = table(table_name)
        expected = {
            tuple(row)
            for row in db.session.execute(
                sa.select(*t.primary_key.columns).where(t.c[column] == person_id)
            )
        }
        assert expected, (table_name, column)
        if link.export == Export.ROWS:
            rows = data["tables"].get(table_name, [])
            exported = {tuple(row[c.name] for c in t.primary_key.columns) for row in rows}
        else:
            rows = [r for r in data["acted_on"].get(table_name, []) if r["as"] == column]
            exported = {tuple(row[c.name] for c in t.primary_key.columns) for row in rows}
        assert expected <= exported, (table_name, column)


def test_the_export_follows_rows_that_hang_off_the_persons_rows(everything) -> None:
    data = data_of(archive_of(everything.person))
    for child in JOIN_PATHS:
        assert data["tables"].get(child), child
    # Only the person's own: the revision of their post, the answers of their named response.
    assert ids(data["tables"]["post_revision"], "post_id") == {everything.own_post_id}
    assert ids(data["tables"]["survey_answer"], "response_id") == {everything.named_response_id}


def test_the_export_holds_the_profile_mail_and_invitations_by_address(everything) -> None:
    data = data_of(archive_of(everything.person))
    (me,) = data["tables"]["user_account"]
    assert me["display_name"] == NAME and me["email"] == EMAIL
    assert me["subjects"] == ["rekenen"]
    assert "password_hash" not in me
    assert {m["recipient"] for m in data["tables"]["outbox_message"]} == {EMAIL}
    assert EMAIL in {i["email"] for i in data["tables"]["community_invitation"]}


def test_values_are_readable(everything) -> None:
    data = data_of(archive_of(everything.person))
    (me,) = data["tables"]["user_account"]
    assert me["created_at"].startswith("20") and "T" in me["created_at"]  # ISO 8601
    (entry,) = data["tables"]["pd_record_entry"]
    assert entry["source"] == "manual"  # the enum's value
    assert entry["activity_date"] == "2026-10-01"
    consent = data["tables"]["consent"][0]
    assert consent["document"] == "privacy_statement" and consent["version"] == "2026-11"


def test_the_export_holds_the_persons_files(everything) -> None:
    archive = archive_of(everything.person)
    data = data_of(archive)
    contents = {archive.read(f["path"]) for f in data["files"]}
    assert contents == set(everything.files.values())
    paths = {f["path"] for f in data["files"]}
    assert any(p.startswith("files/record/") and p.endswith("certificaat.pdf") for p in paths)
    assert any(p.startswith("files/resources/") for p in paths)
    assert any(p.startswith("files/outputs/") for p in paths)
    assert data["missing_files"] == []


def test_a_missing_file_is_listed_not_fatal(everything) -> None:
    from plc.core.storage import get_storage

    get_storage().delete(everything.evidence_key)
    data = data_of(archive_of(everything.person))
    assert [f["filename"] for f in data["missing_files"]] == ["certificaat.pdf"]
    assert len(data["files"]) == 2


def test_no_secrets_and_no_anonymous_survey_answers(everything) -> None:
    raw = archive_of(everything.person).read("data.json").decode()
    data = json.loads(raw)
    for name, rows in data["tables"].items():
        for row in rows:
            assert not {"password_hash", "key_hash", "token_hash", "respondent_key"} & row.keys()
            assert name != "calendar_feed" or "token" not in row
    assert everything.anonymous_response_id not in raw
    assert respondent_key(everything.anonymous_survey_id, everything.person.id) not in raw
    assert "Anoniem antwoord" not in raw
    assert everything.named_response_id in raw  # a named response is the person's own data


def test_others_rows_the_person_acted_on_are_references_only(everything) -> None:
    data = data_of(archive_of(everything.person))
    hidden = [r for r in data["acted_on"]["post"] if r["as"] == "hidden_by_id"]
    assert hidden and set(hidden[0]) <= {"id", "created_at", "as"}
    assert "Reclame." not in json.dumps(data["acted_on"])  # not the other person's text


def test_download_through_the_page(everything, login_client) -> None:
    client = login_client(everything.person)
    page = client.get("/mijn-gegevens")
    assert page.status_code == 200
    response = client.submit("/mijn-gegevens/download")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    response.close()  # closes (and so removes) the temporary file behind the download
    assert {"data.json", "README.txt"} <= set(archive.namelist())
    assert data_of(archive)["person"]["email"] == EMAIL


def test_download_needs_a_login_and_a_csrf_token(client, everything, login_client) -> None:
    assert client.get("/mijn-gegevens").status_code == 302
    assert client.submit("/mijn-gegevens/download").status_code == 302
    logged_in = login_client(everything.person)
    assert logged_in.post("/mijn-gegevens/download").status_code == 400


def download_status(client: Any) -> int:
    response = client.submit("/mijn-gegevens/download")
    response.close()
    return response.status_code


def test_download_is_rate_limited_per_person(everything, login_client, create_user) -> None:
    client = login_client(everything.person)
    assert [download_status(client) for _ in range(6)] == [200] * 5 + [429]
    # Someone else (behind the same school address) still gets theirs.
    assert download_status(login_client(create_user())) == 200


def test_mail_to_the_person_is_listed_without_its_live_links(everything) -> None:
    """A password-reset mail carries a link that sets the password: the archive (which may be
    stored or forwarded) lists the mail, never its text."""
    from plc.auth.services import request_password_reset

    request_password_reset(everything.person.email)
    db.session.commit()
    mails = db.session.execute(
        sa.select(table("outbox_message").c.subject, table("outbox_message").c.body_text).where(
            table("outbox_message").c.recipient == everything.person.email
        )
    ).all()
    reset_body = next(body for subject, body in mails if "/wachtwoord" in body)
    link = next(word for word in reset_body.split() if "/wachtwoord" in word)
    raw = archive_of(everything.person).read("data.json").decode()
    assert link not in raw and "/wachtwoord" not in raw
    exported = json.loads(raw)["tables"]["outbox_message"]
    assert {m["subject"] for m in exported} == {subject for subject, _ in mails}
    assert not {"body_text", "body_html"} & exported[0].keys()


def test_others_can_write_while_an_archive_is_built(everything, login_client, monkeypatch) -> None:
    """The download is a POST, but it only reads: while the archive is built (files copied,
    compressed), another request can still write. On SQLite a write transaction would hold the
    database's one write lock for as long."""
    from plc.auth import privacy

    build = privacy.write_export
    writes: list[bool] = []

    def build_while_someone_writes(user: Any, out: Any) -> None:
        with db.engine.connect() as other:
            other.exec_driver_sql(
                "PRAGMA busy_timeout = 200"
            ) if db.engine.name == "sqlite" else None
            other.execute(sa.text("UPDATE theme SET name_en = name_en"))
            other.commit()
            writes.append(True)
        build(user, out)

    monkeypatch.setattr(privacy, "write_export", build_while_someone_writes)
    response = login_client(everything.person).submit("/mijn-gegevens/download")
    assert response.status_code == 200 and writes == [True]
    response.close()
