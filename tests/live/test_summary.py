"""After the session: the summary page, the facilitators' notes, and attended time credited to
each participant's development record."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from plc.development.models import RecordEntry, RecordSource
from plc.extensions import db
from plc.live.models import (
    Attendance,
    ChatMessage,
    Poll,
    PollBallot,
    PollChoice,
    PollOption,
    PollStatus,
    Question,
    QuestionStatus,
)


@pytest.fixture
def finished(create_user, create_community, add_member, create_session):
    """A session that ended yesterday: two participants, chat, questions and a closed poll."""
    facilitator = create_user(display_name="Daan Begeleider")
    community = create_community(owner=facilitator)
    teacher = create_user(display_name="Sanne Leraar", email="sanne@example.org")
    other = create_user(display_name="Omar Collega")
    add_member(community, teacher)
    add_member(community, other)
    session = create_session(community, starts_in=timedelta(days=-1), title="Leesgesprekken")
    start = session.starts_at
    stays = [
        (teacher, start - timedelta(minutes=10), start + timedelta(minutes=30)),  # 30 min counted
        (teacher, start + timedelta(minutes=20), start + timedelta(minutes=50)),  # overlaps: +20
        (other, start + timedelta(minutes=15), start + timedelta(minutes=90)),  # clipped at the end
    ]
    for n, (person, joined, left) in enumerate(stays):
        db.session.add(
            Attendance(
                session_id=session.id,
                user_id=person.id,
                connection_id=f"c{n}",
                joined_at=joined,
                seen_at=left,
                left_at=left,
            )
        )
    db.session.add_all(
        [
            ChatMessage(
                session_id=session.id, user_id=teacher.id, client_id="a", body="Goedemiddag!"
            ),
            ChatMessage(
                session_id=session.id,
                user_id=other.id,
                client_id="b",
                body="Weggehaald bericht",
                removed_at=start,
            ),
            Question(
                session_id=session.id,
                user_id=teacher.id,
                client_id="q1",
                body="Hoe kies je een tekst?",
                status=QuestionStatus.ANSWERED,
                vote_count=2,
            ),
            Question(
                session_id=session.id,
                user_id=other.id,
                client_id="q2",
                body="Verborgen vraag",
                status=QuestionStatus.HIDDEN,
            ),
        ]
    )
    poll = Poll(
        session_id=session.id,
        question="Wat probeer je eerst?",
        status=PollStatus.CLOSED,
        opened_at=start,
        closed_at=start + timedelta(minutes=5),
        options=[
            PollOption(label="Reeks teksten", position=0),
            PollOption(label="Tekstgesprek", position=1),
        ],
    )
    db.session.add(poll)
    db.session.flush()
    for person in (teacher, other):
        db.session.add(PollBallot(poll_id=poll.id, user_id=person.id))
        db.session.flush()
        db.session.add(PollChoice(poll_id=poll.id, user_id=person.id, option_id=poll.options[0].id))
    db.session.commit()
    return {
        "session": session,
        "community": community,
        "facilitator": facilitator,
        "teacher": teacher,
        "other": other,
    }


def _summary_path(data) -> str:
    return f"/gemeenschappen/{data['community'].slug}/sessies/{data['session'].id}/verslag"


def test_send_digests_credits_attended_minutes_once_and_the_teacher_sees_the_hours(
    app, finished, login_client
):
    runner = app.test_cli_runner()
    assert "sessions credited: 1" in runner.invoke(args=["plc", "send-digests"]).output
    assert "sessions credited: 0" in runner.invoke(args=["plc", "send-digests"]).output
    db.session.commit()
    entries = db.session.scalars(sa.select(RecordEntry).order_by(RecordEntry.contact_minutes)).all()
    by_user = {entry.user_id: entry for entry in entries}
    assert by_user[finished["teacher"].id].contact_minutes == 50
    assert by_user[finished["other"].id].contact_minutes == 45
    assert all(entry.source == RecordSource.LIVE_SESSION for entry in entries)
    assert len(entries) == 2

    page = login_client(finished["teacher"]).get("/mijn-professionalisering").get_data(as_text=True)
    assert "Leesgesprekken" in page
    assert "0:50" in page
    assert "Schooljaar" in page


def test_crediting_again_updates_rather_than_doubles(finished, login_client):
    client = login_client(finished["facilitator"])
    path = _summary_path(finished).replace("/verslag", "/uren")
    assert client.submit(path, {}).status_code == 302
    assert client.submit(path, {}).status_code == 302
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(RecordEntry.id))) == 2


def test_participants_cannot_credit_or_write_notes(finished, login_client):
    client = login_client(finished["teacher"])
    base = _summary_path(finished).replace("/verslag", "")
    assert client.submit(f"{base}/uren", {}).status_code == 404
    assert client.submit(f"{base}/notities", {"notes": "Mijn eigen verslag"}).status_code == 404
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(RecordEntry.id))) == 0


def test_the_summary_shows_chat_questions_poll_and_attendance(finished, login_client):
    facilitator = login_client(finished["facilitator"])
    saved = facilitator.submit(
        _summary_path(finished).replace("/verslag", "/notities"),
        {"notes": "**Afspraak:** volgende keer een leerlingreactie meenemen."},
    )
    assert saved.status_code == 302
    page = facilitator.get(_summary_path(finished)).get_data(as_text=True)
    assert "<strong>Afspraak:</strong>" in page
    assert "Goedemiddag!" in page and "Weggehaald bericht" not in page
    assert "Hoe kies je een tekst?" in page and "Beantwoord" in page
    assert "Verborgen vraag" in page  # facilitators see what they hid
    assert "Wat probeer je eerst?" in page and "2 mensen stemden" in page
    assert "Omar Collega" in page and "0:45" in page  # the attendance table

    teacher_page = (
        login_client(finished["teacher"]).get(_summary_path(finished)).get_data(as_text=True)
    )
    assert "Verborgen vraag" not in teacher_page
    assert "Omar Collega" not in teacher_page  # others' attendance is for facilitators
    assert "Je was er 0:50 bij" in teacher_page


def test_outsiders_do_not_see_the_summary_of_a_members_only_session(
    finished, create_user, login_client, create_community, create_session
):
    from plc.communities.models import Visibility

    hidden = create_community(visibility=Visibility.REQUEST)
    session = create_session(hidden, starts_in=timedelta(days=-1))
    outsider = login_client(create_user())
    assert (
        outsider.get(f"/gemeenschappen/{hidden.slug}/sessies/{session.id}/verslag").status_code
        == 404
    )


def test_a_facilitator_turns_the_summary_into_one_draft_knowledge_output(finished, login_client):
    from plc.knowledge.models import KnowledgeOutput, OutputStatus

    facilitator = login_client(finished["facilitator"])
    slug = finished["community"].slug
    facilitator.submit(
        _summary_path(finished).replace("/verslag", "/notities"),
        {"notes": "We kiezen een reeks teksten over één onderwerp."},
    )
    path = f"/gemeenschappen/{slug}/kennis/uit-sessie/{finished['session'].id}"
    first = facilitator.submit(path, {})
    second = facilitator.submit(path, {})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    db.session.commit()
    draft = db.session.scalar(sa.select(KnowledgeOutput))
    assert draft.status == OutputStatus.DRAFT and draft.title == "Leesgesprekken"
    assert "We kiezen een reeks teksten over één onderwerp." in draft.body
    assert "Hoe kies je een tekst? (beantwoord)" in draft.body
    assert "Verborgen vraag" not in draft.body
    assert "Reeks teksten: 2" in draft.body
    assert "Sanne Leraar" not in draft.body  # no names in what is meant for all schools
    assert db.session.scalar(sa.select(sa.func.count(KnowledgeOutput.id))) == 1

    page = facilitator.get(first.headers["Location"]).get_data(as_text=True)
    assert "Concept: Leesgesprekken" in page
    overview = facilitator.get(first.headers["Location"].replace("/bewerken", "")).get_data(
        as_text=True
    )
    assert "Uit de live-sessie “Leesgesprekken”" in overview
    assert _summary_path(finished) in overview
    saved = facilitator.submit(
        first.headers["Location"],
        {
            "output_type": "practice_example",
            "title": "Leesgesprekken in groep 6",
            "summary": "Zo voeren we tekstgesprekken.",
            "body": "## Aanpak\n\nEen reeks teksten.",
            "licence": "cc-by-4.0",
        },
    )
    assert saved.status_code == 302
    db.session.commit()
    assert db.session.get(KnowledgeOutput, draft.id, populate_existing=True).title == (
        "Leesgesprekken in groep 6"
    )
    summary_page = facilitator.get(_summary_path(finished)).get_data(as_text=True)
    assert "Open het concept" in summary_page


def test_participants_cannot_make_or_read_drafts(finished, login_client):
    teacher = login_client(finished["teacher"])
    slug = finished["community"].slug
    response = teacher.submit(
        f"/gemeenschappen/{slug}/kennis/uit-sessie/{finished['session'].id}", {}
    )
    assert response.status_code == 404
    facilitator = login_client(finished["facilitator"])
    made = facilitator.submit(
        f"/gemeenschappen/{slug}/kennis/uit-sessie/{finished['session'].id}", {}
    )
    draft_path = made.headers["Location"]
    assert teacher.get(draft_path).status_code == 404
    assert teacher.get(draft_path.replace("/bewerken", "")).status_code == 404
    assert "Leesgesprekken" not in teacher.get(f"/gemeenschappen/{slug}/kennis").get_data(
        as_text=True
    )
    assert "concept-kennisopbrengst" not in teacher.get(_summary_path(finished)).get_data(
        as_text=True
    )
