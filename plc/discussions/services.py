"""Discussion rules: who may post, edit, delete, mark answers, react, report and moderate."""

from __future__ import annotations

import re

import sqlalchemy as sa
from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from plc.auth.models import User
from plc.communities.models import Community, CommunityMember, MemberStatus
from plc.communities.services import Access
from plc.core.errors import ServiceError
from plc.core.markdown import render_markdown
from plc.core.models import UTCDateTime, utcnow
from plc.core.once import add_once, added, submitted
from plc.core.search import SearchIndex, search_subquery
from plc.discussions.models import (
    Mention,
    Post,
    PostRevision,
    Reaction,
    Report,
    ReportOutcome,
    Thread,
)
from plc.extensions import db

THREAD_SEARCH = SearchIndex(name="thread", table="thread", columns=("title",))
POST_SEARCH = SearchIndex(name="post", table="post", columns=("body",))
MAX_BODY = 20_000

#: Signals for other features (notifications): sent inside the transaction that wrote the post.
signals = Namespace()
post_created = signals.signal("post-created")  # sender: Post; mentioned: list[User]
post_marked_answer = signals.signal("post-marked-answer")  # sender: Post; by: User
report_decided = signals.signal("report-decided")  # sender: Report
post_reported = signals.signal("post-reported")  # sender: Report


# -- posting -----------------------------------------------------------------------------------


def _check_can_post(community: Community, access: Access) -> None:
    if community.is_closed:
        raise ServiceError(_l("This community is closed: nothing can be added."))
    if not (access.is_member or access.is_admin):
        raise ServiceError(_l("Only members can take part in the discussion."))


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ServiceError(_l("Write a message."), field="body")
    if len(body) > MAX_BODY:
        raise ServiceError(_l("Use at most %(n)d characters.", n=MAX_BODY), field="body")
    return body


def find_mentions(body: str, community: Community) -> list[User]:
    """Members named after an @ in the text: "@Fatima El Amrani" (the longest name that fits)."""
    if "@" not in body:
        return []
    people = db.session.scalars(
        sa.select(User)
        .join(CommunityMember, CommunityMember.user_id == User.id)
        .where(
            CommunityMember.community_id == community.id,
            CommunityMember.status == MemberStatus.ACTIVE,
            User.active.is_(True),
        )
    ).all()
    by_length = sorted(people, key=lambda u: len(u.display_name), reverse=True)
    text = body.lower()
    found: dict[int, User] = {}
    for match in re.finditer(r"(?<![\w@])@", text):
        rest = text[match.end() :]
        for person in by_length:
            name = person.display_name.lower()
            if rest.startswith(name) and not rest[len(name) : len(name) + 1].isalnum():
                found.setdefault(person.id, person)
                break
    return list(found.values())


def _add_post(
    thread: Thread,
    community: Community,
    author: User,
    body: str,
    *,
    opening: bool,
    key: str | None,
    quote_of: Post | None = None,
) -> Post:
    post = Post(
        thread_id=thread.id,
        author_id=author.id,
        body=body,
        body_html=render_markdown(body),
        is_opening=opening,
        quote_of_id=quote_of.id if quote_of else None,
        idempotency_key=key,
    )
    db.session.add(post)
    db.session.flush()
    mentioned = [person for person in find_mentions(body, community) if person.id != author.id]
    for person in mentioned:
        db.session.add(Mention(post_id=post.id, user_id=person.id))
    db.session.flush()
    post_created.send(post, mentioned=mentioned, community=community)
    return post


def start_thread(
    community: Community,
    access: Access,
    author: User,
    title: str,
    body: str,
    idempotency_key: str | None = None,
) -> Thread:
    """Open a thread with its first post. The same form submission twice opens it once."""
    _check_can_post(community, access)
    if (existing := submitted(Thread.author_id, author.id, idempotency_key)) is not None:
        return existing
    title = title.strip()
    if not title:
        raise ServiceError(_l("Enter a title."), field="title")
    body = _clean_body(body)
    thread = Thread(
        community_id=community.id,
        title=title[:200],
        author_id=author.id,
        idempotency_key=idempotency_key,
    )
    thread, new = add_once(
        lambda: added(thread), lambda: submitted(Thread.author_id, author.id, idempotency_key)
    )
    if new:
        _add_post(thread, community, author, body, opening=True, key=None)
    return thread


def reply(
    thread: Thread,
    community: Community,
    access: Access,
    author: User,
    body: str,
    quote_of: Post | None = None,
    idempotency_key: str | None = None,
) -> Post:
    """Add a reply; counters in SQL. The same form submission twice adds it once.

    Replies to one thread take turns from here to their commit (a row lock on PostgreSQL;
    SQLite has one writer anyway). Each reply raises the grouped notification line of every
    follower of the thread: taking turns, two replies never lock those lines in different orders
    (a deadlock), nor both add a first line for the same person (two lines where one belongs),
    and a resubmitted form finds the reply its first submission wrote.
    """
    _check_can_post(community, access)
    if thread.locked and not access.can_facilitate:
        raise ServiceError(_l("This thread is closed for new replies."))
    db.session.execute(sa.select(Thread.id).where(Thread.id == thread.id).with_for_update())
    if (existing := submitted(Post.author_id, author.id, idempotency_key)) is not None:
        return existing
    body = _clean_body(body)
    if quote_of is not None and quote_of.thread_id != thread.id:
        quote_of = None
    post, new = add_once(
        lambda: _add_post(
            thread, community, author, body, opening=False, key=idempotency_key, quote_of=quote_of
        ),
        # The same key from this author on another thread, at the same moment.
        lambda: submitted(Post.author_id, author.id, idempotency_key),
    )
    if new:
        _count_reply(thread, post)
    return post


def _count_reply(thread: Thread, post: Post) -> None:
    """One more reply, in SQL. Last activity becomes the newest post's time and never goes back:
    replies written at the same moment may commit in another order than they were written."""
    written = sa.literal(post.created_at, UTCDateTime)
    db.session.execute(
        sa.update(Thread)
        .where(Thread.id == thread.id)
        .values(
            reply_count=Thread.reply_count + 1,
            last_activity_at=sa.case(
                (Thread.last_activity_at < written, written), else_=Thread.last_activity_at
            ),
        )
    )
    db.session.expire(thread, ["reply_count", "last_activity_at"])


def can_edit(post: Post, user: User | None) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and post.author_id == user.id
        and post.deleted_at is None
    )


def edit_post(post: Post, editor: User, body: str) -> None:
    """The author changes their post; the earlier text is kept for facilitators."""
    if not can_edit(post, editor):
        raise ServiceError(_l("Only the author can edit a message."))
    body = _clean_body(body)
    if body == post.body:
        return
    db.session.add(PostRevision(post_id=post.id, body=post.body, editor_id=editor.id))
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = utcnow()
    db.session.flush()


def _change_reply_count(post: Post, delta: int) -> None:
    if not post.is_opening:
        db.session.execute(
            sa.update(Thread)
            .where(Thread.id == post.thread_id)
            .values(reply_count=Thread.reply_count + delta)
        )


def delete_post(post: Post, access: Access, acting: User) -> None:
    """Soft deletion by the author or a facilitator; deleting the opening post deletes the thread."""
    if not (post.author_id == acting.id or access.can_facilitate):
        raise ServiceError(_l("Only the author or a facilitator can delete a message."))
    if post.deleted_at is not None:
        return
    if post.visible:
        _change_reply_count(post, -1)
    post.deleted_at = utcnow()
    post.deleted_by_id = acting.id
    thread = post.thread
    if post.is_opening:
        thread.deleted_at = utcnow()
    if thread.answer_post_id == post.id:
        thread.answer_post_id = None
    db.session.flush()


def mark_answer(thread: Thread, post: Post, access: Access, acting: User) -> bool:
    """The thread's author or a facilitator marks (or unmarks) a reply as the answer."""
    if not (thread.author_id == acting.id or access.can_facilitate):
        raise ServiceError(_l("Only the person who asked, or a facilitator, can mark the answer."))
    if post.thread_id != thread.id or post.is_opening or not post.visible:
        raise ServiceError(_l("Only a reply in this thread can be the answer."))
    marked = thread.answer_post_id != post.id
    thread.answer_post_id = post.id if marked else None
    db.session.flush()
    if marked:
        post_marked_answer.send(post, by=acting)
    return marked


def set_pinned(thread: Thread, pinned: bool) -> None:
    thread.pinned = pinned
    db.session.flush()


def set_locked(thread: Thread, locked: bool) -> None:
    thread.locked = locked
    db.session.flush()


def toggle_useful(post: Post, access: Access, user: User) -> bool:
    """One "useful" per person per post; a second click takes it back. Counter in SQL."""
    if not (access.is_member or access.is_admin) or not post.visible:
        raise ServiceError(_l("Only members can react."))
    existing = db.session.get(Reaction, (post.id, user.id))
    if existing is not None:
        db.session.delete(existing)
        delta = -1
    else:
        try:
            with db.session.begin_nested():
                db.session.add(Reaction(post_id=post.id, user_id=user.id))
        except sa.exc.IntegrityError:  # a double click: the first one counted
            return True
        delta = +1
    db.session.execute(
        sa.update(Post).where(Post.id == post.id).values(useful_count=Post.useful_count + delta)
    )
    return delta > 0


# -- moderation --------------------------------------------------------------------------------


def report_post(post: Post, access: Access, reporter: User, reason: str) -> Report:
    if not (access.is_member or access.is_admin) or not post.visible:
        raise ServiceError(_l("Only members can report a message."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_l("Say briefly what is wrong with this message."), field="reason")
    report = Report(post_id=post.id, reporter_id=reporter.id, reason=reason[:1000])
    db.session.add(report)
    db.session.flush()
    post_reported.send(report)
    return report


def decide_report(report: Report, *, hide: bool, acting: User) -> None:
    """Hide the post (gone for members, kept for facilitators) or keep it; every open report
    on the post is decided with it, and each reporter is told the outcome."""
    post = report.post
    if hide and post.visible:
        _change_reply_count(post, -1)
        post.hidden_at = utcnow()
        post.hidden_by_id = acting.id
        if post.thread.answer_post_id == post.id:
            post.thread.answer_post_id = None
    open_reports = db.session.scalars(
        sa.select(Report).where(Report.post_id == post.id, Report.outcome.is_(None))
    ).all()
    for each in open_reports:
        each.outcome = ReportOutcome.HIDDEN if hide else ReportOutcome.KEPT
        each.decided_at = utcnow()
        each.decided_by_id = acting.id
    db.session.flush()
    for each in open_reports:
        report_decided.send(each)


def restore_post(post: Post) -> None:
    """A facilitator shows a hidden post again."""
    if post.hidden_at is None:
        return
    post.hidden_at = None
    post.hidden_by_id = None
    if post.deleted_at is None:
        _change_reply_count(post, +1)
    db.session.flush()


def open_reports(community: Community) -> list[Report]:
    return list(
        db.session.scalars(
            sa.select(Report)
            .join(Post, Report.post_id == Post.id)
            .join(Thread, Post.thread_id == Thread.id)
            .where(Thread.community_id == community.id, Report.outcome.is_(None))
            .options(
                joinedload(Report.post).joinedload(Post.thread),
                joinedload(Report.reporter),
                joinedload(Report.post).joinedload(Post.author),
            )
            .order_by(Report.created_at)
        )
    )


# -- reading -----------------------------------------------------------------------------------


def thread_list_query(community: Community, query: str = "") -> sa.Select[tuple[Thread]]:
    """Visible threads, pinned first, then by last activity; matching `query` in title or posts."""
    select = (
        sa.select(Thread)
        .where(Thread.community_id == community.id, Thread.deleted_at.is_(None))
        .options(joinedload(Thread.author))
    )
    titles = search_subquery(THREAD_SEARCH, query)
    posts = search_subquery(POST_SEARCH, query)
    if titles is not None and posts is not None:
        matching_posts = (
            sa.select(Post.thread_id)
            .join(posts, posts.c.id == Post.id)
            .where(Post.deleted_at.is_(None), Post.hidden_at.is_(None))
        )
        select = select.where(
            sa.or_(Thread.id.in_(sa.select(titles.c.id)), Thread.id.in_(matching_posts))
        )
    return select.order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())


def posts_query(thread: Thread, *, include_hidden: bool) -> sa.Select[tuple[Post]]:
    """The thread's posts in order; deleted ones never, hidden ones for facilitators only."""
    select = (
        sa.select(Post)
        .where(Post.thread_id == thread.id, Post.deleted_at.is_(None))
        .options(joinedload(Post.author), joinedload(Post.quote_of).joinedload(Post.author))
        .order_by(Post.created_at, Post.id)
    )
    if not include_hidden:
        select = select.where(Post.hidden_at.is_(None))
    return select


def reacted_post_ids(user: User | None, post_ids: list[int]) -> set[int]:
    if user is None or not user.is_authenticated or not post_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Reaction.post_id).where(
                Reaction.user_id == user.id, Reaction.post_id.in_(post_ids)
            )
        )
    )


def revisions(post: Post) -> list[PostRevision]:
    return list(
        db.session.scalars(
            sa.select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.replaced_at.desc())
        )
    )


def recent_threads(community: Community, limit: int = 5) -> list[Thread]:
    return list(db.session.scalars(thread_list_query(community).limit(limit)))
