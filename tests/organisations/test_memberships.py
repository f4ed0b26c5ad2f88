"""Organisations: browsing, role claims that an admin approves, listing as members allow."""

from __future__ import annotations

import sqlalchemy as sa

from plc.core.outbox import OutboxMessage
from plc.extensions import db
from plc.organisations.models import (
    MembershipStatus,
    OrganisationKind,
    OrganisationMembership,
    OrganisationRole,
)


def _claim(client, organisation, role="teacher", note=""):
    return client.submit(f"/organisaties/{organisation.slug}/rol", {"role": role, "note": note})


def _membership(user, organisation) -> OrganisationMembership | None:
    db.session.commit()
    return db.session.scalar(
        sa.select(OrganisationMembership).where(
            OrganisationMembership.user_id == user.id,
            OrganisationMembership.organisation_id == organisation.id,
        )
    )


def test_claiming_a_role_is_a_request_until_an_admin_approves(
    login_client, create_user, create_organisation, give_role
):
    school = create_organisation(name="Montessori Lyceum Amsterdam")
    admin = create_user(email="schooladmin@example.org")
    give_role(admin, school, OrganisationRole.ADMIN)
    teacher = create_user(display_name="Noor Claim")
    client = login_client(teacher)
    assert _claim(client, school, "school_leader", "Ik ben de nieuwe rector.").status_code == 302
    membership = _membership(teacher, school)
    assert membership.status == MembershipStatus.REQUESTED
    assert (
        len(
            db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.recipient == "schooladmin@example.org")
            ).all()
        )
        == 1
    )
    # Nobody makes themself a school leader: the claimant cannot open the approvals page.
    assert client.get(f"/organisaties/{school.slug}/aanvragen").status_code == 404
    assert (
        client.submit(
            f"/organisaties/{school.slug}/aanvragen/{membership.id}", {"decision": "approve"}
        ).status_code
        == 404
    )
    assert _membership(teacher, school).status == MembershipStatus.REQUESTED

    admin_client = login_client(admin)
    page = admin_client.get(f"/organisaties/{school.slug}/aanvragen").get_data(as_text=True)
    assert "Noor Claim" in page and "Ik ben de nieuwe rector." in page
    admin_client.submit(
        f"/organisaties/{school.slug}/aanvragen/{membership.id}", {"decision": "approve"}
    )
    membership = _membership(teacher, school)
    assert membership.status == MembershipStatus.APPROVED and membership.decided_by_id == admin.id
    profile = client.get("/profiel").get_data(as_text=True)
    assert "Montessori Lyceum Amsterdam" in profile


def test_board_admin_approves_for_its_schools_and_platform_admin_when_nobody_else(
    login_client, create_user, create_organisation, give_role
):
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Voorbeeld")
    school = create_organisation(name="Voorbeeldschool", parent_id=board.id)
    board_admin = create_user()
    give_role(board_admin, board, OrganisationRole.ADMIN)
    teacher = create_user()
    _claim(login_client(teacher), school)
    assert (
        login_client(board_admin).get(f"/organisaties/{school.slug}/aanvragen").status_code == 200
    )

    lonely = create_organisation(name="School zonder beheerder")
    platform_admin = create_user(email="platform@example.org", is_admin=True)
    _claim(login_client(teacher), lonely)
    mails = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == "platform@example.org")
    ).all()
    assert len(mails) == 1
    assert (
        login_client(platform_admin).get(f"/organisaties/{lonely.slug}/aanvragen").status_code
        == 200
    )


def test_declined_claim_can_be_asked_again_but_not_twice_at_once(
    login_client, create_user, create_organisation, give_role
):
    school = create_organisation()
    admin = create_user()
    give_role(admin, school, OrganisationRole.ADMIN)
    teacher = create_user()
    client = login_client(teacher)
    _claim(client, school)
    response = _claim(client, school)
    assert response.status_code == 400 and 'id="role-error"' in response.get_data(as_text=True)
    membership = _membership(teacher, school)
    login_client(admin).submit(
        f"/organisaties/{school.slug}/aanvragen/{membership.id}", {"decision": "reject"}
    )
    assert _membership(teacher, school).status == MembershipStatus.REJECTED
    assert _claim(client, school).status_code == 302
    assert _membership(teacher, school).status == MembershipStatus.REQUESTED


def test_roles_offered_fit_the_kind_of_organisation(login_client, create_user, create_organisation):
    client = login_client(create_user())
    school = create_organisation()
    institute = create_organisation(
        kind=OrganisationKind.INSTITUTE, name="Hogeschool van Amsterdam"
    )
    assert 'value="school_leader"' in client.get(f"/organisaties/{school.slug}").get_data(
        as_text=True
    )
    institute_page = client.get(f"/organisaties/{institute.slug}").get_data(as_text=True)
    assert (
        'value="provider_staff"' in institute_page and 'value="school_leader"' not in institute_page
    )
    assert _claim(client, institute, "school_leader").status_code == 400


def test_people_list_shows_only_approved_and_listed_roles(
    client, login_client, create_user, create_organisation, give_role
):
    school = create_organisation()
    listed = create_user(display_name="Zichtbare Collega")
    give_role(listed, school)
    hidden = create_user(display_name="Verborgen Collega")
    hidden_role = give_role(hidden, school)
    pending = create_user(display_name="Wachtende Collega")
    _claim(login_client(pending), school)
    hider = login_client(hidden)
    hider.submit(f"/organisaties/rollen/{hidden_role.id}/zichtbaarheid")  # no "listed" field: hide
    page = client.get(f"/organisaties/{school.slug}").get_data(as_text=True)
    assert "Zichtbare Collega" in page
    assert "Verborgen Collega" not in page and "Wachtende Collega" not in page
    # Someone else cannot change my listing.
    assert (
        login_client(listed)
        .submit(f"/organisaties/rollen/{hidden_role.id}/zichtbaarheid", {"listed": "y"})
        .status_code
        == 404
    )


def test_giving_up_a_role(login_client, create_user, create_organisation, give_role):
    school = create_organisation()
    teacher = create_user()
    role = give_role(teacher, school)
    login_client(teacher).submit(f"/organisaties/rollen/{role.id}/beeindigen")
    assert _membership(teacher, school) is None


def test_browse_and_search_organisations(client, create_organisation):
    create_organisation(
        name="Barlaeus Gymnasium", city="AMSTERDAM", vestigingscode="16SW00", instellingscode="16SW"
    )
    create_organisation(kind=OrganisationKind.TRAINING_SCHOOL, name="Opleidingsschool ROSA")
    page = client.get("/organisaties?q=barlaeus").get_data(as_text=True)
    assert "Barlaeus Gymnasium" in page and "ROSA" not in page
    assert "Barlaeus Gymnasium" in client.get("/organisaties?q=16sw00").get_data(as_text=True)
    page = client.get("/organisaties?soort=training_school").get_data(as_text=True)
    assert "ROSA" in page and "Barlaeus" not in page
    assert client.get("/organisaties/bestaat-niet").status_code == 404


def test_only_platform_admins_add_organisations_and_admins_edit_theirs(
    login_client, create_user, create_organisation, give_role
):
    platform_admin = login_client(create_user(is_admin=True))
    response = platform_admin.submit(
        "/organisaties/nieuw",
        {"kind": "academy", "name": "Voorbeeld Academie", "city": "Amsterdam"},
    )
    assert response.status_code == 302
    teacher = create_user()
    assert login_client(teacher).get("/organisaties/nieuw").status_code == 404
    school = create_organisation()
    give_role(teacher, school)
    assert login_client(teacher).get(f"/organisaties/{school.slug}/bewerken").status_code == 404
    admin = create_user()
    give_role(admin, school, OrganisationRole.ADMIN)
    admin_client = login_client(admin)
    response = admin_client.submit(
        f"/organisaties/{school.slug}/bewerken",
        {"description": "Een school in Oost.", "website": "niet-een-adres"},
    )
    assert response.status_code == 200 and 'id="website-error"' in response.get_data(as_text=True)
    admin_client.submit(
        f"/organisaties/{school.slug}/bewerken",
        {"description": "Een school in Oost.", "website": "https://school.example.org"},
    )
    db.session.refresh(school)
    assert (
        school.description == "Een school in Oost."
        and school.website == "https://school.example.org"
    )


def test_a_training_school_manages_its_partners(
    login_client, create_user, create_organisation, give_role
):
    training_school = create_organisation(
        kind=OrganisationKind.TRAINING_SCHOOL, name="Opleidingsschool Noord"
    )
    school = create_organisation(name="Noorder Lyceum", vestigingscode="99ZZ00")
    create_organisation(kind=OrganisationKind.INSTITUTE, name="Hogeschool van Amsterdam")
    admin = create_user()
    give_role(admin, training_school, OrganisationRole.ADMIN)
    client = login_client(admin)
    assert (
        client.submit(
            f"/organisaties/{training_school.slug}/partners", {"organisation": "99zz00"}
        ).status_code
        == 302
    )
    assert (
        client.submit(
            f"/organisaties/{training_school.slug}/partners",
            {"organisation": "hogeschool van amsterdam"},
        ).status_code
        == 302
    )
    response = client.submit(
        f"/organisaties/{training_school.slug}/partners", {"organisation": "Bestaat Niet"}
    )
    assert response.status_code == 400 and 'id="organisation-error"' in response.get_data(
        as_text=True
    )
    page = client.get(f"/organisaties/{training_school.slug}").get_data(as_text=True)
    assert "Noorder Lyceum" in page and "Hogeschool van Amsterdam" in page
    client.submit(f"/organisaties/{training_school.slug}/partners/{school.id}/verwijderen")
    db.session.refresh(training_school)
    assert [p.name for p in training_school.partners] == ["Hogeschool van Amsterdam"]
    # A school is no partnership, and a teacher of the training school cannot change its partners.
    teacher = create_user()
    give_role(teacher, training_school)
    assert (
        login_client(teacher)
        .submit(f"/organisaties/{training_school.slug}/partners", {"organisation": "99ZZ00"})
        .status_code
        == 404
    )
    school_admin = create_user()
    give_role(school_admin, school, OrganisationRole.ADMIN)
    assert (
        login_client(school_admin)
        .submit(f"/organisaties/{school.slug}/partners", {"organisation": "99ZZ00"})
        .status_code
        == 404
    )
