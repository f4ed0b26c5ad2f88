"""Knowledge outputs (*kennisopbrengsten*): what a community learned, reviewed and published for
every Amsterdam school, with its versions, attachments, and the schools that use it.

An output is the stable thing with the readable URL; its text lives in versions. Version 1 is
written as a draft, reviewed and published; a revision is a new version that goes through the same
review while the published one stays readable. The output's own title, summary and body mirror the
version the public sees (or, before the first publication, the draft), so that lists, search and
feeds read one table.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import CareerStage, SchoolType, User
from plc.catalogue.models import LearningQuestion
from plc.communities.models import Community
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db
from plc.live.models import LiveSession
from plc.organisations.models import Organisation
from plc.resources.models import Licence
from plc.themes.models import CompetenceDomain, Theme


class OutputType(StrEnum):
    PRACTICE_EXAMPLE = "practice_example"
    GUIDELINE = "guideline"
    TEACHING_MATERIAL = "teaching_material"
    RESEARCH_SUMMARY = "research_summary"
    EVALUATION_REPORT = "evaluation_report"
    MEDIA_LINK = "media_link"  #: a video or podcast


class OutputStatus(StrEnum):
    """Where the output as a whole stands. A published output under revision stays published."""

    DRAFT = "draft"  #: never published; the first version is being written
    IN_REVIEW = "in_review"  #: never published; the first version waits for approval
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"  #: a tombstone page with the reason stays at its URL


class VersionState(StrEnum):
    DRAFT = "draft"  #: being written (again, after a review asked for changes)
    IN_REVIEW = "in_review"
    PUBLISHED = "published"  #: the version the public sees
    SUPERSEDED = "superseded"  #: published before; stays readable


#: Versions that can still change; an output has at most one.
OPEN_STATES = (VersionState.DRAFT, VersionState.IN_REVIEW)


output_theme = sa.Table(
    "output_theme",
    db.metadata,
    sa.Column(
        "output_id", sa.ForeignKey("knowledge_output.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


output_question = sa.Table(
    "output_question",
    db.metadata,
    sa.Column(
        "output_id", sa.ForeignKey("knowledge_output.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "question_id",
        sa.ForeignKey("learning_question.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)
"""The learning questions an output answers."""


class OutputSchoolType(db.Model):
    """A school type the output is for (one row each, so filters stay in SQL)."""

    __tablename__ = "output_school_type"

    output_id: Mapped[int] = mapped_column(
        sa.ForeignKey("knowledge_output.id", ondelete="CASCADE"), primary_key=True
    )
    school_type: Mapped[SchoolType] = mapped_column(
        str_enum(SchoolType, 10), primary_key=True, index=True
    )


class OutputCareerStage(db.Model):
    """A career stage the output is for."""

    __tablename__ = "output_career_stage"

    output_id: Mapped[int] = mapped_column(
        sa.ForeignKey("knowledge_output.id", ondelete="CASCADE"), primary_key=True
    )
    career_stage: Mapped[CareerStage] = mapped_column(
        str_enum(CareerStage, 20), primary_key=True, index=True
    )


class OutputDomain(db.Model):
    """A competence domain the output is about."""

    __tablename__ = "output_domain"

    output_id: Mapped[int] = mapped_column(
        sa.ForeignKey("knowledge_output.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[CompetenceDomain] = mapped_column(
        str_enum(CompetenceDomain, 20), primary_key=True, index=True
    )


class OutputAuthor(db.Model):
    """A contributing member, in the order the citation names them."""

    __tablename__ = "output_author"

    output_id: Mapped[int] = mapped_column(
        sa.ForeignKey("knowledge_output.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: 0, 1, 2, … — the order of the names.
    position: Mapped[int] = mapped_column(default=0, nullable=False)

    user: Mapped[User] = relationship()


class OutputOrganisation(db.Model):
    """A contributing organisation (a school, academy, institute…)."""

    __tablename__ = "output_organisation"

    output_id: Mapped[int] = mapped_column(
        sa.ForeignKey("knowledge_output.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0, nullable=False)

    organisation: Mapped[Organisation] = relationship()


class KnowledgeOutput(CreatedAtMixin, db.Model):
    """A knowledge output of a community."""

    __tablename__ = "knowledge_output"
    __table_args__ = (
        sa.CheckConstraint(
            "view_count >= 0 AND download_count >= 0 AND use_count >= 0", name="counts_not_negative"
        ),
        # The lists of published outputs (newest of a community, of the whole base, the years
        # and counts of the filters) read these three columns only: with the rows' long bodies
        # out of the way they are index lookups instead of table scans (docs/BENCHMARKS.md).
        sa.Index(
            "ix_knowledge_output_community_status_published",
            "community_id",
            "status",
            "published_at",
        ),
        sa.Index("ix_knowledge_output_status_published", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The community that made it.
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Readable identifier in the public URL; set at the first publication and never changed.
    slug: Mapped[str | None] = mapped_column(sa.String(140), unique=True)
    #: What kind of output it is.
    output_type: Mapped[OutputType] = mapped_column(
        str_enum(OutputType, 20), index=True, nullable=False
    )
    #: Title, summary and body of the version the public sees (before publication: the draft).
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    summary: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    body_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: For a video or podcast: its address.
    media_url: Mapped[str | None] = mapped_column(sa.String(2000))
    #: Reuse terms. Fixed once published: an open licence cannot be taken back.
    licence: Mapped[Licence] = mapped_column(
        str_enum(Licence, 30), default=Licence.CC_BY, nullable=False
    )
    #: draft, in_review, published, withdrawn.
    status: Mapped[OutputStatus] = mapped_column(
        str_enum(OutputStatus, 20), default=OutputStatus.DRAFT, index=True, nullable=False
    )
    #: The number of the version the public sees.
    published_version: Mapped[int | None] = mapped_column()
    #: First publication; the year of the citation.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: Publication of the newest version (feeds' "updated").
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The live session it came from, if any (one output per session).
    source_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="SET NULL"), unique=True
    )
    #: Who started it.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Withdrawal: when, why and by whom. The page stays as a tombstone.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str] = mapped_column(sa.String(1000), default="", nullable=False)
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Page views and attachment downloads, counted in SQL; nobody's reading is recorded.
    view_count: Mapped[int] = mapped_column(default=0, nullable=False)
    download_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: How many schools said they use it (kept with the OutputUse rows).
    use_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: Last change.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    community: Mapped[Community] = relationship()
    source_session: Mapped[LiveSession | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    themes: Mapped[list[Theme]] = relationship(secondary=output_theme, order_by=Theme.name_nl)
    school_types: Mapped[list[OutputSchoolType]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    career_stages: Mapped[list[OutputCareerStage]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    domains: Mapped[list[OutputDomain]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    authors: Mapped[list[OutputAuthor]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by=OutputAuthor.position
    )
    organisations: Mapped[list[OutputOrganisation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by=OutputOrganisation.position
    )
    questions: Mapped[list[LearningQuestion]] = relationship(
        secondary=output_question, order_by=LearningQuestion.id
    )
    versions: Mapped[list[OutputVersion]] = relationship(
        back_populates="output",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OutputVersion.number.desc()",
    )

    @property
    def is_public(self) -> bool:
        return self.status == OutputStatus.PUBLISHED

    @property
    def year(self) -> int | None:
        return self.published_at.year if self.published_at else None

    def __repr__(self) -> str:
        return f"<KnowledgeOutput {self.id} {self.status}>"


class OutputVersion(CreatedAtMixin, db.Model):
    """One version of an output's text. Published versions are never changed again."""

    __tablename__ = "output_version"
    __table_args__ = (
        sa.UniqueConstraint("output_id", "number"),
        # An output's version in a state (the one in review, the published one) is found in the
        # index, without reading the versions' texts: a reviewer's list walks every output of
        # their communities (docs/BENCHMARKS.md).
        sa.Index("ix_output_version_output_state", "output_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    output_id: Mapped[int] = mapped_column(
        sa.ForeignKey("knowledge_output.id", ondelete="CASCADE"), nullable=False
    )
    #: 1, 2, 3, …
    number: Mapped[int] = mapped_column(nullable=False)
    #: draft, in_review, published, superseded.
    state: Mapped[VersionState] = mapped_column(
        str_enum(VersionState, 20), default=VersionState.DRAFT, nullable=False
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    summary: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    body_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: What changed since the previous version (required from version 2 on).
    change_note: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    #: Who wrote this version (started the revision); may not approve it.
    edited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    output: Mapped[KnowledgeOutput] = relationship(back_populates="versions")
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    attachments: Mapped[list[OutputAttachment]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OutputAttachment.id",
    )
    reviews: Mapped[list[OutputReview]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OutputReview.id",
    )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class OutputAttachment(CreatedAtMixin, db.Model):
    """A file of a version, kept in the resource storage. A revision copies the rows of the
    version it starts from; the stored file is shared, never copied."""

    __tablename__ = "output_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("output_version.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Generated name in the storage.
    storage_key: Mapped[str] = mapped_column(sa.String(100), index=True, nullable=False)
    #: The file name as uploaded, sanitised; used for the download.
    filename: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    #: Media type as detected from the content.
    content_type: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    size: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    version: Mapped[OutputVersion] = relationship(back_populates="attachments")


class ReviewDecision(StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


class OutputReview(CreatedAtMixin, db.Model):
    """A reviewer's decision on a submitted version, with the comments for the authors."""

    __tablename__ = "output_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("output_version.id", ondelete="CASCADE"), index=True, nullable=False
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decision: Mapped[ReviewDecision] = mapped_column(str_enum(ReviewDecision, 20), nullable=False)
    comment: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)

    version: Mapped[OutputVersion] = relationship(back_populates="reviews")
    reviewer: Mapped[User | None] = relationship()


class OutputUse(CreatedAtMixin, db.Model):
    """A school says it uses the output, with a short note for the community."""

    __tablename__ = "output_use"
    __table_args__ = (sa.UniqueConstraint("output_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    output_id: Mapped[int] = mapped_column(
        sa.ForeignKey("knowledge_output.id", ondelete="CASCADE"), index=True, nullable=False
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: How the school uses it.
    note: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    output: Mapped[KnowledgeOutput] = relationship()
    organisation: Mapped[Organisation] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class ThemeSubscription(CreatedAtMixin, db.Model):
    """New outputs on a theme, in a weekly digest: for a person, or for a whole school (set by
    its leader or HR advisor; the school's staff receive it)."""

    __tablename__ = "theme_subscription"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "theme_id"),
        sa.UniqueConstraint("organisation_id", "theme_id"),
        sa.CheckConstraint("(user_id IS NULL) <> (organisation_id IS NULL)", name="one_subscriber"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("theme.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE")
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE")
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    theme: Mapped[Theme] = relationship()


class KnowledgeDigest(db.Model):
    """The weekly knowledge digest sent to a person: one row per person and ISO week, so running
    the sender again (or twice at once) mails nobody twice."""

    __tablename__ = "knowledge_digest"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    #: "2026-W48"
    week: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    #: Outputs published up to this moment were in it.
    covered_until: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: How many outputs it listed.
    output_count: Mapped[int] = mapped_column(default=0, nullable=False)
