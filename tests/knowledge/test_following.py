"""Following themes, personally and for a school (/kennisbank/volgen and the one-theme buttons)."""

from __future__ import annotations

import re

import pytest
from flask import g, render_template_string

from plc.core.errors import ServiceError
from plc.extensions import db
from plc.knowledge import services
from plc.notifications.models import DigestFrequency, NotificationSettings
from plc.organisations.models import OrganisationRole

PAGE = "/kennisbank/volgen"


@pytest.fixture
def theme(create_theme):
    return create_theme(
        "Formatief evalueren", slug="formatief-evalueren", name_en="Formative assessment"
    )


@pytest.fixture
def english_user(create_user):
    """Pages are checked in English, the source language, whatever the Dutch catalogue says."""

    def build(**fields):
        return create_user(preferred_language="en", **fields)

    return build


def _follows(user=None, school=None) -> set[int]:
    db.session.commit()
    return services.followed_theme_ids(user, school)


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_a_teacher_follows_and_unfollows_a_theme_personally(
    login_client, english_user, create_theme, theme
):
    hidden = create_theme("Oud thema", name_en="Old theme", active=False)
    user = english_user()
    client = login_client(user)

    page = client.get(PAGE).get_data(as_text=True)
    assert "Formative assessment" in page and "Old theme" not in page
    assert "For yourself" in page

    response = client.submit(f"{PAGE}/formatief-evalueren")
    assert response.status_code == 302 and response.headers["Location"] == PAGE
    assert _follows(user) == {theme.id}
    page = client.get(PAGE).get_data(as_text=True)
    assert "You now follow Formative assessment." in page
    assert f'action="{PAGE}/formatief-evalueren/stoppen"' in page

    client.submit(f"{PAGE}/formatief-evalueren")  # again: still one subscription
    assert _follows(user) == {theme.id}
    client.submit(f"{PAGE}/formatief-evalueren/stoppen")
    assert _follows(user) == set()
    assert hidden.id not in _follows(user)


@pytest.mark.parametrize(
    "role", [OrganisationRole.SCHOOL_LEADER, OrganisationRole.HR_ADVISOR, OrganisationRole.ADMIN]
)
def test_a_school_leader_or_hr_advisor_follows_for_the_school(
    login_client, english_user, create_organisation, give_role, theme, role
):
    school = create_organisation(name="Barlaeus Gymnasium", slug="barlaeus")
    user = english_user()
    give_role(user, school, role)
    client = login_client(user)

    page = client.get(PAGE).get_data(as_text=True)
    assert "For Barlaeus Gymnasium" in page
    assert 'name="school" value="barlaeus"' in page

    client.submit(f"{PAGE}/formatief-evalueren", {"school": "barlaeus"})
    assert _follows(school=school) == {theme.id}
    assert _follows(user) == set()  # the school's subscription, not the person's
    client.submit(f"{PAGE}/formatief-evalueren/stoppen", {"school": "barlaeus"})
    assert _follows(school=school) == set()


def test_a_teacher_cannot_follow_for_their_school(
    login_client, english_user, create_organisation, give_role, theme
):
    school = create_organisation(name="Barlaeus Gymnasium", slug="barlaeus")
    elsewhere = create_organisation(slug="elders")
    user = english_user()
    give_role(user, school, OrganisationRole.TEACHER)
    client = login_client(user)
    assert "For Barlaeus Gymnasium" not in client.get(PAGE).get_data(as_text=True)

    for slug in ("barlaeus", "elders"):
        response = client.submit(f"{PAGE}/formatief-evalueren", {"school": slug})
        assert response.status_code == 403
        assert "Only a school leader or HR advisor" in response.get_data(as_text=True)
    assert _follows(school=school) == set() and _follows(school=elsewhere) == set()
    assert _follows(user) == set()


def test_a_school_leader_cannot_unfollow_for_another_school(
    login_client, english_user, create_user, create_organisation, give_role, theme
):
    school = create_organisation(slug="barlaeus")
    leader = create_user()
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    services.follow_theme(theme, leader, school)
    db.session.commit()
    other = english_user()
    give_role(other, create_organisation(), OrganisationRole.SCHOOL_LEADER)

    response = login_client(other).submit(
        f"{PAGE}/formatief-evalueren/stoppen", {"school": "barlaeus"}
    )

    assert response.status_code == 403
    assert _follows(school=school) == {theme.id}


def test_bad_requests_change_nothing(login_client, english_user, create_theme, theme):
    hidden = create_theme("Oud thema", slug="oud-thema", active=False)
    user = english_user()
    client = login_client(user)

    assert (
        client.post(f"{PAGE}/formatief-evalueren", base_url="https://localhost").status_code == 400
    )
    assert client.submit(f"{PAGE}/bestaat-niet").status_code == 404
    assert (
        client.submit(f"{PAGE}/formatief-evalueren", {"school": "bestaat-niet"}).status_code == 404
    )
    assert client.submit(f"{PAGE}/oud-thema").status_code == 404  # hidden: no longer chosen
    assert _follows(user) == set()

    # …but someone who followed it before it was hidden can still stop.
    hidden.active = True
    services.follow_theme(hidden, user)
    hidden.active = False
    db.session.commit()
    with pytest.raises(ServiceError):
        services.follow_theme(hidden, user)
    db.session.rollback()
    assert client.submit(f"{PAGE}/oud-thema/stoppen").status_code == 302
    assert _follows(user) == set()


def test_next_keeps_the_person_on_the_site(login_client, english_user, theme):
    client = login_client(english_user())
    back = client.submit(f"{PAGE}/formatief-evalueren", {"next": "/kennisbank?thema=x"})
    assert back.headers["Location"] == "/kennisbank?thema=x"
    away = client.submit(f"{PAGE}/formatief-evalueren/stoppen", {"next": "https://evil.example/"})
    assert away.headers["Location"] == PAGE


def test_the_page_says_what_reaches_the_person_through_their_school(
    login_client, english_user, create_user, create_organisation, give_role, theme
):
    school = create_organisation(name="Barlaeus Gymnasium")
    leader = create_user()
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    services.follow_theme(theme, leader, school)
    teacher = english_user()
    give_role(teacher, school)
    db.session.add(NotificationSettings(user_id=teacher.id, digest=DigestFrequency.OFF))
    db.session.commit()

    page = login_client(teacher).get(PAGE).get_data(as_text=True)

    assert "Through your school: Barlaeus Gymnasium" in page
    assert "Your e-mail summaries are switched off" in page


def test_the_partial_offers_buttons_for_the_person_and_their_schools(
    app, english_user, create_organisation, give_role, theme
):
    school = create_organisation(name="Barlaeus Gymnasium", slug="barlaeus")
    user = english_user()
    give_role(user, school, OrganisationRole.HR_ADVISOR)
    services.follow_theme(theme, user, school)
    db.session.commit()
    template = '{% include "knowledge/_follow_theme.html" %}'

    with app.test_request_context(
        "/kennisbank?thema=formatief-evalueren", headers={"Cookie": "plc_lang=en"}
    ):
        anonymous = render_template_string(template, theme=theme)
        g._login_user = user  # what Flask-Login's current_user reads; the real login needs HTTP
        html = render_template_string(template, theme=theme)

    assert "Log in to follow Formative assessment" in anonymous
    assert "next=/kennisbank?thema%3Dformatief-evalueren" in anonymous.replace("%2F", "/")
    forms = re.findall(r'<form method="post" action="([^"]+)">', html)
    assert forms == [f"{PAGE}/formatief-evalueren", f"{PAGE}/formatief-evalueren/stoppen"]
    assert "Follow Formative assessment" in html
    assert "Stop following Formative assessment for Barlaeus Gymnasium" in html
    assert html.count('name="next" value="/kennisbank?thema=formatief-evalueren"') == 2
    assert html.count('name="csrf_token"') == 2


def test_the_page_takes_the_same_statements_for_few_or_many_themes(
    login_client, english_user, create_theme, create_organisation, give_role, count_queries
):
    user = english_user()
    for _ in range(2):
        school = create_organisation()
        give_role(user, school, OrganisationRole.SCHOOL_LEADER)
    client = login_client(user)

    def statements() -> int:
        with count_queries() as counted:
            assert client.get(PAGE).status_code == 200
        return counted.count

    for _ in range(2):
        services.follow_theme(create_theme(), user)
    db.session.commit()
    few = statements()
    for _ in range(15):
        services.follow_theme(create_theme(), user)
    db.session.commit()
    assert statements() == few
    assert few <= 10


def test_the_knowledge_base_leads_to_following(login_client, english_user, theme, create_output):
    create_output(themes=[theme])
    client = login_client(english_user())
    everything = client.get("/kennisbank").get_data(as_text=True)
    assert 'href="/kennisbank/volgen"' in everything
    on_theme = client.get(f"/kennisbank?thema={theme.slug}").get_data(as_text=True)
    assert f'action="/kennisbank/volgen/{theme.slug}"' in on_theme
