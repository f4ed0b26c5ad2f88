"""Live sessions: scheduling, sign-ups, and what happens in the live room.

Times are stored in UTC (UTCDateTime) and shown in Europe/Amsterdam; a series keeps its wall-clock
time across daylight-saving changes because each occurrence is computed in Amsterdam time first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import User
from plc.communities.models import Community
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db

#: The room opens for participants this long before the start.
ROOM_OPENS_BEFORE = timedelta(minutes=15)


class SessionMode(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"


class Audience(StrEnum):
    MEMBERS = "members"  #: members of the community only
    EVERYONE = "everyone"  #: every teacher with an account


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class RoomState(StrEnum):
    AUTO = "auto"  #: follows the schedule: open from 15 minutes before the start until the end
    OPEN = "open"  #: opened by a facilitator, whatever the clock says
    CLOSED = "closed"  #: closed by a facilitator; the session is over


class Frequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"


class RsvpStatus(StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NOT_GOING = "not_going"
    WAITLISTED = "waitlisted"  #: wants to go; moves up when a place frees


class QuestionStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    HIDDEN = "hidden"


class PollStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class SessionSeries(CreatedAtMixin, db.Model):
    """Sessions repeated weekly or every two weeks; each occurrence is its own LiveSession."""

    __tablename__ = "session_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The community.
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: weekly or biweekly.
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, 10), nullable=False)
    #: Who planned it.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class LiveSession(CreatedAtMixin, db.Model):
    """A meeting of a community: online, in person or both, with its live room."""

    __tablename__ = "live_session"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR going_count <= capacity", name="within_capacity"),
        sa.UniqueConstraint("created_by_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier for calendars (the iCalendar UID).
    uid: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    #: The community that hosts it.
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The series it belongs to, if repeated.
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("session_series.id", ondelete="SET NULL"), index=True
    )
    #: Title.
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: The agenda, Markdown as written.
    agenda: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: The agenda rendered and sanitised at write time.
    agenda_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: Start and end, in UTC.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: online, in_person or hybrid.
    mode: Mapped[SessionMode] = mapped_column(str_enum(SessionMode, 10), nullable=False)
    #: Address for in-person and hybrid sessions.
    location: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    #: Video-call link (Teams, Jitsi, BigBlueButton…) for online and hybrid sessions.
    video_url: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    #: Places; empty means no limit.
    capacity: Mapped[int | None] = mapped_column()
    #: Who may come: members of the community, or every teacher.
    audience: Mapped[Audience] = mapped_column(
        str_enum(Audience, 10), default=Audience.MEMBERS, nullable=False
    )
    #: scheduled or cancelled.
    status: Mapped[SessionStatus] = mapped_column(
        str_enum(SessionStatus, 10), default=SessionStatus.SCHEDULED, index=True, nullable=False
    )
    #: The message sent to everyone who signed up, when cancelled.
    cancel_message: Mapped[str] = mapped_column(sa.String(1000), default="", nullable=False)
    #: People with status "going"; changed only by conditional UPDATEs, so never above capacity.
    going_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: The iCalendar SEQUENCE: raised at every change calendar programs must pick up.
    sequence: Mapped[int] = mapped_column(default=0, nullable=False)
    #: auto, open or closed (see RoomState).
    room_state: Mapped[RoomState] = mapped_column(
        str_enum(RoomState, 10), default=RoomState.AUTO, nullable=False
    )
    #: When a facilitator closed the room.
    room_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The chat message pinned by a facilitator.
    pinned_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(
            "chat_message.id",
            ondelete="SET NULL",
            use_alter=True,
            name="fk_live_session_pinned_message_id_chat_message",
        )
    )
    #: Facilitators' notes after the session, Markdown, and rendered.
    notes: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    notes_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: When attendance was credited to the participants' development records.
    credited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Who planned it.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Last change.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    #: The form submission that created it: a resubmitted form plans nothing twice.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64))

    community: Mapped[Community] = relationship()
    series: Mapped[SessionSeries | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.going_count, 0)

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def room_is_open(self, now: datetime | None = None) -> bool:
        """Open for participants (facilitators may always enter to prepare)."""
        if self.is_cancelled or self.room_state == RoomState.CLOSED:
            return False
        if self.room_state == RoomState.OPEN:
            return True
        now = now or utcnow()
        return self.starts_at - ROOM_OPENS_BEFORE <= now < self.ends_at

    def is_past(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or utcnow()) or self.room_state == RoomState.CLOSED


class Rsvp(db.Model):
    """One person's answer to one session; the waiting list is ordered by `waitlisted_at`."""

    __tablename__ = "rsvp"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The session.
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The person.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: going, maybe, not_going or waitlisted.
    status: Mapped[RsvpStatus] = mapped_column(str_enum(RsvpStatus, 12), nullable=False)
    #: When the person joined the waiting list (their place in it).
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the reminder for the day before was queued (so it goes once).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Last change.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    session: Mapped[LiveSession] = relationship()
    user: Mapped[User] = relationship()


class CalendarFeed(CreatedAtMixin, db.Model):
    """The secret address of a person's calendar feed; resetting it replaces the token.

    The token is kept as it is (not hashed) so that the person can copy their address again at
    any time, as calendar services do; it reveals only what is in the feed, and a reset ends it.
    """

    __tablename__ = "calendar_feed"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    #: The secret in the feed's URL.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)


class ChatMessage(CreatedAtMixin, db.Model):
    """A chat message in a live room; stored before it is broadcast."""

    __tablename__ = "chat_message"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "user_id", "client_id"),
        sa.Index("ix_chat_message_session_id_id", "session_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The session.
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="CASCADE"), nullable=False
    )
    #: Who wrote it; empty after the account was deleted.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: The sender's own id for the message: a resend after a dropped connection is not stored twice.
    client_id: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    #: Plain text (escaped when shown).
    body: Mapped[str] = mapped_column(sa.String(2000), nullable=False)
    #: Removed by a facilitator.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()


class Question(CreatedAtMixin, db.Model):
    """A question for the facilitators, voted up by participants."""

    __tablename__ = "live_question"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The session.
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Who asked.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: The asker's own id for it (see ChatMessage.client_id).
    client_id: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    #: The question, plain text.
    body: Mapped[str] = mapped_column(sa.String(1000), nullable=False)
    #: open, answered or hidden.
    status: Mapped[QuestionStatus] = mapped_column(
        str_enum(QuestionStatus, 10), default=QuestionStatus.OPEN, nullable=False
    )
    #: Votes; kept in SQL next to the vote rows.
    vote_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: When a facilitator marked it answered or hid it.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()


class QuestionVote(CreatedAtMixin, db.Model):
    """One person's vote for a question (the primary key makes it one)."""

    __tablename__ = "live_question_vote"

    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_question.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Poll(CreatedAtMixin, db.Model):
    """A poll that facilitators open and close; results are live and kept."""

    __tablename__ = "live_poll"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The session.
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The question asked.
    question: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    #: More than one option may be chosen.
    multiple: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: draft, open or closed.
    status: Mapped[PollStatus] = mapped_column(
        str_enum(PollStatus, 10), default=PollStatus.DRAFT, nullable=False
    )
    #: When it was opened and closed.
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Who made it.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    options: Mapped[list[PollOption]] = relationship(
        order_by="PollOption.position", cascade="all, delete-orphan", passive_deletes=True
    )


class PollOption(db.Model):
    """One answer to choose in a poll."""

    __tablename__ = "live_poll_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The poll.
    poll_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_poll.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The text of the option.
    label: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Order in the poll.
    position: Mapped[int] = mapped_column(default=0, nullable=False)


class PollBallot(CreatedAtMixin, db.Model):
    """One person's ballot in a poll: the primary key makes it one per person, also under
    concurrent votes."""

    __tablename__ = "live_poll_ballot"

    poll_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_poll.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PollChoice(db.Model):
    """An option chosen on a ballot (one for single choice, one or more for multiple)."""

    __tablename__ = "live_poll_choice"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["poll_id", "user_id"],
            ["live_poll_ballot.poll_id", "live_poll_ballot.user_id"],
            ondelete="CASCADE",
        ),
    )

    poll_id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_poll_option.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RaisedHand(db.Model):
    """A raised hand, in the order raised; a facilitator clears it by removing the row."""

    __tablename__ = "live_raised_hand"

    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    #: When raised: the order of the queue.
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User] = relationship()


class Attendance(db.Model):
    """One stay in the room (one connection): join and leave times."""

    __tablename__ = "live_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The session.
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The person.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The Socket.IO connection (sid) of this stay.
    connection_id: Mapped[str] = mapped_column(sa.String(64), index=True, nullable=False)
    #: When the person came in.
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: When they left; empty while still in the room (or after a crash: see `seen_at`).
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The connection's last sign of life (join, heartbeat, action). A stay left open by a crash
    #: counts until here, and is closed here by `plc.live.room.close_stale_attendance`.
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User] = relationship()


class RoomRemoval(CreatedAtMixin, db.Model):
    """A participant removed from the room by a facilitator; they cannot come back in."""

    __tablename__ = "live_room_removal"

    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    #: The facilitator who removed them.
    removed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
