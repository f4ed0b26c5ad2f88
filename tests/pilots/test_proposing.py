"""Proposing a pilot and changing its charter: the form (people typed by name or address,
"add another organisation"), validation that stores nothing and keeps what was typed, and the
editing rule (a change is a new version; approvals of the old one no longer count)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from plc.core.errors import ServiceError
from plc.extensions import db
from plc.notifications.models import Notification, NotificationKind
from plc.pilots import services
from plc.pilots.models import Pilot, PilotEvent, PilotEventKind, PilotOrganisation, PilotStatus
from tests.pilots.conftest import charter


def _pilots() -> int:
    return db.session.scalar(sa.select(sa.func.count(Pilot.id))) or 0


def _events(pilot: Pilot) -> list[PilotEvent]:
    return list(
        db.session.scalars(
            sa.select(PilotEvent).where(PilotEvent.pilot_id == pilot.id).order_by(PilotEvent.id)
        )
    )


def _form(world: Any, **overrides: Any) -> dict[str, Any]:
    """The proposal form as a person fills it in: people by name or e-mail address."""
    today = date.today()
    data: dict[str, Any] = {
        "action": "save",
        "title": "Samen rekenen",
        "summary": "Twee organisaties, één aanpak.",
        "communities": [str(world.community.id)],
        "themes": [str(world.theme.id)],
        "questions": [str(world.question.id)],
        "goals": "Betere **tafels**.",
        "activities": "Lesbezoeken.",
        "evaluation_plan": "Vragenlijst.",
        "sharing_plan": "Handreiking.",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=90)).isoformat(),
        "organisations-0-organisation": "Het Noordlicht",
        "organisations-0-contact": "Joost de Vries",
        "organisations-0-sponsor": "mirjam.visser@example.org",
        "organisations-0-contribution": "Twee leraren.",
        "organisations-0-dependency": "Rekenexpertise.",
        "organisations-1-organisation": "rekenacademie noord",
        "organisations-1-contact": "sanne.bakker@example.org",
        "organisations-1-sponsor": "Karim Haddou",
        "organisations-1-contribution": "Een rekenspecialist.",
        "organisations-1-dependency": "Klassen.",
        "organisations-2-organisation": "",
    }
    data.update(overrides)
    return data


def _propose_path(world: Any) -> str:
    return f"/pilots/voorstellen?gemeenschap={world.community.slug}"


# -- through the form ----------------------------------------------------------------------------


def test_a_facilitator_proposes_from_the_community_page(world, login_client):
    client = login_client(world.proposer)
    home = client.get(f"/gemeenschappen/{world.community.slug}").get_data(as_text=True)
    assert f'href="{_propose_path(world)}"' in home

    form = client.get(_propose_path(world)).get_data(as_text=True)
    # The community is chosen already.
    assert re.search(
        rf'<input checked[^>]*name="communities"[^>]*value="{world.community.id}"', form
    )
    assert world.question.title in form  # a question that fits the community is offered

    response = client.submit(_propose_path(world), _form(world))

    assert response.status_code == 302
    pilot = db.session.scalars(sa.select(Pilot)).one()
    assert response.headers["Location"].endswith(f"/pilots/{pilot.slug}")
    assert (pilot.status, pilot.charter_version, pilot.proposed_by_id) == (
        PilotStatus.PROPOSED,
        1,
        world.proposer.id,
    )
    assert pilot.goals_html.strip() == "<p>Betere <strong>tafels</strong>.</p>"
    assert [(r.organisation_id, r.contact_id, r.sponsor_id) for r in pilot.participants] == [
        (world.school.id, world.contact_school.id, world.sponsor_school.id),
        (world.academy.id, world.contact_academy.id, world.sponsor_academy.id),
    ]
    assert [q.id for q in pilot.questions] == [world.question.id]
    assert [e.kind for e in _events(pilot)] == [PilotEventKind.PROPOSED]
    # Both contacts are asked to approve; the proposer is not told about their own step.
    asked = db.session.scalars(
        sa.select(Notification.user_id).where(Notification.kind == NotificationKind.PILOT_APPROVAL)
    ).all()
    assert sorted(asked) == sorted([world.contact_school.id, world.contact_academy.id])


def test_members_and_outsiders_cannot_propose(world, login_client, client):
    for person in (world.member, world.outsider, world.contact_school):
        assert login_client(person).get(_propose_path(world)).status_code == 404
        response = login_client(person).submit(_propose_path(world), _form(world))
        assert response.status_code == 404
    assert client.get(_propose_path(world)).status_code == 302  # to the login page
    assert _pilots() == 0


def test_an_admin_may_propose_from_any_community(world, login_client):
    response = login_client(world.admin).submit(_propose_path(world), _form(world))
    assert response.status_code == 302
    assert _pilots() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {
                "organisations-1-organisation": "",
                "organisations-1-contact": "",
                "organisations-1-sponsor": "",
                "organisations-1-contribution": "",
                "organisations-1-dependency": "",
            },
            None,
            "Name at least two participating organisations",
        ),
        (
            {"organisations-1-contact": "Eva de Groot"},
            "organisations-1-contact",
            "Nobody with that name or e-mail address is an approved member of Rekenacademie Noord.",
        ),
        (
            {"organisations-0-sponsor": "Joost de Vries"},
            "organisations-0-sponsor",
            "is an approved school leader or HR advisor of Het Noordlicht or its board",
        ),
        (
            {"ends_on": (date.today() - timedelta(days=1)).isoformat()},
            "ends_on",
            "The end date cannot be before the start date.",
        ),
        (
            {
                "organisations-1-organisation": "Het Noordlicht",
                "organisations-1-contact": "Joost de Vries",
                "organisations-1-sponsor": "",
            },
            "organisations-1-organisation",
            "Het Noordlicht is named twice.",
        ),
        (
            {"organisations-1-organisation": "Bestaat Niet"},
            "organisations-1-organisation",
            "No single organisation has this name or code",
        ),
        (
            {"organisations-1-contact": ""},
            "organisations-1-contact",
            "Name the contact of Rekenacademie Noord",
        ),
        (
            {"organisations-2-contribution": "Iets zonder organisatie"},
            "organisations-2-organisation",
            "Name the organisation of this row, or empty the row.",
        ),
    ],
)
def test_a_wrong_charter_gets_a_clear_error_stores_nothing_and_keeps_the_form(
    world, login_client, overrides, field, message
):
    client = login_client(world.proposer)

    response = client.submit(_propose_path(world), _form(world, **overrides))

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    if field is not None:
        # The message sits with its field: the field says so to screen readers.
        assert f'id="{field}-error"' in page
        assert re.search(rf'aria-describedby="[^"]*{field}-error"', page)
    assert 'value="Samen rekenen"' in page  # what was typed comes back
    assert "Twee leraren." in page
    assert _pilots() == 0
    assert db.session.scalar(sa.select(sa.func.count(PilotEvent.id))) == 0


def test_add_another_organisation_shows_one_more_row_and_saves_nothing(world, login_client):
    client = login_client(world.proposer)
    data = _form(world, action="more")
    data.update({f"organisations-2-{name}": "" for name in ("contact", "sponsor")})

    response = client.submit(_propose_path(world), data)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="organisations-3-organisation"' in page
    assert 'name="organisations-4-organisation"' not in page
    assert 'value="Het Noordlicht"' in page
    # Names to choose from for the organisations already named.
    assert '<option value="Joost de Vries">' in page
    assert '<option value="Mirjam Visser">' in page
    assert _pilots() == 0


def test_proposing_with_a_third_organisation(world, login_client, create_organisation, give_role):
    third = create_organisation(name="De Zonnebloem")
    contact = world.teacher_elsewhere
    give_role(contact, third)
    data = _form(
        world,
        **{
            "organisations-2-organisation": "De Zonnebloem",
            "organisations-2-contact": "Eva de Groot",
            "organisations-2-contribution": "Een gymzaal.",
        },
    )
    assert login_client(world.proposer).submit(_propose_path(world), data).status_code == 302
    pilot = db.session.scalars(sa.select(Pilot)).one()
    assert [r.organisation.name for r in pilot.participants][-1] == "De Zonnebloem"
    assert pilot.participants[-1].sponsor_id is None  # a sponsor may follow later


# -- the rules in the services --------------------------------------------------------------------


def test_the_service_refuses_a_contact_who_is_not_a_member(world):
    fields = charter(world)
    fields.participants[1].contact_id = world.teacher_elsewhere.id

    with pytest.raises(ServiceError) as refused:
        services.propose(world.proposer, fields)

    assert refused.value.field == "participants.1.contact"
    assert "approved member of Rekenacademie Noord" in str(refused.value.message)


def test_the_service_refuses_a_sponsor_without_a_leader_or_hr_role(world):
    fields = charter(world)
    fields.participants[0].sponsor_id = world.contact_school.id  # a teacher, not a leader

    with pytest.raises(ServiceError) as refused:
        services.propose(world.proposer, fields)

    assert refused.value.field == "participants.0.sponsor"


def test_a_sponsor_of_the_board_counts_for_its_schools(world):
    fields = charter(world)
    fields.participants[0].sponsor_id = world.sponsor_academy.id  # HR advisor of the board
    pilot = services.propose(world.proposer, fields)
    assert pilot.participants[0].sponsor_id == world.sponsor_academy.id


def test_communities_must_be_facilitated_by_the_proposer(world, create_community):
    other = create_community(name="Iemand anders")
    with pytest.raises(ServiceError) as refused:
        services.propose(world.proposer, charter(world, community_ids=[other.id]))
    assert refused.value.field == "communities"
    with pytest.raises(ServiceError):
        services.propose(world.proposer, charter(world, community_ids=[]))


def test_questions_must_be_ones_the_proposer_may_see(world, create_question, create_user):
    from plc.catalogue.models import QuestionVisibility

    private = create_question(author=create_user(), visibility=QuestionVisibility.PRIVATE)
    with pytest.raises(ServiceError) as refused:
        services.propose(world.proposer, charter(world, question_ids=[private.id]))
    assert refused.value.field == "questions"


def test_slugs_are_unique_and_never_a_page_of_their_own(world):
    first = services.propose(world.proposer, charter(world))
    second = services.propose(world.proposer, charter(world))
    odd = services.propose(world.proposer, charter(world, title="Voorstellen"))
    assert (first.slug, second.slug) == (
        "tafels-automatiseren-met-elkaar",
        "tafels-automatiseren-met-elkaar-2",
    )
    assert odd.slug == "voorstellen-pilot"


# -- changing the charter -------------------------------------------------------------------------


def test_an_edit_raises_the_version_and_earlier_approvals_no_longer_count(world, make_pilot):
    pilot = make_pilot()
    services.approve(pilot, world.contact_school, world.school.id, 1)
    db.session.commit()

    fields = services.fields_of(pilot)
    fields.goals = "Betere tafels, en ook deelsommen."
    fields.change_note = "Deelsommen erbij."
    assert services.update_charter(pilot, world.proposer, fields) is True
    db.session.commit()

    assert pilot.charter_version == 2
    assert not any(services.is_approved(row, pilot) for row in pilot.participants)
    edited = _events(pilot)[-1]
    assert (edited.kind, edited.charter_version, edited.actor_id, edited.comment) == (
        PilotEventKind.EDITED,
        2,
        world.proposer.id,
        "Deelsommen erbij.",
    )
    # The contact who approved version 1 is asked again.
    again = db.session.scalars(
        sa.select(Notification.user_id).where(Notification.kind == NotificationKind.PILOT_APPROVAL)
    ).all()
    assert again.count(world.contact_school.id) == 2
    # An approval of the old version is refused: the contact must read the new one.
    with pytest.raises(ServiceError, match="version 2"):
        services.approve(pilot, world.contact_academy, world.academy.id, 1)


def test_saving_without_a_change_makes_no_version(world, make_pilot):
    pilot = make_pilot()
    assert services.update_charter(pilot, world.proposer, services.fields_of(pilot)) is False
    assert pilot.charter_version == 1
    assert [e.kind for e in _events(pilot)] == [PilotEventKind.PROPOSED]


def test_editing_an_approved_charter_sends_it_back_for_approval(world, make_pilot):
    pilot = make_pilot(PilotStatus.APPROVED)
    fields = services.fields_of(pilot)
    fields.participants[1].contribution = "Twee rekenspecialisten."
    services.update_charter(pilot, world.contact_academy, fields)  # a contact is a lead too
    db.session.commit()
    assert (pilot.status, pilot.charter_version) == (PilotStatus.PROPOSED, 2)


def test_while_running_only_the_plan_changes_without_new_approval(world, make_pilot):
    pilot = make_pilot(PilotStatus.RUNNING)
    fields = services.fields_of(pilot)
    fields.title = "Een andere titel"
    with pytest.raises(ServiceError, match="only its activities"):
        services.update_charter(pilot, world.proposer, fields)
    db.session.rollback()

    new_end = pilot.ends_on + timedelta(days=30)
    changed = services.update_running_charter(
        pilot,
        world.proposer,
        services.RunningFields(
            activities="Zes lesbezoeken.",
            evaluation_plan=pilot.evaluation_plan,
            sharing_plan=pilot.sharing_plan,
            ends_on=new_end,
            change_note="Twee bezoeken extra.",
        ),
    )
    db.session.commit()
    assert changed is True
    assert (pilot.status, pilot.charter_version, pilot.ends_on) == (
        PilotStatus.RUNNING,
        1,
        new_end,
    )
    assert pilot.activities_html.strip() == "<p>Zes lesbezoeken.</p>"
    assert _events(pilot)[-1].kind == PilotEventKind.EDITED
    # The end may not come before the start.
    with pytest.raises(ServiceError) as refused:
        services.update_running_charter(
            pilot,
            world.proposer,
            services.RunningFields(ends_on=pilot.starts_on - timedelta(days=1)),
        )
    assert refused.value.field == "ends_on"


def test_a_concluded_pilot_no_longer_changes(world, make_pilot, make_report):
    pilot = make_pilot(PilotStatus.EVALUATING)
    services.conclude(pilot, world.proposer, make_report().id)
    db.session.commit()
    with pytest.raises(ServiceError):
        services.update_charter(pilot, world.proposer, services.fields_of(pilot))
    with pytest.raises(ServiceError):
        services.update_running_charter(pilot, world.proposer, services.RunningFields())


def test_only_leads_edit_the_charter(world, make_pilot, login_client):
    pilot = make_pilot(PilotStatus.APPROVED)
    path = f"/pilots/{pilot.slug}/bewerken"
    for person in (world.sponsor_school, world.member, world.outsider):
        assert login_client(person).get(path).status_code == 404
        with pytest.raises(ServiceError):
            services.update_charter(pilot, person, services.fields_of(pilot))
        db.session.rollback()
    for person in (world.proposer, world.contact_academy, world.admin):
        assert login_client(person).get(path).status_code == 200


def test_the_edit_form_comes_filled_in_and_saves_a_new_version(world, make_pilot, login_client):
    pilot = make_pilot()
    client = login_client(world.proposer)
    path = f"/pilots/{pilot.slug}/bewerken"
    page = client.get(path).get_data(as_text=True)
    assert 'value="Het Noordlicht"' in page and 'value="Joost de Vries"' in page
    assert 'value="Karim Haddou"' in page

    data = _form(world, title=pilot.title, change_note="Een derde doel.")
    data["goals"] = "Een derde doel."
    response = client.submit(path, data)

    assert response.status_code == 302
    db.session.refresh(pilot)
    assert (pilot.charter_version, pilot.goals) == (2, "Een derde doel.")


def test_an_edit_form_with_an_error_changes_nothing(world, make_pilot, login_client):
    pilot = make_pilot()
    client = login_client(world.proposer)
    data = _form(world, title=pilot.title, **{"organisations-1-contact": "Piet Buiten"})

    response = client.submit(f"/pilots/{pilot.slug}/bewerken", data)

    assert response.status_code == 400
    assert "Nobody with that name" in response.get_data(as_text=True)
    db.session.expire_all()
    assert pilot.charter_version == 1
    assert (
        db.session.scalar(
            sa.select(PilotOrganisation.contact_id).where(
                PilotOrganisation.pilot_id == pilot.id,
                PilotOrganisation.organisation_id == world.academy.id,
            )
        )
        == world.contact_academy.id
    )


def test_the_running_form_changes_the_plan(world, make_pilot, login_client):
    pilot = make_pilot(PilotStatus.RUNNING)
    client = login_client(world.proposer)
    path = f"/pilots/{pilot.slug}/bewerken"
    page = client.get(path).get_data(as_text=True)
    assert 'name="title"' not in page and 'name="activities"' in page
    response = client.submit(
        path,
        {
            "activities": "Nieuw plan.",
            "evaluation_plan": pilot.evaluation_plan,
            "sharing_plan": pilot.sharing_plan,
            "ends_on": pilot.ends_on.isoformat(),
        },
    )
    assert response.status_code == 302
    db.session.refresh(pilot)
    assert pilot.activities == "Nieuw plan."
    # A wrong end date comes back next to its field, and changes nothing.
    response = client.submit(
        path,
        {"activities": "Nog iets.", "ends_on": (pilot.starts_on - timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert 'id="ends_on-error"' in response.get_data(as_text=True)
    db.session.refresh(pilot)
    assert pilot.activities == "Nieuw plan."
