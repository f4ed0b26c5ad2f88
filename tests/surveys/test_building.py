"""Building surveys: from the built-in templates (both languages), saved templates or blank;
settings; editing questions while allowed and refusing it once people answered; measuring again."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.extensions import db
from plc.live.services import to_local
from plc.surveys import services
from plc.surveys.builtin import BUILTIN, PILOT_EVALUATION, SESSION_EVALUATION
from plc.surveys.models import (
    QuestionKind,
    Survey,
    SurveyOption,
    SurveyQuestion,
    SurveyStatus,
    SurveyTemplate,
)
from tests.surveys.conftest import LANG_EN, choice, scale, text


def _dates(opens_in: timedelta = timedelta(0), lasts: timedelta = timedelta(days=14)) -> dict:
    opens = to_local(utcnow() + opens_in)
    closes = opens + lasts
    return {
        "opens_on": opens.date().isoformat(),
        "opens_time": opens.strftime("%H:%M"),
        "closes_on": closes.date().isoformat(),
        "closes_time": closes.strftime("%H:%M"),
    }


def _surveys() -> list[Survey]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Survey).order_by(Survey.id)))


def _keys(survey: Survey) -> list[str]:
    db.session.refresh(survey)
    return [q.key for q in survey.questions]


# -- the built-in templates ----------------------------------------------------------------------


@pytest.mark.parametrize("key", [SESSION_EVALUATION, PILOT_EVALUATION])
def test_builtin_templates_have_the_same_keys_in_both_languages_and_a_realistic_mix(key):
    dutch, english = BUILTIN[(key, "nl")], BUILTIN[(key, "en")]
    assert [q["key"] for q in dutch.questions] == [q["key"] for q in english.questions]
    assert [q["kind"] for q in dutch.questions] == [q["kind"] for q in english.questions]
    for template in (dutch, english):
        kinds = [q["kind"] for q in template.questions]
        assert kinds.count("scale") >= 4
        assert {"choice", "multiple", "text"} <= set(kinds)
        scales = [q for q in template.questions if q["kind"] == "scale"]
        assert all(q["low_label"] and q["high_label"] and q["scale_max"] == 5 for q in scales)
        assert any(not q["required"] for q in template.questions)
        assert any(q["required"] and q["kind"] == "text" for q in template.questions)
        assert len({q["key"] for q in template.questions}) == len(template.questions)
    assert dutch.questions[0]["prompt"] != english.questions[0]["prompt"]


@pytest.mark.parametrize(
    ("kind", "template", "language", "title"),
    [
        ("session", SESSION_EVALUATION, "nl", "Evaluatie van een bijeenkomst"),
        ("session", SESSION_EVALUATION, "en", "Session evaluation"),
        ("pilot", PILOT_EVALUATION, "nl", "Evaluatie van een pilot"),
        ("pilot", PILOT_EVALUATION, "en", "Pilot evaluation"),
    ],
)
def test_a_survey_is_built_from_each_builtin_template_in_each_language(
    kind, template, language, title, session_setup, create_pilot, login_client, create_user
):
    setup = session_setup(participants=0)
    if kind == "session":
        manager, arg, subject_id = setup.owner, "sessie", setup.session.id
    else:
        manager = create_user(**LANG_EN)
        pilot = create_pilot(proposer=manager)
        arg, subject_id = "pilot", pilot.id
    client = login_client(manager)
    form = client.get(f"/vragenlijsten/nieuw?{arg}={subject_id}").get_data(as_text=True)
    assert f"builtin:{template}" in form

    response = client.submit(
        f"/vragenlijsten/nieuw?{arg}={subject_id}",
        {"source": f"builtin:{template}", "language": language, "title": "", **_dates()},
    )

    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    [survey] = _surveys()
    assert survey.title == title
    assert survey.language == language
    assert survey.status == SurveyStatus.DRAFT
    assert survey.template_key == f"builtin:{template}"
    assert survey.intro == BUILTIN[(template, language)].intro
    assert getattr(survey, f"{kind}_id") == subject_id
    assert _keys(survey) == [q["key"] for q in BUILTIN[(template, language)].questions]
    first_scale = next(q for q in survey.questions if q.kind == QuestionKind.SCALE)
    assert first_scale.low_label and first_scale.high_label
    multiple = next(q for q in survey.questions if q.kind == QuestionKind.MULTIPLE)
    assert len(multiple.options) >= 4
    assert response.headers["Location"].endswith(f"/vragenlijsten/{survey.id}")
    page = client.get(f"/vragenlijsten/{survey.id}").get_data(as_text=True)
    assert survey.questions[0].prompt in page


def test_a_blank_survey_with_a_title_of_its_own(session_setup, login_client):
    setup = session_setup(participants=0)
    client = login_client(setup.owner)
    response = client.submit(
        f"/vragenlijsten/nieuw?sessie={setup.session.id}",
        {
            "source": "blank",
            "language": "en",
            "title": "Korte check",
            "anonymous": "named",
            **_dates(),
        },
    )
    assert response.status_code == 302
    [survey] = _surveys()
    assert (survey.title, survey.anonymous, survey.questions) == ("Korte check", False, [])


def test_a_blank_survey_needs_a_title_and_a_wrong_form_comes_back_filled_in(
    session_setup, login_client
):
    setup = session_setup(participants=0)
    client = login_client(setup.owner)
    path = f"/vragenlijsten/nieuw?sessie={setup.session.id}"
    untitled = client.submit(path, {"source": "blank", "language": "nl", "title": "", **_dates()})
    assert untitled.status_code == 400
    assert 'id="title-error"' in untitled.get_data(as_text=True)

    backwards = client.submit(
        path,
        {
            "source": "blank",
            "language": "nl",
            "title": "Mijn eigen titel",
            **_dates(),
            "closes_on": (utcnow() - timedelta(days=3)).date().isoformat(),
        },
    )
    page = backwards.get_data(as_text=True)
    assert backwards.status_code == 400
    assert 'id="closes_on-error"' in page
    assert 'value="Mijn eigen titel"' in page
    assert _surveys() == []


def test_only_managers_of_the_subject_start_a_survey(session_setup, login_client, create_user):
    setup = session_setup(participants=1)
    path = f"/vragenlijsten/nieuw?sessie={setup.session.id}"
    assert login_client(setup.people[0]).get(path).status_code == 404
    assert login_client(create_user()).get(path).status_code == 404
    assert login_client(setup.owner).get("/vragenlijsten/nieuw?sessie=999999").status_code == 404
    assert login_client(setup.owner).get("/vragenlijsten/nieuw").status_code == 404
    response = login_client(setup.people[0]).submit(
        path, {"source": "blank", "language": "nl", "title": "Toch", **_dates()}
    )
    assert response.status_code == 404
    assert _surveys() == []


# -- questions ----------------------------------------------------------------------------------


def _question_form(**values) -> dict:
    return {
        "kind": "scale",
        "prompt": "Hoe tevreden ben je?",
        "help_text": "",
        "required": "y",
        "scale_min": "1",
        "scale_max": "5",
        "low_label": "Niet",
        "high_label": "Zeer",
        "options": "",
        **values,
    }


def test_questions_are_added_changed_moved_and_removed_while_a_draft(
    session_setup, login_client, make_survey
):
    setup = session_setup(participants=0)
    survey = make_survey(setup.session, setup.owner, [], publish=False)
    client = login_client(setup.owner)
    base = f"/vragenlijsten/{survey.id}/vragen"

    assert client.submit(f"{base}/nieuw", _question_form(scale_max="7")).status_code == 302
    assert (
        client.submit(
            f"{base}/nieuw",
            _question_form(
                kind="multiple",
                prompt="Wat hielp?",
                options="Uitleg\nOefenen\n\nFeedback",
                required="",
            ),
        ).status_code
        == 302
    )
    assert (
        client.submit(f"{base}/nieuw", _question_form(kind="text", prompt="Nog iets?")).status_code
        == 302
    )
    db.session.refresh(survey)
    scale_q, multiple_q, text_q = survey.questions
    assert (scale_q.scale_max, scale_q.low_label, scale_q.high_label) == (7, "Niet", "Zeer")
    assert [o.label for o in multiple_q.options] == ["Uitleg", "Oefenen", "Feedback"]
    assert multiple_q.required is False and text_q.kind == QuestionKind.TEXT
    assert text_q.options == [] and text_q.low_label == ""

    form_page = client.get(f"{base}/{multiple_q.id}/bewerken").get_data(as_text=True)
    assert "Wat hielp?" in form_page and "Uitleg\nOefenen\nFeedback</textarea>" in form_page
    assert "survey-question.js" in form_page
    response = client.submit(
        f"{base}/{multiple_q.id}/bewerken",
        _question_form(
            kind="choice", prompt="Wat hielp het meest?", options="Uitleg\nSamen oefenen"
        ),
    )
    assert response.status_code == 302
    assert client.submit(f"{base}/{text_q.id}/verplaatsen", {"direction": "up"}).status_code == 302
    assert client.submit(f"{base}/{scale_q.id}/verwijderen").status_code == 302

    db.session.expire_all()
    survey = db.session.get(Survey, survey.id)
    assert [q.prompt for q in survey.questions] == ["Nog iets?", "Wat hielp het meest?"]
    assert [q.position for q in survey.questions] == [0, 1]
    changed = survey.questions[1]
    assert changed.kind == QuestionKind.CHOICE
    assert [o.label for o in changed.options] == ["Uitleg", "Samen oefenen"]
    assert changed.key == multiple_q.key  # keys stay, so measurements can be compared
    assert db.session.scalar(sa.select(sa.func.count(SurveyOption.id))) == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "choice", "options": "Alleen deze"}, "options"),
        ({"kind": "multiple", "options": "Dubbel\ndubbel"}, "options"),
        ({"scale_max": "11"}, "scale_max"),
        ({"scale_min": "1", "scale_max": "1"}, "scale_max"),
        ({"prompt": ""}, "prompt"),
    ],
)
def test_a_wrong_question_is_refused_next_to_its_field(
    values, field, session_setup, login_client, make_survey
):
    setup = session_setup(participants=0)
    survey = make_survey(setup.session, setup.owner, [], publish=False)
    client = login_client(setup.owner)
    response = client.submit(f"/vragenlijsten/{survey.id}/vragen/nieuw", _question_form(**values))
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(SurveyQuestion.id))) == 0


def test_questions_of_a_published_survey_change_until_the_first_response_then_are_fixed(
    session_setup, login_client, make_survey, give_answers
):
    setup = session_setup(participants=1)
    survey = make_survey(setup.session, setup.owner, [scale("q1"), text("q2")])
    client = login_client(setup.owner)
    [q1, q2] = survey.questions
    response = client.submit(
        f"/vragenlijsten/{survey.id}/vragen/{q1.id}/bewerken",
        _question_form(prompt="Nieuw geformuleerd"),
    )
    assert response.status_code == 302
    db.session.refresh(q1)
    assert q1.prompt == "Nieuw geformuleerd"

    give_answers(survey, setup.people[0], {"q1": 4})

    response = client.submit(
        f"/vragenlijsten/{survey.id}/vragen/{q1.id}/bewerken", _question_form(prompt="Te laat")
    )
    assert response.status_code == 400
    assert "questions are fixed" in response.get_data(as_text=True)
    for action, data in (("verwijderen", {}), ("verplaatsen", {"direction": "down"})):
        followed = client.submit(
            f"/vragenlijsten/{survey.id}/vragen/{q1.id}/{action}", data, follow_redirects=True
        )
        assert "questions are fixed" in followed.get_data(as_text=True)
    added = client.submit(
        f"/vragenlijsten/{survey.id}/vragen/nieuw", _question_form(prompt="Extra")
    )
    assert added.status_code == 400
    db.session.expire_all()
    survey = db.session.get(Survey, survey.id)
    assert [(q.prompt, q.position) for q in survey.questions] == [
        ("Nieuw geformuleerd", 0),
        (q2.prompt, 1),
    ]
    with pytest.raises(ServiceError):
        services.remove_question(survey.questions[0], setup.owner)
    assert "Add a question" not in client.get(f"/vragenlijsten/{survey.id}").get_data(as_text=True)


def test_anonymity_and_language_are_fixed_once_published_but_the_closing_moves(
    session_setup, login_client, make_survey
):
    setup = session_setup(participants=0)
    survey = make_survey(setup.session, setup.owner, [scale("q1")], anonymous=True)
    client = login_client(setup.owner)
    page = client.get(f"/vragenlijsten/{survey.id}/bewerken").get_data(as_text=True)
    assert 'type="radio"' not in page  # shown as a fact, not as a choice

    later = to_local(survey.closes_at + timedelta(days=7))
    opens = to_local(survey.opens_at)
    form = {
        "title": "Nieuwe titel",
        "intro": "",
        "anonymous": "named",
        "language": "nl",
        "opens_on": opens.date().isoformat(),
        "opens_time": opens.strftime("%H:%M"),
        "closes_on": later.date().isoformat(),
        "closes_time": later.strftime("%H:%M"),
    }
    refused = client.submit(f"/vragenlijsten/{survey.id}/bewerken", form)
    assert refused.status_code == 400
    assert 'id="anonymous-error"' in refused.get_data(as_text=True)
    db.session.refresh(survey)
    assert survey.anonymous is True and survey.title == "Evaluatie"

    accepted = client.submit(
        f"/vragenlijsten/{survey.id}/bewerken", {**form, "anonymous": "anonymous"}
    )
    assert accepted.status_code == 302
    db.session.refresh(survey)
    assert survey.title == "Nieuwe titel"
    assert to_local(survey.closes_at).date() == later.date()


# -- templates and measuring again ----------------------------------------------------------------


def test_a_survey_saved_as_template_starts_another_survey(
    session_setup, login_client, make_survey, create_session
):
    setup = session_setup(participants=0)
    survey = make_survey(
        setup.session,
        setup.owner,
        [scale("tempo", low=0, high=10), choice("vorm", ["Online", "Op school"]), text("tips")],
        publish=False,
        language="en",
    )
    client = login_client(setup.owner)
    assert (
        client.submit(f"/vragenlijsten/{survey.id}/als-sjabloon", {"name": ""}).status_code == 400
    )
    assert (
        client.submit(
            f"/vragenlijsten/{survey.id}/als-sjabloon", {"name": "Onze check"}
        ).status_code
        == 302
    )
    [template] = db.session.scalars(sa.select(SurveyTemplate)).all()
    assert (template.name, template.language) == ("Onze check", "en")
    assert [q["key"] for q in template.questions] == ["tempo", "vorm", "tips"]

    other = create_session(setup.community)
    response = client.submit(
        f"/vragenlijsten/nieuw?sessie={other.id}",
        {"source": f"template:{template.id}", "language": "nl", "title": "", **_dates()},
    )
    assert response.status_code == 302
    copy = _surveys()[-1]
    assert copy.session_id == other.id and copy.title == "Onze check" and copy.language == "en"
    assert _keys(copy) == ["tempo", "vorm", "tips"]
    assert (copy.questions[0].scale_min, copy.questions[0].scale_max) == (0, 10)
    assert [o.label for o in copy.questions[1].options] == ["Online", "Op school"]


def test_measure_again_copies_the_questions_as_a_draft_compared_with_the_original(
    session_setup, login_client, make_survey
):
    setup = session_setup(participants=0)
    survey = make_survey(setup.session, setup.owner, [scale("q1"), choice("q2", ["a", "b"])])
    client = login_client(setup.owner)
    response = client.submit(f"/vragenlijsten/{survey.id}/opnieuw-meten")
    copy = _surveys()[-1]
    assert response.headers["Location"].endswith(f"/vragenlijsten/{copy.id}")
    assert copy.id != survey.id and copy.baseline_id == survey.id
    assert copy.status == SurveyStatus.DRAFT and copy.session_id == setup.session.id
    assert _keys(copy) == _keys(survey)
    assert [o.label for o in copy.questions[1].options] == ["a", "b"]
    assert copy.questions[1].options[0].id != survey.questions[1].options[0].id


def test_only_a_draft_can_be_deleted(session_setup, login_client, make_survey):
    setup = session_setup(participants=0)
    draft = make_survey(setup.session, setup.owner, [scale("q1")], publish=False)
    published = make_survey(setup.session, setup.owner, [scale("q1")])
    client = login_client(setup.owner)
    assert client.submit(f"/vragenlijsten/{published.id}/verwijderen").status_code == 302
    assert client.submit(f"/vragenlijsten/{draft.id}/verwijderen").status_code == 302
    assert [s.id for s in _surveys()] == [published.id]
