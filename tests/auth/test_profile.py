"""The profile: career stage, school type, subjects, bio, preferred language."""

from __future__ import annotations

from plc.auth.models import CareerStage, SchoolType
from plc.extensions import db


def _profile(**data):
    return {
        "display_name": "Noa van Dijk",
        "career_stage": "experienced",
        "school_type": "vo",
        "subjects": "wiskunde, natuurkunde, Wiskunde",
        "bio": "Docent in Noord.",
        "preferred_language": "",
        **data,
    }


def test_profile_is_edited_and_shown(login_client, create_user):
    user = create_user()
    member = login_client(user)
    response = member.submit("/profiel/bewerken", _profile())
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.career_stage == CareerStage.EXPERIENCED
    assert user.school_type == SchoolType.SECONDARY
    assert user.subjects == ["wiskunde", "natuurkunde"]  # trimmed, no duplicates
    page = member.get("/profiel").get_data(as_text=True)
    assert (
        "Ervaren leraar" in page and "wiskunde, natuurkunde" in page and "Docent in Noord." in page
    )


def test_profile_form_is_filled_with_current_values(login_client, create_user):
    user = create_user(career_stage=CareerStage.STARTER, subjects=["groep 5"], bio="Hallo")
    page = login_client(user).get("/profiel/bewerken").get_data(as_text=True)
    assert '<option selected value="starter">' in page
    assert 'value="groep 5"' in page


def test_invalid_profile_changes_nothing_and_keeps_input(login_client, create_user):
    user = create_user(display_name="Origineel")
    member = login_client(user)
    response = member.submit(
        "/profiel/bewerken", _profile(display_name="Nieuwe Naam", bio="x" * 1001)
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="bio-error"' in page and 'value="Nieuwe Naam"' in page
    response = member.submit("/profiel/bewerken", _profile(career_stage="rector"))
    assert 'id="career_stage-error"' in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.display_name == "Origineel" and user.career_stage is None


def test_preferred_language_in_profile_sets_the_ui_language(login_client, create_user):
    user = create_user()
    member = login_client(user)
    member.submit("/profiel/bewerken", _profile(preferred_language="en"))
    assert '<html lang="en">' in member.get("/profiel").get_data(as_text=True)


def test_registration_remembers_the_language_in_use(client):
    client.submit("/taal", {"lang": "en", "next": "/"})
    client.submit(
        "/registreren",
        {
            "display_name": "Sam Taylor",
            "email": "sam@example.org",
            "password": "Vondelpark-fietsbel-42",
            "password_confirm": "Vondelpark-fietsbel-42",
            "accept_privacy": "y",
        },
    )
    import sqlalchemy as sa

    from plc.auth.models import User

    assert db.session.scalars(sa.select(User)).one().preferred_language == "en"


def test_profile_pages_need_login(client):
    for path in ("/profiel", "/profiel/bewerken", "/profiel/wachtwoord"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith(
            "/inloggen?next="
        )
