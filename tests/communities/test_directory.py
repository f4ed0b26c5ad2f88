"""The directory: filters, full-text search on both backends, pagination, fixed statement count."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from plc.auth.models import CareerStage, SchoolType
from plc.communities import services
from plc.communities.models import Community
from plc.extensions import db
from plc.organisations.models import OrganisationRole
from plc.themes.models import Theme
from plc.themes.services import install_default_themes


def _names(page: str) -> list[str]:
    return re.findall(r'<h3 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', page)


@pytest.fixture
def themes() -> dict[str, Theme]:
    install_default_themes()
    db.session.commit()
    return {t.slug: t for t in db.session.scalars(sa.select(Theme))}


def test_filters_by_theme_school_type_career_stage_and_organisation(
    client, themes, create_user, create_organisation, give_role, create_community
):
    school = create_organisation(name="Berlage Lyceum")
    owner = create_user()
    give_role(owner, school)
    create_community(
        owner=owner,
        organisation=school,
        name="Lezen in groep 5",
        theme_ids=[themes["taal-en-lezen"].id],
        school_types=[SchoolType.PRIMARY],
        career_stages=[CareerStage.STARTER],
    )
    create_community(
        name="Wiskunde en formatief evalueren",
        theme_ids=[themes["formatief-evalueren"].id],
        school_types=[SchoolType.SECONDARY],
        career_stages=[CareerStage.EXPERIENCED, CareerStage.EXPERT],
    )
    assert _names(client.get("/gemeenschappen?thema=taal-en-lezen").get_data(as_text=True)) == [
        "Lezen in groep 5"
    ]
    assert _names(client.get("/gemeenschappen?schooltype=vo").get_data(as_text=True)) == [
        "Wiskunde en formatief evalueren"
    ]
    assert _names(client.get("/gemeenschappen?loopbaanfase=starter").get_data(as_text=True)) == [
        "Lezen in groep 5"
    ]
    assert _names(
        client.get(f"/gemeenschappen?organisatie={school.id}").get_data(as_text=True)
    ) == ["Lezen in groep 5"]
    assert (
        len(
            _names(
                client.get("/gemeenschappen?schooltype=onzin&loopbaanfase=x").get_data(as_text=True)
            )
        )
        == 2
    )


def test_cross_school_filter(client, create_user, create_organisation, give_role, create_community):
    create_community(name="Alleen eigen school")
    shared = create_community(name="Samen met de buren")
    neighbour = create_organisation()
    leader = create_user()
    give_role(leader, neighbour, OrganisationRole.SCHOOL_LEADER)
    row = services.invite_co_owner(shared, neighbour, leader)
    services.decide_co_ownership(row, accept=True, contact=leader, acting=leader)
    db.session.commit()
    assert _names(client.get("/gemeenschappen?schooloverstijgend=1").get_data(as_text=True)) == [
        "Samen met de buren"
    ]


def test_search_ranks_name_matches_first_and_ignores_accents(client, create_community):
    create_community(
        name="Praktijkgericht onderzoek", summary="Over differentiëren in de klas en meer."
    )
    create_community(
        name="Differentiëren in de bovenbouw", summary="Verschillen tussen leerlingen."
    )
    create_community(name="Rekenen", summary="Sommen.")
    page = client.get("/gemeenschappen?q=differentieren").get_data(as_text=True)
    assert _names(page) == ["Differentiëren in de bovenbouw", "Praktijkgericht onderzoek"]
    # Prefixes match, several words must all match, and operators in input are harmless.
    assert _names(client.get("/gemeenschappen?q=differen bovenb").get_data(as_text=True)) == [
        "Differentiëren in de bovenbouw"
    ]
    assert client.get('/gemeenschappen?q=" OR * NEAR( -"').status_code == 200
    assert len(_names(client.get("/gemeenschappen?q=!!!").get_data(as_text=True))) == 3


def test_search_sees_edits_and_deletions(client, create_user, create_community):
    community = create_community(name="Burgerschap in het mbo")
    assert _names(client.get("/gemeenschappen?q=burgerschap").get_data(as_text=True)) == [
        "Burgerschap in het mbo"
    ]
    community.name = "Democratie in de klas"
    db.session.commit()
    assert _names(client.get("/gemeenschappen?q=burgerschap").get_data(as_text=True)) == []
    assert _names(client.get("/gemeenschappen?q=democratie").get_data(as_text=True)) == [
        "Democratie in de klas"
    ]
    db.session.delete(community)
    db.session.commit()
    assert _names(client.get("/gemeenschappen?q=democratie").get_data(as_text=True)) == []


def test_common_words_are_found(client, create_community):
    create_community(name="De leerling centraal", summary="Het gaat om de leerling.")
    create_community(name="Lesson study", summary="Samen een les ontwerpen.")
    names = _names(client.get("/gemeenschappen?q=leerling").get_data(as_text=True))
    assert names == ["De leerling centraal"]


def test_pagination(client, create_user, create_organisation, give_role, create_community):
    owner = create_user()
    school = create_organisation()
    give_role(owner, school)
    for n in range(25):
        create_community(owner=owner, organisation=school, name=f"Gemeenschap {n:02d}")
    first = _names(client.get("/gemeenschappen").get_data(as_text=True))
    second = _names(client.get("/gemeenschappen?page=2").get_data(as_text=True))
    assert len(first) == 20 and len(second) == 5 and not set(first) & set(second)


def test_directory_statement_count_does_not_grow(
    client,
    login_client,
    themes,
    create_user,
    create_organisation,
    give_role,
    create_community,
    count_queries,
):
    owner = create_user()
    school = create_organisation()
    give_role(owner, school)
    viewer = login_client(create_user())

    def make(count: int) -> None:
        for n in range(count):
            create_community(
                owner=owner,
                organisation=school,
                name=f"Gemeenschap {n}-{count}",
                theme_ids=[themes["rekenen"].id, themes["burgerschap"].id],
                school_types=[SchoolType.PRIMARY],
                career_stages=[CareerStage.STARTER],
            )

    make(10)
    with count_queries() as small:
        assert viewer.get("/gemeenschappen").status_code == 200
    make(90)
    with count_queries() as large:
        page = viewer.get("/gemeenschappen").get_data(as_text=True)
    assert len(_names(page)) == 20
    assert small.count == large.count
    assert large.count <= 10
    with count_queries() as searched:
        viewer.get("/gemeenschappen?q=gemeenschap&thema=rekenen")
    assert searched.count == large.count


def test_start_page_shows_my_communities_or_public_ones(
    client, login_client, create_user, create_community, add_member
):
    from plc.communities.models import Visibility

    create_community(name="Open voor iedereen")
    create_community(name="Alleen op uitnodiging", visibility=Visibility.INVITE)
    page = client.get("/").get_data(as_text=True)
    assert "Open voor iedereen" in page and "Alleen op uitnodiging" not in page
    teacher = create_user()
    hidden = db.session.scalars(
        sa.select(Community).where(Community.name == "Alleen op uitnodiging")
    ).one()
    add_member(hidden, teacher)
    page = login_client(teacher).get("/").get_data(as_text=True)
    assert "Alleen op uitnodiging" in page and "Open voor iedereen" not in page


def test_community_home_and_member_list_statement_counts_do_not_grow(
    login_client,
    create_user,
    create_organisation,
    give_role,
    create_community,
    add_member,
    count_queries,
):
    owner = create_user()
    community = create_community(owner=owner)
    viewer = login_client(owner)

    home_path = f"/gemeenschappen/{community.slug}"  # built outside the counted blocks

    def measure() -> tuple[int, int]:
        with count_queries() as home:
            assert viewer.get(home_path).status_code == 200
        with count_queries() as members:
            assert viewer.get(f"{home_path}/leden").status_code == 200
        return home.count, members.count

    small = measure()
    partners = []
    for _ in range(3):
        other = create_organisation()
        partners.append(other.name)
        leader = create_user()
        give_role(leader, other, OrganisationRole.SCHOOL_LEADER)
        row = services.invite_co_owner(community, other, leader)
        services.decide_co_ownership(row, accept=True, contact=leader, acting=leader)
        db.session.commit()
    for _ in range(30):
        member = create_user(career_stage=CareerStage.EXPERIENCED)
        give_role(member, create_organisation())
        add_member(community, member)
    large = measure()
    assert small == large
    assert max(large) <= 10
    # Co-owners come joined to the community row: every one of them is still there.
    home = viewer.get(home_path).get_data(as_text=True)
    assert all(name in home for name in partners)
