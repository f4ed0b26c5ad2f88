"""Who may see and do what: anonymous visitors, outsiders, invited participants, managers
(facilitators, provider staff, pilot leads), pilot sponsors and admins. What someone may not
see answers 404, as if it did not exist."""

from __future__ import annotations

import pytest

from plc.extensions import db
from plc.surveys.models import Survey, SurveyStatus
from tests.surveys.conftest import LANG_EN, scale

READ_PAGES = ("", "/resultaten", "/resultaten.csv", "/antwoorden.csv")
MANAGE_PAGES = ("/bewerken", "/vragen/nieuw", "/als-sjabloon")
ACTIONS = ("/publiceren", "/herinneren", "/opnieuw-meten", "/verwijderen")


def _statuses(client, survey: Survey, paths) -> dict[str, int]:
    return {path: client.get(f"/vragenlijsten/{survey.id}{path}").status_code for path in paths}


def _posts(client, survey: Survey, paths) -> dict[str, int]:
    return {path: client.submit(f"/vragenlijsten/{survey.id}{path}").status_code for path in paths}


def test_session_survey_access_for_each_role(
    session_setup, make_survey, login_client, client, create_user, create_community
):
    setup = session_setup(participants=1)
    survey = make_survey(setup.session, setup.owner, [scale("q1")])
    participant = login_client(setup.people[0])
    other_facilitator = create_user(**LANG_EN)
    create_community(owner=other_facilitator)  # facilitates elsewhere: an outsider here
    admin = login_client(create_user(is_admin=True, **LANG_EN))

    everything = (*READ_PAGES, *MANAGE_PAGES, "/invullen")
    for response in _statuses(client, survey, everything).values():
        assert response == 302  # to the login page: nothing is shown
    for outsider in (login_client(create_user()), login_client(other_facilitator)):
        assert set(_statuses(outsider, survey, everything).values()) == {404}
        assert set(_posts(outsider, survey, ACTIONS).values()) == {404}
        assert outsider.get(f"/vragenlijsten/nieuw?sessie={setup.session.id}").status_code == 404

    assert _statuses(participant, survey, ["/invullen"]) == {"/invullen": 200}
    assert set(_statuses(participant, survey, (*READ_PAGES, *MANAGE_PAGES)).values()) == {404}
    assert set(_posts(participant, survey, ACTIONS).values()) == {404}

    for manager in (login_client(setup.owner), admin):
        assert set(_statuses(manager, survey, (*READ_PAGES, *MANAGE_PAGES)).values()) == {200}
        assert manager.get(f"/vragenlijsten/{survey.id}/invullen").status_code == 404  # not asked
        assert manager.get(f"/vragenlijsten/nieuw?sessie={setup.session.id}").status_code == 200

    assert client.get("/vragenlijsten/999999").status_code == 302
    assert admin.get("/vragenlijsten/999999").status_code == 404


def test_a_draft_is_seen_by_its_builders_only(session_setup, make_survey, login_client):
    setup = session_setup(participants=1)
    draft = make_survey(setup.session, setup.owner, [scale("q1")], publish=False)
    participant = login_client(setup.people[0])
    assert set(_statuses(participant, draft, (*READ_PAGES, "/invullen")).values()) == {404}
    assert set(_statuses(login_client(setup.owner), draft, READ_PAGES).values()) == {200}


def test_pilot_sponsors_read_results_but_do_not_run_the_survey(
    create_pilot, create_organisation, create_user, login_client, make_survey
):
    lead = create_user(**LANG_EN)
    sponsor = create_user(**LANG_EN)
    pilot = create_pilot(participants=[(create_organisation(), lead, sponsor)])
    survey = make_survey(pilot, lead, [scale("q1")], anonymous=False, title="Pilotpeiling")
    draft = make_survey(pilot, lead, [scale("q1")], publish=False)
    reader = login_client(sponsor)

    assert set(_statuses(reader, survey, READ_PAGES).values()) == {200}
    overview = reader.get(f"/vragenlijsten/{survey.id}").get_data(as_text=True)
    assert "Pilotpeiling" in overview and "Measure again" not in overview
    assert f'href="/pilots/{pilot.slug}"' in overview  # the subject links to its page
    assert f"/vragenlijsten/{survey.id}/bewerken" not in overview
    results = reader.get(f"/vragenlijsten/{survey.id}/resultaten").get_data(as_text=True)
    assert "not answered yet" in results and lead.display_name in results  # named: who is missing
    assert set(_statuses(reader, survey, MANAGE_PAGES).values()) == {404}
    assert set(_posts(reader, survey, ACTIONS).values()) == {404}
    assert reader.get(f"/vragenlijsten/nieuw?pilot={pilot.id}").status_code == 404
    assert set(_statuses(reader, draft, READ_PAGES).values()) == {404}
    assert reader.get(f"/vragenlijsten/{survey.id}/invullen").status_code == 200  # a pilot person
    lead_client = login_client(lead)
    assert set(_statuses(lead_client, survey, (*READ_PAGES, *MANAGE_PAGES)).values()) == {200}
    # The pilot's page lists its surveys through the partial, with what each viewer may do.
    lead_page = lead_client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert f"/vragenlijsten/nieuw?pilot={pilot.id}" in lead_page
    assert f"/vragenlijsten/{survey.id}/resultaten" in lead_page
    sponsor_page = reader.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert f"/vragenlijsten/{survey.id}/resultaten" in sponsor_page
    assert "/vragenlijsten/nieuw" not in sponsor_page
    db.session.refresh(draft)
    assert draft.status == SurveyStatus.DRAFT


def test_participants_of_a_pilot_see_no_results(
    create_pilot,
    create_organisation,
    create_user,
    create_community,
    add_member,
    login_client,
    make_survey,
):
    lead, member = create_user(), create_user()
    community = create_community()
    add_member(community, member)
    pilot = create_pilot(
        participants=[(create_organisation(), lead, None)], communities=[community]
    )
    survey = make_survey(pilot, lead, [scale("q1")])
    client = login_client(member)
    assert client.get(f"/vragenlijsten/{survey.id}/invullen").status_code == 200
    assert set(_statuses(client, survey, READ_PAGES).values()) == {404}


@pytest.mark.parametrize("same_provider", [True, False])
def test_offering_surveys_belong_to_the_providers_staff(
    same_provider, create_offering, create_provider, login_client, make_survey
):
    offering = create_offering()
    survey = make_survey(offering, offering.created_by, [scale("q1")])
    if same_provider:
        staff = offering.created_by
    else:
        _other, staff = create_provider()
    expected = 200 if same_provider else 404
    assert set(_statuses(login_client(staff), survey, READ_PAGES).values()) == {expected}
