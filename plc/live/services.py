"""Live-session rules: planning (single and series), editing, cancelling, sign-ups with capacity
and a waiting list, reminders, calendar feeds, crediting attendance.

Capacity holds under concurrent sign-ups because `going_count` only changes through conditional
UPDATEs (`... WHERE going_count < capacity`), which the database serialises per row on both
SQLite and PostgreSQL; a CHECK constraint backs it up. Moving up from the waiting list claims the
waiting person's row with a conditional UPDATE too, so two cancellations at once never promote the
same person twice. Answers to one session also take turns (`_lock`, see plc/core/places.py): a
double click counts once, and no one is put on the waiting list while a place is free.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from plc.auth.models import User
from plc.communities.models import Community
from plc.core.errors import ServiceError
from plc.core.markdown import render_markdown
from plc.core.models import utcnow
from plc.core.outbox import send_mail
from plc.core.places import free_place, lock_places, take_place
from plc.core.urls import external_url
from plc.development.models import RecordEntry, RecordSource, school_year
from plc.extensions import db
from plc.live.access import SessionAccess, visible_sessions_filter
from plc.live.models import (
    Audience,
    CalendarFeed,
    Frequency,
    LiveSession,
    RoomState,
    Rsvp,
    RsvpStatus,
    SessionMode,
    SessionSeries,
    SessionStatus,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_OCCURRENCES = 26  #: a school half-year of weekly meetings
MAX_DURATION = timedelta(hours=12)
REMIND_BEFORE = timedelta(hours=24)
#: How far back the personal calendar feed reaches (so recent changes still reach calendars).
FEED_HISTORY = timedelta(days=90)
#: Statuses that count as "signed up": they get reminders, changes and cancellations.
SIGNED_UP = (RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.WAITLISTED)
FREQUENCY_STEP = {Frequency.WEEKLY: 1, Frequency.BIWEEKLY: 2}  # in weeks


# -- planning -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionFields:
    """What a facilitator fills in. `day`, `start` and `end` are Amsterdam wall-clock values."""

    title: str
    agenda: str
    day: date
    start: time
    end: time
    mode: SessionMode
    location: str = ""
    video_url: str = ""
    capacity: int | None = None
    audience: Audience = Audience.MEMBERS

    @classmethod
    def of(cls, session: LiveSession) -> SessionFields:
        """The fields of an existing session, in Amsterdam time."""
        start, end = to_local(session.starts_at), to_local(session.ends_at)
        return cls(
            title=session.title,
            agenda=session.agenda,
            day=start.date(),
            start=start.time(),
            end=end.time(),
            mode=session.mode,
            location=session.location,
            video_url=session.video_url,
            capacity=session.capacity,
            audience=session.audience,
        )


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(AMSTERDAM)


def amsterdam_moment(day: date, clock: time) -> datetime:
    """The UTC moment of a wall-clock time in Amsterdam on `day` (DST-aware; a time that does
    not exist on the spring-forward night resolves as zoneinfo does, one hour later)."""
    local = datetime.combine(day, clock.replace(tzinfo=None), tzinfo=AMSTERDAM)
    return local.astimezone(ZoneInfo("UTC"))


def _times(fields: SessionFields) -> tuple[datetime, datetime]:
    starts_at = amsterdam_moment(fields.day, fields.start)
    ends_at = amsterdam_moment(fields.day, fields.end)
    return starts_at, ends_at


def _validate(fields: SessionFields, *, going_count: int = 0, is_new: bool = True) -> None:
    if not fields.title.strip():
        raise ServiceError(_l("Give the session a title."), "title")
    starts_at, ends_at = _times(fields)
    if ends_at <= starts_at:
        raise ServiceError(_l("The end must be after the start."), "end")
    if ends_at - starts_at > MAX_DURATION:
        raise ServiceError(_l("A session lasts at most 12 hours."), "end")
    if is_new and starts_at <= utcnow():
        raise ServiceError(_l("The start must be in the future."), "day")
    if fields.mode in (SessionMode.IN_PERSON, SessionMode.HYBRID) and not fields.location.strip():
        raise ServiceError(_l("Give the address for those who come in person."), "location")
    if fields.video_url and urlsplit(fields.video_url).scheme not in ("https", "http"):
        raise ServiceError(_l("The video-call link must start with https://."), "video_url")
    if fields.capacity is not None and fields.capacity < 1:
        raise ServiceError(
            _l("The number of places is at least 1, or empty for no limit."), "capacity"
        )
    if fields.capacity is not None and fields.capacity < going_count:
        raise ServiceError(
            _l(
                "%(count)d people are already going: the number of places cannot be lower.",
                count=going_count,
            ),
            "capacity",
        )


def _apply(session: LiveSession, fields: SessionFields) -> None:
    session.title = fields.title.strip()
    session.agenda = fields.agenda
    session.agenda_html = render_markdown(fields.agenda)
    session.starts_at, session.ends_at = _times(fields)
    session.mode = fields.mode
    session.location = fields.location.strip() if fields.mode != SessionMode.ONLINE else ""
    session.video_url = fields.video_url.strip() if fields.mode != SessionMode.IN_PERSON else ""
    session.capacity = fields.capacity
    session.audience = fields.audience


def plan_session(
    community: Community,
    user: User,
    fields: SessionFields,
    *,
    repeat: Frequency | None = None,
    occurrences: int = 1,
    idempotency_key: str | None = None,
) -> LiveSession:
    """Plan one session, or a series of `occurrences` (same Amsterdam wall-clock time each time).
    Returns the first. A resubmitted form (same key) returns the session it planned before."""
    if community.is_closed:
        raise ServiceError(_l("This community is closed."))
    if idempotency_key:
        earlier = db.session.scalar(
            sa.select(LiveSession).where(
                LiveSession.created_by_id == user.id,
                LiveSession.idempotency_key == idempotency_key,
            )
        )
        if earlier is not None:
            return earlier
    _validate(fields)
    if repeat is None:
        occurrences = 1
    elif not 2 <= occurrences <= MAX_OCCURRENCES:
        raise ServiceError(
            _l("A series has 2 to %(max)d sessions.", max=MAX_OCCURRENCES), "occurrences"
        )
    series = None
    if repeat is not None:
        series = SessionSeries(community_id=community.id, frequency=repeat, created_by_id=user.id)
        db.session.add(series)
    sessions = []
    for n in range(occurrences):
        step = timedelta(weeks=n * FREQUENCY_STEP[repeat]) if repeat else timedelta(0)
        session = LiveSession(
            uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
            community_id=community.id,
            series=series,
            created_by_id=user.id,
            idempotency_key=idempotency_key if n == 0 else None,
        )
        _apply(session, replace(fields, day=fields.day + step))
        db.session.add(session)
        sessions.append(session)
    db.session.flush()
    return sessions[0]


def _following(session: LiveSession) -> list[LiveSession]:
    """This session and the later ones of its series that are still on."""
    if session.series_id is None:
        return [session]
    return list(
        db.session.scalars(
            sa.select(LiveSession)
            .where(
                LiveSession.series_id == session.series_id,
                LiveSession.starts_at >= session.starts_at,
                LiveSession.status == SessionStatus.SCHEDULED,
            )
            .order_by(LiveSession.starts_at)
        )
    )


def update_session(
    session: LiveSession, user: User, fields: SessionFields, *, following: bool = False
) -> list[LiveSession]:
    """Change a session, or (with `following`) it and the later sessions of its series. The later
    ones move by the same number of days and take the new times of day, in Amsterdam time.
    Those signed up hear of changes to time or place. Returns the sessions changed."""
    if session.is_cancelled:
        raise ServiceError(_l("This session was cancelled."))
    if session.is_past():
        raise ServiceError(_l("This session is over."))
    targets = _following(session) if following else [session]
    for target in targets:  # in order of time, as any other series edit locks them
        _lock(target)
    day_shift = fields.day - to_local(session.starts_at).date()
    for target in targets:
        own = replace(fields, day=to_local(target.starts_at).date() + day_shift)
        moved = _times(own)[0] != target.starts_at  # a new start must lie ahead, like a new plan
        _validate(own, going_count=target.going_count, is_new=moved)
    for target in targets:
        before = _where_and_when(target)
        _apply(target, replace(fields, day=to_local(target.starts_at).date() + day_shift))
        target.sequence += 1
        if _where_and_when(target) != before:
            _tell_signed_up(target, "session_changed", _l("Changed: %(title)s", title=target.title))
        if target.capacity is None or target.capacity > target.going_count:
            _move_up_waitlist(target)
    db.session.flush()
    return targets


def _where_and_when(session: LiveSession) -> tuple[Any, ...]:
    return (session.starts_at, session.ends_at, session.mode, session.location, session.video_url)


def cancel_session(
    session: LiveSession, user: User, message: str, *, following: bool = False
) -> list[LiveSession]:
    """Cancel a session (or it and the later ones of its series) and tell everyone signed up."""
    message = message.strip()
    if not message:
        raise ServiceError(_l("Tell the participants why the session is cancelled."), "message")
    if len(message) > 1000:
        raise ServiceError(_l("Keep the message under 1,000 characters."), "message")
    if session.is_cancelled:
        raise ServiceError(_l("This session was cancelled."))
    if session.is_past():
        raise ServiceError(_l("This session is over."))
    targets = _following(session) if following else [session]
    for target in targets:
        target.status = SessionStatus.CANCELLED
        target.cancel_message = message
        target.sequence += 1
        _tell_signed_up(target, "session_cancelled", _l("Cancelled: %(title)s", title=target.title))
    db.session.flush()
    return targets


def _tell_signed_up(session: LiveSession, template: str, subject: Any) -> None:
    for rsvp in _signed_up(session):
        _mail(rsvp.user, session, template, subject, rsvp=rsvp)


def _signed_up(session: LiveSession) -> list[Rsvp]:
    return list(
        db.session.scalars(
            sa.select(Rsvp)
            .options(joinedload(Rsvp.user))
            .where(Rsvp.session_id == session.id, Rsvp.status.in_(SIGNED_UP))
            .order_by(Rsvp.id)
        )
    )


def _mail(user: User, session: LiveSession, template: str, subject: Any, **context: Any) -> None:
    if not user.is_active:
        return
    send_mail(
        user.email,
        user.preferred_language,
        subject,
        template,
        user=user,
        session=session,
        local_start=to_local(session.starts_at),
        local_end=to_local(session.ends_at),
        url=external_url("live.detail", slug=session.community.slug, session_id=session.id),
        **context,
    )


# -- sign-ups -------------------------------------------------------------------------------------


def rsvp_of(session: LiveSession, user: Any) -> Rsvp | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Rsvp).where(Rsvp.session_id == session.id, Rsvp.user_id == user.id)
    )


def respond(session: LiveSession, access: SessionAccess, user: User, status: RsvpStatus) -> Rsvp:
    """Answer going, maybe or not going. "Going" on a full session puts the person on the waiting
    list; leaving "going" frees a place for the first person waiting."""
    if status == RsvpStatus.WAITLISTED:
        raise ServiceError(_l("Choose going, maybe or not going."))
    _lock(session)
    if not access.can_respond:
        if session.is_cancelled:
            raise ServiceError(_l("This session was cancelled."))
        if session.is_past():
            raise ServiceError(_l("This session is over."))
        raise ServiceError(_l("This session is for members of the community."))
    rsvp = _rsvp_row(session, user)
    was_going = rsvp.status == RsvpStatus.GOING
    if status == RsvpStatus.GOING:
        if not was_going:
            if _take_place(session):
                rsvp.status, rsvp.waitlisted_at = RsvpStatus.GOING, None
            elif rsvp.status != RsvpStatus.WAITLISTED:
                rsvp.status, rsvp.waitlisted_at = RsvpStatus.WAITLISTED, utcnow()
    else:
        rsvp.status, rsvp.waitlisted_at = status, None
        if was_going:
            _free_place(session)
    rsvp.updated_at = utcnow()
    db.session.flush()
    if was_going and status != RsvpStatus.GOING:
        _move_up_waitlist(session)
    db.session.refresh(session)
    return rsvp


def _rsvp_row(session: LiveSession, user: User) -> Rsvp:
    """The person's row, made if missing; two simultaneous first answers make one row."""
    rsvp = rsvp_of(session, user)
    if rsvp is not None:
        db.session.refresh(rsvp)  # as it is now: a second click waited for the first one
        return rsvp
    try:
        with db.session.begin_nested():
            rsvp = Rsvp(session_id=session.id, user_id=user.id, status=RsvpStatus.NOT_GOING)
            db.session.add(rsvp)
    except sa.exc.IntegrityError:
        rsvp = rsvp_of(session, user)
        assert rsvp is not None
    return rsvp


def _lock(session: LiveSession) -> None:
    """Changes to this session's places take turns from here to the commit (plc/core/places.py);
    what they check is read afresh."""
    lock_places(LiveSession.__table__, session.id)
    db.session.refresh(session, ["status", "capacity", "going_count"])


def _take_place(session: LiveSession) -> bool:
    """Count one more person going, if a place is free; atomic in the database."""
    return take_place(LiveSession.__table__, session.id, "going_count")


def _free_place(session: LiveSession) -> None:
    free_place(LiveSession.__table__, session.id, "going_count")


def _move_up_waitlist(session: LiveSession) -> list[Rsvp]:
    """Give free places to the people waiting, first come first served, each with a mail."""
    promoted: list[Rsvp] = []
    if session.is_cancelled or session.is_past():
        return promoted
    rsvp_table = Rsvp.__table__
    while True:
        first = db.session.scalar(
            sa.select(Rsvp)
            .where(Rsvp.session_id == session.id, Rsvp.status == RsvpStatus.WAITLISTED)
            .order_by(Rsvp.waitlisted_at, Rsvp.id)
            .limit(1)
        )
        if first is None or not _take_place(session):
            break
        claimed = db.session.execute(
            rsvp_table.update()
            .where(rsvp_table.c.id == first.id, rsvp_table.c.status == RsvpStatus.WAITLISTED)
            .values(status=RsvpStatus.GOING, waitlisted_at=None, updated_at=utcnow())
        ).rowcount
        if claimed != 1:  # someone else moved this person up (or they answered) meanwhile
            _free_place(session)
            continue
        db.session.refresh(first)
        promoted.append(first)
        _mail(
            first.user,
            session,
            "session_place",
            _l("A place for you: %(title)s", title=session.title),
        )
    return promoted


def participants(session: LiveSession) -> dict[RsvpStatus, list[Rsvp]]:
    """Everyone who answered, by answer; the waiting list in its order."""
    rows = db.session.scalars(
        sa.select(Rsvp)
        .options(joinedload(Rsvp.user))
        .where(Rsvp.session_id == session.id)
        .order_by(Rsvp.waitlisted_at, Rsvp.updated_at, Rsvp.id)
    )
    grouped: dict[RsvpStatus, list[Rsvp]] = {status: [] for status in RsvpStatus}
    for rsvp in rows:
        grouped[rsvp.status].append(rsvp)
    return grouped


def waitlist_position(rsvp: Rsvp) -> int | None:
    if rsvp.status != RsvpStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Rsvp)
        .where(
            Rsvp.session_id == rsvp.session_id,
            Rsvp.status == RsvpStatus.WAITLISTED,
            sa.or_(
                Rsvp.waitlisted_at < rsvp.waitlisted_at,
                sa.and_(Rsvp.waitlisted_at == rsvp.waitlisted_at, Rsvp.id < rsvp.id),
            ),
        )
    )
    return int(ahead or 0) + 1


# -- reminders and crediting (run by `flask plc send-digests` / `send-reminders`) ---------------


def send_reminders(now: datetime | None = None) -> int:
    """Queue the day-before reminder for everyone going or maybe going to a session that starts
    within 24 hours. Each reminder is claimed with a conditional UPDATE, so running this again,
    or twice at once, sends nothing twice. Returns the number queued."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(Rsvp)
        .join(LiveSession, LiveSession.id == Rsvp.session_id)
        .options(joinedload(Rsvp.user), joinedload(Rsvp.session).joinedload(LiveSession.community))
        .where(
            Rsvp.status.in_((RsvpStatus.GOING, RsvpStatus.MAYBE)),
            Rsvp.reminded_at.is_(None),
            LiveSession.status == SessionStatus.SCHEDULED,
            LiveSession.starts_at > now,
            LiveSession.starts_at <= now + REMIND_BEFORE,
        )
        .order_by(Rsvp.id)
    ).all()
    table = Rsvp.__table__
    sent = 0
    for rsvp in due:
        claimed = db.session.execute(
            table.update()
            .where(table.c.id == rsvp.id, table.c.reminded_at.is_(None))
            .values(reminded_at=now)
        ).rowcount
        if claimed == 1:
            _mail(
                rsvp.user,
                rsvp.session,
                "session_reminder",
                _l("Reminder: %(title)s", title=rsvp.session.title),
                rsvp=rsvp,
            )
            sent += 1
    db.session.flush()
    return sent


def credit_attendance(session: LiveSession) -> int:
    """Add each attendee's minutes in the room to their development record as contact time.
    Safe to repeat: a person's entry for a session is updated, never doubled. Returns the number
    of people credited."""
    from plc.live.room import attended_minutes  # the room module builds on this one

    minutes_by_user = attended_minutes(session)
    day = to_local(session.starts_at).date()
    credited = 0
    for user_id, minutes in minutes_by_user.items():
        if minutes <= 0:
            continue
        entry = db.session.scalar(
            sa.select(RecordEntry).where(
                RecordEntry.user_id == user_id,
                RecordEntry.source == RecordSource.LIVE_SESSION,
                RecordEntry.source_id == session.id,
            )
        )
        if entry is None:
            entry = RecordEntry(
                user_id=user_id, source=RecordSource.LIVE_SESSION, source_id=session.id
            )
            db.session.add(entry)
        entry.title = session.title[:200]
        entry.activity_date = day
        entry.school_year = school_year(day)
        entry.contact_minutes = minutes
        credited += 1
    session.credited_at = utcnow()
    db.session.flush()
    return credited


def credit_finished_sessions(now: datetime | None = None) -> int:
    """Credit attendance of sessions that ended (or whose room was closed) and were not credited
    since; returns the number of sessions."""
    now = now or utcnow()
    finished = db.session.scalars(
        sa.select(LiveSession).where(
            LiveSession.status == SessionStatus.SCHEDULED,
            sa.or_(LiveSession.ends_at <= now, LiveSession.room_state == RoomState.CLOSED),
            LiveSession.credited_at.is_(None),
        )
    ).all()
    for session in finished:
        credit_attendance(session)
    return len(finished)


def save_notes(session: LiveSession, notes: str) -> None:
    """The facilitators' notes for the summary."""
    session.notes = notes
    session.notes_html = render_markdown(notes)
    db.session.flush()


# -- lists ------------------------------------------------------------------------------------


def _not_over(now: datetime) -> sa.ColumnElement[bool]:
    """Sessions that have not ended. Also bounded by their start (no session lasts longer than
    `MAX_DURATION`, `_validate`), so that a list in start order begins near now on the index of
    starts instead of walking every past session (22 ms of the start page at size L)."""
    return sa.and_(LiveSession.ends_at > now, LiveSession.starts_at > now - MAX_DURATION)


def community_sessions(
    community: Community, *, upcoming: bool, limit: int | None = None
) -> Sequence[LiveSession]:
    """A community's sessions: upcoming (soonest first, cancelled ones too, marked) or past."""
    now = utcnow()
    query = sa.select(LiveSession).where(LiveSession.community_id == community.id)
    if upcoming:
        query = query.where(_not_over(now), LiveSession.room_state != RoomState.CLOSED).order_by(
            LiveSession.starts_at
        )
    else:
        query = query.where(
            sa.or_(LiveSession.ends_at <= now, LiveSession.room_state == RoomState.CLOSED)
        ).order_by(LiveSession.starts_at.desc())
    if limit:
        query = query.limit(limit)
    return db.session.scalars(query).all()


def upcoming_sessions_for(user: Any, *, limit: int = 5) -> Sequence[LiveSession]:
    """For the start page: what the person signed up for, else what they may join, soonest first."""
    now = utcnow()
    query = (
        sa.select(LiveSession)
        .join(Community, Community.id == LiveSession.community_id)
        .options(joinedload(LiveSession.community))
        .where(
            LiveSession.status == SessionStatus.SCHEDULED,
            _not_over(now),
            LiveSession.room_state != RoomState.CLOSED,
            visible_sessions_filter(user),
        )
        .order_by(LiveSession.starts_at)
        .limit(limit)
    )
    return db.session.scalars(query).all()


def my_sessions(user: User, *, since: datetime | None = None) -> Sequence[tuple[LiveSession, Rsvp]]:
    """The sessions a person signed up for (going, maybe, waiting), from `since` on."""
    query = (
        sa.select(LiveSession, Rsvp)
        .join(Rsvp, Rsvp.session_id == LiveSession.id)
        .options(joinedload(LiveSession.community))
        .where(Rsvp.user_id == user.id, Rsvp.status.in_(SIGNED_UP))
        .order_by(LiveSession.starts_at)
    )
    if since is not None:
        query = query.where(LiveSession.ends_at >= since)
    return [(session, rsvp) for session, rsvp in db.session.execute(query)]


# -- personal calendar feed --------------------------------------------------------------------


def feed_token(user: User, *, reset: bool = False) -> str:
    """The secret of the person's calendar feed, made on first use; `reset` replaces it, so
    that the old address stops working."""
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(24))
        db.session.add(feed)
    elif reset:
        feed.token = secrets.token_urlsafe(24)
    db.session.flush()
    return feed.token


def has_feed(user: User) -> bool:
    return db.session.get(CalendarFeed, user.id) is not None


def user_for_feed_token(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None:
        return None
    user = db.session.get(User, feed.user_id)
    return user if user is not None and user.is_active else None
