"""Site-wide search: each kind of result through the search interface, filtered by access.

One statement ranks all four kinds: a `UNION ALL` of each kind's `PER_KIND` best among its newest
`MATCHES` matches (see `plc.core.search`), built once per backend and kind of viewer and run with
the words and the viewer's id as parameters. Then one statement per kind that has results reads
the rows shown (the communities' themes one more). Before, each kind was an ORM statement of its
own, built anew for every search: on the M data set building and reading them cost about as much
as the full-text work itself.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from plc.communities.models import Community, CommunityOwner, CommunityStatus
from plc.communities.services import (
    SEARCH as COMMUNITY_SEARCH,
)
from plc.communities.services import (
    DirectoryFilters,
    directory_query,
    readable_filter,
    visible_filter,
)
from plc.core.search import SearchIndex, match_text, matches_subquery
from plc.discussions.models import Post, Thread
from plc.discussions.services import POST_SEARCH, THREAD_SEARCH
from plc.extensions import db
from plc.knowledge import services as knowledge
from plc.knowledge.models import KnowledgeOutput
from plc.resources.models import Resource

RESOURCE_SEARCH = SearchIndex(name="resource", table="resource", columns=("title", "description"))
PER_KIND = 10
#: Communities, threads and materials rank at most their newest this many matches: ten of each
#: are shown, and on PostgreSQL finding the newest matches of a word that is neither rare nor
#: common reads rows in proportion to this number. Outputs rank the same `MAX_MATCHES` as the
#: knowledge base's list: with fewer, PostgreSQL reads outputs newest first for a rare word too,
#: and each output's long (TOASTed) search vector costs far more than it reckons.
MATCHES = 200


class Kind(enum.IntEnum):
    """The kinds of result, in the ranking statement's `kind` column."""

    COMMUNITY = 1
    THREAD = 2
    RESOURCE = 3
    OUTPUT = 4


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


def _top(kind: Kind, ranked: sa.Select[Any], order: list[Any]) -> sa.Select[Any]:
    """`(kind, id, rank)` of the `PER_KIND` first rows of `ranked` (which selects the ids) in
    `order`. The kind is an SQL constant, not a parameter, so that PostgreSQL can type the
    union's column."""
    best = (
        ranked.add_columns(sa.func.row_number().over(order_by=order).label("rank"))
        .order_by(*order)
        .limit(PER_KIND)
        .subquery()
    )
    return sa.select(sa.literal_column(str(int(kind))).label("kind"), best.c.id, best.c.rank)


#: The statement's parameters: the search's match (`match_text`) and the viewer's id.
_MATCH = sa.bindparam("match", type_=sa.String)
_VIEWER_ID = sa.bindparam("viewer_id", type_=sa.Integer)


@dataclass(frozen=True)
class _Viewer:
    """Who the access rules are written for, with the id left as a parameter: the ranking
    statement is built once per kind of viewer (see `_ranking_statement`) from the very same
    rules (`readable_filter`, `visible_filter`) the rest of the platform uses."""

    is_admin: bool
    is_authenticated: bool = True
    id: Any = _VIEWER_ID


def _viewer_kind(viewer: Any) -> str:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return "anonymous"
    return "admin" if viewer.is_admin else "person"


_STAND_INS: dict[str, _Viewer | None] = {
    "anonymous": None,
    "person": _Viewer(is_admin=False),
    "admin": _Viewer(is_admin=True),
}


def _communities(viewer: Any) -> sa.Select[Any]:
    """The directory's order (`directory_query`): open communities first, best match first."""
    found = matches_subquery(COMMUNITY_SEARCH, _MATCH, limit=MATCHES)
    closed_last = sa.case((Community.status == CommunityStatus.CLOSED, 1), else_=0)
    ranked = (
        sa.select(Community.id.label("id"))
        .join(found, found.c.id == Community.id)
        .where(visible_filter(viewer))
    )
    return _top(Kind.COMMUNITY, ranked, [closed_last, found.c.score.desc(), Community.id])


def _threads(viewer: Any) -> sa.Select[Any]:
    """A thread matches by its title or by one of its visible posts, and scores its best."""
    titles = matches_subquery(THREAD_SEARCH, _MATCH, limit=MATCHES)
    posts = matches_subquery(POST_SEARCH, _MATCH, limit=MATCHES)
    matching = sa.union_all(
        sa.select(titles.c.id.label("thread_id"), titles.c.score.label("score")),
        sa.select(Post.thread_id.label("thread_id"), posts.c.score.label("score"))
        .join(posts, posts.c.id == Post.id)
        .where(Post.deleted_at.is_(None), Post.hidden_at.is_(None)),
    ).subquery()
    best = (
        sa.select(matching.c.thread_id.label("id"), sa.func.max(matching.c.score).label("score"))
        .group_by(matching.c.thread_id)
        .subquery()
    )
    ranked = (
        sa.select(Thread.id.label("id"))
        .join(best, best.c.id == Thread.id)
        .where(
            Thread.deleted_at.is_(None),
            Thread.community_id.in_(_readable_community_ids(viewer)),
        )
    )
    return _top(Kind.THREAD, ranked, [best.c.score.desc(), Thread.id])


def _resources(viewer: Any) -> sa.Select[Any]:
    found = matches_subquery(RESOURCE_SEARCH, _MATCH, limit=MATCHES)
    ranked = (
        sa.select(Resource.id.label("id"))
        .join(found, found.c.id == Resource.id)
        .where(
            Resource.deleted_at.is_(None),
            Resource.community_id.in_(_readable_community_ids(viewer)),
        )
    )
    return _top(Kind.RESOURCE, ranked, [found.c.score.desc(), Resource.id])


def _outputs() -> sa.Select[Any]:
    """Published knowledge is public: the knowledge base's own matches, filters and order."""
    found = matches_subquery(knowledge.SEARCH, _MATCH)
    ranked = (
        sa.select(KnowledgeOutput.id.label("id"))
        .join(found, found.c.id == KnowledgeOutput.id)
        .where(*knowledge.public_criteria(knowledge.PublicFilters()))
    )
    order = [found.c.score.desc(), KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc()]
    return _top(Kind.OUTPUT, ranked, order)


@functools.cache
def _ranking_statement(dialect: str, viewer_kind: str) -> sa.Select[tuple[int, int]]:
    """`(kind, id)` of each kind's results, best first. Built once per backend and kind of
    viewer and then only run: building and cache-keying this statement cost about as much as
    running it (`dialect` is part of the key because the full-text syntax depends on it)."""
    viewer = _STAND_INS[viewer_kind]
    union = sa.union_all(
        _communities(viewer), _threads(viewer), _resources(viewer), _outputs()
    ).subquery()
    return sa.select(union.c.kind, union.c.id).order_by(union.c.kind, union.c.rank)


def _ranking(match: str, viewer: Any) -> dict[Kind, list[int]]:
    """The ids of each kind's results, best first, from one statement."""
    kind = _viewer_kind(viewer)
    statement = _ranking_statement(db.engine.dialect.name, kind)
    params = {"match": match, "viewer_id": viewer.id if kind == "person" else None}
    found: dict[Kind, list[int]] = {kind: [] for kind in Kind}
    for kind_value, id_ in db.session.execute(statement, params):
        found[Kind(kind_value)].append(id_)
    return found


#: What each kind's list shows beside its own columns: the community card's co-owners and their
#: organisations (joined) and themes (one statement more: joined as well, themes times co-owners
#: made more rows than the statement costs), and the other kinds' community name (joined).
_OPTIONS: dict[Kind, list[Any]] = {
    Kind.COMMUNITY: [
        selectinload(Community.themes),
        joinedload(Community.owners).joinedload(CommunityOwner.organisation),
    ],
    Kind.THREAD: [joinedload(Thread.community)],
    Kind.RESOURCE: [joinedload(Resource.community)],
    Kind.OUTPUT: [joinedload(KnowledgeOutput.community)],
}
_MODELS: dict[Kind, Any] = {
    Kind.COMMUNITY: Community,
    Kind.THREAD: Thread,
    Kind.RESOURCE: Resource,
    Kind.OUTPUT: KnowledgeOutput,
}


def _load(kind: Kind, ids: Sequence[int]) -> list[Any]:
    """The rows of `ids` in that order; no statement when there are none."""
    if not ids:
        return []
    model = _MODELS[kind]
    rows = db.session.scalars(
        sa.select(model).where(model.id.in_(ids)).options(*_OPTIONS[kind])
    ).unique()
    by_id = {row.id: row for row in rows}
    # A row deleted in between is left out.
    return [by_id[id_] for id_ in ids if id_ in by_id]


def search_everything(query: str, viewer: Any) -> Results:
    """The best matches of each kind; nothing from a community the viewer may not read."""
    match = match_text(query)
    if match is None:
        # No searchable words (only punctuation): the directory's first page, as before.
        communities = directory_query(DirectoryFilters(q=query), viewer).limit(PER_KIND)
        return Results(list(db.session.scalars(communities)), [], [], [])
    found = _ranking(match, viewer)
    return Results(
        _load(Kind.COMMUNITY, found[Kind.COMMUNITY]),
        _load(Kind.THREAD, found[Kind.THREAD]),
        _load(Kind.RESOURCE, found[Kind.RESOURCE]),
        _load(Kind.OUTPUT, found[Kind.OUTPUT]),
    )
