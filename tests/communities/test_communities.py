"""Communities: creation, co-ownership, membership, invitations, roles, status."""

from __future__ import annotations

import re
import threading

import pytest
import sqlalchemy as sa

from plc.communities.models import (
    Community,
    CommunityMember,
    CommunityOwner,
    CommunityStatus,
    CoOwnerStatus,
    MemberRole,
    MemberStatus,
    Visibility,
)
from plc.core.outbox import OutboxMessage
from plc.extensions import db
from plc.organisations.models import OrganisationKind, OrganisationRole
from plc.themes.services import install_default_themes
from tests.conftest import PASSWORD, PlcClient


def _mails_to(address: str) -> list[OutboxMessage]:
    db.session.commit()
    return list(
        db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == address))
    )


def _fresh(community: Community) -> Community:
    db.session.commit()
    return db.session.get(Community, community.id)


def _member(community: Community, user) -> CommunityMember | None:
    db.session.commit()
    return db.session.scalar(
        sa.select(CommunityMember).where(
            CommunityMember.community_id == community.id, CommunityMember.user_id == user.id
        )
    )


# -- creating ----------------------------------------------------------------------------------


def test_teacher_with_a_role_starts_a_community(
    login_client, create_user, create_organisation, give_role
):
    install_default_themes()
    db.session.commit()
    teacher = create_user()
    school = create_organisation(name="Barlaeus Gymnasium")
    give_role(teacher, school)
    client = login_client(teacher)
    form = client.get("/gemeenschappen/nieuw").get_data(as_text=True)
    assert "Barlaeus Gymnasium" in form
    theme_id = re.search(r'name="themes"[^>]*value="(\d+)"', form).group(1)
    response = client.submit(
        "/gemeenschappen/nieuw",
        {
            "organisation": school.id,
            "name": "Formatief evalueren in de onderbouw",
            "summary": "Samen feedback geven die werkt.",
            "description": "## Aanpak\n\n- lesbezoek\n- intervisie\n\n<script>alert(1)</script>",
            "visibility": "public",
            "themes": theme_id,
            "school_types": "vo",
            "career_stages": ["experienced", "expert"],
        },
    )
    assert response.status_code == 302
    community = db.session.scalars(sa.select(Community)).one()
    assert response.headers["Location"] == f"/gemeenschappen/{community.slug}"
    assert community.slug == "formatief-evalueren-in-de-onderbouw"
    assert (
        "<script>" not in community.description_html
        and "<h3>Aanpak</h3>" in community.description_html
    )
    assert [t.school_type.value for t in community.school_types] == ["vo"]
    assert community.member_count == 1 and community.owner_count == 1
    owner = db.session.scalars(sa.select(CommunityOwner)).one()
    assert (owner.organisation_id, owner.status, owner.contact_id) == (
        school.id,
        CoOwnerStatus.ACCEPTED,
        teacher.id,
    )
    assert _member(community, teacher).role == MemberRole.OWNER
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Barlaeus Gymnasium" in page and "<h3>Aanpak</h3>" in page and "&lt;script&gt;" in page


def test_without_a_role_in_an_organisation_the_form_explains_what_to_do(
    login_client, create_user, create_organisation
):
    teacher = create_user()
    other_school = create_organisation()
    client = login_client(teacher)
    page = client.get("/gemeenschappen/nieuw").get_data(as_text=True)
    assert 'class="btn btn-primary" href="/organisaties"' in page and 'name="name"' not in page
    response = client.submit(
        "/gemeenschappen/nieuw",
        {"organisation": other_school.id, "name": "X", "summary": "Y", "visibility": "public"},
    )
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Community.id))) == 0


def test_invalid_community_form_keeps_input_and_creates_nothing(
    login_client, create_user, create_organisation, give_role
):
    teacher = create_user()
    school = create_organisation()
    give_role(teacher, school)
    client = login_client(teacher)
    response = client.submit(
        "/gemeenschappen/nieuw",
        {
            "organisation": school.id,
            "name": "",
            "summary": "Mijn samenvatting",
            "visibility": "public",
        },
    )
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 200
        and 'id="name-error"' in page
        and 'value="Mijn samenvatting"' in page
    )
    assert db.session.scalar(sa.select(sa.func.count(Community.id))) == 0


# -- co-ownership ------------------------------------------------------------------------------


def test_cross_school_co_ownership_is_invited_accepted_and_shown(
    login_client, create_user, create_organisation, give_role, create_community
):
    owner = create_user()
    community = create_community(owner=owner)
    other = create_organisation(name="Vossius Gymnasium")
    leader = create_user(email="rector@example.org")
    give_role(leader, other, OrganisationRole.SCHOOL_LEADER)
    contact = create_user(display_name="Joost Contact")
    give_role(contact, other)

    owner_client = login_client(owner)
    response = owner_client.submit(
        f"/gemeenschappen/{community.slug}/eigenaren", {"organisation": "vossius gymnasium"}
    )
    assert response.status_code == 302
    assert len(_mails_to("rector@example.org")) == 1
    assert not _fresh(community).is_cross_school

    # Only the organisation's speakers see its co-ownership page.
    assert owner_client.get(f"/organisaties/{other.slug}/mede-eigenaarschap").status_code == 404
    leader_client = login_client(leader)
    page = leader_client.get(f"/organisaties/{other.slug}/mede-eigenaarschap").get_data(
        as_text=True
    )
    assert community.name in page
    row = db.session.scalars(
        sa.select(CommunityOwner).where(CommunityOwner.organisation_id == other.id)
    ).one()
    response = leader_client.submit(
        f"/organisaties/{other.slug}/mede-eigenaarschap/{row.id}",
        {"decision": "accept", "contact": contact.id},
    )
    assert response.status_code == 302
    community = _fresh(community)
    assert community.owner_count == 2 and community.is_cross_school
    home = owner_client.get(f"/gemeenschappen/{community.slug}").get_data(as_text=True)
    assert "Vossius Gymnasium" in home and "Joost Contact" in home
    assert "School-overstijgend" in home


def test_contact_must_belong_to_the_accepting_organisation(
    login_client, create_user, create_organisation, give_role, create_community
):
    community = create_community()
    other = create_organisation()
    leader = create_user()
    give_role(leader, other, OrganisationRole.ADMIN)
    outsider = create_user()
    from plc.communities import services

    row = services.invite_co_owner(community, other, leader)
    db.session.commit()
    client = login_client(leader)
    client.submit(
        f"/organisaties/{other.slug}/mede-eigenaarschap/{row.id}",
        {"decision": "accept", "contact": outsider.id},
    )
    db.session.refresh(row)
    assert row.status == CoOwnerStatus.INVITED
    assert _fresh(community).owner_count == 1


def test_a_community_keeps_at_least_one_co_owner(login_client, create_user, create_community):
    owner = create_user()
    community = create_community(owner=owner)
    row = db.session.scalars(sa.select(CommunityOwner)).one()
    login_client(owner).submit(f"/gemeenschappen/{community.slug}/eigenaren/{row.id}/intrekken")
    assert db.session.scalar(sa.select(sa.func.count(CommunityOwner.id))) == 1
    assert _fresh(community).owner_count == 1


# -- membership --------------------------------------------------------------------------------


def test_join_and_leave_a_public_community(login_client, create_user, create_community):
    community = create_community()
    teacher = create_user()
    client = login_client(teacher)
    assert client.submit(f"/gemeenschappen/{community.slug}/deelnemen").status_code == 302
    assert _fresh(community).member_count == 2
    assert community.name in client.get("/").get_data(as_text=True)  # under "my communities"
    client.submit(f"/gemeenschappen/{community.slug}/verlaten")
    assert _fresh(community).member_count == 1
    assert _member(community, teacher) is None


def test_concurrent_joins_by_one_person_create_one_membership(app, create_user, create_community):
    community = create_community()
    teacher = create_user(email="dubbel@example.org")
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = app.config["LOGIN_RATE_LIMIT"] = "1000/minute"
    clients = []
    for _ in range(8):
        app.test_client_class = PlcClient
        client = app.test_client()
        client.login("dubbel@example.org", PASSWORD)
        clients.append((client, client.csrf_token()))
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    path = f"/gemeenschappen/{community.slug}/deelnemen"  # read here: threads have no app context

    def click(client, token) -> None:
        barrier.wait()
        response = client.post(
            path,
            data={"csrf_token": token},
            headers={"Referer": "https://localhost/"},
            base_url="https://localhost",
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=click, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 8
    db.session.commit()  # end the test's own read snapshot, taken before the threads wrote
    assert (
        db.session.scalar(
            sa.select(sa.func.count(CommunityMember.id)).where(
                CommunityMember.user_id == teacher.id
            )
        )
        == 1
    )
    assert _fresh(community).member_count == 2


def test_request_to_join_is_approved_by_a_facilitator(
    login_client, create_user, create_community, add_member
):
    owner = create_user(email="eigenaar@example.org")
    community = create_community(owner=owner, visibility=Visibility.REQUEST)
    facilitator = create_user(email="begeleider@example.org")
    add_member(community, facilitator, MemberRole.FACILITATOR)
    teacher = create_user(display_name="Aanvrager Een")
    client = login_client(teacher)
    # On request: the page exists, the content does not show.
    before = client.get(f"/gemeenschappen/{community.slug}")
    assert before.status_code == 200
    assert "Over deze leergemeenschap" not in before.get_data(as_text=True)
    client.submit(
        f"/gemeenschappen/{community.slug}/deelnemen", {"note": "Ik geef wiskunde in Oost."}
    )
    member = _member(community, teacher)
    assert member.status == MemberStatus.REQUESTED
    assert _fresh(community).member_count == 2
    assert (
        len(_mails_to("begeleider@example.org")) == 1
        and len(_mails_to("eigenaar@example.org")) == 1
    )
    # In the facilitator's language (Dutch by default).
    assert _mails_to("begeleider@example.org")[0].subject.startswith(
        "Aanvrager Een wil lid worden van"
    )
    assert (
        client.get(f"/gemeenschappen/{community.slug}/leden").status_code == 404
    )  # not yet a reader

    facilitator_client = login_client(facilitator)
    page = facilitator_client.get(f"/gemeenschappen/{community.slug}/leden").get_data(as_text=True)
    assert "Aanvrager Een" in page and "Ik geef wiskunde in Oost." in page
    facilitator_client.submit(
        f"/gemeenschappen/{community.slug}/leden/{member.id}/aanvraag", {"decision": "approve"}
    )
    assert _member(community, teacher).status == MemberStatus.ACTIVE
    assert _fresh(community).member_count == 3
    assert client.get(f"/gemeenschappen/{community.slug}/leden").status_code == 200


def test_declined_request_is_removed(login_client, create_user, create_community):
    owner = create_user()
    community = create_community(owner=owner, visibility=Visibility.REQUEST)
    teacher = create_user()
    login_client(teacher).submit(f"/gemeenschappen/{community.slug}/deelnemen")
    member = _member(community, teacher)
    login_client(owner).submit(
        f"/gemeenschappen/{community.slug}/leden/{member.id}/aanvraag", {"decision": "reject"}
    )
    assert _member(community, teacher) is None
    assert _fresh(community).member_count == 1


def test_public_join_is_not_possible_for_on_request_or_closed_communities(
    login_client, create_user, create_community
):
    from plc.communities import services

    teacher = create_user()
    closed = create_community(visibility=Visibility.PUBLIC)
    services.set_status(closed, CommunityStatus.CLOSED)
    db.session.commit()
    client = login_client(teacher)
    client.submit(f"/gemeenschappen/{closed.slug}/deelnemen")
    assert _member(closed, teacher) is None
    page = client.get(f"/gemeenschappen/{closed.slug}").get_data(as_text=True)
    assert f'action="/gemeenschappen/{closed.slug}/deelnemen"' not in page  # no join button


# -- invitations -------------------------------------------------------------------------------


def _invitation_path(address: str) -> str:
    body = _mails_to(address)[-1].body_text
    return re.search(r"https://leernetwerk\.example\.org(/uitnodiging/\S+)", body).group(1)


def test_invitation_by_email_reaches_someone_without_an_account(
    client, login_client, create_user, create_community
):
    owner = create_user()
    community = create_community(owner=owner, visibility=Visibility.INVITE)
    owner_client = login_client(owner)
    response = owner_client.submit(
        f"/gemeenschappen/{community.slug}/uitnodigen", {"who": "Nieuwe.Collega@Example.org"}
    )
    assert response.status_code == 302
    path = _invitation_path("nieuwe.collega@example.org")
    assert client.get(path).status_code == 200  # readable without login: it says what to do
    client.submit(
        "/registreren",
        {
            "display_name": "Nieuwe Collega",
            "email": "nieuwe.collega@example.org",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "accept_privacy": "y",
        },
    )
    assert client.submit(path).status_code == 302
    assert client.get(f"/gemeenschappen/{community.slug}").status_code == 200
    assert _fresh(community).member_count == 2
    # The link works once.
    assert client.get(path).status_code == 404


def test_invitation_by_name(login_client, create_user, create_community):
    owner = create_user()
    community = create_community(owner=owner)
    create_user(display_name="Sara Yilmaz", email="sara@example.org")
    create_user(display_name="Tom de Boer", email="tom1@example.org")
    create_user(display_name="Tom de Boer", email="tom2@example.org")
    client = login_client(owner)
    assert (
        client.submit(
            f"/gemeenschappen/{community.slug}/uitnodigen", {"who": "sara yilmaz"}
        ).status_code
        == 302
    )
    assert len(_mails_to("sara@example.org")) == 1
    response = client.submit(f"/gemeenschappen/{community.slug}/uitnodigen", {"who": "Tom de Boer"})
    assert response.status_code == 200 and 'id="who-error"' in response.get_data(as_text=True)
    response = client.submit(f"/gemeenschappen/{community.slug}/uitnodigen", {"who": "Sara Yilmaz"})
    assert 'id="who-error"' in response.get_data(as_text=True)  # already invited
    assert len(_mails_to("sara@example.org")) == 1


def test_withdrawn_invitation_no_longer_works(login_client, create_user, create_community):
    from plc.communities.models import CommunityInvitation

    owner = create_user()
    invitee = create_user(email="gast@example.org")
    community = create_community(owner=owner, visibility=Visibility.INVITE)
    owner_client = login_client(owner)
    owner_client.submit(f"/gemeenschappen/{community.slug}/uitnodigen", {"who": "gast@example.org"})
    path = _invitation_path("gast@example.org")
    invitation = db.session.scalars(sa.select(CommunityInvitation)).one()
    owner_client.submit(f"/gemeenschappen/{community.slug}/uitnodigingen/{invitation.id}/intrekken")
    guest = login_client(invitee)
    assert guest.get(path).status_code == 404
    guest.submit(path)
    assert _member(community, invitee) is None


# -- roles and removal -------------------------------------------------------------------------


def test_owner_changes_roles_but_the_last_owner_stays(
    login_client, create_user, create_community, add_member
):
    owner = create_user()
    community = create_community(owner=owner)
    teacher = create_user()
    member = add_member(community, teacher)
    owner_member = _member(community, owner)
    client = login_client(owner)
    client.submit(
        f"/gemeenschappen/{community.slug}/leden/{member.id}/rol", {"role": "facilitator"}
    )
    assert _member(community, teacher).role == MemberRole.FACILITATOR
    # The only owner can neither step down nor leave...
    client.submit(
        f"/gemeenschappen/{community.slug}/leden/{owner_member.id}/rol", {"role": "member"}
    )
    client.submit(f"/gemeenschappen/{community.slug}/verlaten")
    assert _member(community, owner).role == MemberRole.OWNER
    # ...until someone else is owner.
    client.submit(f"/gemeenschappen/{community.slug}/leden/{member.id}/rol", {"role": "owner"})
    client.submit(f"/gemeenschappen/{community.slug}/verlaten")
    assert _member(community, owner) is None
    assert _fresh(community).member_count == 1


def test_facilitator_removes_members_but_not_owners(
    login_client, create_user, create_community, add_member
):
    owner = create_user()
    community = create_community(owner=owner)
    facilitator = create_user()
    add_member(community, facilitator, MemberRole.FACILITATOR)
    teacher = create_user()
    member = add_member(community, teacher)
    client = login_client(facilitator)
    client.submit(
        f"/gemeenschappen/{community.slug}/leden/{_member(community, owner).id}/verwijderen"
    )
    assert _member(community, owner) is not None
    client.submit(f"/gemeenschappen/{community.slug}/leden/{member.id}/verwijderen")
    assert _member(community, teacher) is None
    assert _fresh(community).member_count == 2
    # A facilitator cannot hand out roles.
    response = client.submit(
        f"/gemeenschappen/{community.slug}/leden/{_member(community, facilitator).id}/rol",
        {"role": "owner"},
    )
    assert response.status_code == 404


def test_closed_community_is_a_read_only_archive(login_client, create_user, create_community):
    owner = create_user()
    community = create_community(owner=owner, description="Wat we leerden.")
    client = login_client(owner)
    client.submit(f"/gemeenschappen/{community.slug}/status", {"status": "active"})
    client.submit(f"/gemeenschappen/{community.slug}/status", {"status": "closed"})
    assert _fresh(community).status == CommunityStatus.CLOSED
    assert client.get(f"/gemeenschappen/{community.slug}/bewerken").status_code == 200
    response = client.submit(
        f"/gemeenschappen/{community.slug}/bewerken",
        {"name": "Nieuw", "summary": "x", "visibility": "public"},
    )
    assert response.status_code == 200
    assert _fresh(community).name != "Nieuw"
    assert client.get(f"/gemeenschappen/{community.slug}/uitnodigen").status_code == 404
    page = (
        login_client(create_user()).get(f"/gemeenschappen/{community.slug}").get_data(as_text=True)
    )
    assert "Wat we leerden." in page


def test_member_list_shows_school_and_stage_as_members_allow(
    login_client, create_user, create_community, create_organisation, give_role, add_member
):
    from plc.auth.models import CareerStage

    owner = create_user()
    community = create_community(owner=owner)
    open_person = create_user(display_name="Open Persoon", career_stage=CareerStage.EXPERT)
    give_role(open_person, create_organisation(name="Cygnus Gymnasium"))
    private_person = create_user(
        display_name="Private Persoon",
        career_stage=CareerStage.STARTER,
        show_profile_to_members=False,
    )
    give_role(private_person, create_organisation(name="Spinoza Lyceum"))
    add_member(community, open_person)
    add_member(community, private_person)
    page = login_client(owner).get(f"/gemeenschappen/{community.slug}/leden").get_data(as_text=True)
    assert "Cygnus Gymnasium" in page and "Spinoza Lyceum" not in page
    assert "Expertleraar" in page
    assert "Startende leraar" not in page and "Beginning teacher" not in page


@pytest.mark.parametrize("kind", [OrganisationKind.BOARD, OrganisationKind.TRAINING_SCHOOL])
def test_any_kind_of_organisation_can_co_own(
    kind, create_user, create_organisation, give_role, create_community
):
    from plc.communities import services

    community = create_community()
    other = create_organisation(kind=kind)
    admin = create_user()
    give_role(admin, other, OrganisationRole.ADMIN)
    row = services.invite_co_owner(community, other, admin)
    services.decide_co_ownership(row, accept=True, contact=admin, acting=admin)
    db.session.commit()
    assert _fresh(community).is_cross_school
