"""Answering: validation per question with nothing stored on an error, one response per person
(also under simultaneous submissions), editing until the close, named and anonymous storage,
who may answer, and the organisation a response counts for."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from plc.catalogue.models import Enrolment, EnrolmentStatus
from plc.communities.models import CommunityOwner, CoOwnerStatus
from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.extensions import db
from plc.organisations.models import OrganisationKind
from plc.surveys import services
from plc.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyAnswerOption,
    SurveyInvitation,
    SurveyResponse,
)
from tests.surveys.conftest import choice, form_of, scale, text

QUESTIONS = [
    scale("tevreden"),
    choice("vorm", ["Online", "Op school", "Hybride"]),
    choice("hielp", ["Uitleg", "Oefenen", "Feedback"], multiple=True, required=False),
    text("tip", required=True),
]


def _responses() -> list[SurveyResponse]:
    db.session.commit()
    return list(db.session.scalars(sa.select(SurveyResponse)))


def _count(survey: Survey) -> int:
    db.session.commit()
    return db.session.get(Survey, survey.id).response_count


def _answers_of(response: SurveyResponse) -> dict[int, tuple]:
    rows = db.session.execute(
        sa.select(SurveyAnswer.question_id, SurveyAnswer.number, SurveyAnswer.text).where(
            SurveyAnswer.response_id == response.id
        )
    )
    return {question_id: (number, text) for question_id, number, text in rows}


# -- validation ---------------------------------------------------------------------------------


def test_wrong_answers_get_a_message_per_question_and_nothing_is_stored(
    session_setup, make_survey, login_client
):
    setup = session_setup(participants=1)
    survey = make_survey(setup.session, setup.owner, [*QUESTIONS, text("lang", required=False)])
    other = make_survey(setup.session, setup.owner, [choice("x", ["Vreemd", "Ander"])])
    scale_q, vorm, hielp, tip, lang = survey.questions
    client = login_client(setup.people[0])

    response = client.submit(
        f"/vragenlijsten/{survey.id}/invullen",
        {
            f"q-{scale_q.id}": "9",  # outside 1–5
            f"q-{vorm.id}": [str(vorm.options[0].id), str(vorm.options[1].id)],  # two for one
            f"q-{hielp.id}": [str(other.questions[0].options[0].id)],  # another question's option
            # the required open question is left empty
            f"q-{lang.id}": "x" * 5001,
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for question in (scale_q, vorm, hielp, tip, lang):
        assert f'id="q-{question.id}-error"' in page
    assert "Choose a number from 1 to 5." in page
    assert "Choose one option." in page
    assert "Choose from the options given." in page
    assert "This question needs an answer." in page
    assert "you wrote 5001" in page
    assert "x" * 5001 in page  # what was typed comes back
    assert _responses() == [] and _count(survey) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyAnswer)) == 0
    invitation = db.session.scalar(
        sa.select(SurveyInvitation).where(SurveyInvitation.user_id == setup.people[0].id)
    )
    assert invitation.answered is False


def test_a_named_response_keeps_the_person_and_times_and_is_changed_until_the_close(
    session_setup, make_survey, login_client
):
    setup = session_setup(participants=1)
    survey = make_survey(setup.session, setup.owner, QUESTIONS, anonymous=False)
    person = setup.people[0]
    client = login_client(person)
    path = f"/vragenlijsten/{survey.id}/invullen"

    first = client.submit(
        path, form_of(survey, {"tevreden": 2, "vorm": "Online", "tip": "Meer tijd"})
    )
    assert first.status_code == 302
    [response] = _responses()
    assert response.user_id == person.id
    assert response.submitted_at is not None and response.updated_at == response.submitted_at
    submitted_at = response.submitted_at

    page = client.get(path).get_data(as_text=True)
    assert "This survey is named." in page
    vorm = survey.questions[1]
    assert f'value="{vorm.options[0].id}" checked' in page
    assert ">Meer tijd</textarea>" in page

    second = client.submit(
        path,
        form_of(
            survey,
            {"tevreden": 5, "vorm": "Hybride", "hielp": ["Uitleg", "Feedback"], "tip": "Top"},
        ),
    )
    assert second.status_code == 302
    [response] = _responses()
    assert response.submitted_at == submitted_at and response.updated_at >= submitted_at
    answers = _answers_of(response)
    assert answers[survey.questions[0].id] == (5, "")
    assert answers[survey.questions[3].id] == (None, "Top")
    chosen = set(
        db.session.scalars(
            sa.select(SurveyAnswerOption.option_id).where(
                SurveyAnswerOption.response_id == response.id
            )
        )
    )
    assert chosen == {
        survey.questions[1].options[2].id,
        survey.questions[2].options[0].id,
        survey.questions[2].options[2].id,
    }
    assert _count(survey) == 1


def test_an_anonymous_response_keeps_no_person_or_time_yet_its_person_finds_it_again(
    session_setup, make_survey, login_client
):
    setup = session_setup(participants=2)
    survey = make_survey(setup.session, setup.owner, QUESTIONS)
    person = setup.people[0]
    client = login_client(person)
    path = f"/vragenlijsten/{survey.id}/invullen"
    client.submit(path, form_of(survey, {"tevreden": 4, "vorm": "Online", "tip": "Eerste versie"}))
    client.submit(path, form_of(survey, {"tevreden": 1, "vorm": "Online", "tip": "Tweede versie"}))

    [response] = _responses()
    assert (response.user_id, response.submitted_at, response.updated_at) == (None, None, None)
    assert len(response.id) == 32 and not response.id.isdigit()
    assert response.respondent_key == services.respondent_key(survey.id, person.id)
    assert _answers_of(response)[survey.questions[3].id] == (None, "Tweede versie")
    assert _count(survey) == 1
    page = client.get(path).get_data(as_text=True)
    assert "Your answers are anonymous." in page and "Tweede versie" in page
    other = login_client(setup.people[1]).get(path).get_data(as_text=True)
    assert "Tweede versie" not in other and "You have answered" not in other


def test_answers_cannot_change_after_the_close(
    session_setup, make_survey, login_client, give_answers
):
    setup = session_setup(participants=1)
    survey = make_survey(setup.session, setup.owner, QUESTIONS)
    person = setup.people[0]
    give_answers(survey, person, {"tevreden": 3, "vorm": "Online", "tip": "Voor de sluiting"})
    survey = db.session.get(Survey, survey.id)
    survey.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client = login_client(person)
    path = f"/vragenlijsten/{survey.id}/invullen"

    refused = client.submit(
        path, form_of(survey, {"tevreden": 5, "vorm": "Online", "tip": "Na de sluiting"})
    )

    assert refused.status_code == 400
    [response] = _responses()
    assert _answers_of(response)[survey.questions[3].id] == (None, "Voor de sluiting")
    page = client.get(path).get_data(as_text=True)
    assert "This survey has closed" in page and "Voor de sluiting" in page
    assert "Send my answers" not in page and "Save my changed answers" not in page
    with pytest.raises(ServiceError):
        services.respond(survey, person, {})


def test_a_survey_that_has_not_opened_takes_no_answers(session_setup, make_survey, login_client):
    setup = session_setup(participants=1)
    survey = make_survey(setup.session, setup.owner, QUESTIONS, opens_in=timedelta(days=1))
    person = setup.people[0]
    client = login_client(person)
    page = client.get(f"/vragenlijsten/{survey.id}/invullen").get_data(as_text=True)
    assert "This survey opens on" in page
    response = client.submit(
        f"/vragenlijsten/{survey.id}/invullen",
        form_of(survey, {"tevreden": 3, "vorm": "Online", "tip": "x"}),
    )
    assert response.status_code == 400 and _responses() == []


# -- who may answer -----------------------------------------------------------------------------


def test_who_may_answer(
    session_setup, make_survey, login_client, create_user, add_member, rsvp, give_answers, client
):
    client_without_login = client
    setup = session_setup(participants=1)
    survey = make_survey(setup.session, setup.owner, [scale("q1")])
    late = create_user()  # signs up after the invitations went out
    add_member(setup.community, late)
    rsvp(setup.session, late)
    member_not_going = create_user()
    add_member(setup.community, member_not_going)
    path = f"/vragenlijsten/{survey.id}/invullen"

    assert login_client(late).get(path).status_code == 200
    give_answers(survey, late, {"q1": 4})
    invitation = db.session.scalar(
        sa.select(SurveyInvitation).where(SurveyInvitation.user_id == late.id)
    )
    assert invitation.answered is True and invitation.invited_at is None

    for outsider in (member_not_going, create_user(), setup.owner):
        client = login_client(outsider)
        assert client.get(path).status_code == 404
        assert client.submit(path, {f"q-{survey.questions[0].id}": "3"}).status_code == 404
    assert client_without_login.get(path).status_code == 302  # to the login page
    assert _count(survey) == 1

    draft = make_survey(setup.session, setup.owner, [scale("q1")], publish=False)
    assert (
        login_client(setup.people[0]).get(f"/vragenlijsten/{draft.id}/invullen").status_code == 404
    )


def test_an_offering_participant_may_answer_and_counts_for_the_paying_school(
    create_offering, create_user, create_organisation, give_role, make_survey, give_answers
):
    offering = create_offering()
    school, own_school = (
        create_organisation(name="Betalende school"),
        create_organisation(name="Aaa school"),
    )
    person = create_user()
    give_role(person, own_school)
    db.session.add(
        Enrolment(
            offering_id=offering.id,
            user_id=person.id,
            status=EnrolmentStatus.ENROLLED,
            school_id=school.id,
        )
    )
    db.session.commit()
    survey = make_survey(offering, offering.created_by, [scale("q1")])
    give_answers(survey, person, {"q1": 5})
    [response] = _responses()
    assert response.organisation_id == school.id


def test_the_organisation_of_a_response(
    session_setup,
    make_survey,
    give_answers,
    create_organisation,
    give_role,
    create_pilot,
    create_user,
):
    setup = session_setup(participants=3)
    owner_org = next(iter(setup.community.owners)).organisation
    co_owner = create_organisation(name="Mede-eigenaar")
    db.session.add(
        CommunityOwner(
            community_id=setup.community.id,
            organisation_id=co_owner.id,
            status=CoOwnerStatus.ACCEPTED,
        )
    )
    school_b, school_a = (
        create_organisation(name="Zuidschool"),
        create_organisation(name="Astrid-school"),
    )
    board = create_organisation(name="Aa bestuur", kind=OrganisationKind.BOARD)
    in_co_owner, in_schools, nowhere = setup.people
    give_role(in_co_owner, school_a)
    give_role(in_co_owner, co_owner)
    give_role(in_schools, board)
    give_role(in_schools, school_b)
    give_role(in_schools, school_a)
    survey = make_survey(setup.session, setup.owner, [scale("q1")], anonymous=False)
    for person in setup.people:
        give_answers(survey, person, {"q1": 3})
    by_person = {r.user_id: r.organisation_id for r in _responses()}
    assert by_person == {in_co_owner.id: co_owner.id, in_schools.id: school_a.id, nowhere.id: None}
    assert owner_org.id not in by_person.values()

    member_org, sponsored_org = (
        create_organisation(name="Deelnemer"),
        create_organisation(name="Gesponsord"),
    )
    teacher, sponsor, contact = create_user(), create_user(), create_user()
    give_role(teacher, member_org)
    pilot = create_pilot(participants=[(member_org, contact, None), (sponsored_org, None, sponsor)])
    pilot_survey = make_survey(pilot, contact, [scale("q1")], anonymous=False)
    subject = services.load_subject("pilot", pilot.id)
    assert services.respondent_organisation(subject, teacher) == member_org.id
    assert services.respondent_organisation(subject, sponsor) == sponsored_org.id
    assert services.respondent_organisation(subject, contact) == member_org.id
    assert services.respondent_organisation(subject, create_user()) is None
    give_answers(pilot_survey, sponsor, {"q1": 4})
    assert (
        db.session.scalar(
            sa.select(SurveyResponse.organisation_id).where(
                SurveyResponse.survey_id == pilot_survey.id
            )
        )
        == sponsored_org.id
    )


# -- one response per person --------------------------------------------------------------------


def test_simultaneous_submissions_of_one_person_make_one_response(
    app, session_setup, make_survey, login_client, monkeypatch
):
    """Four requests of one person at once. On SQLite the write transactions queue (BEGIN
    IMMEDIATE): the later ones find the first response. On PostgreSQL every request is held,
    after looking for an earlier response and finding none, until all four have looked: so all
    four insert, one wins, and the others must take the SAVEPOINT path."""
    setup = session_setup(participants=1)
    survey = make_survey(setup.session, setup.owner, QUESTIONS)
    person = setup.people[0]
    clients = [login_client(person) for _ in range(4)]
    tokens = [client.csrf_token() for client in clients]
    barrier = threading.Barrier(len(clients), timeout=30)
    statuses: list[int] = []

    forms = [
        {
            "csrf_token": token,
            **form_of(survey, {"tevreden": 1 + n % 5, "vorm": "Online", "tip": f"Versie {n}"}),
        }
        for n, token in enumerate(tokens)
    ]

    def submit(client, data) -> None:
        barrier.wait()
        response = client.post(
            f"/vragenlijsten/{survey_id}/invullen",
            data=data,
            headers={"Referer": "https://localhost/"},
            base_url="https://localhost",
        )
        statuses.append(response.status_code)

    survey_id = survey.id
    racing = db.engine.dialect.name == "postgresql"
    looked = threading.Barrier(len(clients), timeout=30)
    seen = threading.local()
    lookups: list[str | None] = []
    real_find = services.find_response_id

    def find(survey_id: int, key: str) -> str | None:
        found = real_find(survey_id, key)
        lookups.append(found)
        if racing and not getattr(seen, "looked", False):
            seen.looked = True
            looked.wait()
        return found

    monkeypatch.setattr(services, "find_response_id", find)
    threads = [
        threading.Thread(target=submit, args=pair) for pair in zip(clients, forms, strict=True)
    ]
    for each in threads:
        each.start()
    for each in threads:
        each.join()
    db.session.commit()  # end the test's own read snapshot

    assert statuses == [302] * 4
    [response] = _responses()
    assert _count(survey) == 1
    answers = _answers_of(response)
    assert len(answers) == 3  # one complete set, not a mix of several
    assert answers[survey.questions[3].id][1].startswith("Versie ")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyInvitation)) == 1
    if racing:  # four lookups found nothing; the three losers looked again after their insert
        assert lookups.count(None) == 4 and len(lookups) == 7


def test_a_lost_insert_race_updates_the_winners_response_inside_a_savepoint(
    session_setup, make_survey, give_answers, monkeypatch
):
    """The other request's insert was not visible when this one looked: its own insert hits the
    unique constraint, rolls back to the savepoint, and updates the response found then."""
    setup = session_setup(participants=1)
    survey = make_survey(setup.session, setup.owner, QUESTIONS)
    person = setup.people[0]
    give_answers(survey, person, {"tevreden": 2, "vorm": "Online", "tip": "Eerst"})
    real_find = services.find_response_id
    calls = iter([None])
    monkeypatch.setattr(
        services, "find_response_id", lambda survey_id, key: next(calls, real_find(survey_id, key))
    )

    first = give_answers(survey, person, {"tevreden": 5, "vorm": "Hybride", "tip": "Daarna"})

    assert first is False
    [response] = _responses()
    assert _answers_of(response)[survey.questions[3].id] == (None, "Daarna")
    assert _count(survey) == 1
    invitation = db.session.scalar(sa.select(SurveyInvitation))
    assert invitation.answered is True  # the transaction went on after the failed insert
