"""Pages kept for logged-in members (`pagecache.for_visitors(members=True)`): each member's own
copy, for exactly their session, answered before the app runs while nothing their request read
has changed; never to anyone else, never after their login ended, never over a message waiting
to be shown."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from plc.core import pagecache
from plc.extensions import db
from plc.notifications.models import Notification, NotificationKind

HIT = "X-Page-Cache"
BADGE = re.compile(r'notifications-link[^>]*>[^<]*<span class="badge[^"]*">(\d+)<')
DIRECTORY = "/gemeenschappen"


pytestmark = pytest.mark.usefixtures("empty_page_stores")


def _kept(client: Any, path: str = DIRECTORY) -> Any:
    """The page, asked for until it comes from the cache (the first answers settle the session:
    the privacy check's mark, the form token)."""
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        if response.headers.get(HIT) == "hit":
            return response
    raise AssertionError(f"{path} was never kept")


@pytest.fixture
def teacher(create_user):
    return create_user(display_name="Anouk de Wit")


def test_a_member_gets_their_kept_page_before_the_app_runs(
    app, teacher, create_community, login_client, count_queries, monkeypatch
):
    create_community(name="Rekenen in de onderbouw")
    client = login_client(teacher)
    kept = _kept(client)
    page = kept.get_data(as_text=True)
    assert "Anouk de Wit" in page and "Rekenen in de onderbouw" in page
    assert 'name="csrf_token"' in page  # their logout form, with their own token

    def never(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the app ran for a kept page")

    monkeypatch.setitem(app.view_functions, "communities.directory", never)
    monkeypatch.setattr(app, "preprocess_request", never)
    with count_queries() as counted:
        again = client.get(DIRECTORY)
    assert again.headers[HIT] == "hit" and again.get_data() == kept.get_data()
    assert counted.count == 0  # the tokens are read on a pool connection, outside the ORM
    assert "Set-Cookie" not in again.headers
    monkeypatch.undo()
    # The form token on the kept page is theirs and works.
    response = client.submit("/uitloggen")
    assert response.status_code == 302


def test_no_one_else_gets_a_members_page(teacher, create_user, login_client, client):
    first = login_client(teacher)
    other = login_client(create_user(display_name="Bram Bakker"))
    second = login_client(teacher)  # the same person in a second browser: a session of its own
    _kept(first)  # kept after the other logins
    page = other.get(DIRECTORY)
    assert HIT not in page.headers
    assert "Bram Bakker" in page.get_data(as_text=True)
    assert "Anouk de Wit" not in page.get_data(as_text=True)
    visitor = client.get(DIRECTORY).get_data(as_text=True)
    assert "Anouk de Wit" not in visitor and "Uitloggen" not in visitor
    assert HIT not in second.get(DIRECTORY).headers
    assert first.get(DIRECTORY).headers[HIT] == "hit"  # still there: nobody else took it


def test_the_cookie_of_a_login_that_ended_gets_no_kept_page(teacher, login_client):
    client = login_client(teacher)
    _kept(client)
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert client.submit("/uitloggen").status_code == 302
    client.set_cookie("session", cookie.value)  # the old cookie, sent again
    page = client.get(DIRECTORY)
    assert HIT not in page.headers
    assert "Anouk de Wit" not in page.get_data(as_text=True)


def test_a_kept_page_is_never_handed_out_after_the_login_expires(
    teacher, login_client, monkeypatch
):
    client = login_client(teacher)
    _kept(client)
    later = pagecache._now() + timedelta(days=400)  # past any login's end
    monkeypatch.setattr(pagecache, "_now", lambda: later)
    assert HIT not in client.get(DIRECTORY).headers


def test_a_forged_session_gets_no_kept_page(teacher, login_client):
    client = login_client(teacher)
    _kept(client)
    cookie = client.get_cookie("session")
    assert cookie is not None
    client.set_cookie("session", cookie.value[:-2] + ("AA" if cookie.value[-2:] != "AA" else "BB"))
    page = client.get(DIRECTORY)
    assert HIT not in page.headers
    assert "Anouk de Wit" not in page.get_data(as_text=True)


def test_a_message_waiting_is_shown_not_a_kept_page(teacher, login_client):
    client = login_client(teacher)
    _kept(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Je profiel is bijgewerkt.")]
    page = client.get(DIRECTORY)
    assert HIT not in page.headers
    assert "Je profiel is bijgewerkt." in page.get_data(as_text=True)


def test_what_only_the_login_read_keeps_the_page_up_to_date(teacher, create_user, login_client):
    """The header's unread count comes with the login, before the view runs: a new line for
    the member still shows on their next page at once."""
    client = login_client(teacher)
    _kept(client)
    db.session.add(Notification(user_id=teacher.id, kind=NotificationKind.MENTION, detail="x"))
    db.session.commit()
    page = client.get(DIRECTORY)
    assert HIT not in page.headers
    assert BADGE.search(page.get_data(as_text=True)).group(1) == "1"  # type: ignore[union-attr]
    # Their name changed by someone else (an administrator): shown at once as well.
    teacher.display_name = "Anouk de Wit-Jansen"
    db.session.commit()
    assert "Anouk de Wit-Jansen" in client.get(DIRECTORY).get_data(as_text=True)


def test_a_thread_keeps_a_copy_per_member_and_shows_a_new_reply_at_once(
    create_user, create_community, add_member, login_client
):
    from plc.communities.services import access_for
    from plc.discussions import services as discussions

    owner = create_user(display_name="Olga Eigenaar")
    community = create_community(owner=owner, name="Formatief evalueren")
    member = create_user(display_name="Cem Yıldız")
    add_member(community, member)
    thread = discussions.start_thread(
        community, access_for(community, owner), owner, "Rubrics", "Wie heeft er een?"
    )
    db.session.commit()
    path = f"/gemeenschappen/{community.slug}/gesprekken/{thread.id}"
    client = login_client(member)
    _kept(client, path)
    discussions.reply(thread, community, access_for(community, owner), owner, "Hier is er één.")
    db.session.commit()
    page = client.get(path)
    assert HIT not in page.headers
    assert "Hier is er één." in page.get_data(as_text=True)


def test_other_peoples_logins_and_notifications_leave_a_members_copy_be(
    teacher, create_user, login_client
):
    """What the login reads is checked for the member alone: their session, their figures."""
    colleague = create_user(display_name="Bram Bakker")
    client = login_client(teacher)
    _kept(client)
    other = login_client(colleague)
    assert client.get(DIRECTORY).headers[HIT] == "hit"
    db.session.add(Notification(user_id=colleague.id, kind=NotificationKind.MENTION, detail="x"))
    db.session.commit()
    assert client.get(DIRECTORY).headers[HIT] == "hit"
    assert other.submit("/uitloggen").status_code == 302
    assert client.get(DIRECTORY).headers[HIT] == "hit"


def test_a_login_ended_elsewhere_gets_no_kept_page(teacher, login_client):
    """Their session ended from another browser (as a new password ends the others): the
    copy kept for it is not handed out, before the app or in it."""
    from plc.auth.services import end_all_sessions

    client = login_client(teacher)
    _kept(client)
    end_all_sessions(teacher)
    db.session.commit()
    page = client.get(DIRECTORY)
    assert HIT not in page.headers
    assert "Anouk de Wit" not in page.get_data(as_text=True)
