"""Consent to the privacy statement: withdrawing it on "Mijn gegevens" (through the real form,
with its CSRF token), being asked again and accepting again; accounts that have no consent at
all (`plc create-admin`) are asked too, once; the demo's people have all consented."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from plc.auth.consents import needs_new_privacy_consent, record_consent, withdraw_consent
from plc.auth.models import Consent, ConsentDocument, User
from plc.extensions import db

DATA_PAGE = "/mijn-gegevens"
WITHDRAW_PAGE = "/mijn-gegevens/toestemming-intrekken"
CONSENT_PAGE = "/mijn-gegevens/privacyverklaring"
DELETE_PAGE = "/mijn-gegevens/account-verwijderen"
ADMIN_PASSWORD = "Keizersgracht-bootje-77"


def post_form(client, page: str, path: str | None = None, token: str | None = None):
    """POST the form of `page` (to `path`, else to the page itself) as a browser does: the
    page's CSRF token and a same-origin Referer. The privacy pages stay open without consent,
    so the token comes from the page itself (the start page may be the consent question)."""
    token = token or client.csrf_token(page)
    return client.post(
        path or page,
        data={"csrf_token": token},
        headers={"Referer": "https://localhost/"},
        base_url="https://localhost",
    )


def rows(user: User) -> list[tuple[str, datetime | None]]:
    """The person's consent rows, oldest first: (version, withdrawn_at)."""
    return [
        (c.version, c.withdrawn_at)
        for c in db.session.scalars(
            sa.select(Consent).where(Consent.user_id == user.id).order_by(Consent.id)
        )
    ]


@pytest.fixture
def person(create_user) -> User:
    return create_user()  # has accepted the current statement (2026-11)


# -- withdrawing ---------------------------------------------------------------------------------


def test_the_data_page_links_to_a_confirmation_that_explains_the_consequence(
    person, login_client
) -> None:
    client = login_client(person)
    overview = client.get(DATA_PAGE).get_data(as_text=True)
    assert f'href="{WITHDRAW_PAGE}"' in overview
    page = client.get(WITHDRAW_PAGE)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Je toestemming intrekken</h1>" in text  # Dutch first
    assert (
        "Zonder toestemming voor de privacyverklaring kun je Leernetwerk Amsterdam niet"
        " gebruiken terwijl je bent ingelogd." in text
    )
    assert "de privacyverklaring opnieuw te accepteren" in text
    assert f'href="{DELETE_PAGE}"' in text  # or delete the account instead
    assert 'name="csrf_token"' in text and 'method="post"' in text
    assert rows(person) == [("2026-11", None)]  # looking changes nothing


def test_the_confirmation_page_in_english(create_user, login_client) -> None:
    person = create_user(preferred_language="en")
    text = login_client(person).get(WITHDRAW_PAGE).get_data(as_text=True)
    assert "<h1>Withdraw your consent</h1>" in text
    assert "you cannot use Leernetwerk Amsterdam while logged in" in text
    assert "we ask you to accept the privacy statement again" in text


def test_withdrawing_through_the_form_keeps_the_row_with_its_time(person, login_client) -> None:
    client = login_client(person)
    response = post_form(client, WITHDRAW_PAGE)
    assert response.status_code == 302
    assert response.headers["Location"] == DATA_PAGE
    [(version, withdrawn_at)] = rows(person)  # withdrawn, not deleted
    assert version == "2026-11" and withdrawn_at is not None
    assert "Je hebt je toestemming voor de privacyverklaring ingetrokken." in client.get(
        DATA_PAGE
    ).get_data(as_text=True)


def test_withdrawing_without_a_csrf_token_is_refused_and_changes_nothing(
    person, login_client
) -> None:
    client = login_client(person)
    refused = client.post(
        WITHDRAW_PAGE, headers={"Referer": "https://localhost/"}, base_url="https://localhost"
    )
    assert refused.status_code == 400
    forged = client.post(
        WITHDRAW_PAGE,
        data={"csrf_token": "not-the-token"},
        headers={"Referer": "https://localhost/"},
        base_url="https://localhost",
    )
    assert forged.status_code == 400
    assert rows(person) == [("2026-11", None)]
    assert client.get("/gemeenschappen").status_code == 200  # and not asked either


def test_a_double_click_withdraws_once_and_shows_no_error(person, login_client) -> None:
    client = login_client(person)
    token = client.csrf_token(WITHDRAW_PAGE)  # both clicks send the same page's token
    assert post_form(client, WITHDRAW_PAGE, token=token).status_code == 302
    [(_, first)] = rows(person)
    again = post_form(client, WITHDRAW_PAGE, token=token)
    assert again.status_code == 302 and again.headers["Location"] == DATA_PAGE
    assert rows(person) == [("2026-11", first)]  # the same row, the same time
    page = client.get(DATA_PAGE).get_data(as_text=True)
    assert "Je toestemming voor de privacyverklaring was al ingetrokken." in page
    assert "alert-danger" not in page


def test_withdrawing_withdraws_every_version_and_a_second_call_changes_nothing(
    create_user,
) -> None:
    person = create_user(consent=False)
    record_consent(person, "2025-01")
    record_consent(person)
    db.session.commit()
    assert withdraw_consent(person) == 2
    db.session.commit()
    before = rows(person)
    assert all(withdrawn_at is not None for _, withdrawn_at in before)
    assert withdraw_consent(person) == 0
    db.session.commit()
    assert rows(person) == before


def test_asked_again_at_the_next_page_and_accepting_again_records_a_new_consent(
    person, login_client
) -> None:
    client = login_client(person)
    assert client.get("/gemeenschappen").status_code == 200  # settled for this login
    post_form(client, WITHDRAW_PAGE)
    # At once, in this login: not only at the next one.
    asked = client.get("/gemeenschappen")
    assert asked.status_code == 302
    assert asked.headers["Location"] == CONSENT_PAGE + "?next=/gemeenschappen"
    question = client.get(CONSENT_PAGE).get_data(as_text=True)
    assert "<h1>Privacyverklaring</h1>" in question  # not "new": the statement did not change
    accepted = post_form(client, CONSENT_PAGE, CONSENT_PAGE + "?next=/gemeenschappen")
    assert accepted.headers["Location"] == "/gemeenschappen"
    history = rows(person)
    assert [version for version, _ in history] == ["2026-11", "2026-11"]
    assert history[0][1] is not None and history[1][1] is None  # withdrawn, then accepted again
    assert not needs_new_privacy_consent(person)
    assert client.get("/gemeenschappen").status_code == 200
    # Accepting twice more (a second tab) keeps the one active row.
    post_form(client, CONSENT_PAGE)
    assert len(rows(person)) == 2


def test_other_devices_are_logged_out(person, login_client) -> None:
    phone, laptop = login_client(person), login_client(person)
    post_form(phone, WITHDRAW_PAGE)
    assert laptop.get("/profiel").headers["Location"].startswith("/inloggen")
    assert phone.get(DATA_PAGE).status_code == 200  # the device that withdrew stays logged in
    # Logging in again on the laptop: asked before anything else.
    assert login_client(person).get("/profiel").headers["Location"].startswith(CONSENT_PAGE)


def test_the_overview_shows_the_withdrawal_and_the_new_consent(create_user, login_client):
    person = create_user(preferred_language="en", consent=False)
    record_consent(person)
    db.session.commit()
    db.session.execute(
        sa.update(Consent).values(
            given_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
            withdrawn_at=datetime(2026, 11, 9, 14, 30, tzinfo=UTC),
        )
    )
    db.session.commit()
    client = login_client(person)
    page = client.get(DATA_PAGE).get_data(as_text=True)
    assert "Withdrawn on Nov 9, 2026" in page
    assert 'id="consent-missing"' in page  # says what follows, with the way back
    assert f'href="{CONSENT_PAGE}"' in page
    assert f'href="{WITHDRAW_PAGE}"' not in page  # nothing left to withdraw

    post_form(client, CONSENT_PAGE)
    page = client.get(DATA_PAGE).get_data(as_text=True)
    assert page.count("<td>2026-11</td>") == 2  # both rows, the newest first
    assert page.index("Current version") < page.index("Withdrawn on Nov 9, 2026")
    assert 'id="consent-missing"' not in page
    assert f'href="{WITHDRAW_PAGE}"' in page


def test_the_confirmation_page_without_a_consent_offers_nothing_to_withdraw(
    create_user, login_client
) -> None:
    person = create_user(consent=False)
    text = login_client(person).get(WITHDRAW_PAGE).get_data(as_text=True)
    assert "Je hebt geen toestemming voor de privacyverklaring die je kunt intrekken." in text
    assert 'method="post"' not in text.split("<main", 1)[-1].split("</main>", 1)[0]


# -- accounts without any consent ----------------------------------------------------------------


def test_an_account_without_consent_is_asked_at_login_then_not_again(
    create_user, login_client
) -> None:
    person = create_user(consent=False)
    assert needs_new_privacy_consent(person)
    client = login_client(person)
    asked = client.get("/gemeenschappen")
    assert asked.headers["Location"] == CONSENT_PAGE + "?next=/gemeenschappen"
    assert client.get("/").headers["Location"].startswith(CONSENT_PAGE)  # every page asks
    accepted = post_form(client, CONSENT_PAGE, CONSENT_PAGE + "?next=/gemeenschappen")
    assert accepted.headers["Location"] == "/gemeenschappen"
    assert "Bedankt. Je hebt de privacyverklaring geaccepteerd." in client.get(
        "/gemeenschappen"
    ).get_data(as_text=True)
    assert rows(person) == [("2026-11", None)]
    assert login_client(person).get("/gemeenschappen").status_code == 200  # not again


def test_the_question_costs_one_statement_per_login(person, login_client, count_queries):
    with count_queries() as counted:
        client = login_client(person)
    assert len([s for s in counted.statements if "FROM consent" in s]) == 1
    with count_queries() as counted:
        client.get("/gemeenschappen")
        client.get("/profiel")
    assert not [s for s in counted.statements if "consent" in s.lower()]


# -- plc create-admin and the demo ---------------------------------------------------------------


def _create_admin(app, *args: str, password: str = ADMIN_PASSWORD):
    return app.test_cli_runner().invoke(
        args=["plc", "create-admin", *args], input=f"{password}\n{password}\n"
    )


def test_an_admin_made_on_the_command_line_accepts_at_the_first_login(app, login_client) -> None:
    result = _create_admin(app, "nieuw.beheer@example.org")
    assert result.exit_code == 0, result.output
    assert "accept the privacy statement" in result.output
    admin = db.session.scalars(
        sa.select(User).where(User.email == "nieuw.beheer@example.org")
    ).one()
    assert admin.is_admin
    assert rows(admin) == []  # nobody consented on their behalf
    client = login_client(admin, ADMIN_PASSWORD)
    assert client.get("/beheer/").headers["Location"] == CONSENT_PAGE + "?next=/beheer/"
    post_form(client, CONSENT_PAGE)
    assert rows(admin) == [("2026-11", None)]
    assert client.get("/beheer/").status_code == 200


def test_a_promoted_account_keeps_its_consent(app, create_user, login_client) -> None:
    teacher = create_user(email="leraar@example.org")
    result = _create_admin(app, "leraar@example.org")
    assert result.exit_code == 0 and "Promoted" in result.output
    assert "accept the privacy statement" not in result.output
    assert rows(teacher) == [("2026-11", None)]
    assert login_client(teacher).get("/beheer/").status_code == 200


def test_the_demo_people_have_all_consented(demo_data, login_client) -> None:
    from plc.auth.demo import DEMO_PASSWORD

    demo_data()
    without = db.session.scalars(
        sa.select(User.email).where(
            ~sa.exists().where(
                Consent.user_id == User.id,
                Consent.document == ConsentDocument.PRIVACY_STATEMENT,
                Consent.version == "2026-11",
                Consent.withdrawn_at.is_(None),
            )
        )
    ).all()
    assert without == []
    teacher = db.session.scalars(
        sa.select(User).where(User.email.like("%@esprit.example.org")).order_by(User.id)
    ).first()
    assert login_client(teacher, DEMO_PASSWORD).get("/gemeenschappen").status_code == 200
