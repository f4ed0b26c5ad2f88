"""The teacher's plan pages: the plan, adding and editing a goal, its page with sharing and
reflections, deleting with confirmation. A goal exists for its owner only (404 for everyone
else); nothing is shared by default; withdrawing hides a goal from the leaders at once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from plc.development import goals
from plc.development.models import (
    ActivityKind,
    GoalActivity,
    GoalReflection,
    GoalStatus,
    PersonalGoal,
    SchoolGoalStatus,
)
from plc.extensions import db
from tests.development import plan_world as fixtures
from tests.development.plan_world import add_goal, every_kind

plan_world = fixtures.plan_world


def _count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# -- who may see what ------------------------------------------------------------------------------


def test_the_plan_asks_a_visitor_to_log_in(client) -> None:
    response = client.get("/mijn-ontwikkeling")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_the_plan_shows_the_owners_goals_only(plan_world, login_client) -> None:
    add_goal(plan_world, "Feedback in de brugklas")
    goals.add_goal(plan_world.colleague, goals.GoalFields("Rekenen met breuken"))
    db.session.commit()

    page = login_client(plan_world.teacher).get("/mijn-ontwikkeling").get_data(as_text=True)

    assert "Feedback in de brugklas" in page
    assert "Formatief handelen in alle secties" in page  # the school goal it serves
    assert "Rekenen met breuken" not in page


def test_another_teacher_gets_404_on_every_page_and_button_of_a_goal(
    plan_world, login_client
) -> None:
    goal = add_goal(plan_world)
    activity = goals.add_activity(
        goal, plan_world.teacher, ActivityKind.COMMUNITY, plan_world.community.id
    )
    reflection = goals.add_reflection(goal, plan_world.teacher, "Het gaat goed.")
    db.session.commit()
    base = f"/mijn-ontwikkeling/doelen/{goal.id}"
    for person in (plan_world.colleague, plan_world.leader):
        other = login_client(person)
        for path in (
            base,
            f"{base}/bewerken",
            f"{base}/verwijderen",
            f"{base}/activiteiten",
            f"{base}/reflecties/{reflection.id}/verwijderen",
        ):
            assert other.get(path).status_code == 404, path
        for path, data in (
            (f"{base}/bewerken", {"title": "Overgenomen", "status": "planned"}),
            (f"{base}/verwijderen", {}),
            (f"{base}/delen", {}),
            (f"{base}/niet-meer-delen", {}),
            (f"{base}/activiteiten", {"kind": "output", "target_id": plan_world.output.id}),
            (f"{base}/activiteiten/{activity.id}/verwijderen", {}),
            (f"{base}/reflecties", {"body": "Van iemand anders"}),
            (f"{base}/reflecties/{reflection.id}/verwijderen", {}),
        ):
            assert other.submit(path, data).status_code == 404, path
    db.session.expire_all()
    assert goal.title == "Feedback in de brugklas" and goal.shared_at is None
    assert len(goal.activities) == 1 and len(goal.reflections) == 1


def test_an_unknown_goal_is_404(plan_world, login_client) -> None:
    assert login_client(plan_world.teacher).get("/mijn-ontwikkeling/doelen/999").status_code == 404


# -- adding and editing ----------------------------------------------------------------------------


def test_adding_a_goal_stores_it_unshared_and_serving_the_chosen_school_goal(
    plan_world, login_client
) -> None:
    teacher = login_client(plan_world.teacher)
    form = teacher.get("/mijn-ontwikkeling/doelen/nieuw").get_data(as_text=True)
    assert "Formatief handelen in alle secties (Het Noordlicht)" in form
    assert "Taalbeleid (Stichting Noord)" in form  # the board's goal too
    assert "Meertaligheid" not in form  # not of the teacher's schools

    response = teacher.submit(
        "/mijn-ontwikkeling/doelen/nieuw",
        {
            "title": "Feedback in de brugklas",
            "description": "Leerlingen leren van **feedback**.",
            "domain": "pedagogy",
            "target_date": "2027-06-30",
            "status": "in_progress",
            "themes": [plan_world.formative.id],
            "school_goal": plan_world.board_goal.id,
        },
    )

    assert response.status_code == 302
    goal = db.session.scalar(sa.select(PersonalGoal))
    assert response.headers["Location"].endswith(f"/mijn-ontwikkeling/doelen/{goal.id}")
    assert goal.shared_at is None
    assert goal.school_goal_id == plan_world.board_goal.id
    assert goal.status == GoalStatus.IN_PROGRESS
    assert "<strong>feedback</strong>" in goal.description_html
    assert [t.id for t in goal.themes] == [plan_world.formative.id]
    page = teacher.get(f"/mijn-ontwikkeling/doelen/{goal.id}").get_data(as_text=True)
    assert "Not shared: only you see this goal." in page


def test_a_school_goal_page_can_preselect_the_goal_to_serve(plan_world, login_client) -> None:
    form = (
        login_client(plan_world.teacher)
        .get(f"/mijn-ontwikkeling/doelen/nieuw?schooldoel={plan_world.school_goal.id}")
        .get_data(as_text=True)
    )
    assert f'<option selected value="{plan_world.school_goal.id}">' in form


def test_bad_input_stores_nothing_and_keeps_what_was_typed(plan_world, login_client) -> None:
    teacher = login_client(plan_world.teacher)
    response = teacher.submit(
        "/mijn-ontwikkeling/doelen/nieuw",
        {"title": "", "description": "Mijn tekst blijft staan", "status": "planned"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This field is required." in page
    assert "Mijn tekst blijft staan" in page
    assert _count(PersonalGoal) == 0


def test_a_goal_of_another_school_cannot_be_linked(plan_world, login_client) -> None:
    response = login_client(plan_world.teacher).submit(
        "/mijn-ontwikkeling/doelen/nieuw",
        {
            "title": "Meertalig lesgeven",
            "status": "planned",
            "school_goal": plan_world.elsewhere_goal.id,
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose a goal of one of your schools." in page
    assert 'value="Meertalig lesgeven"' in page
    assert _count(PersonalGoal) == 0


def test_editing_keeps_a_school_goal_that_was_archived_since(plan_world, login_client) -> None:
    goal = add_goal(plan_world)
    plan_world.school_goal.status = SchoolGoalStatus.ARCHIVED
    db.session.commit()
    teacher = login_client(plan_world.teacher)
    path = f"/mijn-ontwikkeling/doelen/{goal.id}/bewerken"
    assert "Formatief handelen in alle secties" in teacher.get(path).get_data(as_text=True)

    response = teacher.submit(
        path,
        {
            "title": "Feedback, ook schriftelijk",
            "status": "achieved",
            "school_goal": goal.school_goal_id,
        },
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert goal.title == "Feedback, ook schriftelijk"
    assert goal.status == GoalStatus.ACHIEVED
    assert goal.school_goal_id == plan_world.school_goal.id


def test_open_goals_come_first(plan_world, login_client) -> None:
    add_goal(plan_world, "Al bereikt", status=GoalStatus.ACHIEVED)
    add_goal(plan_world, "Nog bezig", status=GoalStatus.IN_PROGRESS)
    page = login_client(plan_world.teacher).get("/mijn-ontwikkeling").get_data(as_text=True)
    assert (
        page.index("Nog bezig")
        < page.index("Achieved and dropped goals")
        < page.index("Al bereikt")
    )


def test_deleting_asks_first_and_then_deletes_with_activities_and_reflections(
    plan_world, login_client
) -> None:
    goal = add_goal(plan_world)
    goals.add_activity(goal, plan_world.teacher, ActivityKind.OUTPUT, plan_world.output.id)
    goals.add_reflection(goal, plan_world.teacher, "Eerste les ging goed.")
    goals.share_goal(goal, plan_world.teacher)
    db.session.commit()
    teacher = login_client(plan_world.teacher)
    path = f"/mijn-ontwikkeling/doelen/{goal.id}/verwijderen"

    asked = teacher.get(path)
    assert asked.status_code == 200
    assert "This cannot be undone." in asked.get_data(as_text=True)
    assert _count(PersonalGoal) == 1

    response = teacher.submit(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mijn-ontwikkeling")
    assert (_count(PersonalGoal), _count(GoalActivity), _count(GoalReflection)) == (0, 0, 0)
    assert goals.shared_goals(plan_world.school, plan_world.leader) == []


# -- sharing ---------------------------------------------------------------------------------------


def test_the_pages_say_who_sees_a_shared_goal_and_that_reflections_stay_private(
    plan_world, login_client
) -> None:
    goal = add_goal(plan_world)
    teacher = login_client(plan_world.teacher)
    for path in ("/mijn-ontwikkeling", f"/mijn-ontwikkeling/doelen/{goal.id}"):
        page = teacher.get(path).get_data(as_text=True)
        assert (
            "A goal you share is seen by the school leaders and HR advisors of: Het Noordlicht, "
            "Stichting Noord." in page
        )
        assert "Your reflections are never shared." in page
        assert "De Zuidster" not in page


def test_sharing_is_off_until_the_teacher_shares_and_withdrawing_hides_it_at_once(
    plan_world, login_client
) -> None:
    goal = add_goal(plan_world, "Rust in de klas")
    teacher, leader = login_client(plan_world.teacher), login_client(plan_world.leader)
    leaders_page = f"/organisaties/{plan_world.school.slug}/schooldoelen"
    assert "Rust in de klas" not in leader.get(leaders_page).get_data(as_text=True)
    assert "Only you" in teacher.get("/mijn-ontwikkeling").get_data(as_text=True)

    shared = teacher.submit(f"/mijn-ontwikkeling/doelen/{goal.id}/delen")
    assert shared.status_code == 302
    assert "Rust in de klas" in leader.get(leaders_page).get_data(as_text=True)
    assert "Shared with your school" in teacher.get("/mijn-ontwikkeling").get_data(as_text=True)

    withdrawn = teacher.submit(
        f"/mijn-ontwikkeling/doelen/{goal.id}/niet-meer-delen", {"terug": "plan"}
    )
    assert withdrawn.headers["Location"].endswith(f"/mijn-ontwikkeling#goal-{goal.id}")
    assert "Rust in de klas" not in leader.get(leaders_page).get_data(as_text=True)
    db.session.expire_all()
    assert goal.shared_at is None


# -- reflections -----------------------------------------------------------------------------------


def test_a_reflection_is_rendered_sanitised_and_shown_to_its_owner(
    plan_world, login_client
) -> None:
    goal = add_goal(plan_world)
    teacher = login_client(plan_world.teacher)
    response = teacher.submit(
        f"/mijn-ontwikkeling/doelen/{goal.id}/reflecties",
        {"body": "Het werkte **goed**. <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    assert response.status_code == 302
    [reflection] = db.session.scalars(sa.select(GoalReflection)).all()
    assert "<strong>goed</strong>" in reflection.body_html
    assert "<script>" not in reflection.body_html
    assert 'href="javascript' not in reflection.body_html
    page = teacher.get(f"/mijn-ontwikkeling/doelen/{goal.id}").get_data(as_text=True)
    assert "<strong>goed</strong>" in page


def test_an_empty_reflection_comes_back_with_its_error(plan_world, login_client) -> None:
    goal = add_goal(plan_world)
    response = login_client(plan_world.teacher).submit(
        f"/mijn-ontwikkeling/doelen/{goal.id}/reflecties", {"body": "   "}
    )
    assert response.status_code == 400
    assert "Write your reflection first." in response.get_data(as_text=True)
    assert _count(GoalReflection) == 0


def test_a_reflection_is_deleted_after_confirmation(plan_world, login_client) -> None:
    goal = add_goal(plan_world)
    reflection = goals.add_reflection(goal, plan_world.teacher, "Weg ermee.")
    db.session.commit()
    teacher = login_client(plan_world.teacher)
    path = f"/mijn-ontwikkeling/doelen/{goal.id}/reflecties/{reflection.id}/verwijderen"
    assert "Weg ermee." in teacher.get(path).get_data(as_text=True)
    assert _count(GoalReflection) == 1
    assert teacher.submit(path).status_code == 302
    assert _count(GoalReflection) == 0


# -- statements --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/mijn-ontwikkeling", "goal"])
def test_the_plan_and_goal_pages_take_as_many_statements_for_many_goals_as_for_few(
    plan_world, login_client, count_queries, create_output, create_community, path
) -> None:
    teacher = login_client(plan_world.teacher)
    first = add_goal(plan_world, "Eerste doel")
    url = path if path.startswith("/") else f"/mijn-ontwikkeling/doelen/{first.id}"

    def fill(goal: PersonalGoal, n: int) -> None:
        for kind, target in every_kind(plan_world):
            goals.add_activity(goal, plan_world.teacher, kind, target)
        goals.add_reflection(goal, plan_world.teacher, f"Reflectie {n}")
        db.session.commit()

    def measure() -> int:
        with count_queries() as counted:
            assert teacher.get(url).status_code == 200
        return counted.count

    fill(first, 0)
    few = measure()
    for n in range(1, 8):
        fill(add_goal(plan_world, f"Doel {n}", status=GoalStatus.IN_PROGRESS), n)
    many = measure()

    assert few == many  # activities of every kind: one statement for all their targets
    assert many <= 10
