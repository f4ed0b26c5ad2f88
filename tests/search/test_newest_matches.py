"""PostgreSQL finds a search's newest matches the way that suits the words (migration 0017,
`search_newest`): a word in most rows by reading the rows newest first, a rare word from the GIN
index, a word whose matches thin out by reading a span and then asking the index. The rows are
the same whichever way (docs/BENCHMARKS.md, "Findings and fixes")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from plc.communities.services import access_for
from plc.core.search import match_text, search_subquery
from plc.discussions import services as discussions
from plc.discussions.models import Post
from plc.discussions.services import POST_SEARCH
from plc.extensions import db


def _postgres_only() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the way to the newest matches is PostgreSQL's (SQLite's FTS5 reads them)")


@pytest.fixture
def add_posts(create_user, create_community):
    """Adds replies with the given texts to one thread, oldest first; their ids in that order."""
    owner = create_user()
    community = create_community(owner=owner, name="Kring rekenen")
    thread = discussions.start_thread(
        community, access_for(community, owner), owner, "Rekenen in groep 6", "Opening"
    )
    db.session.commit()

    def add(texts: list[str]) -> list[int]:
        posts = [
            Post(thread_id=thread.id, author_id=owner.id, body=text, body_html=text)
            for text in texts
        ]
        db.session.add_all(posts)
        db.session.commit()
        return [post.id for post in posts]

    return add


def _analyse() -> None:
    """The statistics the choice reads (`pg_stats`), as autovacuum keeps them."""
    db.session.execute(sa.text("ANALYZE post"))
    db.session.commit()


@contextmanager
def _ways() -> Iterator[list[str]]:
    """The ways `search_newest` reports taking (its DEBUG messages) while inside."""
    seen: list[str] = []
    connection = db.session.connection()
    driver = connection.connection.driver_connection

    def note(diagnostic) -> None:  # psycopg's notice handler
        message = diagnostic.message_primary or ""
        if message.startswith("search_newest("):
            seen.append(message)

    connection.exec_driver_sql("SET client_min_messages = debug1")
    driver.add_notice_handler(note)
    try:
        yield seen
    finally:
        driver.remove_notice_handler(note)
        connection.exec_driver_sql("RESET client_min_messages")


def _found(query: str, limit: int) -> list[int]:
    found = search_subquery(POST_SEARCH, query, limit=limit)
    assert found is not None
    return sorted(db.session.scalars(sa.select(found.c.id)), reverse=True)


def _newest(query: str, limit: int) -> list[int]:
    """The reference: the newest matches as PostgreSQL's own plan finds them."""
    return list(
        db.session.scalars(
            sa.text(
                "SELECT id FROM post WHERE search_vector @@ to_tsquery('dutch', :match)"
                " ORDER BY id DESC LIMIT :limit"
            ),
            {"match": match_text(query), "limit": limit},
        )
    )


def test_a_common_word_is_read_newest_first_and_a_rare_one_from_the_index(add_posts):
    _postgres_only()
    texts = [f"De leerlingen oefenen tafels, ronde {n}." for n in range(60)]
    ids = add_posts(texts)
    _analyse()
    # Written after ANALYZE: the statistics have never seen the word, as with a rare one.
    (old_rare,) = add_posts(["Vlootschouw met de hele klas."])
    ids += add_posts([f"Leerlingen, ronde {n}." for n in range(5)])

    with _ways() as common:
        found_common = _found("leerlingen", limit=3)
    with _ways() as rare:
        found_rare = _found("vlootschouw", limit=3)

    assert found_common == ids[-3:][::-1]
    assert common and all("newest first" in way for way in common), common
    assert found_rare == [old_rare]
    assert rare and all("from the index" in way for way in rare), rare


def test_a_word_common_long_ago_is_found_after_a_span_read_in_vain(add_posts):
    """The statistics say "in every other post", but the newest posts no longer have it: the
    span read newest first falls short, and the index gives the newest matches, however old."""
    _postgres_only()
    old = add_posts([f"Breuken en kommagetallen, les {n}." for n in range(40)])
    add_posts([f"Tafels oefenen, les {n}." for n in range(40)])
    _analyse()
    add_posts([f"Meten en wegen, les {n}." for n in range(400)])

    with _ways() as ways:
        found = _found("breuken", limit=5)

    assert found == old[-5:][::-1] == _newest("breuken", 5)
    assert len(ways) == 1 and re.search(r"from the index, after [1-9]\d* rows", ways[0]), ways


def test_the_same_newest_matches_whichever_way(add_posts):
    """Every way in one world: read newest first, every row read (a table smaller than the
    span), the index at once (a word the statistics do not know), the index after a span read
    in vain (a word of old posts only), and the index asked for the rare word alone (the common
    one checked on what it finds)."""
    _postgres_only()
    texts = []
    for n in range(120):
        words = ["De leerlingen"]
        if n % 3 == 0:
            words.append("oefenen breuken")
        if n % 4 == 0:
            words.append("en kommagetallen")
        if n < 30:
            words.append("meten")
        if n > 90:
            words.append("tafels")
        texts.append(" ".join(words) + f" in les {n}.")
    add_posts(texts)
    _analyse()
    add_posts([f"Leerlingen bij de vlootschouw, les {n}." for n in range(4)])
    queries = [
        "leerlingen",
        "les",
        "breuken",
        "breuken kommagetallen",
        "meten",
        "meten tafels",
        "vlootschouw",
        "leerlingen vlootschouw",
        "de",
        "xylofoon",
    ]

    with _ways() as ways:
        for query in queries:
            for limit in (1, 7, 500):
                assert _found(query, limit) == _newest(query, limit), (query, limit)

    taken = "\n".join(ways)
    assert "newest first, 1 spans" in taken, taken
    assert "newest first, every row" in taken, taken
    assert "from the index for 'vlootschouw':*, the other words checked" in taken, taken
    assert re.search(r"from the index, after [1-9]\d* rows", taken), taken  # "meten"
    assert "from the index, after 0 rows" in taken, taken


def test_the_site_wide_search_asks_each_index_for_its_newest_matches_the_chosen_way(app):
    """One call per kind of result in the ranking statement: communities, thread titles, posts,
    materials, outputs."""
    _postgres_only()
    from plc.search.services import _ranking_statement

    sql = str(_ranking_statement("postgresql", "person").compile(db.engine))

    for table in ("community", "thread", "post", "resource", "knowledge_output"):
        assert f"search_newest('{table}'::regclass" in sql, table
    assert " @@ " not in sql  # the matching itself is left to the function
