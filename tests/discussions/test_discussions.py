"""Discussions: threads, replies, quotes, mentions, edits, answers, reactions, moderation."""

from __future__ import annotations

import re
import threading

import pytest
import sqlalchemy as sa

from plc.communities.models import MemberRole, Visibility
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
from tests.conftest import PASSWORD, PlcClient


@pytest.fixture
def room(create_user, create_community, add_member):
    """A community with an owner, a facilitator and two members."""
    owner = create_user(display_name="Olga Eigenaar")
    community = create_community(owner=owner)
    facilitator = create_user(display_name="Femke Begeleider")
    add_member(community, facilitator, MemberRole.FACILITATOR)
    anna = create_user(display_name="Anna de Vries", email="anna@example.org")
    add_member(community, anna)
    bram = create_user(display_name="Bram Bakker", email="bram@example.org")
    add_member(community, bram)
    return {
        "community": community,
        "owner": owner,
        "facilitator": facilitator,
        "anna": anna,
        "bram": bram,
    }


def _start(client, community, title="Hoe geef je feedback?", body="Ik zoek **tips**.", key="k1"):
    return client.submit(
        f"/gemeenschappen/{community.slug}/gesprekken/nieuw",
        {"title": title, "body": body, "idempotency_key": key},
    )


def _thread() -> Thread:
    db.session.commit()
    return db.session.scalars(sa.select(Thread)).one()


def _reply(client, community, thread, body, key, **extra):
    return client.submit(
        f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}/reacties",
        {"body": body, "idempotency_key": key, **extra},
    )


def test_member_starts_a_thread_and_others_reply(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    response = _start(anna, community)
    assert response.status_code == 302
    thread = _thread()
    assert thread.title == "Hoe geef je feedback?" and thread.reply_count == 0
    bram = login_client(room["bram"])
    _reply(bram, community, thread, "Probeer *exit tickets*.", "r1")
    page = anna.get(f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}").get_data(
        as_text=True
    )
    assert "<strong>tips</strong>" in page and "<em>exit tickets</em>" in page
    assert _thread().reply_count == 1
    listing = anna.get(f"/gemeenschappen/{community.slug}/gesprekken").get_data(as_text=True)
    assert "Hoe geef je feedback?" in listing
    assert "Hoe geef je feedback?" in anna.get(f"/gemeenschappen/{community.slug}").get_data(
        as_text=True
    )


def test_the_same_submission_twice_creates_one_post(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    _start(anna, community, key="same")
    _start(anna, community, key="same")
    assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 1
    thread = _thread()
    _reply(anna, community, thread, "Nog een vraag.", "reply-key")
    _reply(anna, community, thread, "Nog een vraag.", "reply-key")
    assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 2
    assert _thread().reply_count == 1


def test_concurrent_resubmissions_create_one_reply(app, room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    _start(anna, community)
    thread = _thread()
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = app.config["LOGIN_RATE_LIMIT"] = "1000/minute"
    clients = []
    for _ in range(6):
        app.test_client_class = PlcClient
        client = app.test_client()
        client.login("anna@example.org", PASSWORD)
        clients.append((client, client.csrf_token()))
    path = f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}/reacties"
    barrier = threading.Barrier(len(clients))

    def submit(client, token) -> None:
        barrier.wait()
        client.post(
            path,
            data={"csrf_token": token, "body": "Dubbelklik", "idempotency_key": "dubbel"},
            headers={"Referer": "https://localhost/"},
            base_url="https://localhost",
        )

    threads = [threading.Thread(target=submit, args=pair) for pair in clients]
    for each in threads:
        each.start()
    for each in threads:
        each.join()
    db.session.commit()
    assert (
        db.session.scalar(sa.select(sa.func.count(Post.id)).where(Post.body == "Dubbelklik")) == 1
    )
    assert _thread().reply_count == 1


def test_outsiders_cannot_read_or_post_in_a_closed_circle(
    create_user, create_community, login_client, client
):
    community = create_community(visibility=Visibility.INVITE)
    outsider = login_client(create_user())
    assert outsider.get(f"/gemeenschappen/{community.slug}/gesprekken").status_code == 404
    assert _start(outsider, community).status_code == 404
    assert client.get(f"/gemeenschappen/{community.slug}/gesprekken").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 0


def test_public_community_discussions_are_readable_but_only_members_post(
    room, create_user, login_client, client
):
    community = room["community"]
    _start(login_client(room["anna"]), community)
    thread = _thread()
    assert client.get(f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}").status_code == 200
    outsider = login_client(create_user())
    response = _reply(outsider, community, thread, "Ik doe ook mee", "o1")
    assert response.status_code == 400
    assert _thread().reply_count == 0


def test_quote_and_mentions(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    _start(anna, community, body="Wie heeft een rubric?")
    thread = _thread()
    opening = db.session.scalars(sa.select(Post)).one()
    bram = login_client(room["bram"])
    form = bram.get(
        f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}?citeer={opening.id}"
    ).get_data(as_text=True)
    assert (
        f'name="quote_of" type="hidden" value="{opening.id}"' in form
        and "Wie heeft een rubric?" in form
    )
    _reply(
        bram,
        community,
        thread,
        "@anna de vries kijk eens bij @Femke Begeleider.",
        "m1",
        quote_of=opening.id,
    )
    reply = db.session.scalars(sa.select(Post).where(Post.is_opening.is_(False))).one()
    assert reply.quote_of_id == opening.id
    mentioned = set(
        db.session.scalars(sa.select(Mention.user_id).where(Mention.post_id == reply.id))
    )
    assert mentioned == {room["anna"].id, room["facilitator"].id}


def test_edit_is_marked_and_history_is_for_facilitators(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    _start(anna, community, body="Eerste versie")
    thread = _thread()
    post = db.session.scalars(sa.select(Post)).one()
    edit_path = (
        f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}/berichten/{post.id}/bewerken"
    )
    assert login_client(room["bram"]).get(edit_path).status_code == 404  # not the author
    anna.submit(edit_path, {"body": "Tweede versie"})
    db.session.refresh(post)
    assert post.body == "Tweede versie" and post.edited_at is not None
    assert db.session.scalars(sa.select(PostRevision.body)).all() == ["Eerste versie"]
    history = (
        f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}/berichten/{post.id}/geschiedenis"
    )
    assert anna.get(history).status_code == 404
    assert "Eerste versie" in login_client(room["facilitator"]).get(history).get_data(as_text=True)


def test_author_or_facilitator_marks_the_answer(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    _start(anna, community)
    thread = _thread()
    bram = login_client(room["bram"])
    _reply(bram, community, thread, "Dit is het antwoord.", "a1")
    answer = db.session.scalars(sa.select(Post).where(Post.is_opening.is_(False))).one()
    path = f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}/berichten/{answer.id}/antwoord"
    bram.submit(path)  # the one who answered may not mark it
    assert _thread().answer_post_id is None
    anna.submit(path)
    assert _thread().answer_post_id == answer.id
    assert "Beantwoord" in anna.get(f"/gemeenschappen/{community.slug}/gesprekken").get_data(
        as_text=True
    )


def test_useful_reaction_once_per_person(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    _start(anna, community)
    thread = _thread()
    post = db.session.scalars(sa.select(Post)).one()
    path = f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}/berichten/{post.id}/nuttig"
    bram = login_client(room["bram"])
    bram.submit(path)
    db.session.refresh(post)
    assert post.useful_count == 1
    bram.submit(path)  # a second click takes it back
    db.session.refresh(post)
    assert (
        post.useful_count == 0
        and db.session.scalar(sa.select(sa.func.count()).select_from(Reaction)) == 0
    )


def test_pin_and_lock_are_for_facilitators(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    _start(anna, community)
    thread = _thread()
    base = f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}"
    assert anna.submit(f"{base}/sluiten").status_code == 404
    facilitator = login_client(room["facilitator"])
    facilitator.submit(f"{base}/vastzetten")
    facilitator.submit(f"{base}/sluiten")
    thread = _thread()
    assert thread.pinned and thread.locked
    assert _reply(anna, community, thread, "Mag dit nog?", "late").status_code == 400
    assert _thread().reply_count == 0


def test_soft_delete_by_author_or_facilitator(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    _start(anna, community)
    thread = _thread()
    bram = login_client(room["bram"])
    _reply(bram, community, thread, "Foutje", "d1")
    reply = db.session.scalars(sa.select(Post).where(Post.is_opening.is_(False))).one()
    path = (
        f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}/berichten/{reply.id}/verwijderen"
    )
    anna.submit(path)  # not hers
    db.session.refresh(reply)
    assert reply.deleted_at is None
    bram.submit(path)
    db.session.refresh(reply)
    assert reply.deleted_at is not None and _thread().reply_count == 0
    assert "Foutje" not in anna.get(
        f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}"
    ).get_data(as_text=True)


def test_report_hide_and_the_reporter_learns_the_outcome(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    _start(anna, community)
    thread = _thread()
    bram = login_client(room["bram"])
    _reply(bram, community, thread, "Iets onaardigs", "bad")
    bad = db.session.scalars(sa.select(Post).where(Post.is_opening.is_(False))).one()
    base = f"/gemeenschappen/{community.slug}/gesprekken"
    assert (
        anna.submit(f"{base}/{thread.id}/berichten/{bad.id}/melden", {"reason": ""}).status_code
        == 200
    )
    anna.submit(f"{base}/{thread.id}/berichten/{bad.id}/melden", {"reason": "Niet respectvol."})
    report = db.session.scalars(sa.select(Report)).one()
    assert anna.get(f"{base}/moderatie").status_code == 404
    facilitator = login_client(room["facilitator"])
    assert "Niet respectvol." in facilitator.get(f"{base}/moderatie").get_data(as_text=True)
    facilitator.submit(f"{base}/moderatie/{report.id}", {"decision": "hide"})
    db.session.refresh(report)
    assert report.outcome == ReportOutcome.HIDDEN
    assert "Iets onaardigs" not in anna.get(f"{base}/{thread.id}").get_data(as_text=True)
    assert "Iets onaardigs" in facilitator.get(f"{base}/{thread.id}").get_data(as_text=True)
    assert _thread().reply_count == 0
    facilitator.submit(f"{base}/{thread.id}/berichten/{bad.id}/herstellen")
    assert "Iets onaardigs" in anna.get(f"{base}/{thread.id}").get_data(as_text=True)


def test_preview_shows_markdown_without_saving_and_keeps_the_text(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    response = anna.submit(
        f"/gemeenschappen/{community.slug}/gesprekken/nieuw",
        {
            "title": "Concept",
            "body": "**vet** <script>x</script>",
            "preview": "1",
            "idempotency_key": "p",
        },
    )
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 200 and "<strong>vet</strong>" in page and "<script>x" not in page
    )
    assert 'value="Concept"' in page and "**vet**" in page
    assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 0


def test_search_finds_threads_by_title_and_posts(room, login_client):
    community = room["community"]
    anna = login_client(room["anna"])
    _start(anna, community, title="Lesson study in de praktijk", body="Hoe begin je?", key="s1")
    _start(
        anna, community, title="Rekenles", body="Wie gebruikt differentiatie bij breuken?", key="s2"
    )
    page = anna.get(f"/gemeenschappen/{community.slug}/gesprekken?q=breuken").get_data(as_text=True)
    assert "Rekenles" in page and "Lesson study" not in page
    page = anna.get(f"/gemeenschappen/{community.slug}/gesprekken?q=lesson").get_data(as_text=True)
    assert "Lesson study" in page and "Rekenles" not in page


def test_thread_page_statement_count_is_the_same_for_5_and_200_replies(
    room, login_client, count_queries
):
    from plc.communities.services import access_for
    from plc.discussions import services

    community = room["community"]
    anna_user = room["anna"]
    anna = login_client(anna_user)
    _start(anna, community)
    thread = _thread()
    access = access_for(community, anna_user)

    def add(n: int) -> None:
        for i in range(n):
            services.reply(
                thread,
                community,
                access,
                anna_user,
                f"Reactie {i} @Bram Bakker",
                idempotency_key=None,
            )
        db.session.commit()

    add(5)
    path = f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}"
    with count_queries() as small:
        assert anna.get(path).status_code == 200
    add(195)
    with count_queries() as large:
        page = anna.get(path).get_data(as_text=True)
    assert len(re.findall(r'id="bericht-\d+"', page)) == 50
    assert small.count == large.count <= 10


def test_mention_suggestions_are_for_members_only(room, create_user, login_client, client):
    community = room["community"]
    path = f"/gemeenschappen/{community.slug}/leden.json?q=an"
    assert login_client(room["bram"]).get(path).get_json() == {"names": ["Anna de Vries"]}
    # Any word of the name counts: "be" finds "Femke Begeleider" and "Bram Bakker"? No: "ba" does.
    assert sorted(
        login_client(room["anna"]).get(path.replace("q=an", "q=ba")).get_json()["names"]
    ) == ["Bram Bakker"]
    assert login_client(create_user()).get(path).status_code == 404
    assert client.get(path).status_code == 302  # to the login page
