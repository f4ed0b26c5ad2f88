"""Who may open which dashboard, and its CSV files: everyone else gets a 404, as if the page did
not exist; anonymous visitors are sent to the login."""

from __future__ import annotations

import pytest

from plc.catalogue.models import QuestionVisibility
from plc.dashboards.access import dashboards_for

SCHOOL_READERS = ("leader", "hr", "board_member")
SCHOOL_OTHERS = ("teacher", "outsider", "other_leader", "coordinator", "admin")


def urls(world, which: str) -> list[str]:
    return {
        "school": [
            f"/dashboard/school/{world.school.slug}",
            f"/dashboard/school/{world.school.slug}/samenvatting.csv",
            f"/dashboard/school/{world.school.slug}/sessies-thema.csv",
        ],
        "board": [
            f"/dashboard/bestuur/{world.board.slug}",
            f"/dashboard/bestuur/{world.board.slug}/aanbod-maand.csv",
        ],
        "network": ["/dashboard/netwerk", "/dashboard/netwerk/besturen.csv"],
    }[which]


@pytest.mark.parametrize(
    ("who", "which", "status"),
    [
        *((who, "school", 200) for who in SCHOOL_READERS),
        *((who, "school", 404) for who in SCHOOL_OTHERS),
        ("hr", "board", 200),
        ("board_member", "board", 200),
        *((who, "board", 404) for who in ("leader", "teacher", "outsider", "coordinator", "admin")),
        ("coordinator", "network", 200),
        ("admin", "network", 200),
        *((who, "network", 404) for who in ("leader", "hr", "board_member", "teacher")),
    ],
)
def test_who_may_open_what(world, login_client, who, which, status):
    client = login_client(getattr(world, who))
    for url in urls(world, which):
        assert client.get(url).status_code == status, url


def test_anonymous_visitors_are_asked_to_log_in(world, client):
    for which in ("school", "board", "network"):
        for url in urls(world, which):
            response = client.get(url)
            assert response.status_code == 302 and "/inloggen" in response.location, url


def test_wrong_kinds_unknown_slugs_years_and_tables_are_not_found(world, login_client):
    client = login_client(world.hr)
    for url in (
        f"/dashboard/school/{world.board.slug}",  # a board is not a school
        f"/dashboard/bestuur/{world.school.slug}",
        "/dashboard/school/bestaat-niet",
        f"/dashboard/school/{world.school.slug}?jaar=1999-2000",
        f"/dashboard/school/{world.school.slug}?jaar=volgend-jaar",
        f"/dashboard/school/{world.school.slug}/bestaat-niet.csv",
        f"/dashboard/bestuur/{world.board.slug}/gemeenschappen-kleur.csv",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/dashboard/school/{world.school.slug}?onderdeel=onzin").status_code == 200


def test_a_board_leader_reads_every_school_of_the_board_and_no_other(world, login_client):
    client = login_client(world.hr)
    assert client.get(f"/dashboard/school/{world.other.slug}").status_code == 200
    assert client.get(f"/dashboard/school/{world.lone.slug}").status_code == 404


def test_the_overview_lists_what_each_person_may_open(world, login_client):
    available = dashboards_for(world.hr)
    assert [s.name for s in available.schools] == ["De Linde", "Het Baken"]
    assert [b.name for b in available.boards] == ["Stichting Amstel"]
    assert not available.network
    assert [s.name for s in dashboards_for(world.leader).schools] == ["De Linde"]
    assert dashboards_for(world.leader).boards == []
    assert [s.name for s in dashboards_for(world.board_member).schools] == ["De Linde", "Het Baken"]
    assert dashboards_for(world.coordinator).network
    assert not dashboards_for(world.teacher)

    page = login_client(world.hr).get("/dashboard").get_data(as_text=True)
    assert f'href="/dashboard/school/{world.school.slug}"' in page
    assert f'href="/dashboard/bestuur/{world.board.slug}"' in page
    assert 'href="/dashboard/netwerk"' not in page
    # those without a dashboard get a page that says why, not an error
    response = login_client(world.teacher).get("/dashboard")
    assert response.status_code == 200
    assert "You do not have one of those roles" in response.get_data(as_text=True)


def test_the_profile_points_to_the_dashboards_of_those_who_have_one(world, login_client):
    assert "My dashboards" in login_client(world.leader).get("/profiel").get_data(as_text=True)
    assert "My dashboards" not in login_client(world.teacher).get("/profiel").get_data(as_text=True)


def test_board_members_see_only_the_learning_questions_they_may_open(
    world, create_question, login_client
):
    public, own = (
        create_question(author=world.leader, school=world.school, title=title, visibility=shown)
        for title, shown in (
            ("Voor iedereen", QuestionVisibility.EVERYONE),
            ("Alleen voor de school", QuestionVisibility.SCHOOL),
        )
    )
    school = f"/dashboard/school/{world.school.slug}"
    page = login_client(world.leader).get(school).get_data(as_text=True)
    assert "Voor iedereen" in page and "Alleen voor de school" in page
    # a board member is no member of the school: the school's own questions are not theirs to
    # read, their titles included
    client = login_client(world.board_member)
    page = client.get(school).get_data(as_text=True)
    assert f'href="/leervragen/{public.id}">Voor iedereen</a>' in page
    assert "Alleen voor de school" not in page
    assert client.get(f"/leervragen/{public.id}").status_code == 200
    assert client.get(f"/leervragen/{own.id}").status_code == 404


def test_the_school_goals_link_is_there_for_those_who_may_open_it(world, login_client):
    goals = f'href="/organisaties/{world.school.slug}/schooldoelen"'
    for who in ("leader", "hr", "board_member"):  # a board member reads its figures only
        client = login_client(getattr(world, who))
        page = client.get(f"/dashboard/school/{world.school.slug}").get_data(as_text=True)
        assert goals in page, who
        opened = client.get(f"/organisaties/{world.school.slug}/schooldoelen")
        assert opened.status_code == 200, who
