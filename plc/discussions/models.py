"""Threads, posts and what people do with them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import User
from plc.communities.models import Community
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db


class Thread(CreatedAtMixin, db.Model):
    """A conversation in a community, opened by its first post."""

    __tablename__ = "thread"
    __table_args__ = (
        sa.UniqueConstraint("author_id", "idempotency_key"),
        # A community's threads as its page lists them (pinned first, then by last activity):
        # the first page is read straight from this index, however many threads there are.
        sa.Index(
            "ix_thread_community_listing",
            "community_id",
            "pinned",
            "last_activity_at",
            "id",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The community it belongs to.
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The question or topic.
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Who opened it.
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: Replies (not counting the opening post, nor deleted or hidden ones); kept in SQL.
    reply_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: When the last visible post was written: the order of the thread list.
    last_activity_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True, nullable=False
    )
    #: Shown above the others (facilitators).
    pinned: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: No new replies (facilitators).
    locked: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: The reply marked as the answer, by the author or a facilitator.
    answer_post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(
            "post.id", ondelete="SET NULL", use_alter=True, name="fk_thread_answer_post_id_post"
        )
    )
    #: Set when removed (soft): the thread and its posts are gone for members.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The form submission that created it: a retried or double-clicked submit creates nothing new.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64))

    author: Mapped[User | None] = relationship()
    community: Mapped[Community] = relationship()


class Post(CreatedAtMixin, db.Model):
    """The opening post or a reply."""

    __tablename__ = "post"
    __table_args__ = (sa.UniqueConstraint("author_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The thread.
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("thread.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Who wrote it; empty after the account was deleted ("former member").
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: Markdown as written.
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    #: Rendered and sanitised at write time.
    body_html: Mapped[str] = mapped_column(sa.Text, nullable=False)
    #: True for the post that opened the thread.
    is_opening: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: The post this one quotes, if any.
    quote_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("post.id", ondelete="SET NULL"))
    #: When last edited (shown as "edited").
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Soft deletion by the author or a facilitator.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Hidden by a facilitator after a report: gone for members, kept for facilitators.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: "Useful" reactions; kept in SQL.
    useful_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: The form submission that created it (see Thread.idempotency_key).
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64))

    thread: Mapped[Thread] = relationship(foreign_keys=[thread_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    quote_of: Mapped[Post | None] = relationship(remote_side=[id], foreign_keys=[quote_of_id])

    @property
    def visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class PostRevision(db.Model):
    """An earlier text of an edited post, for facilitators."""

    __tablename__ = "post_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The post.
    post_id: Mapped[int] = mapped_column(
        sa.ForeignKey("post.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The text before the edit.
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    #: When that text was replaced.
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: Who replaced it.
    editor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class Reaction(CreatedAtMixin, db.Model):
    """A "useful" from one person on one post."""

    __tablename__ = "reaction"

    post_id: Mapped[int] = mapped_column(
        sa.ForeignKey("post.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )


class Mention(db.Model):
    """A member @mentioned in a post."""

    __tablename__ = "mention"

    post_id: Mapped[int] = mapped_column(
        sa.ForeignKey("post.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ReportOutcome(StrEnum):
    HIDDEN = "hidden"
    KEPT = "kept"


class Report(CreatedAtMixin, db.Model):
    """A member reports a post; a facilitator decides."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The reported post.
    post_id: Mapped[int] = mapped_column(
        sa.ForeignKey("post.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Who reported it.
    reporter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Why, in the reporter's words.
    reason: Mapped[str] = mapped_column(sa.String(1000), nullable=False)
    #: hidden or kept; empty while open.
    outcome: Mapped[ReportOutcome | None] = mapped_column(str_enum(ReportOutcome, 10))
    #: When and by whom it was decided.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    post: Mapped[Post] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
