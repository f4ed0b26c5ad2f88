"""Administration: only admins see it; users, roles, themes and the outbox."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from plc.core.outbox import MailState, OutboxMessage, queue_mail
from plc.extensions import db
from plc.themes.models import Theme

ADMIN_PAGES = [
    "/beheer/",
    "/beheer/gebruikers",
    "/beheer/themas",
    "/beheer/themas/nieuw",
    "/beheer/outbox",
]


@pytest.fixture
def admin(create_user):
    return create_user(email="beheer@example.org", display_name="Beheerder", is_admin=True)


def test_admin_pages_are_a_404_for_anonymous_and_non_admins(client, login_client, create_user):
    coordinator = login_client(create_user(is_coordinator=True))
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 404, path
        assert coordinator.get(path).status_code == 404, path
    target = create_user()
    response = coordinator.submit(f"/beheer/gebruikers/{target.id}/actief", {"active": "0"})
    assert response.status_code == 404
    db.session.refresh(target)
    assert target.active


def test_admin_sees_every_admin_page(login_client, admin):
    manager = login_client(admin)
    for path in ADMIN_PAGES:
        assert manager.get(path).status_code == 200, path


def test_user_search_by_name_or_email(login_client, admin, create_user):
    create_user(display_name="Karim Haddou", email="karim@example.org")
    create_user(display_name="Eva Postma", email="eva@school.example.org")
    manager = login_client(admin)
    page = manager.get("/beheer/gebruikers?q=karim").get_data(as_text=True)
    assert "Karim Haddou" in page and "Eva Postma" not in page
    page = manager.get("/beheer/gebruikers?q=school.example").get_data(as_text=True)
    assert "Eva Postma" in page and "Karim Haddou" not in page
    page = manager.get("/beheer/gebruikers?q=%25").get_data(
        as_text=True
    )  # a literal %, no wildcard
    assert "Eva Postma" not in page


def test_user_list_paginates_with_a_fixed_number_of_statements(
    login_client, admin, create_user, count_queries
):
    manager = login_client(admin)
    for n in range(30):
        create_user(display_name=f"Collega {n:02d}")
    with count_queries() as small:
        assert manager.get("/beheer/gebruikers").status_code == 200
    page_two = manager.get("/beheer/gebruikers?page=2").get_data(as_text=True)
    assert "Collega 00" in page_two  # newest first: the oldest land on page 2
    for n in range(30, 90):
        create_user(display_name=f"Collega {n:02d}")
    with count_queries() as large:
        assert manager.get("/beheer/gebruikers").status_code == 200
    assert small.count == large.count


def test_deactivate_ends_sessions_and_reactivate_restores_login(login_client, admin, create_user):
    manager = login_client(admin)
    teacher = create_user()
    teacher_client = login_client(teacher)
    response = manager.submit(f"/beheer/gebruikers/{teacher.id}/actief", {"active": "0"})
    assert response.status_code == 302
    assert teacher_client.get("/profiel").status_code == 302
    manager.submit(f"/beheer/gebruikers/{teacher.id}/actief", {"active": "1"})
    assert login_client(teacher).get("/profiel").status_code == 200


def test_admin_cannot_deactivate_or_demote_themself(login_client, admin):
    manager = login_client(admin)
    manager.submit(f"/beheer/gebruikers/{admin.id}/actief", {"active": "0"})
    response = manager.submit(f"/beheer/gebruikers/{admin.id}/rollen", {"is_coordinator": "y"})
    assert response.status_code == 400
    db.session.refresh(admin)
    assert admin.active and admin.is_admin and not admin.is_coordinator


def test_admin_grants_platform_roles(login_client, admin, create_user):
    manager = login_client(admin)
    teacher = create_user()
    manager.submit(f"/beheer/gebruikers/{teacher.id}/rollen", {"is_coordinator": "y"})
    db.session.refresh(teacher)
    assert teacher.is_coordinator and not teacher.is_admin


def test_themes_are_added_and_edited_with_unique_slugs(login_client, admin):
    manager = login_client(admin)
    response = manager.submit(
        "/beheer/themas/nieuw", {"name_nl": "Lezen in groep 3", "name_en": "Reading in year 3"}
    )
    assert response.status_code == 302
    theme = db.session.scalars(sa.select(Theme)).one()
    assert theme.slug == "lezen-in-groep-3"

    # The same slug again is a clear error next to the field, and the input stays.
    response = manager.submit(
        "/beheer/themas/nieuw", {"name_nl": "Lezen in groep 3!", "name_en": "Again"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="slug-error"' in page and 'value="Again"' in page
    assert db.session.scalar(sa.select(sa.func.count(Theme.id))) == 1

    manager.submit(
        f"/beheer/themas/{theme.id}",
        {"name_nl": "Leesonderwijs", "name_en": "Teaching reading", "slug": "leesonderwijs"},
    )
    db.session.refresh(theme)
    assert (theme.name_nl, theme.slug, theme.active) == ("Leesonderwijs", "leesonderwijs", False)


def test_outbox_lists_mail_and_retries_a_failed_one(app, login_client, admin):
    message = queue_mail("leraar@example.org", "Uitnodiging", "Kom je ook?")
    db.session.commit()
    message.state = MailState.FAILED
    message.last_error = "connection refused"
    db.session.commit()
    manager = login_client(admin)
    page = manager.get("/beheer/outbox?state=failed").get_data(as_text=True)
    assert "Uitnodiging" in page
    assert "connection refused" in manager.get(f"/beheer/outbox/{message.id}").get_data(
        as_text=True
    )
    manager.submit(f"/beheer/outbox/{message.id}/opnieuw")
    db.session.refresh(message)
    assert message.state == MailState.LOGGED  # no SMTP server in tests: written to the log
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1
