"""Read-only queries of the public knowledge base pages, shaped so that each page runs a fixed,
small number of SQL statements however many outputs, authors or versions there are.

The visibility rule itself stays in `services` (`published_filter`, `public_query`); these
functions only choose what to load with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from plc.communities.models import Community, Visibility
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
    selectinload(KnowledgeOutput.versions).selectinload(OutputVersion.attachments),
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


def _published_ids() -> sa.Select[tuple[int]]:
    return sa.select(KnowledgeOutput.id).where(services.published_filter())


@dataclass(frozen=True)
class FilterChoices:
    """The values the list's selects offer: only those that published outputs have."""

    themes: Sequence[Theme]
    organisations: Sequence[Organisation]
    communities: Sequence[Community]
    years: Sequence[int]


def filter_choices() -> FilterChoices:
    themes = db.session.scalars(
        sa.select(Theme)
        .where(
            Theme.id.in_(
                sa.select(output_theme.c.theme_id).where(
                    output_theme.c.output_id.in_(_published_ids())
                )
            )
        )
        .order_by(Theme.name_nl)
    ).all()
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(
            Organisation.id.in_(
                sa.select(OutputOrganisation.organisation_id).where(
                    OutputOrganisation.output_id.in_(_published_ids())
                )
            )
        )
        .order_by(Organisation.name)
    ).all()
    communities = db.session.scalars(
        sa.select(Community)
        .where(
            Community.id.in_(
                sa.select(KnowledgeOutput.community_id).where(services.published_filter())
            )
        )
        .order_by(Community.name)
    ).all()
    return FilterChoices(themes, organisations, communities, published_years())


def _utc_year(column: Any) -> Any:
    # PostgreSQL extracts from timestamptz in the session's time zone; the year filter counts
    # in UTC (services._year_bounds), so the choices must too. SQLite stores UTC already.
    if db.engine.dialect.name == "postgresql":
        column = sa.func.timezone("UTC", column)
    return sa.cast(sa.extract("year", column), sa.Integer)


def published_years() -> list[int]:
    """The years in which outputs were first published, newest first (the year filter);
    counted in SQL: one row per year, not per output."""
    year = _utc_year(KnowledgeOutput.published_at)
    return [
        int(value)
        for value in db.session.scalars(
            sa.select(year)
            .where(services.published_filter(), KnowledgeOutput.published_at.is_not(None))
            .group_by(year)
            .order_by(year.desc())
        )
    ]


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
        .where(services.published_filter())
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
