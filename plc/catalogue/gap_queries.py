"""Demand and supply at a glance: read-only counts per theme and per career stage.

Demand is the open learning questions and their "me too"s; supply is the offerings and
communities that serve the same theme or career stage. Each grouping runs a fixed number of
aggregate statements (GROUP BY in SQL), however many questions, offerings or communities exist.

Only totals leave this module: no titles, no names. That is why the counts may include questions
shared with a single school (which not every viewer could open), but never private ones: what an
asker keeps to themselves does not become part of a network-wide figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from plc.auth.models import CareerStage
from plc.catalogue.models import (
    LearningQuestion,
    LearningQuestionStatus,
    Offering,
    OfferingCareerStage,
    OfferingStatus,
    QuestionVisibility,
    offering_theme,
    question_theme,
)
from plc.communities.models import (
    Community,
    CommunityCareerStage,
    CommunityStatus,
    Visibility,
    community_theme,
)
from plc.core.models import utcnow
from plc.extensions import db
from plc.themes.models import Theme

#: Communities that serve a theme today. Forming ones have not started; closed ones are archives.
SERVING_COMMUNITY_STATUSES = (CommunityStatus.ACTIVE,)
#: Invite-only communities are invisible outside their members, so nobody could join them.
LISTED_COMMUNITY_VISIBILITIES = (Visibility.PUBLIC, Visibility.REQUEST)


class Balance(StrEnum):
    """How demand and supply of one row relate; the page turns it into words."""

    DEMAND_ONLY = "demand_only"
    MORE_DEMAND = "more_demand"
    BALANCED = "balanced"
    MORE_SUPPLY = "more_supply"
    SUPPLY_ONLY = "supply_only"
    NEITHER = "neither"


@dataclass
class GapRow:
    """One theme or career stage. `key` is the theme's slug or the stage's value; "" is the row
    of questions (and supply) that name no theme or stage."""

    key: str
    label: str
    open_questions: int = 0
    supports: int = 0
    offerings: int = 0
    communities: int = 0

    @property
    def demand(self) -> int:
        return self.open_questions + self.supports

    @property
    def supply(self) -> int:
        return self.offerings + self.communities

    @property
    def gap(self) -> int:
        """Positive: more asked than offered; negative: more offered than asked."""
        return self.demand - self.supply

    @property
    def balance(self) -> Balance:
        if not self.demand and not self.supply:
            return Balance.NEITHER
        if not self.supply:
            return Balance.DEMAND_ONLY
        if not self.demand:
            return Balance.SUPPLY_ONLY
        if self.gap > 0:
            return Balance.MORE_DEMAND
        return Balance.MORE_SUPPLY if self.gap < 0 else Balance.BALANCED


@dataclass
class Totals:
    """Distinct counts across the network (a question with two themes counts once here)."""

    open_questions: int
    supports: int
    offerings: int
    communities: int


# -- what counts -------------------------------------------------------------------------------


def _demand_filter() -> sa.ColumnElement[bool]:
    return sa.and_(
        LearningQuestion.status == LearningQuestionStatus.OPEN,
        LearningQuestion.visibility != QuestionVisibility.PRIVATE,
    )


def _offering_filter(now: datetime) -> sa.ColumnElement[bool]:
    # Cancelled and draft offerings serve nobody; an offering whose last meeting is over neither.
    return sa.and_(
        Offering.status == OfferingStatus.PUBLISHED,
        sa.or_(Offering.ends_at.is_(None), Offering.ends_at > now),
    )


def _community_filter() -> sa.ColumnElement[bool]:
    return sa.and_(
        Community.status.in_(SERVING_COMMUNITY_STATUSES),
        Community.visibility.in_(LISTED_COMMUNITY_VISIBILITIES),
    )


def _by_key(rows: Iterable[Any]) -> dict[str | None, tuple[int, ...]]:
    return {row[0]: tuple(int(value or 0) for value in row[1:]) for row in rows}


# -- per theme ---------------------------------------------------------------------------------


def _theme_counts(now: datetime) -> tuple[dict[Any, tuple[int, ...]], ...]:
    """Per theme id (None: no theme): (questions, supports), (offerings,), (communities,).
    Outer joins, so that untagged questions and communities land in the None group."""
    questions = db.session.execute(
        sa.select(
            question_theme.c.theme_id,
            sa.func.count(LearningQuestion.id),
            sa.func.sum(LearningQuestion.support_count),
        )
        .select_from(LearningQuestion)
        .outerjoin(question_theme, question_theme.c.question_id == LearningQuestion.id)
        .where(_demand_filter())
        .group_by(question_theme.c.theme_id)
    )
    offerings = db.session.execute(
        sa.select(offering_theme.c.theme_id, sa.func.count(Offering.id))
        .select_from(Offering)
        .outerjoin(offering_theme, offering_theme.c.offering_id == Offering.id)
        .where(_offering_filter(now))
        .group_by(offering_theme.c.theme_id)
    )
    communities = db.session.execute(
        sa.select(community_theme.c.theme_id, sa.func.count(Community.id))
        .select_from(Community)
        .outerjoin(community_theme, community_theme.c.community_id == Community.id)
        .where(_community_filter())
        .group_by(community_theme.c.theme_id)
    )
    return _by_key(questions), _by_key(offerings), _by_key(communities)


def per_theme(locale: str, no_theme_label: str, now: datetime | None = None) -> list[GapRow]:
    """A row for every active theme, for a hidden theme that still has counts, and for
    questions or communities without a theme (when there are any); sorted by gap."""
    questions, offerings, communities = _theme_counts(now or utcnow())
    rows = []
    for theme in db.session.scalars(sa.select(Theme)):
        row = GapRow(theme.slug, theme.name(locale))
        row.open_questions, row.supports = questions.get(theme.id, (0, 0))
        (row.offerings,) = offerings.get(theme.id, (0,))
        (row.communities,) = communities.get(theme.id, (0,))
        if theme.active or row.balance != Balance.NEITHER:
            rows.append(row)
    untagged = GapRow("", no_theme_label)
    untagged.open_questions, untagged.supports = questions.get(None, (0, 0))
    (untagged.offerings,) = offerings.get(None, (0,))
    (untagged.communities,) = communities.get(None, (0,))
    if untagged.balance != Balance.NEITHER:
        rows.append(untagged)
    rows.sort(key=lambda row: row.label.casefold())  # ties in the gap stay alphabetical
    return sort_by_gap(rows)


# -- per career stage --------------------------------------------------------------------------


def per_career_stage(
    labels: dict[str, str], no_stage_label: str, now: datetime | None = None
) -> list[GapRow]:
    """A row per career stage (`labels` by value), and one for what names no stage: questions
    without a stage, and offerings and communities meant for every stage. Sorted by gap, ties
    in the order of the career line."""
    current = now or utcnow()
    questions = _by_key(
        db.session.execute(
            sa.select(
                LearningQuestion.career_stage,
                sa.func.count(LearningQuestion.id),
                sa.func.sum(LearningQuestion.support_count),
            )
            .where(_demand_filter())
            .group_by(LearningQuestion.career_stage)
        )
    )
    offerings = _by_key(
        db.session.execute(
            sa.select(OfferingCareerStage.career_stage, sa.func.count(Offering.id))
            .select_from(Offering)
            .outerjoin(OfferingCareerStage, OfferingCareerStage.offering_id == Offering.id)
            .where(_offering_filter(current))
            .group_by(OfferingCareerStage.career_stage)
        )
    )
    communities = _by_key(
        db.session.execute(
            sa.select(CommunityCareerStage.career_stage, sa.func.count(Community.id))
            .select_from(Community)
            .outerjoin(CommunityCareerStage, CommunityCareerStage.community_id == Community.id)
            .where(_community_filter())
            .group_by(CommunityCareerStage.career_stage)
        )
    )
    rows = []
    for stage in [*CareerStage, None]:
        row = GapRow(stage.value if stage else "", labels[stage.value] if stage else no_stage_label)
        row.open_questions, row.supports = questions.get(stage, (0, 0))
        (row.offerings,) = offerings.get(stage, (0,))
        (row.communities,) = communities.get(stage, (0,))
        rows.append(row)
    return sort_by_gap(rows)


# -- together ----------------------------------------------------------------------------------


def sort_by_gap(rows: list[GapRow]) -> list[GapRow]:
    """Largest unmet demand first, largest unused supply last; rows without either at the end.
    The sort is stable: rows that tie keep the order they came in (the career line, the
    alphabet)."""
    return sorted(rows, key=lambda row: (row.balance == Balance.NEITHER, -row.gap, -row.demand))


def totals(now: datetime | None = None) -> Totals:
    """Distinct questions, "me too"s, offerings and communities, in one statement."""
    current = now or utcnow()
    demand = (
        sa.select(LearningQuestion.id, LearningQuestion.support_count)
        .where(_demand_filter())
        .subquery()
    )
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.count()).select_from(demand).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.sum(demand.c.support_count), 0))
            .select_from(demand)
            .scalar_subquery(),
            sa.select(sa.func.count(Offering.id))
            .where(_offering_filter(current))
            .scalar_subquery(),
            sa.select(sa.func.count(Community.id)).where(_community_filter()).scalar_subquery(),
        )
    ).one()
    return Totals(*(int(value) for value in row))
