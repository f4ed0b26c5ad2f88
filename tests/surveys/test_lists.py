"""Where surveys show up: "my surveys", the start page hook, the profile, and the partial for the
pages of sessions, offerings and pilots (`surveys_for`)."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template_string

from plc.core.hooks import hooks
from plc.extensions import db
from plc.surveys import services
from tests.surveys.conftest import LANG_EN, scale

PARTIAL = (
    "{% with subject_kind=kind, subject_id=subject_id %}"
    '{% include "surveys/_for_subject.html" %}{% endwith %}'
)


def _partial(app, kind: str, subject_id: int, viewer) -> str:
    with app.test_request_context("/", headers={"Cookie": "plc_lang=en"}):
        return render_template_string(PARTIAL, kind=kind, subject_id=subject_id, viewer=viewer)


def test_my_surveys_lists_what_waits_what_was_answered_and_what_i_run(
    session_setup,
    make_survey,
    login_client,
    give_answers,
    create_pilot,
    create_organisation,
    create_user,
):
    setup = session_setup(participants=1)
    person = setup.people[0]
    waiting = make_survey(setup.session, setup.owner, [scale("q1")], title="Nog te doen")
    done = make_survey(setup.session, setup.owner, [scale("q1")], title="Al gedaan")
    closed = make_survey(setup.session, setup.owner, [scale("q1")], title="Voorbij")
    draft = make_survey(setup.session, setup.owner, [scale("q1")], title="Concept", publish=False)
    give_answers(done, person, {"q1": 3})
    closed.closes_at = closed.opens_at + timedelta(minutes=30)
    db.session.commit()

    page = login_client(person).get("/vragenlijsten/mijn").get_data(as_text=True)
    assert f"/vragenlijsten/{waiting.id}/invullen" in page
    assert "Answered, and still open" in page and f"/vragenlijsten/{done.id}/invullen" in page
    assert "Voorbij" not in page and "Concept" not in page and "Surveys you run" not in page

    mine = login_client(setup.owner).get("/vragenlijsten/mijn").get_data(as_text=True)
    for survey in (waiting, done, closed, draft):
        assert f'href="/vragenlijsten/{survey.id}"' in mine
    assert setup.session.title in mine

    sponsor = create_user(**LANG_EN)
    lead = create_user()
    pilot = create_pilot(participants=[(create_organisation(), lead, sponsor)], title="Pilot Noord")
    pilot_survey = make_survey(pilot, lead, [scale("q1")], title="Pilotpeiling")
    followed = login_client(sponsor).get("/vragenlijsten/mijn").get_data(as_text=True)
    assert "Results of pilots you sponsor" in followed
    assert f"/vragenlijsten/{pilot_survey.id}/resultaten" in followed


def test_the_start_page_hook_gives_the_surveys_waiting(
    app, session_setup, make_survey, give_answers, login_client
):
    setup = session_setup(participants=2)
    survey = make_survey(setup.session, setup.owner, [scale("q1")], title="Wacht op jou")
    give_answers(survey, setup.people[1], {"q1": 4})
    context = {}
    for hook in hooks("start_page"):
        context.update(hook(setup.people[0]))
    assert [s.title for s in context["surveys_waiting"]] == ["Wacht op jou"]
    other = {}
    for hook in hooks("start_page"):
        other.update(hook(setup.people[1]))
    assert other["surveys_waiting"] == []
    with app.test_request_context("/"):
        html = render_template_string(
            '{% include "surveys/_start_panel.html" %}', surveys_waiting=context["surveys_waiting"]
        )
    assert f"/vragenlijsten/{survey.id}/invullen" in html
    start = login_client(setup.people[0]).get("/").get_data(as_text=True)
    assert "Surveys waiting for your answer" in start and "Wacht op jou" in start
    assert "Wacht op jou" not in login_client(setup.people[1]).get("/").get_data(as_text=True)


def test_the_profile_links_to_my_surveys(session_setup, login_client):
    setup = session_setup(participants=1)
    assert "/vragenlijsten/mijn" in login_client(setup.people[0]).get("/profiel").get_data(
        as_text=True
    )


def test_the_subject_partial_shows_each_viewer_what_they_may_do(
    app, session_setup, make_survey, give_answers, create_user
):
    setup = session_setup(participants=2)
    open_survey = make_survey(setup.session, setup.owner, [scale("q1")], title="Open peiling")
    draft = make_survey(
        setup.session, setup.owner, [scale("q1")], title="Conceptpeiling", publish=False
    )
    give_answers(open_survey, setup.people[1], {"q1": 2})

    manager = _partial(app, "session", setup.session.id, setup.owner)
    assert "Conceptpeiling" in manager and "Open peiling" in manager
    assert f"/vragenlijsten/{open_survey.id}/resultaten" in manager
    assert f"/vragenlijsten/nieuw?sessie={setup.session.id}" in manager

    participant = _partial(app, "session", setup.session.id, setup.people[0])
    assert f"/vragenlijsten/{open_survey.id}/invullen" in participant
    assert "Conceptpeiling" not in participant and "/resultaten" not in participant
    assert "/vragenlijsten/nieuw" not in participant
    answered = _partial(app, "session", setup.session.id, setup.people[1])
    assert "Change my answers" in answered

    assert _partial(app, "session", setup.session.id, create_user()).strip() == ""
    assert _partial(app, "session", setup.session.id, None).strip() == ""
    links = services.surveys_for("session", setup.session.id, setup.people[0])
    assert [(link.title, link.can_answer, link.can_read_results) for link in links] == [
        ("Open peiling", True, False)
    ]
    assert services.surveys_for("offering", 999999, setup.owner) == []
    assert draft.id not in {link.id for link in links}


def test_surveys_for_takes_a_fixed_number_of_statements(session_setup, make_survey, count_queries):
    setup = session_setup(participants=1)
    person = setup.people[0]
    make_survey(setup.session, setup.owner, [scale("q1")])
    make_survey(setup.session, setup.owner, [scale("q1")])
    db.session.commit()
    with count_queries() as few:
        assert len(services.surveys_for("session", setup.session.id, person)) == 2
    for _ in range(8):
        make_survey(setup.session, setup.owner, [scale("q1")])
    db.session.commit()
    db.session.expire_all()
    with count_queries() as many:
        assert len(services.surveys_for("session", setup.session.id, person)) == 10
    assert many.count == few.count, many.statements
