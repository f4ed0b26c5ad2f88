"""Enrolling through the pages: places and the waiting list (also under concurrent requests, on
SQLite and PostgreSQL), moving up with a mail, the school leader's approval, the board scope,
repeats that change nothing, and what each person sees of their own enrolment."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from plc.catalogue import services
from plc.catalogue.models import (
    CostKind,
    Enrolment,
    EnrolmentScope,
    EnrolmentStatus,
    Offering,
)
from plc.core.outbox import OutboxMessage
from plc.extensions import db
from plc.organisations.models import OrganisationKind, OrganisationRole


def _mails(subject_part: str) -> list[OutboxMessage]:
    db.session.commit()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.subject.contains(subject_part))
            .order_by(OutboxMessage.recipient)
        )
    )


def _statuses(offering: Offering) -> dict[int, EnrolmentStatus]:
    db.session.commit()
    return dict(
        db.session.execute(
            sa.select(Enrolment.user_id, Enrolment.status).where(
                Enrolment.offering_id == offering.id
            )
        ).all()
    )


def _count(offering: Offering) -> int:
    db.session.commit()
    return db.session.scalar(sa.select(Offering.enrolled_count).where(Offering.id == offering.id))


def _enrol(client, offering, **data):
    return client.submit(f"/aanbod/{offering.slug}/inschrijven", data)


# -- places and the waiting list -----------------------------------------------------------------


def test_teacher_enrols_and_sees_their_status(login_client, create_offering, create_user):
    offering = create_offering(capacity=2)
    teacher = create_user(preferred_language="en")
    client = login_client(teacher)
    assert "Enrol" in client.get(f"/aanbod/{offering.slug}").get_data(as_text=True)

    response = _enrol(client, offering, note="Ik kom graag.")

    assert response.status_code == 302
    assert _statuses(offering) == {teacher.id: EnrolmentStatus.ENROLLED}
    assert _count(offering) == 1
    page = client.get(f"/aanbod/{offering.slug}").get_data(as_text=True)
    assert "You are enrolled." in page and "Cancel my enrolment" in page
    mine = client.get("/aanbod/mijn-inschrijvingen").get_data(as_text=True)
    assert offering.title in mine


def test_enrolling_twice_changes_nothing(login_client, create_offering, create_user):
    offering = create_offering(capacity=5)
    teacher = create_user()
    client = login_client(teacher)
    for _n in range(3):
        assert _enrol(client, offering).status_code == 302
    assert _count(offering) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1


def test_full_offering_puts_people_on_the_waiting_list_which_moves_up_with_a_mail(
    login_client, create_offering, create_user
):
    offering = create_offering(capacity=1, title="Kleine masterclass")
    first = create_user(email="eerste@example.org")
    second = create_user(email="tweede@example.org", preferred_language="en")
    third = create_user(email="derde@example.org", preferred_language="en")
    clients = [login_client(person) for person in (first, second, third)]
    for client in clients:
        _enrol(client, offering)
    assert _statuses(offering) == {
        first.id: EnrolmentStatus.ENROLLED,
        second.id: EnrolmentStatus.WAITLISTED,
        third.id: EnrolmentStatus.WAITLISTED,
    }
    assert "number 1 on the waiting list" in clients[1].get(f"/aanbod/{offering.slug}").get_data(
        as_text=True
    )

    response = clients[0].submit(f"/aanbod/{offering.slug}/uitschrijven")

    assert response.status_code == 302
    assert _statuses(offering) == {
        first.id: EnrolmentStatus.CANCELLED,
        second.id: EnrolmentStatus.ENROLLED,
        third.id: EnrolmentStatus.WAITLISTED,
    }
    assert _count(offering) == 1
    [mail] = _mails("Kleine masterclass")
    assert mail.recipient == "tweede@example.org"
    assert offering.slug in mail.body_text
    page = login_client(third).get(f"/aanbod/{offering.slug}").get_data(as_text=True)
    assert "number 1 on the waiting list" in page


def test_cancelling_requires_csrf_and_an_enrolment(login_client, create_offering, create_user):
    offering = create_offering()
    client = login_client(create_user())
    assert client.submit(f"/aanbod/{offering.slug}/uitschrijven").status_code == 404
    _enrol(client, offering)
    response = client.post(f"/aanbod/{offering.slug}/uitschrijven", base_url="https://localhost")
    assert response.status_code == 400
    assert _count(offering) == 1


def test_anonymous_visitors_are_asked_to_log_in(client, create_offering):
    offering = create_offering()
    page = client.get(f"/aanbod/{offering.slug}").get_data(as_text=True)
    assert "/inloggen?next=" in page
    response = client.submit(f"/aanbod/{offering.slug}/inschrijven")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert _count(offering) == 0


def _concurrent_enrolments(app, clients, offering) -> None:
    barrier = threading.Barrier(len(clients))
    tokens = [client.csrf_token() for client in clients]
    path = f"/aanbod/{offering.slug}/inschrijven"

    def enrol(client, token) -> None:
        barrier.wait()
        client.post(
            path,
            data={"csrf_token": token},
            headers={"Referer": "https://localhost/"},
            base_url="https://localhost",
        )

    threads = [
        threading.Thread(target=enrol, args=(client, token))
        for client, token in zip(clients, tokens, strict=True)
    ]
    for each in threads:
        each.start()
    for each in threads:
        each.join()
    db.session.commit()


def test_simultaneous_enrolments_never_exceed_capacity(
    app, login_client, create_offering, create_user
):
    offering = create_offering(capacity=3)
    people = [create_user() for _n in range(8)]
    clients = [login_client(person) for person in people]

    _concurrent_enrolments(app, clients, offering)

    statuses = list(_statuses(offering).values())
    assert len(statuses) == 8
    assert statuses.count(EnrolmentStatus.ENROLLED) == 3
    assert statuses.count(EnrolmentStatus.WAITLISTED) == 5
    assert _count(offering) == 3


def test_simultaneous_repeats_of_one_person_make_one_enrolment(
    app, login_client, create_offering, create_user
):
    offering = create_offering(capacity=3)
    person = create_user()
    clients = [login_client(person) for _n in range(4)]

    _concurrent_enrolments(app, clients, offering)

    assert _statuses(offering) == {person.id: EnrolmentStatus.ENROLLED}
    assert _count(offering) == 1


# -- scope ---------------------------------------------------------------------------------------


def test_own_board_offering_refuses_teachers_of_other_boards(
    login_client, create_offering, create_provider, create_organisation, create_user, give_role
):
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Oost")
    other_board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting West")
    academy, staff = create_provider(kind=OrganisationKind.ACADEMY, parent_id=board.id)
    own_school = create_organisation(parent_id=board.id)
    other_school = create_organisation(parent_id=other_board.id)
    offering = create_offering(provider=academy, staff=staff, scope=EnrolmentScope.OWN_BOARD)
    insider, outsider = create_user(), create_user(preferred_language="en")
    give_role(insider, own_school)
    give_role(outsider, other_school)

    outsider_client = login_client(outsider)
    page = outsider_client.get(f"/aanbod/{offering.slug}").get_data(as_text=True)
    assert "only for teachers of the provider's own board" in page
    assert "Only for teachers of Stichting Oost" in page
    assert _enrol(outsider_client, offering).status_code == 400
    assert _enrol(login_client(insider), offering).status_code == 302
    assert _statuses(offering) == {insider.id: EnrolmentStatus.ENROLLED}


# -- the school pays: the leader approves --------------------------------------------------------


def _paid_setup(create_offering, create_organisation, create_user, give_role, **fields):
    school = create_organisation(name="Het Amsterdams Lyceum")
    other_school = create_organisation(name="Andere school")
    teacher = create_user(email="leraar@example.org", display_name="Sanne", preferred_language="en")
    leader = create_user(email="leider@example.org", preferred_language="en")
    other_leader = create_user(email="ander@example.org")
    give_role(teacher, school)
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    give_role(other_leader, other_school, OrganisationRole.SCHOOL_LEADER)
    offering = create_offering(
        title="Betaalde cursus",
        cost_kind=CostKind.SCHOOL_PAYS,
        cost_cents=30000,
        needs_leader_approval=True,
        **fields,
    )
    return offering, school, teacher, leader, other_leader


def test_leader_approval_flow_with_mails(
    login_client, create_offering, create_organisation, create_user, give_role
):
    offering, school, teacher, leader, other_leader = _paid_setup(
        create_offering, create_organisation, create_user, give_role, capacity=5
    )
    client = login_client(teacher)
    assert _enrol(client, offering).status_code == 400  # no school chosen
    assert _statuses(offering) == {}

    assert (
        _enrol(client, offering, school=str(school.id), note="Past in mijn POP.").status_code == 302
    )

    [enrolment] = db.session.scalars(sa.select(Enrolment)).all()
    assert enrolment.status == EnrolmentStatus.AWAITING_APPROVAL and _count(offering) == 0
    [asked] = _mails("Betaalde cursus")
    assert asked.recipient == "leider@example.org" and "/aanbod/goedkeuren" in asked.body_text
    leader_client = login_client(leader)
    page = leader_client.get("/aanbod/goedkeuren").get_data(as_text=True)
    assert "Sanne" in page and "Past in mijn POP." in page
    # A leader of another school sees nothing and cannot decide.
    other = login_client(other_leader)
    assert "Sanne" not in other.get("/aanbod/goedkeuren").get_data(as_text=True)
    assert (
        other.submit(f"/aanbod/goedkeuren/{enrolment.id}", {"decision": "approve"}).status_code
        == 404
    )
    assert _statuses(offering) == {teacher.id: EnrolmentStatus.AWAITING_APPROVAL}

    response = leader_client.submit(f"/aanbod/goedkeuren/{enrolment.id}", {"decision": "approve"})

    assert response.status_code == 302
    assert _statuses(offering) == {teacher.id: EnrolmentStatus.ENROLLED}
    assert _count(offering) == 1
    decided = [m for m in _mails("Betaalde cursus") if m.recipient == "leraar@example.org"]
    assert len(decided) == 1
    assert (
        "approved your enrolment" in decided[0].body_text
        and "You are enrolled." in decided[0].body_text
    )
    # Deciding again changes nothing.
    leader_client.submit(f"/aanbod/goedkeuren/{enrolment.id}", {"decision": "decline"})
    assert _statuses(offering) == {teacher.id: EnrolmentStatus.ENROLLED}


def test_leader_declines(
    login_client, create_offering, create_organisation, create_user, give_role
):
    offering, school, teacher, leader, _other = _paid_setup(
        create_offering, create_organisation, create_user, give_role
    )
    services.enrol(offering, teacher, school=school)
    db.session.commit()
    [enrolment] = db.session.scalars(sa.select(Enrolment)).all()

    login_client(leader).submit(f"/aanbod/goedkeuren/{enrolment.id}", {"decision": "decline"})

    assert _statuses(offering) == {teacher.id: EnrolmentStatus.DECLINED}
    assert _count(offering) == 0
    teacher_page = login_client(teacher).get(f"/aanbod/{offering.slug}").get_data(as_text=True)
    assert 'action="/aanbod/' in teacher_page  # may ask again


# -- a cancelled offering -----------------------------------------------------------------------


def test_cancelled_offering_tells_everyone_and_takes_no_enrolments(
    login_client, create_offering, create_user, give_role, create_organisation
):
    offering = create_offering(capacity=1, title="Gaat niet door")
    people = [create_user(email=f"p{n}@example.org") for n in range(3)]
    for person in people:
        services.enrol(offering, person)
    db.session.commit()

    login_client(offering.created_by).submit(
        f"/aanbod/{offering.slug}/annuleren", {"message": "Te weinig aanmeldingen."}
    )

    assert sorted(m.recipient for m in _mails("Gaat niet door")) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    latecomer = login_client(create_user())
    assert _enrol(latecomer, offering).status_code == 400
    assert set(_statuses(offering).values()) == {EnrolmentStatus.CANCELLED}


def test_too_long_note_answers_400_keeps_the_text_and_enrols_nobody(
    login_client, create_offering, create_user
):
    offering = create_offering()
    client = login_client(create_user())

    response = _enrol(client, offering, note="Lang verhaal " * 50)

    assert response.status_code == 400
    assert "Lang verhaal Lang verhaal" in response.get_data(as_text=True)
    assert _statuses(offering) == {}
