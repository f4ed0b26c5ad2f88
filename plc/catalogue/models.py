"""Demand meets supply: the offerings (*aanbod*) of providers, enrolments, and the learning
questions (*leervragen*) of teachers and schools, with the matches between them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import CareerStage, SchoolType, User
from plc.communities.models import Community
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db
from plc.organisations.models import Organisation
from plc.themes.models import CompetenceDomain, Theme

# -- offerings ---------------------------------------------------------------------------------


class OfferingFormat(StrEnum):
    COURSE = "course"
    WORKSHOP = "workshop"
    MASTERCLASS = "masterclass"
    INTERVISION = "intervision"  #: intervisie
    LESSON_STUDY = "lesson_study"
    PEER_OBSERVATION = "peer_observation"
    LEARNING_NETWORK = "learning_network"
    COACHING = "coaching"
    CONFERENCE = "conference"


class CostKind(StrEnum):
    FREE = "free"
    AMOUNT = "amount"  #: the participant (or whoever they arrange) pays the amount
    SCHOOL_PAYS = "school_pays"  #: the teacher's school pays; its leader may have to approve


class EnrolmentScope(StrEnum):
    EVERYONE = "everyone"  #: every Amsterdam teacher (the default the seed asks for)
    OWN_BOARD = "own_board"  #: only teachers of schools of the provider's own board


class OfferingStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


offering_theme = sa.Table(
    "offering_theme",
    db.metadata,
    sa.Column("offering_id", sa.ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class OfferingSchoolType(db.Model):
    __tablename__ = "offering_school_type"

    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True
    )
    school_type: Mapped[SchoolType] = mapped_column(
        str_enum(SchoolType, 10), primary_key=True, index=True
    )


class OfferingCareerStage(db.Model):
    __tablename__ = "offering_career_stage"

    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True
    )
    career_stage: Mapped[CareerStage] = mapped_column(
        str_enum(CareerStage, 20), primary_key=True, index=True
    )


class OfferingDomain(db.Model):
    __tablename__ = "offering_domain"

    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[CompetenceDomain] = mapped_column(
        str_enum(CompetenceDomain, 20), primary_key=True, index=True
    )


class Offering(CreatedAtMixin, db.Model):
    """A professional-development offering of a provider."""

    __tablename__ = "offering"
    __table_args__ = (
        sa.CheckConstraint(
            "capacity IS NULL OR enrolled_count <= capacity", name="within_capacity"
        ),
        sa.CheckConstraint("enrolled_count >= 0", name="enrolled_not_negative"),
        sa.CheckConstraint(
            "contact_minutes >= 0 AND self_study_minutes >= 0", name="hours_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Readable identifier in the URL.
    slug: Mapped[str] = mapped_column(sa.String(140), unique=True, nullable=False)
    #: The training school, academy, institute or network that offers it.
    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: One or two sentences for lists and matches.
    summary: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    #: Markdown as written, and rendered and sanitised at write time.
    description: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    description_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    format: Mapped[OfferingFormat] = mapped_column(
        str_enum(OfferingFormat, 20), index=True, nullable=False
    )
    #: Where it takes place (an address), if anywhere.
    location: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    #: Whether (some of) it is online.
    online: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: Places; None is no limit.
    capacity: Mapped[int | None] = mapped_column()
    #: Enrolled participants, changed only by conditional UPDATEs (never overbooked).
    enrolled_count: Mapped[int] = mapped_column(default=0, nullable=False)
    cost_kind: Mapped[CostKind] = mapped_column(
        str_enum(CostKind, 20), default=CostKind.FREE, nullable=False
    )
    #: For cost_kind amount or school_pays: the price in euro cents.
    cost_cents: Mapped[int | None] = mapped_column()
    #: With the school paying: the teacher's school leader approves each enrolment first.
    needs_leader_approval: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: Professional-development hours credited on completion, in minutes.
    contact_minutes: Mapped[int] = mapped_column(default=0, nullable=False)
    self_study_minutes: Mapped[int] = mapped_column(default=0, nullable=False)
    scope: Mapped[EnrolmentScope] = mapped_column(
        str_enum(EnrolmentScope, 20), default=EnrolmentScope.EVERYONE, nullable=False
    )
    status: Mapped[OfferingStatus] = mapped_column(
        str_enum(OfferingStatus, 20), default=OfferingStatus.DRAFT, index=True, nullable=False
    )
    #: First meeting's start (kept with the meetings), for sorting and the date filter.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: Last meeting's end: after it, the offering can be completed.
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Calendar updates: raised on every change of meetings or status.
    sequence: Mapped[int] = mapped_column(default=0, nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: When the provider marked it completed and the hours were credited.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    provider: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=offering_theme, order_by=Theme.name_nl)
    school_types: Mapped[list[OfferingSchoolType]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    career_stages: Mapped[list[OfferingCareerStage]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    domains: Mapped[list[OfferingDomain]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    meetings: Mapped[list[OfferingMeeting]] = relationship(
        back_populates="offering",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OfferingMeeting.starts_at",
    )

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.enrolled_count, 0)

    @property
    def is_free(self) -> bool:
        return self.cost_kind == CostKind.FREE


class OfferingMeeting(db.Model):
    """One meeting of an offering (a course has several)."""

    __tablename__ = "offering_meeting"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="CASCADE"), index=True, nullable=False
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: Where, when it differs from the offering's location.
    location: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)

    offering: Mapped[Offering] = relationship(back_populates="meetings")


class EnrolmentStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"  #: the school pays; its leader decides first
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"  #: moves up when a place frees
    CANCELLED = "cancelled"
    DECLINED = "declined"  #: the school leader did not approve
    COMPLETED = "completed"  #: hours credited


#: Statuses that hold a place.
PLACE_HOLDING = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


class Enrolment(CreatedAtMixin, db.Model):
    """A teacher's enrolment in an offering. One row per person and offering; cancelling and
    enrolling again reuse it."""

    __tablename__ = "enrolment"
    __table_args__ = (sa.UniqueConstraint("offering_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    status: Mapped[EnrolmentStatus] = mapped_column(
        str_enum(EnrolmentStatus, 20), index=True, nullable=False
    )
    #: The school that pays (and whose leader approves), when the school pays.
    school_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL")
    )
    #: A note for the provider (or the school leader).
    note: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    #: Order of the waiting list.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    offering: Mapped[Offering] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    school: Mapped[Organisation | None] = relationship()


# -- learning questions ------------------------------------------------------------------------


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class QuestionVisibility(StrEnum):
    PRIVATE = "private"  #: only the asker
    SCHOOL = "school"  #: the asker's school (its members)
    EVERYONE = "everyone"  #: every logged-in person on the platform


class LearningQuestionStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    ADOPTED = "adopted"  #: a community took it up
    CLOSED = "closed"


question_theme = sa.Table(
    "learning_question_theme",
    db.metadata,
    sa.Column(
        "question_id", sa.ForeignKey("learning_question.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class LearningQuestion(CreatedAtMixin, db.Model):
    """What a teacher, or a school, wants to learn."""

    __tablename__ = "learning_question"
    __table_args__ = (sa.CheckConstraint("support_count >= 0", name="support_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who wrote it.
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: For a school's question (entered by its leader or HR advisor): the school.
    school_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: What the asker wants to learn, and why (plain text).
    body: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    domain: Mapped[CompetenceDomain | None] = mapped_column(str_enum(CompetenceDomain, 20))
    career_stage: Mapped[CareerStage | None] = mapped_column(str_enum(CareerStage, 20))
    school_type: Mapped[SchoolType | None] = mapped_column(str_enum(SchoolType, 10))
    urgency: Mapped[Urgency] = mapped_column(
        str_enum(Urgency, 10), default=Urgency.NORMAL, nullable=False
    )
    visibility: Mapped[QuestionVisibility] = mapped_column(
        str_enum(QuestionVisibility, 10),
        default=QuestionVisibility.EVERYONE,
        index=True,
        nullable=False,
    )
    status: Mapped[LearningQuestionStatus] = mapped_column(
        str_enum(LearningQuestionStatus, 10),
        default=LearningQuestionStatus.OPEN,
        index=True,
        nullable=False,
    )
    #: The community that took it up, if one did.
    adopted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("community.id", ondelete="SET NULL"), index=True
    )
    #: How it was answered or why it was closed.
    resolution: Mapped[str] = mapped_column(sa.String(1000), default="", nullable=False)
    #: "I have this question too": kept with the QuestionSupport rows.
    support_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: Replays of the form are one question.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    author: Mapped[User | None] = relationship()
    school: Mapped[Organisation | None] = relationship()
    adopted_by: Mapped[Community | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=question_theme, order_by=Theme.name_nl)


class QuestionSupport(CreatedAtMixin, db.Model):
    """Someone else has the same question."""

    __tablename__ = "question_support"
    __table_args__ = (sa.UniqueConstraint("question_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learning_question.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )


class MatchKind(StrEnum):
    OFFERING = "offering"
    COMMUNITY = "community"
    OUTPUT = "output"


class QuestionMatch(CreatedAtMixin, db.Model):
    """A suggestion the asker was told about, so that a match is announced once."""

    __tablename__ = "question_match"
    __table_args__ = (sa.UniqueConstraint("question_id", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learning_question.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[MatchKind] = mapped_column(str_enum(MatchKind, 10), nullable=False)
    #: The offering, community or knowledge output.
    target_id: Mapped[int] = mapped_column(nullable=False)
    score: Mapped[float] = mapped_column(default=0.0, nullable=False)
