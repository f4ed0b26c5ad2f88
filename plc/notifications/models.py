"""Notifications, what people follow or mute, and their digest settings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import User
from plc.communities.models import Community
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.discussions.models import Thread
from plc.extensions import db


class NotificationKind(StrEnum):
    REPLY = "reply"  #: new replies in a followed thread (grouped per thread)
    MENTION = "mention"  #: someone @mentioned you
    ANSWER = "answer"  #: your reply was marked as the answer
    REPORT = "report"  #: (facilitators) a message was reported
    REPORT_OUTCOME = "report_outcome"  #: what happened with your report
    OUTPUT_REVIEW = "output_review"  #: (reviewers) a knowledge output waits for approval
    OUTPUT_RETURNED = "output_returned"  #: (authors) the reviewer asked for changes
    OUTPUT_PUBLISHED = "output_published"  #: (authors) your output is published
    NEW_MATCH = "new_match"  #: (askers) something new could answer your learning question
    PILOT_APPROVAL = "pilot_approval"  #: (contacts) a pilot charter waits for your approval
    PILOT_CHANGES = "pilot_changes"  #: (leads) an organisation asked for changes to a charter
    PILOT_STEP = "pilot_step"  #: (owners) a pilot moved on (approved, running, concluded…)
    SURVEY_OPEN = "survey_open"  #: a survey waits for your answer


class DigestFrequency(StrEnum):
    OFF = "off"
    DAILY = "daily"
    WEEKLY = "weekly"


class Notification(CreatedAtMixin, db.Model):
    """One line in a person's notification centre; replies in one thread share one line."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whom it is for.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False
    )
    #: What happened.
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, 20), nullable=False)
    #: The thread it is about, if any.
    thread_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("thread.id", ondelete="CASCADE"), index=True
    )
    #: The community it is about.
    community_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE")
    )
    #: The post to jump to, if any.
    post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("post.id", ondelete="SET NULL"))
    #: Who caused the latest event (for "Anna and 2 others replied").
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: How many events this line stands for ("3 new replies"); raised in SQL.
    count: Mapped[int] = mapped_column(default=1, nullable=False)
    #: A short detail (a report's outcome).
    detail: Mapped[str] = mapped_column(sa.String(200), default="", nullable=False)
    #: Where the line leads when it is not about a thread (a path on this site).
    link: Mapped[str | None] = mapped_column(sa.String(300))
    #: Last event (order of the centre).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: When the person opened it (or marked all read).
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it went out in an e-mail digest (never twice).
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    thread: Mapped[Thread | None] = relationship()
    community: Mapped[Community | None] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class Subscription(CreatedAtMixin, db.Model):
    """A person follows or mutes a thread or a whole community."""

    __tablename__ = "subscription"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "thread_id"),
        sa.UniqueConstraint("user_id", "community_id"),
        sa.CheckConstraint("(thread_id IS NULL) <> (community_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: A thread …
    thread_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("thread.id", ondelete="CASCADE"), index=True
    )
    #: … or a community.
    community_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True
    )
    #: True: no notifications from it; False: follows it.
    muted: Mapped[bool] = mapped_column(default=False, nullable=False)


class NotificationSettings(db.Model):
    """How a person wants to be told by e-mail."""

    __tablename__ = "notification_settings"

    #: The person.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    #: off, daily or weekly (the default).
    digest: Mapped[DigestFrequency] = mapped_column(
        str_enum(DigestFrequency, 10), default=DigestFrequency.WEEKLY, nullable=False
    )
    #: When the last digest was written.
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
