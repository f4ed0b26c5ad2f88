"""Results: the arithmetic (distribution, mean, median) against numbers worked out by hand, the
minimum group size per organisation with nothing derivable by subtraction, the before/after
comparison, both CSV exports, and statement counts that do not grow with responses or
questions."""

from __future__ import annotations

import csv
import io
import random

import pytest
import sqlalchemy as sa

from plc.extensions import db
from plc.surveys import results as survey_results
from plc.surveys.models import Survey, SurveyResponse
from plc.surveys.results import MIN_GROUP, scale_stats, shown_groups
from tests.surveys.conftest import choice, scale, text


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def respondents(session_setup, create_user, add_member, rsvp, give_role, create_organisation):
    """`respondents(setup, n, school=None)`: n more people going to the session (teachers of
    `school`, which their responses then count for)."""
    counter = iter(range(1, 10_000))

    def build(setup, n: int, school=None) -> list:
        people = []
        for _ in range(n):
            number = next(counter)
            person = create_user(
                display_name=f"Respondent {number:03d}", email=f"r{number}@example.org"
            )
            add_member(setup.community, person)
            rsvp(setup.session, person)
            if school is not None:
                give_role(person, school)
            people.append(person)
        return people

    return build


# -- arithmetic ---------------------------------------------------------------------------------


def test_scale_statistics_by_hand():
    odd = scale_stats({1: 1, 2: 2, 4: 1, 5: 3})  # 1 2 2 4 5 5 5
    assert odd.n == 7 and odd.mean == pytest.approx(24 / 7) and odd.median == 4
    even = scale_stats({1: 1, 2: 1, 4: 1, 5: 1})  # 1 2 | 4 5
    assert even.mean == 3 and even.median == 3
    assert scale_stats({3: 2, 5: 2}).median == 4
    assert scale_stats({}) == survey_results.Stats(0, None, None)


def test_distribution_mean_median_and_percentages(
    session_setup, respondents, make_survey, give_answers, login_client
):
    setup = session_setup(participants=0)
    people = respondents(setup, 7)
    survey = make_survey(
        setup.session,
        setup.owner,
        [
            scale("tevreden"),
            choice("vorm", ["Online", "Op school"]),
            choice("hielp", ["Uitleg", "Oefenen", "Feedback"], multiple=True, required=False),
            text("tip"),
        ],
    )
    values = [1, 2, 2, 4, 5, 5, 5]
    for n, (person, value) in enumerate(zip(people, values, strict=True)):
        answers = {"tevreden": value, "vorm": "Online" if n < 5 else "Op school"}
        if n < 4:  # four answer the optional multiple choice: Uitleg 3, Oefenen 2, Feedback 1
            answers["hielp"] = [
                ["Uitleg", "Oefenen"],
                ["Uitleg"],
                ["Uitleg", "Feedback"],
                ["Oefenen"],
            ][n]
        if n % 2 == 0:
            answers["tip"] = f"Tip nummer {n}"
        give_answers(survey, person, answers)

    results = survey_results.results_for(db.session.get(Survey, survey.id))

    assert (results.invited, results.responses) == (7, 7)
    tevreden, vorm, hielp, tip = results.questions
    assert [(b.count, round(b.percent, 1)) for b in tevreden.bars] == [
        (1, 14.3),
        (2, 28.6),
        (0, 0.0),
        (1, 14.3),
        (3, 42.9),
    ]
    assert tevreden.bars[0].label == "1 – Oneens" and tevreden.bars[4].label == "5 – Eens"
    assert tevreden.stats.mean == pytest.approx(24 / 7) and tevreden.stats.median == 4
    assert [(b.label, b.count, round(b.percent, 1)) for b in vorm.bars] == [
        ("Online", 5, 71.4),
        ("Op school", 2, 28.6),
    ]
    assert hielp.answered == 4
    assert [(b.count, b.percent) for b in hielp.bars] == [(3, 75.0), (2, 50.0), (1, 25.0)]
    assert sorted(t.text for t in tip.texts) == [
        "Tip nummer 0",
        "Tip nummer 2",
        "Tip nummer 4",
        "Tip nummer 6",
    ]

    page = (
        login_client(setup.owner)
        .get(f"/vragenlijsten/{survey.id}/resultaten")
        .get_data(as_text=True)
    )
    assert "Mean 3.43 · median 4.0 (of 7 answers)." in page
    assert '<td class="text-end">42.9%</td>' in page
    assert 'width="42.9"' in page  # the bar behind the same number
    assert "<table" in page and "<caption" in page and "Response rate" in page

    rows = _csv(login_client(setup.owner).get(f"/vragenlijsten/{survey.id}/resultaten.csv"))
    header, body = rows[0], rows[1:]
    assert header == survey_results.RESULT_COLUMNS
    point_five = next(r for r in body if r[1] == "tevreden" and r[8] == "5 – Eens")
    assert point_five[4:11] == ["all", "7", "3.43", "4.00", "5 – Eens", "3", "42.9"]
    uitleg = next(r for r in body if r[1] == "hielp" and r[8] == "Uitleg")
    assert (uitleg[5], uitleg[9], uitleg[10]) == ("4", "3", "75.0")
    assert next(r for r in body if r[1] == "tip")[5] == "4"


# -- results per organisation -------------------------------------------------------------------


def test_shown_groups_never_leave_a_small_rest():
    assert shown_groups({1: 5, 2: 6, 3: 4, None: 1}, 16) == {1, 2}  # rest 5: fine
    assert shown_groups({1: 5, 3: 4}, 9) == set()  # 9 minus 5 would be the 4 of organisation 3
    assert shown_groups({1: 5, 2: 6, 3: 4}, 15) == {2}  # the smallest joins the rest: 5 + 4
    assert shown_groups({1: 5, 2: 5}, 10) == {1, 2}
    assert shown_groups({1: 7, None: 1}, 8) == set()
    generator = random.Random(8)
    for _ in range(2000):
        counts = {org: generator.randint(0, 12) for org in range(generator.randint(1, 6))}
        counts[None] = generator.randint(0, 3)
        total = sum(counts.values())
        shown = shown_groups(counts, total)
        rest = total - sum(counts[org] for org in shown)
        assert all(counts[org] >= MIN_GROUP for org in shown)
        assert not shown or rest == 0 or rest >= MIN_GROUP, counts


def test_an_organisation_with_four_responses_is_left_out_and_one_with_five_shown(
    session_setup, respondents, make_survey, give_answers, login_client, create_organisation
):
    setup = session_setup(participants=0)
    five, six, four = (
        create_organisation(name=n) for n in ("Vijfschool", "Zesschool", "Vierschool")
    )
    groups = [(five, [4] * 5), (six, [2] * 6), (four, [1, 1, 1, 5])]
    loners = respondents(setup, 1)  # no school: part of the rest
    survey = make_survey(setup.session, setup.owner, [scale("q1"), scale("q2", required=False)])
    for school, values in groups:
        for person, value in zip(respondents(setup, len(values), school), values, strict=True):
            give_answers(survey, person, {"q1": value})
    give_answers(survey, loners[0], {"q1": 3})

    results = survey_results.results_for(db.session.get(Survey, survey.id))

    assert [(g.name, g.responses) for g in results.groups] == [("Vijfschool", 5), ("Zesschool", 6)]
    q1, q2 = results.questions
    assert [(g.name, g.stats.n, g.stats.mean) for g in q1.groups] == [
        ("Vijfschool", 5, 4.0),
        ("Zesschool", 6, 2.0),
    ]
    assert q2.groups == [] and not q2.groups_withheld  # nobody answered it
    page = (
        login_client(setup.owner)
        .get(f"/vragenlijsten/{survey.id}/resultaten")
        .get_data(as_text=True)
    )
    assert "Vijfschool" in page and "Zesschool" in page and "Vierschool" not in page
    assert "other" not in page.lower().split("<main")[1].replace("others", "")
    rows = _csv(login_client(setup.owner).get(f"/vragenlijsten/{survey.id}/antwoorden.csv"))
    organisations = sorted(row[0] for row in rows[1:])
    assert organisations == [""] * 5 + ["Vijfschool"] * 5 + ["Zesschool"] * 6


def test_a_group_that_would_leave_a_small_rest_is_not_shown_either(
    session_setup, respondents, make_survey, give_answers, login_client, create_organisation
):
    setup = session_setup(participants=0)
    five, four = create_organisation(name="Vijfschool"), create_organisation(name="Vierschool")
    survey = make_survey(setup.session, setup.owner, [scale("q1")])
    for school, values in ((five, [5] * 5), (four, [1] * 4)):
        for person, value in zip(respondents(setup, len(values), school), values, strict=True):
            give_answers(survey, person, {"q1": value})

    results = survey_results.results_for(db.session.get(Survey, survey.id))

    # Showing Vijfschool (mean 5, n 5) next to the total (n 9) would give Vierschool's mean.
    assert results.groups == [] and results.questions[0].groups == []
    page = (
        login_client(setup.owner)
        .get(f"/vragenlijsten/{survey.id}/resultaten")
        .get_data(as_text=True)
    )
    assert "Vijfschool" not in page and "Vierschool" not in page
    rows = _csv(login_client(setup.owner).get(f"/vragenlijsten/{survey.id}/antwoorden.csv"))
    assert {row[0] for row in rows[1:]} == {""}


def test_a_question_too_few_in_a_group_answered_is_not_broken_down(
    session_setup, respondents, make_survey, give_answers, create_organisation
):
    setup = session_setup(participants=0)
    a, b = create_organisation(name="School A"), create_organisation(name="School B")
    survey = make_survey(setup.session, setup.owner, [scale("q1"), scale("q2", required=False)])
    for school in (a, b):
        for n, person in enumerate(respondents(setup, 5, school)):
            answers = {"q1": 3}
            if school is b or n < 3:  # only three of School A answer q2
                answers["q2"] = 4
            give_answers(survey, person, answers)
    q1, q2 = survey_results.results_for(db.session.get(Survey, survey.id)).questions
    assert [g.name for g in q1.groups] == ["School A", "School B"]
    assert q2.groups == [] and q2.groups_withheld


# -- before and after ---------------------------------------------------------------------------


def test_before_and_after_compare_the_scale_means_per_question_key(
    session_setup, respondents, make_survey, give_answers, login_client
):
    setup = session_setup(participants=0)
    people = respondents(setup, 4)
    before = make_survey(
        setup.session,
        setup.owner,
        [scale("q1"), scale("q2", low=0, high=10), text("t")],
        title="Nulmeting",
    )
    for person, value in zip(people, [1, 2, 3, 4], strict=True):
        give_answers(before, person, {"q1": value, "q2": 5})
    client = login_client(setup.owner)
    client.submit(f"/vragenlijsten/{before.id}/opnieuw-meten")
    after = db.session.scalars(sa.select(Survey).where(Survey.baseline_id == before.id)).one()
    q2 = after.questions[1]
    q2.scale_min, q2.scale_max = 1, 5  # asked on another scale this time
    db.session.commit()
    client.submit(f"/vragenlijsten/{after.id}/publiceren")
    db.session.expire_all()
    after = db.session.get(Survey, after.id)
    after.opens_at = before.opens_at
    db.session.commit()
    for person, value in zip(people[:3], [4, 4, 4], strict=True):
        give_answers(after, person, {"q1": value, "q2": 3})

    results = survey_results.results_for(after)

    q1, q2, _t = results.questions
    assert results.baseline.id == before.id
    assert (q1.comparison.before.n, q1.comparison.before.mean) == (4, 2.5)
    assert (q1.comparison.after.n, q1.comparison.after.mean) == (3, 4.0)
    assert q1.comparison.difference == pytest.approx(1.5)
    assert q2.comparison is None and q2.other_scale
    page = client.get(f"/vragenlijsten/{after.id}/resultaten").get_data(as_text=True)
    assert "Before and after" in page and "+1.50" in page and "Nulmeting" in page
    rows = _csv(client.get(f"/vragenlijsten/{after.id}/resultaten.csv"))
    q1_row = next(r for r in rows[1:] if r[1] == "q1")
    assert q1_row[11:] == ["4", "2.50", "1.50"]


# -- the CSV of answers -------------------------------------------------------------------------


def test_answers_csv_of_a_named_survey_names_the_people(
    session_setup, respondents, make_survey, give_answers, login_client
):
    setup = session_setup(participants=0)
    first, second = respondents(setup, 2)
    survey = make_survey(
        setup.session,
        setup.owner,
        [scale("q1"), choice("q2", ["Rood", "Groen", "Blauw"], multiple=True), text("q3")],
        anonymous=False,
    )
    give_answers(survey, second, {"q1": 2, "q2": ["Blauw", "Rood"], "q3": "=SOM(A1:A9)"})
    give_answers(survey, first, {"q1": 5, "q2": ["Groen"]})

    rows = _csv(login_client(setup.owner).get(f"/vragenlijsten/{survey.id}/antwoorden.csv"))

    assert rows[0][:5] == ["name", "email", "submitted_at", "updated_at", "organisation"]
    assert rows[0][5:] == ["1. Stelling q1", "2. Keuze q2", "3. Open vraag q3"]
    assert [row[0] for row in rows[1:]] == [first.display_name, second.display_name]
    assert rows[1][5:] == ["5", "Groen", ""]
    assert rows[2][1] == second.email and rows[2][2]
    assert rows[2][5:] == ["2", "Rood; Blauw", "'=SOM(A1:A9)"]  # no formula for spreadsheets


# -- statements -----------------------------------------------------------------------------------


def _survey_with(setup, respondents, make_survey, give_answers, questions: int, responses: int):
    survey = make_survey(
        setup.session,
        setup.owner,
        [
            [
                scale,
                lambda k: choice(k, ["a", "b"]),
                lambda k: choice(k, ["a", "b"], multiple=True),
                text,
            ][n % 4](f"k{n}")
            for n in range(questions)
        ],
    )
    db.session.refresh(survey)
    for person in respondents(setup, responses):
        answers = {}
        for question in survey.questions:
            kind = question.kind.value
            answers[question.key] = {
                "scale": 3,
                "choice": "a",
                "multiple": ["a", "b"],
                "text": "x",
            }[kind]
        give_answers(survey, person, answers)
    return survey


def test_statements_of_results_and_answer_pages_do_not_grow(
    session_setup, respondents, make_survey, give_answers, login_client, count_queries
):
    setup = session_setup(participants=0)
    small = _survey_with(setup, respondents, make_survey, give_answers, 3, 3)
    large = _survey_with(setup, respondents, make_survey, give_answers, 30, 30)
    owner = login_client(setup.owner)
    person = respondents(setup, 1)[0]
    give_answers(small, person, {"k0": 4, "k1": "b", "k2": ["a"]})
    give_answers(
        large,
        person,
        {
            q.key: {"scale": 3, "choice": "a", "multiple": ["a"], "text": "y"}[q.kind.value]
            for q in large.questions
        },
    )
    participant = login_client(person)
    counts = {}
    for name, survey in (("small", small), ("large", large)):
        for page, client in (("resultaten", owner), ("invullen", participant), ("", owner)):
            path = f"/vragenlijsten/{survey.id}/{page}".rstrip("/")
            with count_queries() as counted:
                assert client.get(path).status_code == 200
            counts[(name, page)] = counted
        with count_queries() as counted:
            assert owner.get(f"/vragenlijsten/{survey.id}/antwoorden.csv").status_code == 200
        counts[(name, "csv")] = counted
    for page in ("resultaten", "invullen", "", "csv"):
        assert counts[("large", page)].count == counts[("small", page)].count, (
            page,
            counts[("large", page)].statements,
        )
    assert counts[("small", "invullen")].count <= 10
    assert counts[("small", "resultaten")].count <= 13
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 35
