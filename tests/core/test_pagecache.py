"""Whole pages kept for anonymous visitors (plc/core/pagecache.py): served again only while
nothing they show has changed, never to someone logged in, never with another visitor's token."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import sqlalchemy as sa

from plc.core import pagecache
from plc.core.i18n import LANGUAGE_COOKIE
from plc.extensions import db
from plc.knowledge import services as knowledge
from plc.knowledge.models import KnowledgeOutput
from tests.conftest import BACKEND

HIT = "X-Page-Cache"
SITE = "https://localhost"
#: Another process of the app (the command line, a second server) changes an output's title.
OTHER_PROCESS = """
import sys
import sqlalchemy as sa
from plc import create_app
from plc.extensions import db
from plc.knowledge.models import KnowledgeOutput
from tests.conftest import app_config

url, instance, output_id = sys.argv[1:]
app = create_app(app_config(url), instance_path=instance)
with app.app_context():
    db.session.execute(
        sa.update(KnowledgeOutput)
        .where(KnowledgeOutput.id == int(output_id))
        .values(title="Woordenschat in groep 7 en 8")
    )
    db.session.commit()
"""


pytestmark = pytest.mark.usefixtures("empty_page_stores")


def _get(client: Any, path: str, **kwargs: Any) -> Any:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.status_code
    return response


def test_a_visitor_without_a_session_gets_the_kept_page_before_the_app_runs(
    app, client, create_output, count_queries, monkeypatch
):
    output = create_output(title="Rekenen met breuken in groep 6")
    first = _get(client, "/kennisbank")
    assert HIT not in first.headers
    assert client.get_cookie("session") is None  # a public page makes no session

    def never(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the app ran for a kept page")

    monkeypatch.setitem(app.view_functions, "kennisbank.index", never)
    monkeypatch.setattr(app, "preprocess_request", never)
    with count_queries() as counted:
        second = _get(client, "/kennisbank")
    assert second.headers[HIT] == "hit"
    assert counted.count == 0  # the tokens are read on a pool connection, outside the ORM
    assert second.get_data() == first.get_data()
    assert output.title in second.get_data(as_text=True)
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert second.headers[header] == first.headers[header]


def test_a_visitor_with_a_session_gets_the_kept_page_for_one_statement(
    app, client, create_output, count_queries
):
    create_output()
    client.csrf_token()  # the login form: the visitor has a session from now on
    assert client.get_cookie("session") is not None
    _get(client, "/kennisbank")
    with count_queries() as counted:
        second = _get(client, "/kennisbank")
    assert second.headers[HIT] == "hit"
    assert counted.count == 1  # the tokens, nothing else
    # The page was kept from this visitor's answers, which refreshed their session cookie: no
    # one else ever gets that cookie.
    app.test_client_class = type(client)
    stranger = _get(app.test_client(), "/kennisbank")
    assert stranger.headers[HIT] == "hit"
    assert "Set-Cookie" not in stranger.headers


def test_a_remembered_login_without_a_session_is_not_taken_for_a_visitor(
    client, create_output, create_user
):
    create_output()
    teacher = create_user(display_name="Anouk de Wit")
    _get(client, "/kennisbank")
    client.login(teacher.email, remember="y")
    client.delete_cookie("session")  # the browser was closed: only the remember-me cookie is left
    page = _get(client, "/kennisbank")
    assert HIT not in page.headers
    assert "Anouk de Wit" in page.get_data(as_text=True)


def test_a_token_read_that_fails_never_serves_a_kept_page(client, create_output, monkeypatch):
    output = create_output(title="Eerste titel")
    _get(client, "/kennisbank")
    monkeypatch.setattr(pagecache, "_ALL_TOKENS", "SELECT name, token FROM no_such_table")
    output.title = "Tweede titel"
    db.session.commit()
    page = _get(client, "/kennisbank")  # rendered by the app, which reads the tokens itself
    assert HIT not in page.headers
    assert "Tweede titel" in page.get_data(as_text=True)


def test_a_change_shows_at_once_and_a_withdrawn_output_is_gone_at_once(
    client, create_output, create_user
):
    output = create_output(title="Feedback geven op schrijfopdrachten")
    _get(client, "/kennisbank")
    _get(client, f"/kennisbank/{output.slug}")
    assert _get(client, "/kennisbank").headers[HIT] == "hit"

    newer = create_output(title="Samen lesgeven in de onderbouw")
    page = _get(client, "/kennisbank")
    assert HIT not in page.headers
    assert newer.title in page.get_data(as_text=True)

    admin = create_user(is_admin=True)
    knowledge.withdraw(output, admin, "Verouderd: vervangen door een nieuwere aanpak.")
    db.session.commit()
    assert output.title not in _get(client, "/kennisbank").get_data(as_text=True)
    assert client.get(f"/kennisbank/{output.slug}").status_code == 410


def test_a_write_from_another_process_clears_the_kept_page(
    client, create_output, database_url, tmp_path
):
    output = create_output(title="Woordenschat in de bovenbouw")
    _get(client, f"/kennisbank/{output.slug}")
    assert _get(client, f"/kennisbank/{output.slug}").headers[HIT] == "hit"

    db.session.rollback()  # this test's own session holds no lock while the other one writes
    subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, database_url, str(tmp_path), str(output.id)],
        check=True,
        timeout=120,
    )

    page = _get(client, f"/kennisbank/{output.slug}")
    assert HIT not in page.headers
    assert "Woordenschat in groep 7 en 8" in page.get_data(as_text=True)


def test_a_rolled_back_write_keeps_the_page_and_raw_sql_clears_every_page(client, create_output):
    output = create_output()
    _get(client, "/kennisbank")
    db.session.execute(
        sa.update(KnowledgeOutput).where(KnowledgeOutput.id == output.id).values(title="Nooit")
    )
    db.session.rollback()
    assert _get(client, "/kennisbank").headers[HIT] == "hit"

    # Raw SQL whose table cannot be told: every kept page is rendered anew.
    db.session.execute(
        sa.text("WITH chosen AS (SELECT id FROM organisation) UPDATE organisation SET slug = slug")
    )
    db.session.commit()
    assert HIT not in _get(client, "/kennisbank").headers


def test_counters_go_on_counting_on_kept_pages_without_clearing_them(client, create_output):
    output = create_output()
    for _ in range(3):
        _get(client, f"/kennisbank/{output.slug}")
    assert _get(client, f"/kennisbank/{output.slug}").headers[HIT] == "hit"
    db.session.expire_all()
    assert db.session.get(KnowledgeOutput, output.id).view_count == 4
    # Before the app as inside it: a robot is not a reader.
    robot = _get(client, f"/kennisbank/{output.slug}", headers={"User-Agent": "Googlebot/2.1"})
    assert robot.headers[HIT] == "hit"
    client.csrf_token()  # with a session: answered from inside the app
    assert _get(client, f"/kennisbank/{output.slug}").headers[HIT] == "hit"
    db.session.expire_all()
    assert db.session.get(KnowledgeOutput, output.id).view_count == 5


def test_a_count_that_fails_still_gives_the_reader_the_page(client, create_output, monkeypatch):
    output = create_output()
    _get(client, f"/kennisbank/{output.slug}")

    def failing(slug: str) -> tuple[sa.Update, dict[str, Any]]:
        # Refused by the database itself (NOT NULL), before the app runs and inside it.
        return (
            sa.update(KnowledgeOutput)
            .where(KnowledgeOutput.slug == sa.bindparam("viewed"))
            .values(view_count=None)
        ), {"viewed": slug}

    monkeypatch.setattr(knowledge, "view_counter", failing)
    for ask in (lambda: None, client.csrf_token):  # before the app, then inside it
        ask()
        page = _get(client, f"/kennisbank/{output.slug}")
        assert page.headers[HIT] == "hit"
        assert output.title in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(KnowledgeOutput, output.id).view_count == 1


def test_a_kept_output_counts_its_reader_once_and_only_while_it_is_still_good(
    client, create_output
):
    """Before the app runs, the count goes with the page's check (on PostgreSQL in the same
    statement): a page found out of date is not counted there, but by the app that renders it."""
    output = create_output()
    _get(client, f"/kennisbank/{output.slug}")
    assert _get(client, f"/kennisbank/{output.slug}").headers[HIT] == "hit"
    output.title = "Woordenschat per leerjaar"
    db.session.commit()
    page = _get(client, f"/kennisbank/{output.slug}")
    assert HIT not in page.headers
    assert "Woordenschat per leerjaar" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(KnowledgeOutput, output.id).view_count == 3


def test_logged_in_visitors_never_get_a_kept_page(client, create_output, login_client, create_user):
    create_output()
    _get(client, "/kennisbank")
    assert _get(client, "/kennisbank").headers[HIT] == "hit"
    teacher = create_user(display_name="Mirjam Verhoef")
    member = login_client(teacher)
    page = _get(member, "/kennisbank")
    assert HIT not in page.headers
    assert "Mirjam Verhoef" in page.get_data(as_text=True)
    # …and what they see is never kept for others.
    assert "Mirjam Verhoef" not in _get(client, "/kennisbank").get_data(as_text=True)


def test_kept_pages_come_back_after_the_token_connections_were_cut(
    client, create_output, count_queries
):
    """PostgreSQL restarted, or a proxy cut idle connections: the token reader's pool does not
    ping, so its first read fails and the app answers (from the cache, after its own token
    query); the next visitor is answered before the app again."""
    if BACKEND != "postgres":
        pytest.skip("SQLite reads tokens in process, on the app's own pool")
    create_output()
    _get(client, "/kennisbank")
    assert _get(client, "/kennisbank").headers[HIT] == "hit"
    cut = db.session.execute(
        sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = :name AND datname = current_database()"
        ),
        {"name": pagecache.READER_NAME},
    ).all()
    db.session.commit()
    assert cut  # the reader had a connection to cut
    for statements in (1, 0, 0):  # through the app once, then before it
        with count_queries() as counted:
            assert _get(client, "/kennisbank").headers[HIT] == "hit"
        assert counted.count == statements


def test_visitors_switch_language_without_a_session_and_members_with_their_token(
    client, create_output, create_user, login_client
):
    create_output()
    page = _get(client, "/kennisbank", base_url=SITE)
    assert 'name="csrf_token"' not in page.get_data(as_text=True)
    assert 'class="language-switch" method="get"' in page.get_data(as_text=True)
    switched = client.get("/taal?lang=en&next=/kennisbank", base_url=SITE)
    assert switched.status_code == 302
    assert switched.headers["Location"] == "/kennisbank"
    assert client.get_cookie("session") is None
    assert 'lang="en"' in _get(client, "/kennisbank", base_url=SITE).get_data(as_text=True)
    assert client.get("/taal?lang=fr&next=/kennisbank").status_code == 400
    assert client.get("/taal?lang=nl&next=https://example.org/").headers["Location"] == "/"

    # Someone logged in switches by POST with their token: their account remembers it.
    teacher = create_user(preferred_language="nl")
    member = login_client(teacher)
    form = _get(member, "/kennisbank", base_url=SITE).get_data(as_text=True)
    assert 'class="language-switch" method="post"' in form
    refused = member.post("/taal", data={"lang": "en"}, base_url=SITE)
    assert refused.status_code == 400
    assert member.submit("/taal", {"lang": "en", "next": "/"}).status_code == 302
    db.session.refresh(teacher)
    assert teacher.preferred_language == "en"


def test_each_language_has_its_own_page(client, create_output):
    create_output()
    dutch = _get(client, "/kennisbank")
    client.set_cookie(LANGUAGE_COOKIE, "en")
    english = _get(client, "/kennisbank")
    assert HIT not in english.headers
    assert 'lang="nl"' in dutch.get_data(as_text=True)
    assert 'lang="en"' in english.get_data(as_text=True)
    assert _get(client, "/kennisbank").headers[HIT] == "hit"


def test_a_waiting_message_is_shown_not_hidden_behind_a_kept_page(app, client, create_output):
    create_output()
    _get(client, "/kennisbank")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Je bent uitgelogd.")]
    page = _get(client, "/kennisbank")
    assert HIT not in page.headers
    assert "Je bent uitgelogd." in page.get_data(as_text=True)


def test_kept_pages_expire(app, client, create_output, monkeypatch):
    create_output()
    _get(client, "/kennisbank")
    monkeypatch.setattr(app.extensions["plc_page_cache"], "seconds", 0)
    assert HIT not in _get(client, "/kennisbank").headers


def test_the_tables_a_statement_reads_or_writes_come_from_the_sql_as_sent():
    reads = pagecache._read_tables
    assert reads("SELECT count(*) FROM theme") == {"theme"}
    assert reads(
        "SELECT o.id, u.display_name FROM knowledge_output AS o "
        "JOIN output_author ON output_author.output_id = o.id "
        "JOIN user_account AS user_account_1 ON user_account_1.id = output_author.user_id"
    ) == {"knowledge_output", "output_author", "user_account"}
    assert reads("SELECT rowid FROM search_knowledge_output WHERE x MATCH ?") == {
        "knowledge_output"
    }
    assert reads("BEGIN IMMEDIATE") == set()
    written = pagecache._written_table
    assert written(None, 'UPDATE "user_account" SET login_count = 1') == "user_account"
    assert written(None, "INSERT OR IGNORE INTO theme (slug) VALUES (?)") == "theme"
    assert written(None, "DELETE FROM post WHERE id = ?") == "post"
    assert written(None, "WITH a AS (SELECT 1) DELETE FROM post") == pagecache.EVERYTHING
    assert written(None, "SELECT 1") is None


def test_a_write_while_a_page_renders_leaves_it_to_be_rendered_again(
    app, client, create_output, monkeypatch
):
    output = create_output(title="Eerste titel")
    real = pagecache.current_tokens

    def tokens_then_write() -> dict[str, int]:
        tokens = real()
        # Another request commits after this one read the tokens, before it renders.
        with app.app_context():
            db.session.execute(
                sa.update(KnowledgeOutput)
                .where(KnowledgeOutput.id == output.id)
                .values(title="Tweede titel")
            )
            db.session.commit()
        return tokens

    monkeypatch.setattr(pagecache, "current_tokens", tokens_then_write)
    _get(client, "/kennisbank")  # shows either title, by the database's isolation
    monkeypatch.setattr(pagecache, "current_tokens", real)
    page = _get(client, "/kennisbank")
    assert HIT not in page.headers  # kept with the older token: rendered again
    assert "Tweede titel" in page.get_data(as_text=True)


def test_the_api_list_is_kept_too(client, create_output, count_queries):
    create_output()
    assert client.get("/api/v1/outputs").status_code == 200
    with count_queries() as counted:
        again = client.get("/api/v1/outputs")
    assert again.headers[HIT] == "hit"
    assert again.json["items"]
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert counted.count == 0  # before the app: see the first test
    client.csrf_token()  # with a session, through the app: one statement
    client.get("/api/v1/outputs")
    with count_queries() as counted:
        assert client.get("/api/v1/outputs").headers[HIT] == "hit"
    assert counted.count == 1


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/gemeenschappen",
        "/aanbod",
        "/kennisbank",
        "/kennisbank?q=breuken",
        "/kennisbank/{slug}",
        "/api/v1/outputs",
        "/api/v1/outputs?q=breuken",
        "/api/v1/outputs/{slug}",
    ],
)
def test_every_public_page_with_the_cache_is_kept_for_the_next_visitor(
    client, create_output, create_offering, path
):
    output = create_output(title="Breuken vergelijken met de getallenlijn")
    create_offering()
    path = path.format(slug=output.slug)
    assert client.get(path).status_code == 200
    again = client.get(path)
    assert again.status_code == 200
    assert again.headers.get(HIT) == "hit", path


def test_someone_logging_in_keeps_the_pages_that_name_people(
    client, create_output, login_client, create_user
):
    output = create_output()
    teacher = create_user()
    _get(client, f"/kennisbank/{output.slug}")  # names its authors: reads the accounts table
    login_client(teacher)
    assert _get(client, f"/kennisbank/{output.slug}").headers[HIT] == "hit"
    author = output.authors[0].user
    author.display_name = "Nieuwe naam"
    db.session.commit()
    assert "Nieuwe naam" in _get(client, f"/kennisbank/{output.slug}").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/kennisbank", "/api/v1/outputs"])
def test_a_kept_page_answers_with_its_own_length_and_headers(client, create_output, path):
    create_output()
    first = _get(client, path)
    again = _get(client, path)
    assert again.headers[HIT] == "hit"
    # The length is the kept body's, or a browser would cut it off.
    assert int(again.headers["Content-Length"]) == len(again.get_data())
    for header in ("Content-Type", "Cache-Control", "Content-Security-Policy"):
        assert again.headers.get(header) == first.headers.get(header)


def test_a_page_kept_for_members_takes_no_front_write():
    """A member's copy is answered before the app without the write: refused where it is
    declared, not lost on every answer."""
    with pytest.raises(ValueError):
        pagecache.for_visitors(members=True, front_write=lambda environ: None)
