"""Notifications: grouped per thread, follow and mute, mentions, answers, reports, digests."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from plc.communities.models import MemberRole
from plc.communities.services import access_for
from plc.core.outbox import OutboxMessage
from plc.discussions import services as discussions
from plc.discussions.models import Post, Thread
from plc.extensions import db
from plc.notifications.models import Notification, NotificationKind


@pytest.fixture
def room(create_user, create_community, add_member):
    owner = create_user(display_name="Olga Eigenaar", email="olga@example.org")
    community = create_community(owner=owner, name="Formatief evalueren")
    facilitator = create_user(display_name="Femke Begeleider", email="femke@example.org")
    add_member(community, facilitator, MemberRole.FACILITATOR)
    people = {"owner": owner, "facilitator": facilitator}
    for key, name in (("anna", "Anna de Vries"), ("bram", "Bram Bakker"), ("cem", "Cem Yıldız")):
        people[key] = create_user(display_name=name, email=f"{key}@example.org")
        add_member(community, people[key])
    return community, people


def _start(community, author, title="Rubrics in de onderbouw", body="Wie heeft er een?"):
    thread = discussions.start_thread(community, access_for(community, author), author, title, body)
    db.session.commit()
    return thread


def _reply(community, thread, author, body="Ik!"):
    post = discussions.reply(thread, community, access_for(community, author), author, body)
    db.session.commit()
    return post


def _lines(user) -> list[Notification]:
    db.session.commit()
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)))


def test_replies_are_grouped_per_thread_for_those_who_take_part(room, login_client):
    community, people = room
    thread = _start(community, people["anna"])
    _reply(community, thread, people["bram"])
    _reply(community, thread, people["cem"])
    _reply(community, thread, people["bram"], "Nog iets")
    lines = _lines(people["anna"])
    assert len(lines) == 1 and lines[0].kind == NotificationKind.REPLY and lines[0].count == 3
    # Bram follows since his first reply: Cem's and his own later reply → only Cem's counts.
    assert [(n.kind, n.count) for n in _lines(people["bram"])] == [(NotificationKind.REPLY, 1)]
    assert _lines(people["owner"]) == []  # takes no part, follows nothing
    page = login_client(people["anna"]).get("/meldingen").get_data(as_text=True)
    assert "3 nieuwe reacties in “Rubrics in de onderbouw”" in page
    header = login_client(people["anna"]).get("/").get_data(as_text=True)
    assert re.search(r'notifications-link[^>]*>[^<]*<span class="badge[^"]*">1<', header)


def test_opening_a_notification_marks_it_read_and_jumps_to_the_post(room, login_client):
    community, people = room
    thread = _start(community, people["anna"])
    post = _reply(community, thread, people["bram"])
    line = _lines(people["anna"])[0]
    client = login_client(people["anna"])
    response = client.get(f"/meldingen/{line.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/gesprekken/{thread.id}#bericht-{post.id}")
    assert _lines(people["anna"])[0].read_at is not None
    # Someone else's notification is a 404.
    assert login_client(people["bram"]).get(f"/meldingen/{line.id}").status_code == 404
    # A new reply after reading starts a new line.
    _reply(community, thread, people["cem"])
    assert sorted(n.count for n in _lines(people["anna"])) == [1, 1]
    client.submit("/meldingen/alles-gelezen")
    assert all(n.read_at for n in _lines(people["anna"]))


def test_mentions_reach_people_who_do_not_follow(room):
    community, people = room
    thread = _start(community, people["anna"])
    _reply(community, thread, people["bram"], "Vraag het @Olga Eigenaar eens.")
    assert [n.kind for n in _lines(people["owner"])] == [NotificationKind.MENTION]


def test_muting_a_thread_and_following_a_community(room, login_client):
    community, people = room
    thread = _start(community, people["anna"])
    anna = login_client(people["anna"])
    anna.submit("/meldingen/volgen", {"thread_id": thread.id, "mode": "mute"})
    _reply(community, thread, people["bram"])
    assert _lines(people["anna"]) == []
    owner = login_client(people["owner"])
    owner.submit("/meldingen/volgen", {"community_id": community.id, "mode": "follow"})
    second = _start(community, people["cem"], title="Exit tickets")
    assert [n.thread_id for n in _lines(people["owner"])] == [
        second.id
    ]  # a new thread reaches followers
    _reply(community, thread, people["cem"])
    assert {n.thread_id for n in _lines(people["owner"])} == {second.id, thread.id}


def test_follow_needs_read_access(create_user, create_community, login_client):
    from plc.communities.models import Visibility

    community = create_community(visibility=Visibility.INVITE)
    outsider = login_client(create_user())
    assert (
        outsider.submit(
            "/meldingen/volgen", {"community_id": community.id, "mode": "follow"}
        ).status_code
        == 404
    )


def test_answer_and_report_outcomes_are_told(room):
    community, people = room
    thread = _start(community, people["anna"])
    answer = _reply(community, thread, people["bram"])
    discussions.mark_answer(thread, answer, access_for(community, people["anna"]), people["anna"])
    db.session.commit()
    assert NotificationKind.ANSWER in [n.kind for n in _lines(people["bram"])]
    rude = _reply(community, thread, people["cem"], "Onzin")
    report = discussions.report_post(
        rude, access_for(community, people["anna"]), people["anna"], "Onaardig"
    )
    db.session.commit()
    assert NotificationKind.REPORT in [n.kind for n in _lines(people["facilitator"])]
    discussions.decide_report(report, hide=True, acting=people["facilitator"])
    db.session.commit()
    outcome = [n for n in _lines(people["anna"]) if n.kind == NotificationKind.REPORT_OUTCOME]
    assert len(outcome) == 1 and outcome[0].detail == "hidden"


def _digests() -> list[OutboxMessage]:
    db.session.commit()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.subject.contains("communities"))
            .order_by(OutboxMessage.id)
        )
    )


def test_digest_is_sent_once_and_carries_an_unsubscribe_link(app, room, client):
    community, people = room
    thread = _start(community, people["anna"])
    _reply(community, thread, people["bram"])
    runner = app.test_cli_runner()
    first = runner.invoke(args=["plc", "send-digests"])
    assert first.exit_code == 0 and "Digests written: 1" in first.output
    second = runner.invoke(args=["plc", "send-digests"])
    assert "Digests written: 0" in second.output
    mails = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == "anna@example.org")
    ).all()
    assert len(mails) == 1
    body = mails[0].body_text
    assert "Rubrics in de onderbouw" in body
    # Weekly by default: a new reply two minutes later waits for next week (Bram, who now
    # follows the thread, gets his first summary).
    _reply(community, thread, people["cem"])
    assert "Digests written: 1" in runner.invoke(args=["plc", "send-digests"]).output
    db.session.commit()
    assert (
        len(
            db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.recipient == "anna@example.org")
            ).all()
        )
        == 1
    )
    assert (
        len(
            db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.recipient == "bram@example.org")
            ).all()
        )
        == 1
    )
    # One click (and a confirming press) stops the e-mails; the link alone changes nothing.
    path = re.search(r"https://leernetwerk\.example\.org(/meldingen/afmelden/\S+)", body).group(1)
    assert client.get(path).status_code == 200
    from plc.notifications.models import DigestFrequency, NotificationSettings

    assert db.session.get(NotificationSettings, people["anna"].id).digest == DigestFrequency.WEEKLY
    assert client.post(path).status_code == 200
    db.session.commit()
    assert db.session.get(NotificationSettings, people["anna"].id).digest == DigestFrequency.OFF
    assert client.post(path[:-3] + "abc").status_code == 404


def test_no_digest_when_switched_off_or_already_read(app, room, login_client):
    community, people = room
    thread = _start(community, people["anna"])
    login_client(people["anna"]).submit("/meldingen/instellingen", {"digest": "off"})
    _reply(community, thread, people["bram"])
    _reply(community, thread, people["cem"])
    bram = login_client(people["bram"])
    bram.submit("/meldingen/alles-gelezen")
    output = app.test_cli_runner().invoke(args=["plc", "send-digests"]).output
    assert "Digests written: 0" in output
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_thread_and_post_models_unchanged_by_notifications(room):
    community, people = room
    thread = _start(community, people["anna"])
    _reply(community, thread, people["bram"])
    assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 2
    assert db.session.get(Thread, thread.id).reply_count == 1


BADGE = re.compile(r'notifications-link[^>]*>[^<]*<span class="badge[^"]*">(\d+)<')


def test_the_header_count_comes_with_the_login(room, login_client, count_queries):
    """Every logged-in page shows the unread count: it is read in the login's statement, not
    in one of its own."""
    community, people = room
    thread = _start(community, people["anna"])
    _reply(community, thread, people["bram"])
    client = login_client(people["anna"])
    client.get("/gemeenschappen").close()
    with count_queries() as counted:
        page = client.get("/gemeenschappen").get_data(as_text=True)
    assert BADGE.search(page).group(1) == "1"  # type: ignore[union-attr]
    reading = [s for s in counted.statements if "notification" in s]
    assert len(reading) == 1 and "login_session" in reading[0], reading
    _reply(community, _start(community, people["anna"], "Tweede"), people["cem"])
    page = client.get("/gemeenschappen").get_data(as_text=True)
    assert BADGE.search(page).group(1) == "2"  # type: ignore[union-attr]


def test_a_request_that_reads_its_lines_counts_them_anew(app, room, login_client):
    """The count read with the login is from before the request: one that marks lines read (or
    adds some) before the header is drawn counts again."""
    from flask_login import login_user

    from plc.auth import services as auth
    from plc.notifications import services

    community, people = room
    thread = _start(community, people["anna"])
    _reply(community, thread, people["bram"])
    key = auth.start_session(people["anna"], remember=False)
    db.session.commit()
    with app.test_request_context("/"):
        anna = auth.load_session_user(key)
        assert anna is not None
        login_user(anna)
        assert services.header_count(anna) == 1
        services.mark_all_read(anna)
        assert services.header_count(anna) == 0
