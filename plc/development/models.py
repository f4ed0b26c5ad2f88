"""Personal and school development: the professional-development record
(*professionaliseringsoverzicht*), personal development plans (*POP*) with their goals, and the
development goals of schools (from the school plan) that personal goals can serve.

Privacy first: a personal goal, and the record as a whole, are the teacher's own; their school's
leaders and HR advisors see one only while the teacher shares it (`shared_at` set), and never
anything else.

Each entry is one activity with its hours, split into contact time and self-study. Entries that
the platform makes (an attended live session, later a completed offering) carry their source, and
the unique constraint on (person, source, source id) makes crediting safe to repeat.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db
from plc.organisations.models import Organisation
from plc.themes.models import CompetenceDomain, Theme


class RecordSource(StrEnum):
    LIVE_SESSION = "live_session"  #: attended minutes in a live session's room
    OFFERING = "offering"  #: a completed offering of the catalogue, with its hours
    MANUAL = "manual"  #: added by the teacher (a course elsewhere, say)


def school_year(day: date) -> str:
    """The Dutch school year a day falls in ("2026-2027"); it starts on 1 August."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


class RecordEntry(CreatedAtMixin, db.Model):
    """One activity in a person's development record."""

    __tablename__ = "pd_record_entry"
    __table_args__ = (sa.UniqueConstraint("user_id", "source", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whose record.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Where the entry comes from.
    source: Mapped[RecordSource] = mapped_column(str_enum(RecordSource, 20), nullable=False)
    #: The id of the source row (the live session, say); empty for manual entries.
    source_id: Mapped[int | None] = mapped_column()
    #: What the activity was.
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: When it took place (Amsterdam date).
    activity_date: Mapped[date] = mapped_column(sa.Date, index=True, nullable=False)
    #: The school year it counts for ("2026-2027").
    school_year: Mapped[str] = mapped_column(sa.String(9), index=True, nullable=False)
    #: Contact time and self-study, in minutes.
    contact_minutes: Mapped[int] = mapped_column(default=0, nullable=False)
    self_study_minutes: Mapped[int] = mapped_column(default=0, nullable=False)
    #: What the activity was about, for entries the teacher adds (a course elsewhere, say).
    description: Mapped[str] = mapped_column(
        sa.String(2000), default="", server_default="", nullable=False
    )
    #: Who offered it, for entries the teacher adds.
    provider: Mapped[str] = mapped_column(
        sa.String(200), default="", server_default="", nullable=False
    )
    #: Evidence (a certificate, say) in the upload storage, checked like other uploads.
    evidence_key: Mapped[str | None] = mapped_column(sa.String(200))
    evidence_filename: Mapped[str | None] = mapped_column(sa.String(255))
    evidence_content_type: Mapped[str | None] = mapped_column(sa.String(100))
    evidence_size: Mapped[int | None] = mapped_column()


class RecordSharing(db.Model):
    """Whether a teacher shares their record with the leaders and HR advisors of their schools.
    No row, or `shared_at` empty, is not shared: nothing personal is shared by default."""

    __tablename__ = "pd_record_sharing"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    #: Since when it is shared; None when it is not (or the sharing was withdrawn).
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# -- school development goals -----------------------------------------------------------------


class SchoolGoalStatus(StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    ARCHIVED = "archived"


school_goal_theme = sa.Table(
    "school_goal_theme",
    db.metadata,
    sa.Column(
        "school_goal_id", sa.ForeignKey("school_goal.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class SchoolGoal(CreatedAtMixin, db.Model):
    """A development goal of a school, from its school plan, recorded by a school leader."""

    __tablename__ = "school_goal"
    __table_args__ = (sa.UniqueConstraint("created_by_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The school (or board) whose goal it is.
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Markdown as written, and rendered and sanitised at write time.
    description: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    description_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: The school plan's period ("2024-2028"), as the school names it.
    plan_period: Mapped[str] = mapped_column(sa.String(20), default="", nullable=False)
    status: Mapped[SchoolGoalStatus] = mapped_column(
        str_enum(SchoolGoalStatus, 10), default=SchoolGoalStatus.ACTIVE, nullable=False
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    #: The form submission that recorded it: the same form sent twice records it once.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64))

    organisation: Mapped[Organisation] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=school_goal_theme, order_by=Theme.name_nl)


# -- personal development plans ---------------------------------------------------------------


class GoalStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


personal_goal_theme = sa.Table(
    "pop_goal_theme",
    db.metadata,
    sa.Column("goal_id", sa.ForeignKey("pop_goal.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class PersonalGoal(CreatedAtMixin, db.Model):
    """A goal in a teacher's personal development plan (*POP*)."""

    __tablename__ = "pop_goal"
    __table_args__ = (sa.UniqueConstraint("user_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whose plan.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: What the teacher wants to reach, and why (Markdown, rendered at write time).
    description: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    description_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    domain: Mapped[CompetenceDomain | None] = mapped_column(str_enum(CompetenceDomain, 20))
    target_date: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[GoalStatus] = mapped_column(
        str_enum(GoalStatus, 12), default=GoalStatus.PLANNED, index=True, nullable=False
    )
    #: The development goal of the teacher's school that this goal serves, if any.
    school_goal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("school_goal.id", ondelete="SET NULL"), index=True
    )
    #: Since when the teacher shares this goal with their school's leaders and HR; None: not.
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    #: The form submission that added it: a double click or a resent form adds it once.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64))

    school_goal: Mapped[SchoolGoal | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(
        secondary=personal_goal_theme, order_by=Theme.name_nl
    )
    activities: Mapped[list[GoalActivity]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="GoalActivity.id"
    )
    reflections: Mapped[list[GoalReflection]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="GoalReflection.created_at"
    )


class ActivityKind(StrEnum):
    """What on the platform an activity of a goal is."""

    COMMUNITY = "community"
    SESSION = "session"
    OFFERING = "offering"
    OUTPUT = "output"
    QUESTION = "question"


class GoalActivity(CreatedAtMixin, db.Model):
    """Something on the platform the teacher does for a goal (a community, a session…)."""

    __tablename__ = "pop_goal_activity"
    __table_args__ = (sa.UniqueConstraint("goal_id", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pop_goal.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind, 12), nullable=False)
    #: The id of the community, session, offering, output or learning question.
    target_id: Mapped[int] = mapped_column(nullable=False)


class GoalReflection(CreatedAtMixin, db.Model):
    """What the teacher writes down about a goal along the way."""

    __tablename__ = "pop_reflection"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pop_goal.id", ondelete="CASCADE"), index=True, nullable=False
    )
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    body_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
