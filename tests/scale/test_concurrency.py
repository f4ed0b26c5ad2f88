"""Many people at once, through the running app: nothing fails, nothing is lost or counted twice.

The app runs in a process of its own, served as in production for the backend under test (see
concurrency_server.py: `python wsgi.py` on SQLite, gunicorn with a gevent worker on PostgreSQL),
on the session's migrated database. Members log in over HTTP and post forms with the CSRF token
of the page, as a browser does.

- 16 members x 150 replies to eight threads of one community, with resubmissions (the same form
  sent again after it went through, and sent twice at the same moment): every answer a redirect
  to the reply, one row per form, thread counters, last activity and grouped notifications exact.
- 3 x capacity members enrolling in an offering at once (some clicking twice), then
  cancellations, retried cancellations and new enrolments at the same moment: never more people
  than places, no one twice, the waiting list in one order that moves up correctly.
- The same for "going" to a live session with a capacity.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from plc.auth.models import User
from plc.catalogue.models import Enrolment, EnrolmentStatus, Offering
from plc.communities import services as communities
from plc.core.models import utcnow
from plc.core.outbox import OutboxMessage
from plc.discussions import services as discussions
from plc.discussions.models import Post, Thread
from plc.extensions import db
from plc.live.models import Audience, LiveSession, Rsvp, RsvpStatus, SessionMode
from plc.notifications.models import Notification, NotificationKind
from tests.scale.concurrency_server import Member, Server, serve

CLIENTS = 16
REPLIES_EACH = 150
THREADS = 8
CAPACITY = 6
#: Of each client's replies: every 25th is sent again once it went through (a reload that
#: resubmits), and every 25th (another one) twice at the same moment (a double click).
RESUBMIT_AFTER, RESUBMIT_AT_ONCE = 10, 20
BOUNCE = re.compile(r"#bericht-(\d+)$")
POSITION = re.compile(r"Je staat op de wachtlijst op plaats (\d+)\.")


@pytest.fixture(scope="module")
def server(
    app: Flask, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The app served from its own process on the session's database (migrated by `app`)."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    with serve(database_url, log) as running:
        yield running
    assert running.problems() == [], running.log[-5000:]


@pytest.fixture
def members(server: Server) -> Iterator[Callable[[list[User]], list[Member]]]:
    """`members(users)`: a logged-in browser for each person (logging in side by side).
    Afterwards, the server must not have logged a failure during the test."""
    made: list[Member] = []
    log_before = len(server.log)

    def login(users: list[User]) -> list[Member]:
        db.session.commit()  # what the test built is visible to the server
        browsers = [Member(server.url, user.email) for user in users]
        made.extend(browsers)
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            list(pool.map(Member.login, browsers))
        return browsers

    yield login
    for browser in made:
        browser.close()
    assert server.problems(since=log_before) == [], server.log[log_before:][-5000:]


def _fresh() -> None:
    """End the test's own transaction, so that its reads see what the server committed."""
    db.session.commit()
    db.session.expire_all()


def _all_at_once(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run every job in its own thread, released together, and return their results in order."""
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> Any:
        start.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


# -- replies -----------------------------------------------------------------------------------


@dataclass
class Attempt:
    """One reply form: its key, and the reply every answer to it pointed at."""

    member: int
    thread_id: int
    key: str
    post_ids: list[int] = field(default_factory=list)


@dataclass
class Load:
    attempts: list[Attempt] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _send_reply(browser: Member, path: str, attempt: Attempt, body: str, load: Load) -> None:
    response = browser.post(path, {"body": body, "idempotency_key": attempt.key})
    where = BOUNCE.search(response.headers.get("Location", ""))
    with load.lock:
        if response.status_code != 302 or where is None:
            load.failures.append(f"{response.status_code}: {response.text[:300]}")
        else:
            attempt.post_ids.append(int(where.group(1)))


def _replier(
    index: int, browser: Member, slug: str, thread_ids: list[int], load: Load
) -> Callable[[], None]:
    def run() -> None:
        for n in range(REPLIES_EACH):
            # Each member takes part in two threads, alternately; four members share each.
            thread_id = thread_ids[(index + n % 2) % len(thread_ids)]
            path = f"/gemeenschappen/{slug}/gesprekken/{thread_id}/reacties"
            attempt = Attempt(index, thread_id, uuid.uuid4().hex)
            with load.lock:
                load.attempts.append(attempt)
            body = f"Reactie {n} van deelnemer {index}: zo doen wij het bij ons op school."
            if n % 25 == RESUBMIT_AT_ONCE:
                twin = browser.twin()
                _all_at_once(
                    [
                        partial(_send_reply, browser, path, attempt, body, load),
                        partial(_send_reply, twin, path, attempt, body, load),
                    ]
                )
                twin.close()
                continue
            _send_reply(browser, path, attempt, body, load)
            if n % 25 == RESUBMIT_AFTER:
                _send_reply(browser, path, attempt, body, load)

    return run


@pytest.fixture
def discussion(create_user, create_community, add_member) -> dict[str, Any]:
    """A community with an owner, 16 members, and eight threads the owner opened."""
    owner = create_user()
    community = create_community(owner=owner)
    people = [create_user() for _ in range(CLIENTS)]
    for person in people:
        add_member(community, person)
    access = communities.access_for(community, owner)
    threads = [
        discussions.start_thread(
            community, access, owner, f"Vraag {n}", f"Hoe pakken jullie onderwerp {n} aan?"
        )
        for n in range(THREADS)
    ]
    db.session.commit()
    return {"owner": owner, "community": community, "people": people, "threads": threads}


def test_sixteen_members_posting_150_replies_each_lose_nothing_and_count_everything_once(
    discussion, members
):
    community, people, owner = discussion["community"], discussion["people"], discussion["owner"]
    thread_ids = [thread.id for thread in discussion["threads"]]
    browsers = members(people)
    load = Load()

    _all_at_once(
        [
            _replier(index, browser, community.slug, thread_ids, load)
            for index, browser in enumerate(browsers)
        ]
    )

    assert load.failures == []
    assert len(load.attempts) == CLIENTS * REPLIES_EACH
    _fresh()
    replies = db.session.execute(
        sa.select(Post.id, Post.thread_id, Post.author_id, Post.idempotency_key, Post.created_at)
        .where(Post.thread_id.in_(thread_ids), Post.is_opening.is_(False))
        .order_by(Post.id)
    ).all()
    # One row per form, whatever was resubmitted; every answer to a form pointed at its row.
    assert len(replies) == CLIENTS * REPLIES_EACH
    by_key = {row.idempotency_key: row for row in replies}
    assert len(by_key) == len(replies)
    for attempt in load.attempts:
        row = by_key[attempt.key]
        assert set(attempt.post_ids) == {row.id}
        assert (row.thread_id, row.author_id) == (attempt.thread_id, people[attempt.member].id)
    expected_answers = CLIENTS * (REPLIES_EACH + 2 * -(-REPLIES_EACH // 25))
    assert sum(len(attempt.post_ids) for attempt in load.attempts) == expected_answers

    # Each thread's counter and last activity agree with its rows.
    per_thread: dict[int, list[Any]] = defaultdict(list)
    for row in replies:
        per_thread[row.thread_id].append(row)
    for thread in db.session.scalars(sa.select(Thread).where(Thread.id.in_(thread_ids))):
        rows = per_thread[thread.id]
        assert thread.reply_count == len(rows) == CLIENTS * REPLIES_EACH // THREADS
        assert thread.last_activity_at == max(row.created_at for row in rows)

    # Taking part follows a thread (the owner follows from the opening post). Replies to one
    # thread take turns, in the order of their ids, so each reply was heard of by the owner and
    # by those who had replied before it; each person has one grouped line per thread.
    lines: dict[tuple[int, int], list[int]] = defaultdict(list)
    for user_id, thread_id, count in db.session.execute(
        sa.select(Notification.user_id, Notification.thread_id, Notification.count).where(
            Notification.kind == NotificationKind.REPLY, Notification.thread_id.in_(thread_ids)
        )
    ):
        lines[(user_id, thread_id)].append(count)
    expected: Counter[tuple[int, int]] = Counter()
    for thread_id, rows in per_thread.items():
        followers = {owner.id}
        for row in rows:  # in order of id
            expected.update((user_id, thread_id) for user_id in followers - {row.author_id})
            followers.add(row.author_id)
    assert {pair: sum(counts) for pair, counts in lines.items()} == dict(expected)
    assert {pair: len(counts) for pair, counts in lines.items()} == dict.fromkeys(expected, 1)
    assert db.session.get(type(community), community.id).member_count == CLIENTS + 1


# -- places: enrolments and RSVPs --------------------------------------------------------------


@dataclass
class Places:
    """What differs between an offering's enrolments and a live session's RSVPs."""

    take_path: str
    take_data: dict[str, str]
    leave_path: str
    leave_data: dict[str, str]
    page: str
    #: (user id, holds a place, waiting, waiting since, row id) for everyone who answered.
    rows: Callable[[], list[tuple[int, bool, bool, Any, int]]]
    #: The counter the app keeps of places taken.
    counted: Callable[[], int]
    #: The subject of the mail that says a place came free.
    title: str


def _offering_places(create_offering) -> Places:
    offering = create_offering(capacity=CAPACITY)
    base = f"/aanbod/{offering.slug}"

    def rows() -> list[tuple[int, bool, bool, Any, int]]:
        return [
            (
                e.user_id,
                e.status == EnrolmentStatus.ENROLLED,
                e.status == EnrolmentStatus.WAITLISTED,
                e.waitlisted_at,
                e.id,
            )
            for e in db.session.scalars(
                sa.select(Enrolment).where(Enrolment.offering_id == offering.id)
            )
        ]

    def counted() -> int:
        return db.session.scalar(
            sa.select(Offering.enrolled_count).where(Offering.id == offering.id)
        )

    return Places(
        f"{base}/inschrijven", {}, f"{base}/uitschrijven", {}, base, rows, counted, offering.title
    )


def _session_places(community: Any) -> Places:
    starts_at = utcnow().replace(microsecond=0) + timedelta(days=3)
    session = LiveSession(
        uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
        community_id=community.id,
        title="Intervisie formatief evalueren",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        mode=SessionMode.ONLINE,
        audience=Audience.MEMBERS,
        capacity=CAPACITY,
    )
    db.session.add(session)
    db.session.commit()
    base = f"/gemeenschappen/{community.slug}/sessies/{session.id}"

    def rows() -> list[tuple[int, bool, bool, Any, int]]:
        return [
            (
                r.user_id,
                r.status == RsvpStatus.GOING,
                r.status == RsvpStatus.WAITLISTED,
                r.waitlisted_at,
                r.id,
            )
            for r in db.session.scalars(sa.select(Rsvp).where(Rsvp.session_id == session.id))
        ]

    def counted() -> int:
        return db.session.scalar(
            sa.select(LiveSession.going_count).where(LiveSession.id == session.id)
        )

    return Places(
        f"{base}/aanmelding",
        {"status": "going"},
        f"{base}/aanmelding",
        {"status": "not_going"},
        base,
        rows,
        counted,
        session.title,
    )


@pytest.fixture(params=["offering", "live session"])
def places(
    request, create_user, create_offering, create_community, add_member
) -> tuple[Places, list[User]]:
    """An offering or a live session with CAPACITY places, and 3 x CAPACITY + 3 people who may
    take one (members of the session's community)."""
    people = [create_user() for _ in range(3 * CAPACITY + 3)]
    if request.param == "offering":
        return _offering_places(create_offering), people
    community = create_community()
    for person in people:
        add_member(community, person)
    return _session_places(community), people


def _expect_redirect(response: Any) -> None:
    assert response.status_code == 302, (response.status_code, response.text[:500])


def _clicks(
    browser: Member, path: str, data: dict[str, str], *, twice: bool
) -> list[Callable[[], Any]]:
    """One click on a button, or a double click: the same form on two connections at once."""
    jobs: list[Callable[[], Any]] = [partial(browser.post, path, data)]
    if twice:
        jobs.append(partial(browser.twin().post, path, data))
    return jobs


def _waiting_order(places: Places) -> list[int]:
    rows = places.rows()
    return [
        user_id
        for user_id, _held, waiting, since, row_id in sorted(
            (row for row in rows if row[2]), key=lambda row: (row[3], row[4])
        )
    ]


def _check_consistent(places: Places, browsers: dict[int, Member]) -> tuple[set[int], list[int]]:
    """Never more than the places, the counter right, no free place while someone waits, and
    each person waiting sees their own number: 1, 2, 3, … in the waiting list's order."""
    _fresh()
    rows = places.rows()
    assert len({row[0] for row in rows}) == len(rows)  # one row per person
    holding = {row[0] for row in rows if row[1]}
    waiting = _waiting_order(places)
    assert places.counted() == len(holding) <= CAPACITY
    if waiting:
        assert len(holding) == CAPACITY
    shown = {}
    for user_id in waiting:
        match = POSITION.search(browsers[user_id].get(places.page).text)
        assert match, f"no waiting-list position shown to user {user_id}"
        shown[user_id] = int(match.group(1))
    assert shown == {user_id: n for n, user_id in enumerate(waiting, start=1)}
    return holding, waiting


def test_places_are_never_overbooked_when_everyone_clicks_at_once(places, members):
    spots, people = places
    first, later = people[: 3 * CAPACITY], people[3 * CAPACITY :]
    logged_in = members(people)
    browsers = {person.id: browser for person, browser in zip(people, logged_in, strict=True)}

    # 3 x capacity people take a place at the same moment; every third clicks twice.
    jobs = [
        job
        for n, person in enumerate(first)
        for job in _clicks(browsers[person.id], spots.take_path, spots.take_data, twice=n % 3 == 0)
    ]
    for response in _all_at_once(jobs):
        _expect_redirect(response)
    holding, waiting = _check_consistent(spots, browsers)
    assert len(holding) == CAPACITY and len(waiting) == 2 * CAPACITY
    assert holding | set(waiting) == {person.id for person in first}

    # At one moment: three with a place leave (each with a double click), three who wait give
    # up, three newcomers ask for a place.
    leaving, giving_up = sorted(holding)[:3], waiting[1:7:2]
    jobs = [
        job
        for user_id in leaving
        for job in _clicks(browsers[user_id], spots.leave_path, spots.leave_data, twice=True)
    ]
    jobs += [
        job
        for user_id in giving_up
        for job in _clicks(browsers[user_id], spots.leave_path, spots.leave_data, twice=False)
    ]
    jobs += [
        job
        for person in later
        for job in _clicks(browsers[person.id], spots.take_path, spots.take_data, twice=False)
    ]
    for response in _all_at_once(jobs):
        _expect_redirect(response)

    # The freed places went to the first three still waiting, in the order of the list; the
    # newcomers wait behind everyone who was waiting already.
    still_waiting = [user_id for user_id in waiting if user_id not in giving_up]
    moved_up = still_waiting[:3]
    holding_after, waiting_after = _check_consistent(spots, browsers)
    assert holding_after == (holding - set(leaving)) | set(moved_up)
    assert waiting_after[: len(still_waiting) - 3] == still_waiting[3:]
    assert set(waiting_after[len(still_waiting) - 3 :]) == {person.id for person in later}
    # Each person who moved up was told once; no one else was, but those who were given a place
    # in the moment before they gave up theirs.
    told = Counter(
        db.session.scalars(
            sa.select(OutboxMessage.recipient).where(
                OutboxMessage.subject == f"Er is een plek voor je: {spots.title}"
            )
        )
    )
    emails = {person.id: person.email for person in people}
    assert all(told[emails[user_id]] == 1 for user_id in moved_up)
    assert set(told) <= {emails[user_id] for user_id in moved_up + giving_up}
    assert max(told.values()) == 1
