"""Who is told what: following, muting, grouped notifications, and e-mail digests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from plc.auth.models import User
from plc.communities.models import Community, CommunityMember, MemberRole, MemberStatus
from plc.core.models import utcnow
from plc.core.outbox import send_mail
from plc.core.urls import external_url
from plc.discussions import services as discussions
from plc.discussions.models import Post, Report, Thread
from plc.extensions import db
from plc.notifications.models import (
    DigestFrequency,
    Notification,
    NotificationKind,
    NotificationSettings,
    Subscription,
)

DIGEST_INTERVAL = {
    DigestFrequency.DAILY: timedelta(days=1),
    DigestFrequency.WEEKLY: timedelta(days=7),
}


# -- following and muting ----------------------------------------------------------------------


def subscription(
    user: User, *, thread: Thread | None = None, community: Community | None = None
) -> Subscription | None:
    query = sa.select(Subscription).where(Subscription.user_id == user.id)
    if thread is not None:
        query = query.where(Subscription.thread_id == thread.id)
    else:
        query = query.where(Subscription.community_id == community.id)  # type: ignore[union-attr]
    return db.session.scalar(query)


def set_subscription(
    user: User, mode: str, *, thread: Thread | None = None, community: Community | None = None
) -> None:
    """mode: "follow", "mute", or "reset" (back to the default: follow what you took part in)."""
    existing = subscription(user, thread=thread, community=community)
    if mode == "reset":
        if existing is not None:
            db.session.delete(existing)
    else:
        if existing is None:
            existing = Subscription(
                user_id=user.id,
                thread_id=thread.id if thread else None,
                community_id=community.id if community else None,
            )
            db.session.add(existing)
        existing.muted = mode == "mute"
    db.session.flush()


def _follow_thread(user_id: int, thread_id: int) -> None:
    """Taking part in a thread follows it, unless the person muted it."""
    exists = db.session.scalar(
        sa.select(Subscription.id).where(
            Subscription.user_id == user_id, Subscription.thread_id == thread_id
        )
    )
    if exists is None:
        with db.session.begin_nested():
            db.session.add(Subscription(user_id=user_id, thread_id=thread_id, muted=False))


def _audience(thread: Thread) -> set[int]:
    """Followers of the thread or of its community, minus those who muted the thread."""
    rows = db.session.execute(
        sa.select(Subscription.user_id, Subscription.thread_id, Subscription.muted).where(
            sa.or_(
                Subscription.thread_id == thread.id,
                Subscription.community_id == thread.community_id,
            )
        )
    ).all()
    muted_thread = {user for user, thread_id, muted in rows if thread_id is not None and muted}
    followers = {user for user, thread_id, muted in rows if not muted}
    return followers - muted_thread


# -- notifying ---------------------------------------------------------------------------------

#: The header's count, read with the login (`unread_in_login`).
UNREAD = "unread_notifications"


def unread_in_login() -> tuple[str, sa.ScalarSelect[int]]:
    """The logged-in person's unread lines, read in the login's statement (a `login_columns`
    hook of plc.auth.services.load_session_user): one statement less on every page."""
    return UNREAD, (
        sa.select(sa.func.count(Notification.id))
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def _changed() -> None:
    """This request wrote lines: the count read with the login may be out of date."""
    if has_request_context():
        g.plc_notifications_changed = True


def header_count(user: User) -> int:
    """The unread lines the header shows: read with the login, unless this request changed
    them (then counted again)."""
    known = user.login_figures.get(UNREAD)
    if known is None or g.get("plc_notifications_changed"):
        return unread_count(user)
    return int(known)


def notify(
    user_id: int,
    kind: NotificationKind,
    *,
    thread: Thread | None = None,
    community_id: int | None = None,
    post_id: int | None = None,
    actor_id: int | None = None,
    detail: str = "",
    group: bool = False,
    link: str | None = None,
) -> None:
    """Add a line to a person's centre; with `group`, raise the unread line of the same thread."""
    _changed()
    if group and thread is not None:
        updated = db.session.execute(
            sa.update(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.kind == kind,
                Notification.thread_id == thread.id,
                Notification.read_at.is_(None),
                Notification.digested_at.is_(None),
            )
            .values(
                count=Notification.count + 1,
                updated_at=utcnow(),
                actor_id=actor_id,
                post_id=post_id,
            )
        ).rowcount
        if updated:
            return
    db.session.add(
        Notification(
            user_id=user_id,
            kind=kind,
            thread_id=thread.id if thread else None,
            community_id=community_id or (thread.community_id if thread else None),
            post_id=post_id,
            actor_id=actor_id,
            detail=detail[:200],
            link=link,
        )
    )


def _notify_replies(user_ids: set[int], thread: Thread, post: Post) -> None:
    """`notify(…, group=True)` for a reply's whole audience in two statements: one UPDATE raises
    the unread lines that exist, one INSERT adds the lines of everyone else. Per person, a busy
    thread's reply cost one UPDATE per follower."""
    if not user_ids:
        return
    _changed()
    raised = set(
        db.session.scalars(
            sa.update(Notification)
            .where(
                Notification.user_id.in_(user_ids),
                Notification.kind == NotificationKind.REPLY,
                Notification.thread_id == thread.id,
                Notification.read_at.is_(None),
                Notification.digested_at.is_(None),
            )
            .values(
                count=Notification.count + 1,
                updated_at=utcnow(),
                actor_id=post.author_id,
                post_id=post.id,
            )
            .returning(Notification.user_id)
            .execution_options(synchronize_session=False)
        )
    )
    db.session.add_all(
        Notification(
            user_id=user_id,
            kind=NotificationKind.REPLY,
            thread_id=thread.id,
            community_id=thread.community_id,
            post_id=post.id,
            actor_id=post.author_id,
        )
        for user_id in sorted(user_ids - raised)
    )


def _on_post_created(post: Post, mentioned: list[User], community: Community, **_: Any) -> None:
    thread = db.session.get(Thread, post.thread_id)
    mentioned_ids = {person.id for person in mentioned}
    audience = _audience(thread) - {post.author_id} - mentioned_ids  # type: ignore[arg-type]
    _notify_replies(audience, thread, post)  # type: ignore[arg-type]
    for user_id in mentioned_ids:
        notify(
            user_id,
            NotificationKind.MENTION,
            thread=thread,
            post_id=post.id,
            actor_id=post.author_id,
        )
    if post.author_id is not None:
        _follow_thread(post.author_id, post.thread_id)
    db.session.flush()


def _on_answer(post: Post, by: User, **_: Any) -> None:
    if post.author_id is not None and post.author_id != by.id:
        notify(
            post.author_id,
            NotificationKind.ANSWER,
            thread=post.thread,
            post_id=post.id,
            actor_id=by.id,
        )
        db.session.flush()


def _on_report(report: Report, **_: Any) -> None:
    thread = report.post.thread
    facilitators = db.session.scalars(
        sa.select(CommunityMember.user_id).where(
            CommunityMember.community_id == thread.community_id,
            CommunityMember.status == MemberStatus.ACTIVE,
            CommunityMember.role.in_([MemberRole.FACILITATOR, MemberRole.OWNER]),
        )
    ).all()
    for user_id in facilitators:
        notify(
            user_id,
            NotificationKind.REPORT,
            thread=thread,
            post_id=report.post_id,
            actor_id=report.reporter_id,
        )
    db.session.flush()


def _on_report_decided(report: Report, **_: Any) -> None:
    if report.reporter_id is not None:
        notify(
            report.reporter_id,
            NotificationKind.REPORT_OUTCOME,
            thread=report.post.thread,
            post_id=report.post_id,
            detail=report.outcome.value if report.outcome else "",
        )
        db.session.flush()


def connect_signals() -> None:
    """Idempotent: blinker keeps one connection per receiver."""
    discussions.post_created.connect(_on_post_created)
    discussions.post_marked_answer.connect(_on_answer)
    discussions.post_reported.connect(_on_report)
    discussions.report_decided.connect(_on_report_decided)


# -- the centre --------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def centre_query(user: User) -> sa.Select[tuple[Notification]]:
    return (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .options(
            joinedload(Notification.thread),
            joinedload(Notification.community),
            joinedload(Notification.actor),
        )
        .order_by(
            Notification.read_at.is_not(None),
            Notification.updated_at.desc(),
            Notification.id.desc(),
        )
    )


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
        _changed()


def mark_all_read(user: User) -> None:
    _changed()
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


# -- digests -----------------------------------------------------------------------------------


def settings_for(user: User) -> NotificationSettings:
    found = db.session.get(NotificationSettings, user.id)
    if found is not None:
        return found
    try:
        # Two digest runs (or a run and the settings page) may add the row at the same time:
        # the second one finds the first one's row instead of failing.
        with db.session.begin_nested():
            found = NotificationSettings(user_id=user.id, digest=DigestFrequency.WEEKLY)
            db.session.add(found)
    except IntegrityError:
        found = db.session.get(NotificationSettings, user.id, populate_existing=True)
        assert found is not None
    return found


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="digest-unsubscribe")


def unsubscribe_token(user: User) -> str:
    return _unsubscribe_serializer().dumps(user.id)


def user_for_unsubscribe_token(token: str) -> User | None:
    try:
        user_id = _unsubscribe_serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def users_with_news() -> list[User]:
    """Active people with unread lines that no digest has carried yet."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.active.is_(True),
                User.id.in_(
                    sa.select(Notification.user_id).where(
                        Notification.read_at.is_(None), Notification.digested_at.is_(None)
                    )
                ),
            )
            .order_by(User.id)
        )
    )


def write_digest(user: User) -> bool:
    """Queue the person's digest if it is due; its lines are stamped in the same transaction,
    so a second run (or a concurrent one) never sends them again. Returns whether one was written."""
    now = utcnow()
    settings = settings_for(user)
    if settings.digest == DigestFrequency.OFF:
        return False
    if (
        settings.last_digest_at is not None
        and now - settings.last_digest_at < DIGEST_INTERVAL[settings.digest]
    ):
        return False
    lines = db.session.scalars(
        centre_query(user).where(Notification.read_at.is_(None), Notification.digested_at.is_(None))
    ).all()
    claimed = db.session.execute(
        sa.update(Notification)
        .where(Notification.id.in_([line.id for line in lines]), Notification.digested_at.is_(None))
        .values(digested_at=now)
    ).rowcount
    if not claimed:
        return False
    settings.last_digest_at = now
    send_mail(
        user.email,
        user.preferred_language,
        _l("What happened in your communities"),
        "digest",
        user=user,
        lines=lines,
        centre=external_url("notifications.centre"),
        settings=external_url("notifications.settings"),
        unsubscribe=external_url("notifications.unsubscribe", token=unsubscribe_token(user)),
    )
    return True
