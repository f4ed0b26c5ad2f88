"""Planning, changing and cancelling sessions; sign-ups with capacity and a waiting list;
reminders; what the community home and the start page show."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from plc.communities.models import MemberRole, Visibility
from plc.core.models import utcnow
from plc.core.outbox import OutboxMessage
from plc.extensions import db
from plc.live import services
from plc.live.access import session_access
from plc.live.models import Audience, LiveSession, Rsvp, RsvpStatus, SessionStatus

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _last_sunday_of_march(year: int) -> date:
    day = date(year, 3, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _form(day: date, **overrides: object) -> dict[str, object]:
    return {
        "title": "Intervisie leesonderwijs",
        "agenda": "1. Opening\n2. **Casus**",
        "day": day.isoformat(),
        "start": "19:30",
        "end": "21:00",
        "mode": "online",
        "location": "",
        "video_url": "https://meet.jit.si/leernetwerk-lezen",
        "capacity": "",
        "audience": "members",
        "repeat": "",
        "occurrences": "",
        "idempotency_key": overrides.pop("idempotency_key", "plan-1"),
        **overrides,
    }


def _sessions() -> list[LiveSession]:
    db.session.commit()
    return list(db.session.scalars(sa.select(LiveSession).order_by(LiveSession.starts_at)))


def _mails(subject_part: str) -> list[OutboxMessage]:
    db.session.commit()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.subject.contains(subject_part))
            .order_by(OutboxMessage.recipient)
        )
    )


@pytest.fixture
def facilitated(create_user, create_community, login_client):
    owner = create_user(display_name="Fatima Facilitator")
    community = create_community(owner=owner)
    return community, owner, login_client(owner)


def _future_day(days: int = 14) -> date:
    return (utcnow() + timedelta(days=days)).astimezone(AMSTERDAM).date()


# -- planning ---------------------------------------------------------------------------------


def test_a_weekly_series_keeps_its_amsterdam_time_across_the_change_to_summer_time(facilitated):
    community, _owner, client = facilitated
    dst = _last_sunday_of_march(_future_day().year + 1)
    first = dst - timedelta(days=11)  # a Thursday before the change; the series crosses it
    response = client.submit(
        f"/gemeenschappen/{community.slug}/sessies/nieuw",
        _form(first, repeat="weekly", occurrences="3"),
    )
    assert response.status_code == 302
    sessions = _sessions()
    assert [s.starts_at.astimezone(AMSTERDAM).time() for s in sessions] == [time(19, 30)] * 3
    assert [s.starts_at.astimezone(AMSTERDAM).date() for s in sessions] == [
        first,
        first + timedelta(days=7),
        first + timedelta(days=14),
    ]
    # Stored in UTC: 18:30 in winter time, 17:30 in summer time.
    assert [s.starts_at.hour for s in sessions] == [18, 18, 17]
    assert len({s.series_id for s in sessions}) == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "19:30" in page and "21:00" in page
    assert "<strong>Casus</strong>" in page


def test_planning_refuses_bad_input_and_keeps_what_was_typed(facilitated):
    community, _owner, client = facilitated
    path = f"/gemeenschappen/{community.slug}/sessies/nieuw"
    day = _future_day()
    cases = [
        (_form(day, end="19:00"), "Het einde moet na het begin liggen."),
        (_form(day, mode="in_person", video_url=""), "Geef het adres voor wie op locatie komt."),
        (_form(date(2020, 1, 6)), "Het begin moet in de toekomst liggen."),
        (_form(day, video_url="javascript:alert(1)"), "De videolink moet beginnen met https://."),
        (_form(day, repeat="weekly", occurrences="40"), "Aantal sessies in de reeks"),
    ]
    for data, message in cases:
        response = client.submit(path, data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, message
        assert message in page
        assert "Intervisie leesonderwijs" in page  # nothing typed is lost
    assert _sessions() == []


def test_a_resubmitted_plan_form_plans_one_session(facilitated):
    community, _owner, client = facilitated
    path = f"/gemeenschappen/{community.slug}/sessies/nieuw"
    first = client.submit(path, _form(_future_day(), idempotency_key="dubbel"))
    second = client.submit(path, _form(_future_day(), idempotency_key="dubbel"))
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_sessions()) == 1


def test_only_facilitators_plan_and_change_sessions(
    facilitated, create_user, add_member, login_client, create_session
):
    community, _owner, _client = facilitated
    member = create_user()
    add_member(community, member)
    client = login_client(member)
    assert client.get(f"/gemeenschappen/{community.slug}/sessies/nieuw").status_code == 404
    response = client.submit(
        f"/gemeenschappen/{community.slug}/sessies/nieuw", _form(_future_day())
    )
    assert response.status_code == 404
    session = create_session(community, starts_in=timedelta(days=3))
    base = f"/gemeenschappen/{community.slug}/sessies/{session.id}"
    assert client.get(f"{base}/bewerken").status_code == 404
    assert (
        client.submit(f"{base}/annuleren", {"message": "Weg", "scope": "this"}).status_code == 404
    )
    assert _sessions()[0].status == SessionStatus.SCHEDULED


def _plan_series(community, owner, count: int = 4) -> list[LiveSession]:
    fields = services.SessionFields(
        title="Lesson study rekenen",
        agenda="",
        day=_future_day(3),
        start=time(15, 30),
        end=time(17, 0),
        mode=services.SessionMode.IN_PERSON,
        location="Berlage Lyceum, Amstelveenseweg",
    )
    services.plan_session(
        community, owner, fields, repeat=services.Frequency.WEEKLY, occurrences=count
    )
    db.session.commit()
    return _sessions()


def _edit_form(session: LiveSession, scope: str, **overrides: object) -> dict[str, object]:
    local = session.starts_at.astimezone(AMSTERDAM)
    return {
        "title": session.title,
        "agenda": session.agenda,
        "day": local.date().isoformat(),
        "start": "16:00",
        "end": "17:30",
        "mode": "in_person",
        "location": session.location,
        "video_url": "",
        "capacity": "",
        "audience": "members",
        "scope": scope,
        **overrides,
    }


def test_this_one_and_this_and_following_edits_of_a_series(facilitated, create_user, login_client):
    community, owner, client = facilitated
    sessions = _plan_series(community, owner)
    teacher = create_user(email="teacher@example.org")
    for session in sessions:
        services.respond(
            session, _member_access(community, teacher, session), teacher, RsvpStatus.GOING
        )
    db.session.commit()
    base = f"/gemeenschappen/{community.slug}/sessies"

    response = client.submit(f"{base}/{sessions[0].id}/bewerken", _edit_form(sessions[0], "this"))
    assert response.status_code == 302
    response = client.submit(
        f"{base}/{sessions[2].id}/bewerken", _edit_form(sessions[2], "following", end="18:00")
    )
    assert response.status_code == 302
    after = _sessions()
    local = [
        (s.starts_at.astimezone(AMSTERDAM).time(), s.ends_at.astimezone(AMSTERDAM).time())
        for s in after
    ]
    assert local == [
        (time(16, 0), time(17, 30)),
        (time(15, 30), time(17, 0)),
        (time(16, 0), time(18, 0)),
        (time(16, 0), time(18, 0)),
    ]
    assert [s.sequence for s in after] == [1, 0, 1, 1]
    # The person signed up hears of each change of time, once per session changed.
    assert len(_mails("Gewijzigd")) == 3


def test_cancelling_tells_everyone_signed_up_and_not_those_who_declined(facilitated, create_user):
    community, owner, client = facilitated
    sessions = _plan_series(community, owner, count=3)
    people = {}
    for status in (RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.NOT_GOING):
        person = create_user(email=f"{status.value}@example.org")
        people[status] = person
        services.respond(
            sessions[1], _member_access(community, person, sessions[1]), person, status
        )
    db.session.commit()
    response = client.submit(
        f"/gemeenschappen/{community.slug}/sessies/{sessions[1].id}/annuleren",
        {"message": "De school is die week gesloten.", "scope": "following"},
    )
    assert response.status_code == 302
    after = _sessions()
    assert [s.status for s in after] == [
        SessionStatus.SCHEDULED,
        SessionStatus.CANCELLED,
        SessionStatus.CANCELLED,
    ]
    mails = _mails("Afgelast")
    assert sorted(m.recipient for m in mails) == ["going@example.org", "maybe@example.org"]
    assert "De school is die week gesloten." in mails[0].body_text
    page = client.get(f"/gemeenschappen/{community.slug}/sessies/{sessions[1].id}").get_data(
        as_text=True
    )
    assert "Deze sessie is afgelast." in page


def test_cancelling_needs_a_message(facilitated, create_session):
    community, _owner, client = facilitated
    session = create_session(community, starts_in=timedelta(days=2))
    response = client.submit(
        f"/gemeenschappen/{community.slug}/sessies/{session.id}/annuleren",
        {"message": "  ", "scope": "this"},
    )
    assert response.status_code == 400
    assert _sessions()[0].status == SessionStatus.SCHEDULED


# -- sign-ups -----------------------------------------------------------------------------------


def _member_access(community, person, session):
    from plc.communities.models import CommunityMember, MemberStatus

    if (
        db.session.scalar(
            sa.select(CommunityMember).where(
                CommunityMember.community_id == community.id, CommunityMember.user_id == person.id
            )
        )
        is None
    ):
        db.session.add(
            CommunityMember(
                community_id=community.id,
                user_id=person.id,
                role=MemberRole.MEMBER,
                status=MemberStatus.ACTIVE,
                joined_at=utcnow(),
            )
        )
        db.session.flush()
    return session_access(session, person)


def _respond(client, session, status: str):
    return client.submit(
        f"/gemeenschappen/{session.community.slug}/sessies/{session.id}/aanmelding",
        {"status": status},
    )


def _status_of(session, user) -> RsvpStatus | None:
    db.session.commit()
    rsvp = db.session.scalar(
        sa.select(Rsvp).where(Rsvp.session_id == session.id, Rsvp.user_id == user.id)
    )
    return rsvp.status if rsvp else None


def test_going_maybe_not_going_and_a_waiting_list_that_moves_up_with_a_mail(
    facilitated, create_user, add_member, login_client, create_session
):
    community, _owner, _client = facilitated
    session = create_session(community, starts_in=timedelta(days=5), capacity=2)
    people = []
    for n in range(4):
        person = create_user(email=f"deelnemer{n}@example.org")
        add_member(community, person)
        people.append((person, login_client(person)))
    for _person, client in people:
        assert _respond(client, session, "going").status_code == 302
    assert [_status_of(session, p) for p, _c in people] == [
        RsvpStatus.GOING,
        RsvpStatus.GOING,
        RsvpStatus.WAITLISTED,
        RsvpStatus.WAITLISTED,
    ]
    page = (
        people[3][1]
        .get(f"/gemeenschappen/{community.slug}/sessies/{session.id}")
        .get_data(as_text=True)
    )
    assert "Je staat op de wachtlijst op plaats 2." in page

    # "Maybe" from someone going frees their place for the first person waiting.
    assert _respond(people[0][1], session, "maybe").status_code == 302
    assert [_status_of(session, p) for p, _c in people] == [
        RsvpStatus.MAYBE,
        RsvpStatus.GOING,
        RsvpStatus.GOING,
        RsvpStatus.WAITLISTED,
    ]
    mails = _mails("Er is een plek")
    assert [m.recipient for m in mails] == ["deelnemer2@example.org"]
    assert db.session.get(LiveSession, session.id).going_count == 2

    # Going again while full puts you at the back of the queue; not going leaves it.
    assert _respond(people[0][1], session, "going").status_code == 302
    assert _status_of(session, people[0][0]) == RsvpStatus.WAITLISTED
    assert _respond(people[3][1], session, "not_going").status_code == 302
    assert _respond(people[1][1], session, "not_going").status_code == 302
    assert _status_of(session, people[0][0]) == RsvpStatus.GOING
    assert db.session.get(LiveSession, session.id).going_count == 2


def test_members_only_sessions_refuse_outsiders_and_open_ones_welcome_every_teacher(
    facilitated, create_user, login_client, create_session, create_community
):
    community, _owner, _client = facilitated
    members_only = create_session(community, starts_in=timedelta(days=2))
    open_to_all = create_session(community, starts_in=timedelta(days=3), audience=Audience.EVERYONE)
    outsider_user = create_user()
    outsider = login_client(outsider_user)
    response = _respond(outsider, members_only, "going")
    assert response.status_code == 302
    assert "Deze sessie is voor leden van de gemeenschap." in outsider.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert _status_of(members_only, outsider_user) is None
    assert _respond(outsider, open_to_all, "going").status_code == 302
    assert _status_of(open_to_all, outsider_user) == RsvpStatus.GOING

    hidden = create_community(visibility=Visibility.INVITE)
    secret = create_session(hidden, starts_in=timedelta(days=2), audience=Audience.EVERYONE)
    assert outsider.get(f"/gemeenschappen/{hidden.slug}/sessies/{secret.id}").status_code == 404
    assert _respond(outsider, secret, "going").status_code == 404
    assert outsider.get(f"/gemeenschappen/{hidden.slug}/sessies/{secret.id}.ics").status_code == 404


def test_no_sign_ups_for_cancelled_or_past_sessions(
    facilitated, create_user, add_member, login_client, create_session
):
    community, _owner, _client = facilitated
    person = create_user()
    add_member(community, person)
    client = login_client(person)
    past = create_session(community, starts_in=timedelta(days=-2))
    cancelled = create_session(
        community, starts_in=timedelta(days=2), status=SessionStatus.CANCELLED
    )
    for session in (past, cancelled):
        _respond(client, session, "going")
        assert _status_of(session, person) is None
    assert _respond(client, past, "waitlisted").status_code == 302
    assert _status_of(past, person) is None


def _concurrent_sign_ups(app, clients, sessions_and_statuses) -> None:
    barrier = threading.Barrier(len(clients))

    def sign_up(client, token, path, status) -> None:
        barrier.wait()
        client.post(
            path,
            data={"csrf_token": token, "status": status},
            headers={"Referer": "https://localhost/"},
            base_url="https://localhost",
        )

    threads = [
        threading.Thread(
            target=sign_up,
            args=(
                client,
                client.csrf_token(),
                f"/gemeenschappen/{session.community.slug}/sessies/{session.id}/aanmelding",
                status,
            ),
        )
        for client, (session, status) in zip(clients, sessions_and_statuses, strict=True)
    ]
    for each in threads:
        each.start()
    for each in threads:
        each.join()
    db.session.commit()


def _counts(session) -> dict[RsvpStatus, int]:
    rows = db.session.execute(
        sa.select(Rsvp.status, sa.func.count())
        .where(Rsvp.session_id == session.id)
        .group_by(Rsvp.status)
    )
    return {status: count for status, count in rows}


def test_simultaneous_sign_ups_never_overbook(
    app, facilitated, create_user, add_member, login_client, create_session
):
    community, _owner, _client = facilitated
    session = create_session(community, starts_in=timedelta(days=5), capacity=5)
    clients = []
    for n in range(12):
        person = create_user(email=f"snel{n}@example.org")
        add_member(community, person)
        clients.append(login_client(person))
    _concurrent_sign_ups(app, clients, [(session, "going")] * len(clients))
    assert _counts(session) == {RsvpStatus.GOING: 5, RsvpStatus.WAITLISTED: 7}
    assert db.session.get(LiveSession, session.id, populate_existing=True).going_count == 5


def test_simultaneous_cancellations_move_up_each_waiting_person_once(
    app, facilitated, create_user, add_member, login_client, create_session
):
    community, _owner, _client = facilitated
    session = create_session(community, starts_in=timedelta(days=5), capacity=3)
    clients = []
    for n in range(7):
        person = create_user(email=f"wacht{n}@example.org")
        add_member(community, person)
        client = login_client(person)
        _respond(client, session, "going")
        clients.append(client)
    assert _counts(session) == {RsvpStatus.GOING: 3, RsvpStatus.WAITLISTED: 4}
    _concurrent_sign_ups(app, clients[:3], [(session, "not_going")] * 3)
    assert _counts(session) == {
        RsvpStatus.NOT_GOING: 3,
        RsvpStatus.GOING: 3,
        RsvpStatus.WAITLISTED: 1,
    }
    assert db.session.get(LiveSession, session.id, populate_existing=True).going_count == 3
    assert len(_mails("Er is een plek")) == 3


def test_capacity_cannot_drop_below_those_already_going(
    facilitated, create_user, add_member, login_client, create_session
):
    community, _owner, client = facilitated
    session = create_session(community, starts_in=timedelta(days=5), capacity=3)
    for _n in range(2):
        person = create_user()
        add_member(community, person)
        _respond(login_client(person), session, "going")
    response = client.submit(
        f"/gemeenschappen/{community.slug}/sessies/{session.id}/bewerken",
        _edit_form(session, "this", capacity="1", mode="online", location=""),
    )
    assert response.status_code == 400
    assert "Er gaan al 2 mensen: het aantal plaatsen kan niet lager." in response.get_data(
        as_text=True
    )
    assert db.session.get(LiveSession, session.id, populate_existing=True).capacity == 3


# -- reminders ----------------------------------------------------------------------------------


def test_reminders_go_once_the_day_before_through_send_digests(
    app, facilitated, create_user, add_member, login_client, create_session
):
    community, _owner, _client = facilitated
    soon = create_session(community, starts_in=timedelta(hours=20), title="Morgen: rekenen")
    later = create_session(community, starts_in=timedelta(days=3), title="Later: lezen")
    person = create_user(email="herinnering@example.org")
    add_member(community, person)
    client = login_client(person)
    for session in (soon, later):
        _respond(client, session, "going")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["plc", "send-digests"])
    second = runner.invoke(args=["plc", "send-digests"])
    assert first.exit_code == 0 and "session reminders: 1" in first.output
    assert "session reminders: 0" in second.output
    reminders = _mails("Herinnering")
    assert [m.recipient for m in reminders] == ["herinnering@example.org"]
    assert "Morgen: rekenen" in reminders[0].body_text


# -- where sessions show ------------------------------------------------------------------------


def test_community_home_and_start_page_show_upcoming_sessions(
    facilitated, create_user, add_member, login_client, create_session, client
):
    community, _owner, _facilitator = facilitated
    create_session(community, starts_in=timedelta(days=2), title="Binnenkort: feedback geven")
    create_session(community, starts_in=timedelta(days=-3), title="Voorbij: oude sessie")
    create_session(
        community,
        starts_in=timedelta(days=4),
        title="Open: voor iedereen",
        audience=Audience.EVERYONE,
    )
    member = create_user()
    add_member(community, member)
    home = login_client(member).get(f"/gemeenschappen/{community.slug}").get_data(as_text=True)
    assert "Binnenkort: feedback geven" in home and "Open: voor iedereen" in home
    assert "Voorbij: oude sessie" not in home
    start = login_client(member).get("/").get_data(as_text=True)
    assert "Binnenkort: feedback geven" in start
    anonymous = client.get("/").get_data(as_text=True)
    assert "Open: voor iedereen" in anonymous
    assert "Binnenkort: feedback geven" in anonymous  # the community is public, so is its agenda


def test_start_page_hides_sessions_of_hidden_communities(
    create_user, create_community, create_session, login_client
):
    hidden = create_community(visibility=Visibility.INVITE)
    create_session(hidden, starts_in=timedelta(days=2), title="Geheim overleg")
    page = login_client(create_user()).get("/").get_data(as_text=True)
    assert "Geheim overleg" not in page


def test_planned_times_show_in_amsterdam_time_on_the_detail_page(facilitated, create_session):
    community, _owner, client = facilitated
    winter = datetime(_future_day().year + 1, 1, 14, 18, 30, tzinfo=ZoneInfo("UTC"))
    session = create_session(community, starts_in=winter - utcnow().replace(microsecond=0))
    page = client.get(f"/gemeenschappen/{community.slug}/sessies/{session.id}").get_data(
        as_text=True
    )
    assert "19:30" in page


def test_a_session_cannot_be_moved_into_the_past(facilitated, create_session):
    community, _owner, client = facilitated
    session = create_session(community, starts_in=timedelta(days=2))
    response = client.submit(
        f"/gemeenschappen/{community.slug}/sessies/{session.id}/bewerken",
        _edit_form(session, "this", day="2020-03-02"),
    )
    assert response.status_code == 400
    assert "Het begin moet in de toekomst liggen." in response.get_data(as_text=True)
    assert _sessions()[0].starts_at == session.starts_at
