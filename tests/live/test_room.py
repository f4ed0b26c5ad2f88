"""The live room's services (plc.live.room): attendance, the summary, and the rules the socket
handlers rely on, called directly."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from plc.core.models import utcnow
from plc.extensions import db
from plc.live import room
from plc.live.models import (
    Attendance,
    PollStatus,
    QuestionStatus,
    RaisedHand,
    RoomRemoval,
    RoomState,
)
from plc.live.room import RoomError


@pytest.fixture
def setting(create_user, create_community, add_member, create_session) -> Any:
    """A session from 10:00 to 11:00 (in UTC, two hours ago), its facilitator and two members."""

    class Setting:
        facilitator = create_user(display_name="Daan")
        community = create_community(owner=facilitator)
        teacher = create_user(display_name="Fatima")
        colleague = create_user(display_name="Sanne")
        add_member(community, teacher)
        add_member(community, colleague)
        session = create_session(community, starts_in=timedelta(hours=-2))

    return Setting


def stay(setting: Any, user: Any, start: int, end: int | None, seen: int | None = None) -> None:
    """A stay from `start` to `end` minutes after the session's start (None: still open)."""
    at = setting.session.starts_at
    db.session.add(
        Attendance(
            session_id=setting.session.id,
            user_id=user.id,
            connection_id=f"sid-{user.id}-{start}",
            joined_at=at + timedelta(minutes=start),
            left_at=None if end is None else at + timedelta(minutes=end),
            seen_at=at + timedelta(minutes=seen if seen is not None else (end or start)),
        )
    )
    db.session.commit()


# -- attendance --------------------------------------------------------------------------------


def test_attended_minutes_merge_overlapping_stays_and_clip_to_the_schedule(setting):
    # Two tabs overlapping (-10…20 and 15…30) and a reconnect (40…75): the time before the
    # start and after the end does not count, the overlap counts once.
    stay(setting, setting.teacher, -10, 20)
    stay(setting, setting.teacher, 15, 30)
    stay(setting, setting.teacher, 40, 75)
    stay(setting, setting.colleague, -14, -1)  # only before the start
    minutes = room.attended_minutes(setting.session)
    assert minutes == {setting.teacher.id: 30 + 20, setting.colleague.id: 0}


def test_a_stay_left_open_by_a_crash_counts_until_its_last_sign_of_life(setting):
    # The server died at minute 25 without closing the stay; its last heartbeat was at 24.
    stay(setting, setting.teacher, 5, None, seen=24)
    assert room.attended_minutes(setting.session) == {setting.teacher.id: 19}

    assert room.close_stale_attendance(setting.session) == 1
    closed = db.session.scalar(sa.select(Attendance))
    assert closed.left_at == setting.session.starts_at + timedelta(minutes=24)
    assert room.attended_minutes(setting.session) == {setting.teacher.id: 19}


def test_an_open_stay_of_a_live_connection_counts_until_now(create_user, create_session):
    session = create_session(starts_in=timedelta(minutes=-20))
    user = create_user()
    now = utcnow()
    room.record_join(session, user, "sid-1", now=now - timedelta(minutes=10))
    room.touch_attendance(session, "sid-1", now=now)
    db.session.commit()
    assert room.attended_minutes(session, now=now) == {user.id: 10}
    assert room.close_stale_attendance(session, now=now) == 0
    assert [p.user_id for p in room.presence(session).people] == [user.id]
    # Without a heartbeat for longer than STALE_AFTER the stay is closed (by the next join or
    # heartbeat in the room), and the person is gone, with a step of the presence version.
    version = room.presence(session).version
    later = now + room.STALE_AFTER + timedelta(seconds=1)
    closed, change = room.change_presence(
        session, lambda: room.close_stale_attendance(session, now=later)
    )
    assert closed == 1
    assert change is not None and change.previous == version and change.left == [user.id]
    assert room.presence(session).people == []
    assert room.presence(session).version == change.version


def test_the_presence_list_and_its_version_are_read_from_one_snapshot(setting):
    """A join that commits while the list is being read must be in both the people and the
    version, or in neither: a list without the person but with the version after their join
    would make a client ignore the join's step (docs/REALTIME.md, rule 2) and miss them."""
    stay(setting, setting.teacher, 0, None)
    before = room.presence_version(setting.session)
    session_id, teacher_id, colleague_id = (
        setting.session.id,
        setting.teacher.id,
        setting.colleague.id,
    )
    db.session.rollback()
    engine = db.engine
    fired: list[bool] = []

    def join_from_elsewhere(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if fired or not statement.lstrip().upper().startswith("SELECT"):
            return
        if Attendance.__tablename__ not in statement:
            return  # (a reload of the expired session row)
        fired.append(True)  # after the first query of the stays, another process joins
        with engine.connect() as other:
            other.execute(
                sa.insert(Attendance).values(
                    session_id=session_id,
                    user_id=colleague_id,
                    connection_id="sid-elsewhere",
                    joined_at=utcnow(),
                    seen_at=utcnow(),
                )
            )
            other.commit()

    sa.event.listen(engine, "after_cursor_execute", join_from_elsewhere)
    try:
        listed = room.presence(setting.session)
    finally:
        sa.event.remove(engine, "after_cursor_execute", join_from_elsewhere)
    db.session.rollback()
    after = room.presence_version(setting.session)
    assert fired and after > before
    people = {person.user_id for person in listed.people}
    if colleague_id in people:
        assert listed.version == after
    else:
        assert (people, listed.version) == ({teacher_id}, before)


def test_leaving_ends_the_stay_and_lowers_the_hand_of_someone_who_is_gone(setting):
    session, teacher = setting.session, setting.teacher
    room.record_join(session, teacher, "tab-1")
    room.record_join(session, teacher, "tab-2")
    room.raise_hand(session, teacher)
    db.session.commit()

    assert room.end_connection("tab-1") == [session.id]
    assert db.session.get(RaisedHand, (session.id, teacher.id)) is not None  # still in tab 2
    assert room.record_leave(session, "tab-2") is True
    assert db.session.get(RaisedHand, (session.id, teacher.id)) is None
    assert room.record_leave(session, "tab-2") is False


# -- chat, questions, polls --------------------------------------------------------------------


def test_a_message_is_stored_once_per_client_id(setting):
    first, new = room.send_message(setting.session, setting.teacher, "c-1", " Hallo ")
    again, new_again = room.send_message(setting.session, setting.teacher, "c-1", "Hallo")
    other, _ = room.send_message(setting.session, setting.colleague, "c-1", "Ook hallo")
    assert (new, new_again) == (True, False)
    assert again.id == first.id and first.body == "Hallo"
    assert other.id != first.id  # client ids are per person
    with pytest.raises(RoomError) as error:
        room.send_message(setting.session, setting.teacher, "not valid!", "x")
    assert error.value.code == "invalid"


def test_a_question_vote_counts_once_and_only_while_open(setting):
    question, _ = room.ask_question(setting.session, setting.teacher, "q", "Waarom?")
    assert room.vote_question(setting.session, setting.colleague, question.id)[1] is True
    assert room.vote_question(setting.session, setting.colleague, question.id)[1] is False
    assert room.vote_question(setting.session, setting.teacher, question.id)[0].vote_count == 2
    room.set_question_status(setting.session, question.id, "answered")
    with pytest.raises(RoomError) as error:
        room.vote_question(setting.session, setting.facilitator, question.id)
    assert error.value.code == "question_not_open"


def test_poll_ballots_follow_the_kind_of_poll_and_are_final(setting):
    session = setting.session
    single = room.create_poll(session, setting.facilitator, "Eén?", ["A", "B", "A", " "])
    assert [o.label for o in single.options] == ["A", "B"]  # blanks and repeats left out
    multiple = room.create_poll(session, setting.facilitator, "Meer?", ["X", "Y", "Z"], True)
    room.open_poll(session, single.id)
    room.open_poll(session, multiple.id)
    a, b = (o.id for o in single.options)
    x, y, z = (o.id for o in multiple.options)

    for bad in ([a, b], [], [x], "a"):
        with pytest.raises(RoomError) as error:
            room.vote_poll(session, setting.teacher, single.id, bad)
        assert error.value.code == "invalid"
    room.vote_poll(session, setting.teacher, single.id, [b])
    room.vote_poll(session, setting.teacher, multiple.id, [x, z])
    room.vote_poll(session, setting.colleague, multiple.id, [z])
    with pytest.raises(RoomError) as error:
        room.vote_poll(session, setting.teacher, single.id, [a])
    assert error.value.code == "already_voted"

    results = room.poll_results([single, multiple])
    assert results[single.id] == room.PollResults(ballots=1, counts={a: 0, b: 1})
    assert results[multiple.id] == room.PollResults(ballots=2, counts={x: 1, y: 0, z: 2})
    room.close_poll(session, single.id)
    with pytest.raises(RoomError) as error:
        room.vote_poll(session, setting.colleague, single.id, [a])
    assert error.value.code == "poll_not_open"
    with pytest.raises(RoomError):
        room.open_poll(session, single.id)  # a closed poll stays closed


def test_a_poll_needs_a_question_and_two_to_ten_options(setting):
    for question, options in [("", ["A", "B"]), ("Wat?", ["A"]), ("Wat?", list("ABCDEFGHIJK"))]:
        with pytest.raises(RoomError) as error:
            room.create_poll(setting.session, setting.facilitator, question, options)
        assert error.value.code == "invalid"


# -- facilitator controls ----------------------------------------------------------------------


def test_closing_the_room_ends_every_stay_and_closes_open_polls(setting):
    session = setting.session
    session.room_state = RoomState.OPEN
    room.record_join(session, setting.teacher, "a")
    room.record_join(session, setting.colleague, "b")
    poll = room.create_poll(session, setting.facilitator, "Klaar?", ["Ja", "Nee"])
    room.open_poll(session, poll.id)
    db.session.commit()

    room.close_room(session)
    db.session.commit()
    assert session.room_state == RoomState.CLOSED and session.room_closed_at is not None
    assert not session.room_is_open()
    open_stays = sa.select(sa.func.count()).where(Attendance.left_at.is_(None))
    assert db.session.scalar(open_stays) == 0
    db.session.refresh(poll)
    assert poll.status == PollStatus.CLOSED


def test_a_removed_participant_loses_their_place_and_facilitators_cannot_be_removed(setting):
    session = setting.session
    room.record_join(session, setting.teacher, "sid-t")
    room.raise_hand(session, setting.teacher)
    db.session.commit()

    assert room.remove_participant(session, setting.teacher.id, setting.facilitator) == ["sid-t"]
    db.session.commit()
    assert db.session.get(RoomRemoval, (session.id, setting.teacher.id)) is not None
    assert room.connections_of(session, setting.teacher.id) == []
    assert room.hand_queue(session) == []
    from plc.live.access import session_access

    access = session_access(session, setting.teacher)
    assert access.removed and not access.can_enter_room
    with pytest.raises(RoomError) as error:
        room.remove_participant(session, setting.facilitator.id, setting.facilitator)
    assert error.value.code == "forbidden"


# -- the summary -------------------------------------------------------------------------------


def test_the_summary_has_messages_questions_polls_and_attendance(setting):
    session = setting.session
    kept, _ = room.send_message(session, setting.teacher, "m1", "Dank!")
    removed, _ = room.send_message(session, setting.colleague, "m2", "Oeps")
    room.remove_message(session, removed.id)
    question, _ = room.ask_question(session, setting.teacher, "q1", "En nu?")
    room.vote_question(session, setting.colleague, question.id)
    hidden, _ = room.ask_question(session, setting.colleague, "q2", "Weg")
    room.set_question_status(session, hidden.id, QuestionStatus.HIDDEN)
    poll = room.create_poll(session, setting.facilitator, "Nuttig?", ["Ja", "Nee"])
    room.create_poll(session, setting.facilitator, "Concept", ["A", "B"])  # never opened
    room.open_poll(session, poll.id)
    room.vote_poll(session, setting.teacher, poll.id, [poll.options[0].id])
    db.session.commit()
    stay(setting, setting.teacher, 0, 45)
    stay(setting, setting.colleague, 10, 20)
    stay(setting, setting.colleague, 30, 40)

    summary = room.room_summary(session)

    assert [(m.body, m.user.display_name) for m in summary.messages] == [("Dank!", "Fatima")]
    assert kept.id == summary.messages[0].id
    assert [(q.body, q.status, q.vote_count) for q in summary.questions] == [
        ("En nu?", QuestionStatus.OPEN, 1),
        ("Weg", QuestionStatus.HIDDEN, 0),
    ]
    [summary_poll] = summary.polls
    assert summary_poll.poll.question == "Nuttig?" and summary_poll.ballots == 1
    assert [(o.label, o.count) for o in summary_poll.options] == [("Ja", 1), ("Nee", 0)]
    start = session.starts_at
    assert [
        (s.user.display_name, s.minutes, s.first_join, s.last_leave) for s in summary.attendance
    ] == [
        ("Fatima", 45, start, start + timedelta(minutes=45)),
        ("Sanne", 20, start + timedelta(minutes=10), start + timedelta(minutes=40)),
    ]


# -- the page ----------------------------------------------------------------------------------


def test_the_room_page_says_it_needs_javascript_and_hands_its_texts_to_the_script(
    setting, login_client, create_session
):
    import json
    import re

    session = create_session(setting.community)
    page = login_client(setting.teacher).get(
        f"/gemeenschappen/{setting.community.slug}/sessies/{session.id}/live"
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S)
    assert noscript and "JavaScript" in noscript.group(1)
    room_markup = re.search(r'<div id="live-room"[^>]*\bhidden\b[^>]*>', html, re.S)
    assert room_markup, "without JavaScript the room's controls stay hidden"
    strings = json.loads(re.search(r"data-strings='([^']*)'", html).group(1))
    assert strings["connected"] and strings["confirmRemove"].count("{name}") == 1
    assert 'data-facilitator="false"' in html
    assert "js/live-room.js" in html and "vendor/socket.io/socket.io.min.js" in html
