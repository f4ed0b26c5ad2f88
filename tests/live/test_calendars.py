"""iCalendar files: one session, a community, a person's private feed (parsed back and checked)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from plc.communities.models import Visibility
from plc.core.models import utcnow
from plc.extensions import db
from plc.live import services
from plc.live.access import session_access
from plc.live.models import Audience, LiveSession, RsvpStatus, SessionMode

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.get_data())


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def community(create_user, create_community):
    return create_community(owner=create_user(), name="Lezen in de bovenbouw")


def test_a_session_calendar_is_valid_with_amsterdam_time_zone_uid_and_sequence(
    community, create_session, client
):
    summer = datetime(utcnow().year + 1, 7, 1, 13, 0, tzinfo=ZoneInfo("UTC"))
    session = create_session(
        community,
        starts_in=summer - utcnow().replace(microsecond=0),
        title="Zomersessie",
        agenda="Casus bespreken",
        mode=SessionMode.HYBRID,
        location="Het 4e Gymnasium, Amsterdam",
        video_url="https://meet.jit.si/zomer",
    )
    calendar = _parse(client.get(f"/gemeenschappen/{community.slug}/sessies/{session.id}.ics"))
    assert calendar["version"] == "2.0"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == session.uid
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=2)
    assert (start.hour, start.minute) == (15, 0)
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("dtend") - start == timedelta(hours=1)
    assert int(event["sequence"]) == 0
    assert str(event["status"]) == "CONFIRMED"
    assert "Het 4e Gymnasium" in str(event["location"])
    assert "Casus bespreken" in str(event["description"])
    assert f"/sessies/{session.id}" in str(event["url"])


def test_changes_raise_the_sequence_and_cancellation_says_cancelled(
    community, create_session, client
):
    # 14:00 in Amsterdam, so the session never spans midnight whenever the test runs.
    day = (utcnow() + timedelta(days=10)).astimezone(AMSTERDAM).date()
    start = datetime.combine(day, datetime.min.time().replace(hour=14), tzinfo=AMSTERDAM)
    session = create_session(community, starts_in=start - utcnow().replace(microsecond=0))
    owner = community_owner(community)
    fields = services.SessionFields.of(session)
    services.update_session(
        session, owner, fields.__class__(**{**fields.__dict__, "title": "Nieuw"})
    )
    services.cancel_session(session, owner, "Ziekte")
    db.session.commit()
    event = _parse(client.get(f"/gemeenschappen/{community.slug}/sessies/{session.id}.ics")).walk(
        "VEVENT"
    )[0]
    assert int(event["sequence"]) == 2
    assert str(event["status"]) == "CANCELLED"
    assert "Ziekte" in str(event["description"])


def community_owner(community):
    from plc.auth.models import User

    return db.session.get(User, community.created_by_id)


def test_the_community_calendar_lists_what_the_viewer_may_see(
    community, create_session, create_community, client
):
    create_session(community, starts_in=timedelta(days=2), title="Eerste bijeenkomst")
    create_session(community, starts_in=timedelta(days=9), title="Tweede bijeenkomst")
    events = _events(_parse(client.get(f"/gemeenschappen/{community.slug}/sessies.ics")))
    assert set(events) == {"Eerste bijeenkomst", "Tweede bijeenkomst"}

    closed = create_community(visibility=Visibility.REQUEST)
    create_session(closed, starts_in=timedelta(days=2), title="Alleen leden")
    create_session(
        closed, starts_in=timedelta(days=3), title="Open avond", audience=Audience.EVERYONE
    )
    events = _events(_parse(client.get(f"/gemeenschappen/{closed.slug}/sessies.ics")))
    assert set(events) == {"Open avond"}


def test_the_personal_feed_holds_my_sessions_behind_a_secret_address_i_can_reset(
    community, create_user, add_member, create_session, login_client, client
):
    teacher = create_user(email="agenda@example.org")
    add_member(community, teacher)
    going = create_session(community, starts_in=timedelta(days=2), title="Ik kom")
    maybe = create_session(community, starts_in=timedelta(days=3), title="Misschien")
    declined = create_session(community, starts_in=timedelta(days=4), title="Niet voor mij")
    create_session(community, starts_in=timedelta(days=5), title="Niet gereageerd")
    for session, status in (
        (going, RsvpStatus.GOING),
        (maybe, RsvpStatus.MAYBE),
        (declined, RsvpStatus.NOT_GOING),
    ):
        services.respond(session, session_access(session, teacher), teacher, status)
    db.session.commit()

    browser = login_client(teacher)
    assert "Maak mijn agenda-adres" in browser.get("/agenda").get_data(as_text=True)
    browser.submit("/agenda/agenda-adres", {})
    page = browser.get("/agenda").get_data(as_text=True)
    feed_url = page.split('id="feed-url" type="text" readonly value="', 1)[1].split('"', 1)[0]
    path = feed_url.split("://", 1)[1].split("/", 1)[1]
    events = _events(_parse(client.get("/" + path)))  # no login: calendar programs have none
    assert set(events) == {"Ik kom", "Misschien"}

    browser.submit("/agenda/agenda-adres", {"reset": "1"})
    assert client.get("/" + path).status_code == 404
    new_page = browser.get("/agenda").get_data(as_text=True)
    assert feed_url not in new_page and 'id="feed-url"' in new_page
    assert client.get("/agenda/niet-bestaand.ics").status_code == 404


def test_a_cancelled_session_stays_in_the_personal_feed_as_cancelled(
    community, create_user, add_member, create_session, login_client, client
):
    teacher = create_user()
    add_member(community, teacher)
    session = create_session(community, starts_in=timedelta(days=2), title="Gaat niet door")
    services.respond(session, session_access(session, teacher), teacher, RsvpStatus.GOING)
    token = services.feed_token(teacher)
    services.cancel_session(session, community_owner(community), "Staking")
    db.session.commit()
    event = _events(_parse(client.get(f"/agenda/{token}.ics")))["Gaat niet door"]
    assert str(event["status"]) == "CANCELLED"
    assert db.session.get(LiveSession, session.id).sequence == 1
