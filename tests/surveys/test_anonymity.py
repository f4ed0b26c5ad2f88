"""Anonymity: for an anonymous survey, no page, export or API route links an answer to its
person; the stored rows hold no person or time; rows and open answers do not follow the order
of arrival; the invitation table says who answered, never which response is theirs."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import sqlalchemy as sa

from plc.extensions import db
from plc.surveys import results as survey_results
from plc.surveys import services
from plc.surveys.models import SurveyInvitation, SurveyResponse
from tests.surveys.conftest import choice, scale, text

QUESTIONS = [scale("q1"), choice("q2", ["Ja", "Nee"]), text("q3"), text("q4")]


def _setup(session_setup, make_survey, give_answers, count: int = 3):
    setup = session_setup(participants=count)
    survey = make_survey(setup.session, setup.owner, QUESTIONS)
    secrets = {}
    for n, person in enumerate(setup.people):  # in this order: the order of arrival
        secret = f"Geheim antwoord {n:02d} van {person.display_name.split()[-1]}x"
        secrets[person] = secret
        give_answers(
            survey,
            person,
            {"q1": 1 + n % 5, "q2": "Ja", "q3": secret, "q4": f"Tweede antwoord {n:02d}"},
        )
    return setup, survey, secrets


def _identities(person) -> list[str]:
    return [person.display_name, person.email, f"user_id={person.id}", f"/profiel/{person.id}"]


def test_no_page_or_export_puts_a_person_next_to_an_answer(
    session_setup, make_survey, give_answers, login_client, app
):
    setup, survey, secrets = _setup(session_setup, make_survey, give_answers)
    owner = login_client(setup.owner)
    pages = {
        "overview": owner.get(f"/vragenlijsten/{survey.id}"),
        "results": owner.get(f"/vragenlijsten/{survey.id}/resultaten"),
        "answers.csv": owner.get(f"/vragenlijsten/{survey.id}/antwoorden.csv"),
        "results.csv": owner.get(f"/vragenlijsten/{survey.id}/resultaten.csv"),
        "mine": owner.get("/vragenlijsten/mijn"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = response.get_data(as_text=True)
        for person in setup.people:
            for identity in _identities(person):
                assert identity not in body, (name, identity)
        for response_row in db.session.scalars(sa.select(SurveyResponse)):
            assert response_row.id not in body and response_row.respondent_key not in body, name
    results_page = pages["results"].get_data(as_text=True)
    assert all(secret in results_page for secret in secrets.values())  # the answers are there
    assert "who has or has not answered is not shown" in results_page

    # Another participant's answering page shows nothing of anyone else.
    first, second = setup.people[0], setup.people[1]
    page = login_client(second).get(f"/vragenlijsten/{survey.id}/invullen").get_data(as_text=True)
    assert secrets[first] not in page and secrets[second] in page


def test_the_stored_rows_hold_no_person_no_time_and_no_sequence(
    session_setup, make_survey, give_answers
):
    setup, survey, _secrets = _setup(session_setup, make_survey, give_answers)
    rows = db.session.scalars(sa.select(SurveyResponse)).all()
    assert len(rows) == 3
    for row in rows:
        assert (row.user_id, row.submitted_at, row.updated_at) == (None, None, None)
        assert len(row.id) == 32 and not row.id.isdigit()
    keys = {row.respondent_key for row in rows}
    for person in setup.people:
        # The key is keyed with the app's secret: without it, it cannot be recomputed.
        plain = hashlib.sha256(f"{survey.id}:{person.id}".encode()).hexdigest()
        assert plain not in keys
        assert services.respondent_key(survey.id, person.id) in keys
    # The invitation says that someone answered, and holds nothing that points to a response.
    columns = set(SurveyInvitation.__table__.columns.keys())
    assert columns == {"id", "survey_id", "user_id", "invited_at", "reminded_at", "answered"}
    answered = db.session.scalars(sa.select(SurveyInvitation.answered)).all()
    assert answered == [True, True, True]


def test_csv_rows_and_open_answers_do_not_follow_the_order_of_arrival(
    session_setup, make_survey, give_answers, login_client
):
    setup, survey, secrets = _setup(session_setup, make_survey, give_answers, count=20)
    arrival = [secrets[person] for person in setup.people]
    owner = login_client(setup.owner)

    body = owner.get(f"/vragenlijsten/{survey.id}/antwoorden.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == [
        "organisation",
        "1. Stelling q1",
        "2. Keuze q2",
        "3. Open vraag q3",
        "4. Open vraag q4",
    ]
    in_csv = [row[3] for row in rows[1:]]
    assert sorted(in_csv) == sorted(arrival)
    assert in_csv != arrival and in_csv != arrival[::-1]
    by_id = db.session.scalars(sa.select(SurveyResponse.id).order_by(SurveyResponse.id)).all()
    assert len(by_id) == 20  # rows follow the random ids, which say nothing about arrival

    results = survey_results.results_for(survey)
    q3 = [t.text for t in results.questions[2].texts]
    q4 = [t.text[-2:] for t in results.questions[3].texts]
    assert sorted(q3) == sorted(arrival) and q3 != arrival
    # Each open question has an order of its own: the n-th answers do not line up.
    assert [t.split()[2] for t in q3] != q4
    page = owner.get(f"/vragenlijsten/{survey.id}/resultaten").get_data(as_text=True)
    positions = [page.index(secret) for secret in arrival]
    assert positions != sorted(positions)


def test_no_api_route_exposes_answers_or_who_gave_them(
    app,
    client,
    create_pilot,
    create_organisation,
    create_user,
    create_community,
    add_member,
    make_survey,
    give_answers,
):
    """The API has no survey routes. Pilots in the API may carry evaluation aggregates: with a
    pilot survey answered, no API document holds an answer, a respondent or a response id."""
    api_rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api")]
    assert api_rules  # the API exists
    assert not [r.rule for r in api_rules if "survey" in r.rule or "vragenlijst" in r.rule]
    document = json.dumps(client.get("/api/openapi.json").get_json()).lower()
    for word in ("respondent", "respondent_key", "answer_text", "response_id"):
        assert word not in document

    contact, member = (
        create_user(display_name="Contact Persoon"),
        create_user(display_name="Lid Persoon"),
    )
    community = create_community()
    add_member(community, member)
    pilot = create_pilot(
        participants=[(create_organisation(), contact, None)], communities=[community]
    )
    survey = make_survey(pilot, contact, QUESTIONS, template="builtin:pilot-evaluation")
    give_answers(survey, member, {"q1": 4, "q2": "Nee", "q3": "Vertrouwelijk antwoord"})
    response_row = db.session.scalars(sa.select(SurveyResponse)).one()
    forbidden = [
        "Vertrouwelijk antwoord",
        member.display_name,
        member.email,
        response_row.id,
        response_row.respondent_key,
    ]
    checked = 0
    for rule in api_rules:
        if "GET" not in rule.methods:
            continue
        if not rule.arguments:
            path = rule.rule
        elif rule.arguments == {"slug"} and "pilot" in rule.rule:
            path = rule.rule.replace("<slug>", pilot.slug)
        else:
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        body = response.get_data(as_text=True)
        assert not [word for word in forbidden if word in body], path
        checked += 1
    assert checked >= 3
