"""Search stays bounded when a word is everywhere: only the newest matches are scored.

A common word ("de", "les") matches nearly every post; scoring them all took a second per query
on the M data set (docs/BENCHMARKS.md). The search subquery keeps the newest `limit` matches and
ranks those; a query with fewer matches is ranked in full.
"""

from __future__ import annotations

import sqlalchemy as sa

from plc.communities.services import access_for
from plc.core.search import MAX_MATCHES, search_subquery
from plc.discussions import services as discussions
from plc.discussions.models import Post
from plc.discussions.services import POST_SEARCH
from plc.extensions import db


def _thread_with_replies(create_user, create_community, texts: list[str]) -> list[int]:
    owner = create_user()
    community = create_community(owner=owner, name="Kring rekenen")
    access = access_for(community, owner)
    thread = discussions.start_thread(community, access, owner, "Breuken in groep 6", "Opening")
    for text in texts:
        discussions.reply(thread, community, access, owner, text)
    db.session.commit()
    return list(
        db.session.scalars(
            sa.select(Post.id)
            .where(Post.thread_id == thread.id, Post.is_opening.is_(False))
            .order_by(Post.id)
        )
    )


def _found(query: str, limit: int) -> list[tuple[int, float]]:
    found = search_subquery(POST_SEARCH, query, limit=limit)
    assert found is not None
    return [tuple(row) for row in db.session.execute(sa.select(found.c.id, found.c.score))]


def test_a_word_in_every_post_scores_only_the_newest_matches(create_user, create_community):
    texts = [f"De leerlingen oefenen breuken, ronde {n}." for n in range(8)]
    reply_ids = _thread_with_replies(create_user, create_community, texts)

    found = _found("leerlingen", limit=3)

    assert sorted(post_id for post_id, _score in found) == sorted(reply_ids)[-3:]


def test_a_rare_word_is_found_however_old_its_post(create_user, create_community):
    texts = ["Vlootschouw met de hele klas."] + [
        f"De leerlingen rekenen, ronde {n}." for n in range(6)
    ]
    reply_ids = _thread_with_replies(create_user, create_community, texts)

    found = _found("vlootschouw", limit=3)

    assert [post_id for post_id, _score in found] == [reply_ids[0]]


def test_matches_within_the_limit_are_ranked_by_relevance(create_user, create_community):
    texts = [
        "Breuken breuken breuken: de hele les over breuken.",
        "Vandaag iets over verhoudingen, en kort over breuken.",
    ]
    first, second = _thread_with_replies(create_user, create_community, texts)

    scores = dict(_found("breuken", limit=MAX_MATCHES))

    assert set(scores) == {first, second}
    assert scores[first] > scores[second]
