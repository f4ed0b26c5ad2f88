"""Pilots: small cross-school steps, owned together by two or more organisations, that start
from learning questions, are evaluated, and share what they learn with all of Amsterdam.

A pilot's charter (*pilotplan*) is approved by the contact of every participating
organisation; each step of its lifecycle is recorded as an event on its timeline.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import User
from plc.catalogue.models import LearningQuestion, Offering
from plc.communities.models import Community
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db
from plc.knowledge.models import KnowledgeOutput
from plc.organisations.models import Organisation
from plc.themes.models import Theme


class PilotStatus(StrEnum):
    PROPOSED = "proposed"  #: waiting for every participating organisation's approval
    CHANGES_REQUESTED = "changes_requested"  #: an organisation asked for changes to the charter
    APPROVED = "approved"  #: every organisation approved this version of the charter
    RUNNING = "running"
    EVALUATING = "evaluating"
    CONCLUDED = "concluded"  #: evaluated, with a published evaluation report
    STOPPED = "stopped"  #: ended early, with a reason


#: Statuses in which the charter is still a proposal (only its people see it).
PROPOSAL_STATUSES = (PilotStatus.PROPOSED, PilotStatus.CHANGES_REQUESTED)


class PilotEventKind(StrEnum):
    PROPOSED = "proposed"
    EDITED = "edited"  #: the charter changed; earlier approvals no longer count
    APPROVED_BY = "approved_by"  #: one organisation approved
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"  #: the last approval: the pilot as a whole is approved
    STARTED = "started"
    EVALUATING = "evaluating"
    CONCLUDED = "concluded"
    STOPPED = "stopped"
    COMMENT = "comment"


pilot_theme = sa.Table(
    "pilot_theme",
    db.metadata,
    sa.Column("pilot_id", sa.ForeignKey("pilot.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

pilot_community = sa.Table(
    "pilot_community",
    db.metadata,
    sa.Column("pilot_id", sa.ForeignKey("pilot.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "community_id",
        sa.ForeignKey("community.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

pilot_question = sa.Table(
    "pilot_question",
    db.metadata,
    sa.Column("pilot_id", sa.ForeignKey("pilot.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "question_id",
        sa.ForeignKey("learning_question.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

pilot_offering = sa.Table(
    "pilot_offering",
    db.metadata,
    sa.Column("pilot_id", sa.ForeignKey("pilot.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "offering_id",
        sa.ForeignKey("offering.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Pilot(CreatedAtMixin, db.Model):
    """A pilot and its charter. The charter's texts are Markdown, rendered at write time."""

    __tablename__ = "pilot"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("charter_version >= 1", name="charter_version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Readable identifier in the URL.
    slug: Mapped[str] = mapped_column(sa.String(140), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: One or two sentences for lists.
    summary: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    #: What the pilot wants to reach.
    goals: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    goals_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: What will be done, and when.
    activities: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    activities_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: How the pilot will be evaluated (surveys, observations, the report).
    evaluation_plan: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    evaluation_plan_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: What reaches all Amsterdam schools, and how.
    sharing_plan: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    sharing_plan_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    status: Mapped[PilotStatus] = mapped_column(
        str_enum(PilotStatus, 20), default=PilotStatus.PROPOSED, index=True, nullable=False
    )
    #: Raised by every edit of the charter; an approval counts for one version only.
    charter_version: Mapped[int] = mapped_column(default=1, nullable=False)
    #: The published knowledge output (type evaluation report) that concluded the pilot.
    evaluation_report_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("knowledge_output.id", ondelete="SET NULL"), index=True
    )
    #: Why the pilot was stopped early.
    stop_reason: Mapped[str] = mapped_column(sa.String(1000), default="", nullable=False)
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: When the status last changed (for lists sorted by activity).
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    themes: Mapped[list[Theme]] = relationship(secondary=pilot_theme, order_by=Theme.name_nl)
    communities: Mapped[list[Community]] = relationship(
        secondary=pilot_community, order_by=Community.name
    )
    questions: Mapped[list[LearningQuestion]] = relationship(
        secondary=pilot_question, order_by=LearningQuestion.title
    )
    offerings: Mapped[list[Offering]] = relationship(
        secondary=pilot_offering, order_by=Offering.title
    )
    participants: Mapped[list[PilotOrganisation]] = relationship(
        back_populates="pilot",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PilotOrganisation.position",
    )
    evaluation_report: Mapped[KnowledgeOutput | None] = relationship()
    proposed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Pilot {self.slug} {self.status}>"


class PilotOrganisation(CreatedAtMixin, db.Model):
    """A participating organisation: who speaks for it, who sponsors it, and what it brings and
    needs (shared ownership and mutual dependence, written down)."""

    __tablename__ = "pilot_organisation"
    __table_args__ = (sa.UniqueConstraint("pilot_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pilot.id", ondelete="CASCADE"), index=True, nullable=False
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Order on the charter.
    position: Mapped[int] = mapped_column(default=0, nullable=False)
    #: The organisation's contact for the pilot: approves the charter on its behalf.
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: The school leader or HR advisor who sponsors the pilot in the organisation.
    sponsor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: What the organisation contributes (people, hours, a location, expertise…).
    contribution: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: What it depends on from the others.
    dependency: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: The charter version the contact approved (None: not approved, or an older version).
    approved_version: Mapped[int | None] = mapped_column()
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    pilot: Mapped[Pilot] = relationship(back_populates="participants")
    organisation: Mapped[Organisation] = relationship()
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])
    sponsor: Mapped[User | None] = relationship(foreign_keys=[sponsor_id])


class PilotEvent(CreatedAtMixin, db.Model):
    """One step on a pilot's timeline: who did what, when, and what they wrote with it."""

    __tablename__ = "pilot_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pilot.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[PilotEventKind] = mapped_column(str_enum(PilotEventKind, 20), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: The organisation the actor spoke for (approvals, requests for changes).
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL")
    )
    #: The charter version the step was about.
    charter_version: Mapped[int] = mapped_column(default=1, nullable=False)
    comment: Mapped[str] = mapped_column(sa.String(2000), default="", nullable=False)

    actor: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
