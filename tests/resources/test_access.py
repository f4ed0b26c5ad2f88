"""Who reads, adds, changes and downloads resources, per role. What a person may not see answers
404, as if it did not exist (anonymous visitors of pages that need a login are sent to log in)."""

from __future__ import annotations

import io

import pytest

from plc.communities import services as communities
from plc.communities.models import CommunityStatus, MemberRole, Visibility
from plc.extensions import db
from plc.organisations.models import OrganisationRole
from plc.resources import services
from tests.resources.conftest import PDF

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
READERS = {"member", "facilitator", "owner", "contact", "platform_admin"}
MEMBERS = {"member", "facilitator", "owner"}


@pytest.fixture
def world(create_user, create_organisation, give_role, create_community, add_member):
    """One community of each visibility with one file from the member, and a person in each
    role towards all of them."""
    people = {
        role: create_user(email=f"{role}@example.org", display_name=role.title())
        for role in ROLES[1:]
    }
    people["platform_admin"].is_admin = True
    db.session.commit()
    home = create_organisation(name="Eigen School")
    give_role(people["owner"], home)
    partner = create_organisation(name="Partner School")
    give_role(people["contact"], partner)
    give_role(people["org_admin"], partner, OrganisationRole.ADMIN)
    places = {}
    for visibility in Visibility:
        community = create_community(
            owner=people["owner"],
            organisation=home,
            visibility=visibility,
            name=f"Gemeenschap {visibility.value}",
        )
        add_member(community, people["member"])
        add_member(community, people["facilitator"], MemberRole.FACILITATOR)
        row = communities.invite_co_owner(community, partner, people["owner"])
        communities.decide_co_ownership(
            row, accept=True, contact=people["contact"], acting=people["org_admin"]
        )
        resource = services.add_file(
            communities.access_for(community, people["member"]),
            people["member"],
            services.ResourceFields(title=f"Lesplan {visibility.value}"),
            io.BytesIO(PDF),
            "lesplan.pdf",
        )
        db.session.commit()
        places[visibility] = (community, resource)
    return people, places


def _client(role, people, client, login_client):
    return client if role == "anonymous" else login_client(people[role])


def _paths(community, resource):
    base = f"/gemeenschappen/{community.slug}/materiaal"
    return {
        "library": base,
        "show": f"{base}/{resource.id}",
        "download": f"{base}/{resource.id}/download",
        "version 1": f"{base}/{resource.id}/versies/1/download",
        "new": f"{base}/nieuw",
        "new version": f"{base}/{resource.id}/versie",
    }


@pytest.mark.parametrize("role", ROLES)
def test_reading_and_downloading_per_role(role, world, client, login_client):
    people, places = world
    browser = _client(role, people, client, login_client)
    for visibility, (community, resource) in places.items():
        readers = set(ROLES) if visibility == Visibility.PUBLIC else READERS
        for name in ("library", "show", "download", "version 1"):
            response = browser.get(_paths(community, resource)[name])
            expected = 200 if role in readers else 404
            assert response.status_code == expected, (role, visibility, name)
            if name.startswith(("download", "version")) and expected == 200:
                assert response.data == PDF
            response.close()


@pytest.mark.parametrize("role", ROLES)
def test_only_members_add_resources(role, world, client, login_client):
    people, places = world
    browser = _client(role, people, client, login_client)
    for visibility, (community, resource) in places.items():
        response = browser.get(_paths(community, resource)["new"])
        if role == "anonymous":
            assert response.status_code == 302 and "/inloggen" in response.location
        else:
            expected = 200 if role in MEMBERS else 404
            assert response.status_code == expected, (role, visibility)


@pytest.mark.parametrize("role", ROLES)
def test_new_versions_by_the_uploader_or_a_facilitator(role, world, client, login_client):
    people, places = world
    browser = _client(role, people, client, login_client)
    allowed = {"member", "facilitator", "owner", "platform_admin"}  # member = the uploader
    for visibility, (community, resource) in places.items():
        response = browser.get(_paths(community, resource)["new version"])
        if role == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if role in allowed else 404), (role, visibility)


def test_another_member_cannot_change_someone_elses_resource(
    world, create_user, add_member, login_client
):
    _people, places = world
    community, resource = places[Visibility.PUBLIC]
    colleague = create_user()
    add_member(community, colleague)
    browser = login_client(colleague)
    paths = _paths(community, resource)
    assert browser.get(paths["new version"]).status_code == 404
    assert browser.submit(paths["show"] + "/verwijderen").status_code == 404
    db.session.refresh(resource)
    assert resource.deleted_at is None
    # They may still add their own.
    assert browser.get(paths["new"]).status_code == 200


def test_a_request_to_join_is_not_membership(world, create_user, login_client):
    _people, places = world
    community, resource = places[Visibility.REQUEST]
    applicant = create_user()
    communities.request_to_join(community, applicant, "graag")
    db.session.commit()
    browser = login_client(applicant)
    for path in _paths(community, resource).values():
        assert browser.get(path).status_code == 404, path


def test_closed_community_is_an_archive(world, login_client):
    people, places = world
    community, resource = places[Visibility.INVITE]
    communities.set_status(community, CommunityStatus.CLOSED)
    db.session.commit()
    browser = login_client(people["member"])
    paths = _paths(community, resource)
    assert browser.get(paths["library"]).status_code == 200
    with browser.get(paths["download"]) as response:
        assert response.data == PDF
    assert browser.get(paths["new"]).status_code == 404
    assert browser.get(paths["new version"]).status_code == 404
    assert browser.submit(paths["show"] + "/verwijderen").status_code == 404
    page = browser.get(paths["show"]).get_data(as_text=True)
    assert '/versie"' not in page and "/verwijderen" not in page


def test_unknown_and_foreign_ids_answer_404(world, login_client):
    people, places = world
    public, public_resource = places[Visibility.PUBLIC]
    _invite, secret_resource = places[Visibility.INVITE]
    browser = login_client(people["outsider"])
    base = f"/gemeenschappen/{public.slug}/materiaal"
    # A resource of another (invite-only) community, through a community the person reads.
    assert browser.get(f"{base}/{secret_resource.id}").status_code == 404
    assert browser.get(f"{base}/{secret_resource.id}/download").status_code == 404
    assert browser.get(f"{base}/999999").status_code == 404
    assert browser.get(f"{base}/{public_resource.id}/versies/2/download").status_code == 404
    assert browser.get("/gemeenschappen/bestaat-niet/materiaal").status_code == 404
