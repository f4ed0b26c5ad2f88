"""Who sees what, per role. What a person may not see answers 404, as if it did not exist."""

from __future__ import annotations

import pytest

from plc.communities import services
from plc.communities.models import MemberRole, Visibility
from plc.extensions import db
from plc.organisations.models import OrganisationRole

ROLES = [
    "anonymous",
    "outsider",
    "member",
    "facilitator",
    "owner",
    "contact",
    "org_admin",
    "platform_admin",
]


@pytest.fixture
def world(create_user, create_organisation, give_role, create_community, add_member):
    """One community of each visibility, and one person in each role towards all of them."""
    people = {
        role: create_user(email=f"{role}@example.org", display_name=role.title())
        for role in ROLES[1:]
    }
    db.session.get(type(people["platform_admin"]), people["platform_admin"].id).is_admin = True
    db.session.commit()
    home = create_organisation(name="Eigen School")
    give_role(people["owner"], home)
    partner = create_organisation(name="Partner School")
    give_role(people["contact"], partner)
    give_role(people["org_admin"], partner, OrganisationRole.ADMIN)
    communities = {}
    for visibility in Visibility:
        community = create_community(
            owner=people["owner"],
            organisation=home,
            visibility=visibility,
            name=f"Gemeenschap {visibility.value}",
            description=f"Geheime inhoud {visibility.value}",
        )
        add_member(community, people["member"])
        add_member(community, people["facilitator"], MemberRole.FACILITATOR)
        row = services.invite_co_owner(community, partner, people["owner"])
        services.decide_co_ownership(
            row, accept=True, contact=people["contact"], acting=people["org_admin"]
        )
        db.session.commit()
        communities[visibility] = community
    return people, communities


def _client(role, people, client, login_client):
    return client if role == "anonymous" else login_client(people[role])


#: (visibility, path suffix) → roles that get 200; everyone else gets 404 (or a login redirect).
EXPECTED_OK = {
    (Visibility.PUBLIC, ""): set(ROLES),
    (Visibility.PUBLIC, "/leden"): set(ROLES),
    (Visibility.REQUEST, ""): set(ROLES),
    (Visibility.REQUEST, "/leden"): {"member", "facilitator", "owner", "contact", "platform_admin"},
    (Visibility.INVITE, ""): {"member", "facilitator", "owner", "contact", "platform_admin"},
    (Visibility.INVITE, "/leden"): {"member", "facilitator", "owner", "contact", "platform_admin"},
    (Visibility.INVITE, "/eigenaren"): {
        "member",
        "facilitator",
        "owner",
        "contact",
        "platform_admin",
    },
    (Visibility.PUBLIC, "/bewerken"): {"facilitator", "owner", "platform_admin"},
    (Visibility.INVITE, "/bewerken"): {"facilitator", "owner", "platform_admin"},
    (Visibility.INVITE, "/uitnodigen"): {"facilitator", "owner", "platform_admin"},
}


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, world, client, login_client):
    people, communities = world
    browser = _client(role, people, client, login_client)
    for (visibility, suffix), allowed in EXPECTED_OK.items():
        response = browser.get(f"/gemeenschappen/{communities[visibility].slug}{suffix}")
        if role in allowed:
            assert response.status_code == 200, (role, visibility, suffix)
        elif role == "anonymous" and suffix in ("/bewerken", "/uitnodigen", "/eigenaren"):
            assert response.status_code in (302, 404), (role, visibility, suffix)
        else:
            assert response.status_code == 404, (role, visibility, suffix)


@pytest.mark.parametrize("role", ROLES)
def test_content_of_on_request_community_only_for_insiders(role, world, client, login_client):
    people, communities = world
    page = (
        _client(role, people, client, login_client)
        .get(f"/gemeenschappen/{communities[Visibility.REQUEST].slug}")
        .get_data(as_text=True)
    )
    insiders = {"member", "facilitator", "owner", "contact", "platform_admin"}
    assert ("Geheime inhoud request" in page) == (role in insiders)


@pytest.mark.parametrize("role", ROLES)
def test_invite_only_community_is_absent_from_directory_and_search(
    role, world, client, login_client
):
    people, communities = world
    browser = _client(role, people, client, login_client)
    insiders = {"member", "facilitator", "owner", "contact", "platform_admin"}
    for path in (
        "/gemeenschappen",
        "/gemeenschappen?q=gemeenschap",
        "/gemeenschappen?q=geheime+inhoud",
    ):
        page = browser.get(path).get_data(as_text=True)
        assert ("Gemeenschap invite" in page) == (role in insiders), (role, path)
        assert "Gemeenschap public" in page and "Gemeenschap request" in page
    page = browser.get("/gemeenschappen?q=invite").get_data(as_text=True)
    assert ("Gemeenschap invite" in page) == (role in insiders)
    assert "Gemeenschap public" not in page
    # The co-owning organisation's page lists it only for insiders too.
    partner_page = browser.get(
        "/organisaties/" + communities[Visibility.INVITE].owners[1].organisation.slug
    )
    assert ("Gemeenschap invite" in partner_page.get_data(as_text=True)) == (role in insiders)


def test_outsiders_cannot_act_on_an_invite_only_community(world, login_client):
    people, communities = world
    community = communities[Visibility.INVITE]
    outsider = login_client(people["outsider"])
    for path in ("/deelnemen", "/verlaten", "/status", "/uitnodigen"):
        assert (
            outsider.submit(
                f"/gemeenschappen/{community.slug}{path}",
                {"status": "closed", "who": "x@example.org"},
            ).status_code
            == 404
        )
    db.session.commit()
    assert services.access_for(community, people["outsider"]).member is None


def test_members_cannot_do_facilitator_work(world, login_client):
    people, communities = world
    community = communities[Visibility.PUBLIC]
    member = login_client(people["member"])
    assert member.get(f"/gemeenschappen/{community.slug}/bewerken").status_code == 404
    assert (
        member.submit(
            f"/gemeenschappen/{community.slug}/uitnodigen", {"who": "x@example.org"}
        ).status_code
        == 404
    )
    assert (
        member.submit(f"/gemeenschappen/{community.slug}/status", {"status": "closed"}).status_code
        == 404
    )
    assert (
        member.submit(
            f"/gemeenschappen/{community.slug}/eigenaren", {"organisation": "Eigen School"}
        ).status_code
        == 404
    )
