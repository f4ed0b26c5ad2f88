"""Read-only queries of the public knowledge base pages, shaped so that each page runs a fixed,
small number of SQL statements however many outputs, authors or versions there are.

The visibility rule itself stays in `services` (`published_filter`, `public_query`); these
functions only choose what to load with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, selectinload

from plc.communities.models import Community, Visibility
from plc.core import search
from plc.extensions import db
from plc.knowledge import services
from plc.knowledge.models import (
    KnowledgeOutput,
    OutputAuthor,
    OutputOrganisation,
    OutputStatus,
    OutputUse,
    OutputVersion,
    output_question,
    output_theme,
)
from plc.organisations.models import Organisation
from plc.themes.models import Theme

#: What a result in the list shows: community (joined into the same statement), themes and
#: organisations (one statement each). Authors are not shown in the list.
CARD_OPTIONS: list[Any] = [
    joinedload(KnowledgeOutput.community),
    selectinload(KnowledgeOutput.themes),
    selectinload(KnowledgeOutput.organisations).joinedload(OutputOrganisation.organisation),
]

#: Everything an output's page shows. The three small enum collections are joined into the main
#: statement (at most 3 x 4 x 3 rows), the rest is one statement per relationship.
PAGE_OPTIONS: list[Any] = [
    joinedload(KnowledgeOutput.community),
    joinedload(KnowledgeOutput.school_types),
    joinedload(KnowledgeOutput.career_stages),
    joinedload(KnowledgeOutput.domains),
    selectinload(KnowledgeOutput.themes),
    selectinload(KnowledgeOutput.authors).joinedload(OutputAuthor.user),
    selectinload(KnowledgeOutput.organisations).joinedload(OutputOrganisation.organisation),
    # The versions with their files joined: one statement for both.
    selectinload(KnowledgeOutput.versions).joinedload(OutputVersion.attachments),
    # Joined, not a statement of its own: an output answers a handful of questions at most.
    joinedload(KnowledgeOutput.questions),
]

#: What an export row holds (like the page, without versions).
EXPORT_OPTIONS: list[Any] = [
    joinedload(KnowledgeOutput.community),
    selectinload(KnowledgeOutput.school_types),
    selectinload(KnowledgeOutput.career_stages),
    selectinload(KnowledgeOutput.domains),
    selectinload(KnowledgeOutput.themes),
    selectinload(KnowledgeOutput.authors).joinedload(OutputAuthor.user),
    selectinload(KnowledgeOutput.organisations).joinedload(OutputOrganisation.organisation),
]


def output_page(slug: str) -> KnowledgeOutput | None:
    """A published or withdrawn output by its slug (withdrawn ones show their tombstone), with
    what its page shows loaded in a fixed number of statements; None for drafts, outputs in
    review and those of invite-only communities."""
    return (
        db.session.scalars(
            sa.select(KnowledgeOutput)
            .where(
                KnowledgeOutput.slug == slug,
                KnowledgeOutput.status.in_([OutputStatus.PUBLISHED, OutputStatus.WITHDRAWN]),
                KnowledgeOutput.community_id.in_(
                    sa.select(Community.id).where(Community.visibility != Visibility.INVITE)
                ),
            )
            .options(*PAGE_OPTIONS)
        )
        .unique()
        .one_or_none()
    )


class Choice(NamedTuple):
    """One option of a select: what the link carries and what the reader sees."""

    slug: str
    name: str


@dataclass(frozen=True)
class FilterChoices:
    """The values the list's selects offer: only those that published outputs have."""

    themes: Sequence[Theme]
    organisations: Sequence[Choice]
    communities: Sequence[Choice]
    years: Sequence[int]


def _has(*where: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """Whether one row meets `where`, asked per outer row and stopping at the first. Not
    EXISTS: PostgreSQL turns that into a join that reads every published output; a subquery
    with LIMIT it must run as it is written."""
    return sa.select(sa.literal(1)).where(*where).limit(1).scalar_subquery().is_not(None)


def filter_choices() -> FilterChoices:
    """Each theme, organisation and community asks whether one visible published output has it
    (an index seek that stops at the first), instead of collecting the ids of every published
    output: the cost follows the number of choices, not the size of the knowledge base, and
    there is nothing to invalidate when outputs are published, withdrawn or edited, or a
    community becomes invite-only. Organisations and communities (hundreds) are read as slug
    and name only: building full objects for them cost more than the statements."""
    themes = db.session.scalars(
        sa.select(Theme)
        .where(
            _has(
                output_theme.c.theme_id == Theme.id,
                KnowledgeOutput.id == output_theme.c.output_id,
                services.published_filter(),
            )
        )
        .order_by(Theme.name_nl)
    ).all()
    organisations = db.session.execute(
        sa.select(Organisation.slug, Organisation.name)
        .where(
            _has(
                OutputOrganisation.organisation_id == Organisation.id,
                KnowledgeOutput.id == OutputOrganisation.output_id,
                services.published_filter(),
            )
        )
        .order_by(Organisation.name)
    )
    communities = db.session.execute(
        sa.select(Community.slug, Community.name)
        .where(
            Community.visibility != Visibility.INVITE,
            _has(
                KnowledgeOutput.community_id == Community.id,
                KnowledgeOutput.status == OutputStatus.PUBLISHED,
            ),
        )
        .order_by(Community.name)
    )
    return FilterChoices(
        themes,
        [Choice(*row) for row in organisations],
        [Choice(*row) for row in communities],
        published_years(),
    )


def _utc_year(column: Any) -> Any:
    # PostgreSQL extracts from timestamptz in the session's time zone; the year filter counts
    # in UTC (services._year_bounds), so the choices must too. SQLite stores UTC already.
    if db.engine.dialect.name == "postgresql":
        column = sa.func.timezone("UTC", column)
    return sa.cast(sa.extract("year", column), sa.Integer)


def _year_start(year: Any) -> Any:
    """1 January of `year` (an SQL integer), 00:00 UTC, comparable with `published_at`."""
    if db.engine.dialect.name == "postgresql":
        return sa.func.make_timestamptz(year, 1, 1, 0, 0, 0, "UTC")
    # SQLite stores UTC as 'YYYY-MM-DD HH:MM:SS...' text, which sorts as time does.
    return sa.func.printf("%04d-01-01", year)


def published_years() -> list[int]:
    """The years in which outputs were first published, newest first (the year filter).

    One statement that hops from year to year (a recursive query: the first publication, then
    the first one in a later year, and so on), each hop one seek in the index on
    (status, published_at): the cost follows the number of years, not of outputs."""
    published = KnowledgeOutput.published_at

    def first_from(*where: Any) -> Any:
        # ORDER BY ... LIMIT 1 rather than min(): PostgreSQL reads min() of a join (the
        # visibility rule) from every row; the sorted index gives the first row at once.
        return _utc_year(
            sa.select(published)
            .where(services.published_filter(), published.is_not(None), *where)
            .order_by(published)
            .limit(1)
            .scalar_subquery()
        )

    years = sa.select(first_from().label("year")).cte("published_years", recursive=True)
    years = years.union_all(
        sa.select(first_from(published >= _year_start(years.c.year + 1))).where(
            years.c.year.is_not(None)
        )
    )
    return [
        int(value)
        for value in db.session.scalars(
            sa.select(years.c.year).where(years.c.year.is_not(None)).order_by(years.c.year.desc())
        )
    ]


class ResultsPage(Pagination):
    """A page of the knowledge base's list with its total, and whether the total is capped.

    Searching, the page and the count come from one statement (the count a window over the
    matches), so the search and its scoring run once, and only the page's rows are read in
    full. A search keeps the newest `search.MAX_MATCHES` matches; when it reaches
    that many, `capped` is set and the page says "N+": more outputs may match."""

    capped: bool = False

    def _query_items(self) -> list[Any]:
        filters: services.PublicFilters = self._query_args["filters"]
        self._total: int | None = None
        found = search.search_subquery(services.SEARCH, filters.q, limit=search.MAX_MATCHES)
        if found is None:
            return list(
                db.session.scalars(
                    services.public_query(filters)
                    .options(*CARD_OPTIONS)
                    .limit(self.per_page)
                    .offset(self._query_offset)
                ).unique()
            )
        matches = _matches(found, filters)
        ranked = (
            sa.select(matches)
            .where(matches.c.output_id.is_not(None))
            .order_by(
                matches.c.score.desc(), matches.c.published_at.desc(), matches.c.output_id.desc()
            )
            .limit(self.per_page)
            .offset(self._query_offset)
            .subquery()
        )
        rows = db.session.execute(
            sa.select(KnowledgeOutput, ranked.c.total, ranked.c.found)
            .join(ranked, ranked.c.output_id == KnowledgeOutput.id)
            .options(*CARD_OPTIONS)
            .order_by(
                ranked.c.score.desc(), ranked.c.published_at.desc(), ranked.c.output_id.desc()
            )
        ).all()
        if rows:
            self._set_total(rows[0].total, rows[0].found)
        else:  # no match, or a page past the last: the totals alone
            totals = db.session.execute(
                sa.select(sa.func.max(matches.c.total), sa.func.max(matches.c.found))
            ).one()
            self._set_total(totals[0] or 0, totals[1] or 0)
        return [row[0] for row in rows]

    def _set_total(self, total: int, found: int) -> None:
        self._total = total
        self.capped = found >= search.MAX_MATCHES

    def _query_count(self) -> int:
        if self._total is not None:
            return self._total
        return (
            db.session.scalar(
                sa.select(sa.func.count()).where(
                    *services.public_criteria(self._query_args["filters"])
                )
            )
            or 0
        )


def _matches(found: sa.Subquery, filters: services.PublicFilters) -> sa.Subquery:
    """Every match of the search (at most `MAX_MATCHES`) with the output's id where the output
    passes the filters (else NULL), how many pass (`total`) and how many the search found
    (`found`): the filters sit in the outer join's condition so that both counts come from
    one pass."""
    return (
        sa.select(
            KnowledgeOutput.id.label("output_id"),
            found.c.score,
            KnowledgeOutput.published_at,
            sa.func.count(KnowledgeOutput.id).over().label("total"),
            sa.func.count().over().label("found"),
        )
        .select_from(found)
        .outerjoin(
            KnowledgeOutput,
            sa.and_(KnowledgeOutput.id == found.c.id, *services.public_criteria(filters)),
        )
        .subquery()
    )


def results_page(filters: services.PublicFilters, per_page: int) -> ResultsPage:
    """The page of the list the request asks for (`?page=`), its total and whether capped."""
    return ResultsPage(per_page=per_page, error_out=False, filters=filters)


def newest_in(community: Community, limit: int) -> Sequence[KnowledgeOutput]:
    """The community's newest published outputs for its home page: titles, types and dates
    only, so one statement."""
    return db.session.scalars(
        sa.select(KnowledgeOutput)
        .where(services.published_filter(), KnowledgeOutput.community_id == community.id)
        .order_by(KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc())
        .limit(limit)
    ).all()


def newest_with_community(limit: int) -> Sequence[KnowledgeOutput]:
    """The newest published outputs with their community's name (the start page)."""
    return db.session.scalars(
        sa.select(KnowledgeOutput)
        .where(services.published_filter(newest_few=True))
        .options(joinedload(KnowledgeOutput.community))
        .order_by(KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc())
        .limit(limit)
    ).all()


def export_rows(filters: services.PublicFilters, limit: int) -> list[KnowledgeOutput]:
    """Up to `limit` + 1 matching outputs (the extra one tells the caller there were more)."""
    return list(
        db.session.scalars(
            services.public_query(filters).options(*EXPORT_OPTIONS).limit(limit + 1)
        ).unique()
    )


def newest_of_organisation(organisation: Organisation, limit: int) -> Sequence[KnowledgeOutput]:
    """The newest published outputs the organisation contributed to (its page), one statement."""
    return db.session.scalars(
        sa.select(KnowledgeOutput)
        .where(
            services.published_filter(),
            KnowledgeOutput.id.in_(
                sa.select(OutputOrganisation.output_id).where(
                    OutputOrganisation.organisation_id == organisation.id
                )
            ),
        )
        .options(joinedload(KnowledgeOutput.community))
        .order_by(KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc())
        .limit(limit)
    ).all()


def uses_with_schools(output: KnowledgeOutput) -> Sequence[OutputUse]:
    """The schools that use the output, with their notes: one statement, and none at all when
    no school uses the output yet."""
    if not output.use_count:
        return []
    return db.session.scalars(
        sa.select(OutputUse)
        .where(OutputUse.output_id == output.id)
        .options(joinedload(OutputUse.organisation))
        .order_by(OutputUse.created_at.desc(), OutputUse.id.desc())
    ).all()


def outputs_answering(question_id: int) -> Sequence[KnowledgeOutput]:
    """Published outputs that say they answer the learning question, newest first (one statement)."""
    return db.session.scalars(
        sa.select(KnowledgeOutput)
        .where(
            services.published_filter(),
            KnowledgeOutput.id.in_(
                sa.select(output_question.c.output_id).where(
                    output_question.c.question_id == question_id
                )
            ),
        )
        .options(joinedload(KnowledgeOutput.community))
        .order_by(KnowledgeOutput.published_at.desc())
    ).all()
