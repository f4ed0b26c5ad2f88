"""Who sees what: proposals for their owners only, approved pilots for everyone; the pilot's
page (summary, checklist, linked things); the network overview with its filters and "my pilots";
the panels on the start page, an organisation's page and a community's home; statement counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from plc.communities.models import MemberRole, Visibility
from plc.core.hooks import hooks
from plc.core.models import utcnow
from plc.extensions import db
from plc.live.models import Audience, LiveSession, SessionMode
from plc.pilots import services
from plc.pilots.models import PilotOrganisation, PilotStatus

# -- visibility ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [PilotStatus.PROPOSED, PilotStatus.CHANGES_REQUESTED])
def test_a_proposal_is_seen_by_its_owners_and_admins_only(
    world, make_pilot, login_client, client, add_member, create_user, status
):
    pilot = make_pilot(status)
    path = f"/pilots/{pilot.slug}"
    facilitator = create_user()
    add_member(world.community, facilitator, MemberRole.FACILITATOR)

    assert client.get(path).status_code == 404
    for person in (world.outsider, world.member, world.teacher_elsewhere):
        assert login_client(person).get(path).status_code == 404
    for person in (
        world.proposer,
        world.contact_school,
        world.contact_academy,
        world.sponsor_school,
        world.sponsor_academy,
        facilitator,
        world.admin,
    ):
        response = login_client(person).get(path)
        assert response.status_code == 200
        assert pilot.title in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "status",
    [
        PilotStatus.APPROVED,
        PilotStatus.RUNNING,
        PilotStatus.EVALUATING,
    ],
)
def test_from_approval_on_everyone_reads_the_pilot(world, make_pilot, client, login_client, status):
    pilot = make_pilot(status)
    for reader in (client, login_client(world.outsider)):
        response = reader.get(f"/pilots/{pilot.slug}")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert pilot.title in page
        assert "Twee leraren en een lokaal." in page  # what the school contributes
        assert 'action="/pilots/' not in page  # no forms for someone who may do nothing


def test_an_unknown_pilot_is_404(client):
    assert client.get("/pilots/bestaat-niet").status_code == 404


# -- the pilot's page -----------------------------------------------------------------------------


def _session(community: Any, starts_in: timedelta, **fields: Any) -> LiveSession:
    import uuid

    now = utcnow().replace(microsecond=0)
    session = LiveSession(
        uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
        community_id=community.id,
        title=fields.pop("title", "Intervisie rekenen"),
        starts_at=now + starts_in,
        ends_at=now + starts_in + timedelta(hours=1),
        mode=SessionMode.ONLINE,
        audience=fields.pop("audience", Audience.EVERYONE),
        **fields,
    )
    db.session.add(session)
    db.session.commit()
    return session


def test_the_page_summarises_checklist_evaluation_and_links(
    world, make_pilot, make_survey, make_report, create_offering, login_client, client
):
    offering = create_offering(title="Rekendidactiek voor iedereen")
    pilot = make_pilot(PilotStatus.RUNNING, offering_ids=[offering.id])
    make_survey(pilot, responses=3, users=[world.member, world.outsider, world.admin])
    report = make_report(title="Wat de tafels ons leerden")
    _session(world.community, timedelta(days=3), title="Tafels oefenen")
    _session(world.community, timedelta(days=-3), title="Voorbij")

    page = login_client(world.outsider).get(f"/pilots/{pilot.slug}").get_data(as_text=True)

    summary = page[: page.index('id="charter-title"')]
    assert "The six criteria: 5 of 6 met" in summary
    assert "Karim Haddou (sponsor for Rekenacademie Noord) has not taken part yet" in summary
    assert "Responses" in summary and "100%" in summary  # 3 of the 3 invited
    assert "4.0 on a scale of 1 to 5" in summary
    assert "Running" in summary
    assert world.question.title in page
    assert "Rekendidactiek voor iedereen" in page
    assert "Tafels oefenen" in page and "Voorbij" not in page
    assert f'href="/kennisbank/{report.slug}"' in page
    # A visitor sees the titles of questions shared with everyone, without a link to log in for.
    anonymous = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert world.question.title in anonymous
    assert "/leervragen/" not in anonymous


def test_the_page_hides_what_the_reader_may_not_see(
    world, make_pilot, create_question, create_user, create_community, login_client
):
    from plc.catalogue.models import QuestionVisibility

    private = create_question(
        author=world.proposer, visibility=QuestionVisibility.PRIVATE, title="Mijn eigen vraag"
    )
    hidden = create_community(
        owner=world.proposer,
        organisation=world.school,
        visibility=Visibility.INVITE,
        name="Geheime werkgroep",
    )
    pilot = make_pilot(
        PilotStatus.APPROVED,
        question_ids=[world.question.id, private.id],
        community_ids=[world.community.id, hidden.id],
    )
    _session(hidden, timedelta(days=2), title="Geheime sessie")

    outsider = login_client(world.outsider).get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Mijn eigen vraag" not in outsider and world.question.title in outsider
    assert "Geheime werkgroep" not in outsider and "Geheime sessie" not in outsider
    proposer = login_client(world.proposer).get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Mijn eigen vraag" in proposer and "Geheime werkgroep" in proposer


def test_what_each_person_can_do_on_the_page(world, make_pilot, login_client):
    pilot = make_pilot(PilotStatus.APPROVED)
    path = f"/pilots/{pilot.slug}"

    lead = login_client(world.proposer).get(path).get_data(as_text=True)
    assert f'action="{path}/starten"' in lead and f'action="{path}/stoppen"' in lead
    assert f'href="{path}/bewerken"' in lead and f'action="{path}/reageren"' in lead

    sponsor = login_client(world.sponsor_school).get(path).get_data(as_text=True)
    assert f'action="{path}/reageren"' in sponsor
    assert f'action="{path}/starten"' not in sponsor and "/bewerken" not in sponsor

    member = login_client(world.member).get(path).get_data(as_text=True)
    assert f'action="{path}/' not in member


def test_the_page_statement_count_does_not_grow(
    world,
    make_pilot,
    make_survey,
    make_report,
    login_client,
    client,
    count_queries,
    create_organisation,
    give_role,
    create_user,
    create_question,
):
    pilot = make_pilot(PilotStatus.RUNNING)
    make_survey(pilot, responses=1, users=[world.member])
    path = f"/pilots/{pilot.slug}"
    lead = login_client(world.proposer)

    def measure() -> tuple[int, int]:
        with count_queries() as anonymous:
            assert client.get(path).status_code == 200
        with count_queries() as logged_in:
            assert lead.get(path).status_code == 200
        return anonymous.count, logged_in.count

    few = measure()
    # More of everything the page lists: organisations, questions, events, outputs, sessions.
    for n in range(6):
        organisation = create_organisation(name=f"School {n}")
        contact = create_user()
        give_role(contact, organisation)
        pilot.participants.append(
            PilotOrganisation(organisation_id=organisation.id, contact_id=contact.id)
        )
        question = create_question(title=f"Vraag {n}")
        pilot.questions.append(question)
        services.add_comment(pilot, world.sponsor_school, f"Opmerking {n}")
        make_report(title=f"Verslag {n}")
        _session(world.community, timedelta(days=n + 1))
        make_survey(pilot, responses=2, users=[world.member])
    db.session.commit()
    many = measure()

    assert few == many
    assert many[0] <= 12


# -- the overview ---------------------------------------------------------------------------------


def _titles(page: str) -> list[str]:
    import re

    table = page[page.index("<tbody>") : page.index("</tbody>")] if "<tbody>" in page else ""
    return re.findall(r'<a href="/pilots/[^"]+">([^<]+)</a>', table)


def test_the_overview_lists_pilots_at_a_glance(world, make_pilot, make_survey, client):
    running = make_pilot(PilotStatus.RUNNING, title="Rekenen loopt")
    make_survey(running, responses=2, users=[world.member, world.outsider])
    make_pilot(title="Nog een voorstel")

    client.set_cookie("plc_lang", "en")  # visitors choose English with the language switch
    page = client.get("/pilots").get_data(as_text=True)

    assert _titles(page) == ["Rekenen loopt"]  # proposals are not listed for visitors
    assert "Het Noordlicht" in page and "Rekenacademie Noord" in page
    assert "3 of 6" in page  # criteria met
    assert "School leaders and HR involved" in page  # an unmet one, by name
    assert "2 responses" in page and "response rate 100%" in page and "mean 4.0 of 5" in page


def test_proposals_are_in_the_overview_of_their_owners(world, make_pilot, login_client):
    make_pilot(title="Nog een voorstel")
    for person in (world.contact_academy, world.admin):
        page = login_client(person).get("/pilots").get_data(as_text=True)
        assert "Nog een voorstel" in _titles(page)
    page = login_client(world.outsider).get("/pilots").get_data(as_text=True)
    assert _titles(page) == []


def test_my_pilots_shows_what_waits_for_my_approval(world, make_pilot, login_client):
    waiting = make_pilot(title="Wacht op jou")
    services.approve(waiting, world.contact_school, world.school.id, 1)
    db.session.commit()

    academy = login_client(world.contact_academy).get("/pilots").get_data(as_text=True)
    mine = academy[academy.index('id="mine-title"') : academy.index('id="filter-title"')]
    assert "Wacht op jou" in mine and "waits for your approval" in mine

    school = login_client(world.contact_school).get("/pilots").get_data(as_text=True)
    mine = school[school.index('id="mine-title"') : school.index('id="filter-title"')]
    assert "Wacht op jou" in mine and "waits for your approval" not in mine

    outsider = login_client(world.outsider).get("/pilots").get_data(as_text=True)
    assert 'id="mine-title"' not in outsider


def test_overview_filters(
    world, make_pilot, create_theme, create_organisation, give_role, login_client, create_community
):
    other_theme = create_theme("Lezen")
    make_pilot(PilotStatus.RUNNING, title="Rekenen")
    reading = make_pilot(PilotStatus.APPROVED, title="Lezen", theme_ids=[other_theme.id])
    third = create_organisation(name="De Zonnebloem")
    give_role(world.teacher_elsewhere, third)
    fields = services.fields_of(reading)
    fields.title = "Zonnebloem"
    fields.theme_ids = [world.theme.id]
    fields.participants[1] = services.ParticipantFields(
        organisation_id=third.id, contact_id=world.teacher_elsewhere.id, contribution="Ruimte."
    )
    services.propose(world.proposer, fields)
    db.session.commit()
    other_community = create_community(owner=world.proposer, organisation=world.school)
    make_pilot(PilotStatus.APPROVED, title="Elders", community_ids=[other_community.id])
    admin = login_client(world.admin)

    def titles(query: str) -> list[str]:
        return sorted(_titles(admin.get(f"/pilots?{query}").get_data(as_text=True)))

    assert titles(f"thema={other_theme.slug}") == ["Lezen"]
    assert titles(f"organisatie={third.slug}") == ["Zonnebloem"]
    assert titles(f"organisatie={world.academy.slug}") == ["Elders", "Lezen", "Rekenen"]
    assert titles("status=running") == ["Rekenen"]
    assert titles("status=proposed") == ["Zonnebloem"]
    assert titles(f"gemeenschap={other_community.slug}") == ["Elders"]
    assert titles("thema=bestaat-niet") == []
    assert titles("status=onzin") == ["Elders", "Lezen", "Rekenen", "Zonnebloem"]  # ignored
    page = admin.get(f"/pilots?organisatie={third.slug}").get_data(as_text=True)
    assert f'<option value="{third.slug}" selected>' in page


def test_the_overview_statement_count_does_not_grow(
    world, make_pilot, make_survey, make_report, count_queries, client, login_client
):
    make_report()
    lead = login_client(world.contact_school)

    def add(start: int, stop: int) -> None:
        for n in range(start, stop):
            pilot = make_pilot(PilotStatus.RUNNING, title=f"Pilot {n}")
            make_survey(pilot, responses=1, users=[world.member])
            services.add_comment(pilot, world.sponsor_school, "Mooi.")
            db.session.commit()

    def measure() -> tuple[int, int]:
        with count_queries() as anonymous:
            assert client.get("/pilots?page=1").status_code == 200
        with count_queries() as logged_in:
            assert lead.get("/pilots").status_code == 200
        return anonymous.count, logged_in.count

    add(0, 3)
    few = measure()
    add(3, 30)
    many = measure()

    assert few == many
    assert many[0] <= 10
    page = client.get("/pilots?page=2").get_data(as_text=True)
    assert len(_titles(page)) == 10  # 30 pilots, 20 a page


# -- panels on other pages ------------------------------------------------------------------------


def test_the_start_page_hook_lists_charters_waiting_for_my_approval(world, make_pilot, app):
    waiting = make_pilot(title="Wacht op jou")
    make_pilot(PilotStatus.APPROVED, title="Al goedgekeurd")

    def found(user: Any) -> list[str]:
        with app.test_request_context("/"):
            context: dict[str, Any] = {}
            for hook in hooks("start_page"):
                context.update(hook(user))
        return [p.title for p in context.get("pilots_to_approve", [])]

    assert found(world.contact_academy) == [waiting.title]
    services.approve(waiting, world.contact_academy, world.academy.id, 1)
    db.session.commit()
    assert found(world.contact_academy) == []
    assert found(world.contact_school) == [waiting.title]
    assert found(world.outsider) == []


def test_an_organisation_page_lists_its_pilots(world, make_pilot, client):
    make_pilot(PilotStatus.RUNNING, title="Rekenen loopt")
    make_pilot(title="Nog een voorstel")
    page = client.get(f"/organisaties/{world.academy.slug}").get_data(as_text=True)
    assert "Rekenen loopt" in page and "Nog een voorstel" not in page
    assert f'href="/pilots?organisatie={world.academy.slug}"' in page


def test_the_community_home_links_to_its_pilots_within_its_budget(
    world, make_pilot, login_client, client, count_queries
):
    make_pilot(PilotStatus.RUNNING)
    path = f"/gemeenschappen/{world.community.slug}"
    propose = f'href="/pilots/voorstellen?gemeenschap={world.community.slug}"'
    facilitator = login_client(world.proposer)

    with count_queries() as counted:
        page = facilitator.get(path).get_data(as_text=True)

    assert counted.count <= 10
    assert propose in page
    assert f'href="/pilots?gemeenschap={world.community.slug}"' in page
    member = login_client(world.member).get(path).get_data(as_text=True)
    assert propose not in member and f'href="/pilots?gemeenschap={world.community.slug}"' in member


def test_the_main_navigation_has_pilots(client):
    page = client.get("/pilots").get_data(as_text=True)
    assert 'aria-current="page" href="/pilots"' in page
