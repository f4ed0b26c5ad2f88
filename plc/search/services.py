"""Site-wide search: each kind of result through the search interface, filtered by access."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from plc.communities.models import Community
from plc.communities.services import DirectoryFilters, directory_query, readable_filter
from plc.core.search import SearchIndex, search_subquery
from plc.discussions.models import Post, Thread
from plc.discussions.services import POST_SEARCH, THREAD_SEARCH
from plc.extensions import db
from plc.knowledge import services as knowledge
from plc.knowledge.models import KnowledgeOutput
from plc.resources.models import Resource

RESOURCE_SEARCH = SearchIndex(name="resource", table="resource", columns=("title", "description"))
PER_KIND = 10


@dataclass
class Results:
    communities: list[Community]
    threads: list[Thread]
    resources: list[Resource]
    outputs: list[KnowledgeOutput]

    @property
    def empty(self) -> bool:
        return not (self.communities or self.threads or self.resources or self.outputs)


def _readable_community_ids(viewer: Any) -> sa.Select[tuple[int]]:
    return sa.select(Community.id).where(readable_filter(viewer))


def _best(
    model: Any,
    found: sa.Subquery,
    *criteria: sa.ColumnElement[bool],
    ties: list[Any],
    options: list[Any],
) -> list[Any]:
    """The `PER_KIND` best-scored rows of `model` among the search's matches that meet the
    criteria, ties broken by `ties`. The matches are ranked on ids and scores alone (an inner
    query), and only the rows kept are read in full: sorting hundreds of whole rows (bodies,
    descriptions) to keep ten cost more than the ranking."""
    order = [found.c.score.desc(), *ties]
    ranked = (
        sa.select(model.id.label("id"), sa.func.row_number().over(order_by=order).label("rank"))
        .join(found, found.c.id == model.id)
        .where(*criteria)
        .order_by(*order)
        .limit(PER_KIND)
        .subquery()
    )
    return list(
        db.session.scalars(
            sa.select(model)
            .join(ranked, ranked.c.id == model.id)
            .options(*options)
            .order_by(ranked.c.rank)
        ).unique()
    )


def search_everything(query: str, viewer: Any) -> Results:
    """The best matches of each kind; nothing from a community the viewer may not read."""
    communities = list(
        db.session.scalars(directory_query(DirectoryFilters(q=query), viewer).limit(PER_KIND))
    )
    threads: list[Thread] = []
    titles = search_subquery(THREAD_SEARCH, query)
    posts = search_subquery(POST_SEARCH, query)
    if titles is not None and posts is not None:
        matching = sa.union_all(
            sa.select(titles.c.id.label("thread_id"), titles.c.score.label("score")),
            sa.select(Post.thread_id.label("thread_id"), posts.c.score.label("score"))
            .join(posts, posts.c.id == Post.id)
            .where(Post.deleted_at.is_(None), Post.hidden_at.is_(None)),
        ).subquery()
        best = (
            sa.select(
                matching.c.thread_id.label("id"), sa.func.max(matching.c.score).label("score")
            )
            .group_by(matching.c.thread_id)
            .subquery()
        )
        threads = _best(
            Thread,
            best,
            Thread.deleted_at.is_(None),
            Thread.community_id.in_(_readable_community_ids(viewer)),
            ties=[Thread.id],
            options=[joinedload(Thread.community)],
        )
    resources: list[Resource] = []
    found = search_subquery(RESOURCE_SEARCH, query)
    if found is not None:
        resources = _best(
            Resource,
            found,
            Resource.deleted_at.is_(None),
            Resource.community_id.in_(_readable_community_ids(viewer)),
            ties=[Resource.id],
            options=[joinedload(Resource.community)],
        )
    # Published knowledge is public: the same ranked matches and filters as the knowledge base.
    outputs: list[KnowledgeOutput] = []
    found = search_subquery(knowledge.SEARCH, query)
    if found is not None:
        outputs = _best(
            KnowledgeOutput,
            found,
            *knowledge.public_criteria(knowledge.PublicFilters(q=query)),
            ties=[KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc()],
            options=[joinedload(KnowledgeOutput.community)],
        )
    return Results(communities, threads, resources, outputs)
