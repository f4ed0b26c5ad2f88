"""A school's development goals: its leaders and HR advisors (of the school or its board) record
them and see, per goal, how many teachers' goals serve it (from five up), the goals teachers
shared with them (never a reflection), and the communities, offerings and outputs on its themes;
its teachers read the active goals; anyone else gets 404. Statements do not grow with goals."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from plc.communities.models import CommunityStatus, Visibility
from plc.development import goals
from plc.development.models import ActivityKind, SchoolGoal, SchoolGoalStatus
from plc.extensions import db
from plc.organisations.models import OrganisationKind, OrganisationRole
from tests.development import plan_world
from tests.development.plan_world import add_goal

plan_world = plan_world.plan_world


def _path(organisation: Any, rest: str = "") -> str:
    return f"/organisaties/{organisation.slug}/schooldoelen{rest}"


def _school_goals() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SchoolGoal))


# -- who sees what ---------------------------------------------------------------------------------


def test_leaders_of_the_school_and_its_board_see_the_full_overview(
    plan_world, login_client
) -> None:
    for person, organisation in (
        (plan_world.leader, plan_world.school),
        (plan_world.hr, plan_world.school),
        (plan_world.hr, plan_world.board),
    ):
        response = login_client(person).get(_path(organisation))
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Add a development goal" in page
        assert "What serves this goal" in page


def test_teachers_read_the_active_goals_only(plan_world, login_client) -> None:
    goals.add_school_goal(
        plan_world.school,
        plan_world.leader,
        goals.SchoolGoalFields("Oud doel", status=SchoolGoalStatus.ARCHIVED),
    )
    db.session.commit()
    teacher = login_client(plan_world.teacher)

    page = teacher.get(_path(plan_world.school)).get_data(as_text=True)
    assert "Formatief handelen in alle secties" in page
    assert "Oud doel" not in page
    assert "Add a development goal" not in page
    assert "Teachers with goals serving it" not in page
    assert f"/mijn-ontwikkeling/doelen/nieuw?schooldoel={plan_world.school_goal.id}" in page
    # The board's goals too: the teacher's goals may serve them.
    assert "Taalbeleid" in teacher.get(_path(plan_world.board)).get_data(as_text=True)
    for rest in ("/nieuw", f"/{plan_world.school_goal.id}/bewerken"):
        assert teacher.get(_path(plan_world.school, rest)).status_code == 404


def test_board_members_read_the_goals_and_their_figures_and_nothing_shared(
    plan_world, login_client, create_user, create_organisation, give_role
) -> None:
    goal = add_goal(plan_world, "Rust in de klas")
    goals.share_goal(goal, plan_world.teacher)
    db.session.commit()
    member = create_user(display_name="Bert Bestuur", preferred_language="en")
    give_role(member, plan_world.board, OrganisationRole.BOARD_MEMBER)
    client = login_client(member)
    for organisation in (plan_world.school, plan_world.board):
        response = client.get(_path(organisation))
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Teachers with goals serving it:" in page
        assert "What serves this goal" in page
        assert "Rust in de klas" not in page and "Tess Leraar" not in page  # shared: leaders only
        assert "Add a development goal" not in page and "/bewerken" not in page
    assert "Formatief handelen in alle secties" in client.get(_path(plan_world.school)).get_data(
        as_text=True
    )
    for rest in ("/nieuw", f"/{plan_world.school_goal.id}/bewerken"):
        assert client.get(_path(plan_world.school, rest)).status_code == 404
    assert client.submit(_path(plan_world.school, "/nieuw"), {"title": "Iets"}).status_code == 404
    # A board member of another board reads nothing of this school's.
    elsewhere = create_user(display_name="Olga Anderbestuur")
    give_role(
        elsewhere, create_organisation(kind=OrganisationKind.BOARD), OrganisationRole.BOARD_MEMBER
    )
    assert login_client(elsewhere).get(_path(plan_world.school)).status_code == 404
    assert _school_goals() == 3


def test_everyone_else_gets_404_and_visitors_are_asked_to_log_in(
    plan_world, login_client, client
) -> None:
    for person in (plan_world.stranger, plan_world.outsider):
        other = login_client(person)
        assert other.get(_path(plan_world.school)).status_code == 404
        assert other.get(_path(plan_world.school, "/nieuw")).status_code == 404
        assert (
            other.submit(_path(plan_world.school, "/nieuw"), {"title": "Iets"}).status_code == 404
        )
    assert (
        login_client(plan_world.leader).get("/organisaties/bestaat-niet/schooldoelen").status_code
        == 404
    )
    assert client.get(_path(plan_world.school)).status_code == 302
    assert _school_goals() == 3


# -- recording goals ---------------------------------------------------------------------------------


def test_a_leader_records_and_edits_a_goal(plan_world, login_client) -> None:
    leader = login_client(plan_world.leader)
    response = leader.submit(
        _path(plan_world.school, "/nieuw"),
        {
            "title": "Samen lesontwerpen",
            "description": "Met **lesson study**.",
            "plan_period": "2024-2028",
            "status": "active",
            "themes": [plan_world.language.id],
        },
    )
    assert response.status_code == 302
    goal = db.session.scalar(sa.select(SchoolGoal).where(SchoolGoal.title == "Samen lesontwerpen"))
    assert response.headers["Location"].endswith(
        _path(plan_world.school, f"#school-goal-{goal.id}")
    )
    assert "<strong>lesson study</strong>" in goal.description_html
    assert [t.id for t in goal.themes] == [plan_world.language.id]

    edit = _path(plan_world.school, f"/{goal.id}/bewerken")
    assert "Samen lesontwerpen" in leader.get(edit).get_data(as_text=True)
    saved = leader.submit(edit, {"title": "Samen lesontwerpen", "status": "achieved"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert goal.status == SchoolGoalStatus.ACHIEVED
    assert goal.themes == []


def test_bad_input_comes_back_with_its_errors_and_stores_nothing(plan_world, login_client) -> None:
    response = login_client(plan_world.leader).submit(
        _path(plan_world.school, "/nieuw"),
        {"title": "", "description": "Blijft staan", "plan_period": "x" * 21, "status": "active"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This field is required." in page
    assert "Blijft staan" in page
    assert _school_goals() == 3


def test_a_goal_of_another_organisation_cannot_be_edited_through_this_one(
    plan_world, login_client
) -> None:
    leader = login_client(plan_world.leader)
    assert (
        leader.get(
            _path(plan_world.school, f"/{plan_world.elsewhere_goal.id}/bewerken")
        ).status_code
        == 404
    )
    stranger = login_client(plan_world.stranger)
    assert (
        stranger.get(_path(plan_world.school, f"/{plan_world.school_goal.id}/bewerken")).status_code
        == 404
    )


# -- what the leaders see ----------------------------------------------------------------------------


def test_the_count_of_teachers_goals_shows_from_five_up(
    plan_world, login_client, create_user, give_role
) -> None:
    leader = login_client(plan_world.leader)
    for n in range(5):
        teacher = create_user(display_name=f"Leraar {n}")
        give_role(teacher, plan_world.school, OrganisationRole.TEACHER)
        goals.add_goal(
            teacher, goals.GoalFields(f"Doel {n}", school_goal_id=plan_world.school_goal.id)
        )
        db.session.commit()
        page = leader.get(_path(plan_world.school)).get_data(as_text=True)
        shown = page.split("Teachers with goals serving it:</strong>")[1].split("</p>")[0].strip()
        assert shown == ("5" if n == 4 else "fewer than 5")
    # Not shared: none of these goals is shown, only the count.
    assert "Doel 0" not in page


def test_shared_goals_show_with_what_the_leader_may_see_and_never_a_reflection(
    plan_world, login_client, add_member
) -> None:
    goal = add_goal(plan_world, "Rust in de klas")
    add_member(plan_world.secret, plan_world.teacher)
    for kind, target in (
        (ActivityKind.OUTPUT, plan_world.output.id),
        (ActivityKind.COMMUNITY, plan_world.secret.id),
    ):
        goals.add_activity(goal, plan_world.teacher, kind, target)
    goals.add_reflection(goal, plan_world.teacher, "Ik twijfel aan mezelf.")
    goals.share_goal(goal, plan_world.teacher)
    board_goal = add_goal(plan_world, "Woordenschat", school_goal_id=plan_world.board_goal.id)
    goals.share_goal(board_goal, plan_world.teacher)
    db.session.commit()

    page = login_client(plan_world.leader).get(_path(plan_world.school)).get_data(as_text=True)

    section = page.split('id="school-goal-1"')[1].split("</section>")[0]
    assert "Tess Leraar</strong>: Rust in de klas" in section
    assert plan_world.output.title in section
    assert plan_world.secret.name not in page  # an invite-only community the leader is not in
    assert "Ik twijfel aan mezelf." not in page
    other = page.split("Other goals teachers shared with you")[1]
    assert "Woordenschat" in other and "serves: Taalbeleid" in other
    # The board's HR advisor sees both, the board's goal under its own goal.
    board_page = login_client(plan_world.hr).get(_path(plan_world.board)).get_data(as_text=True)
    assert "Woordenschat" in board_page.split('id="school-goal-2"')[1].split("</section>")[0]
    assert "Ik twijfel aan mezelf." not in board_page


def test_what_serves_a_goal_is_on_its_themes_and_open_to_all(
    plan_world,
    login_client,
    create_community,
    create_offering,
    create_output,
    create_theme,
) -> None:
    formative = [plan_world.formative]
    create_community(
        name="Besloten kring", visibility=Visibility.INVITE, theme_ids=[plan_world.formative.id]
    )
    closed = create_community(name="Opgeheven kring", theme_ids=[plan_world.formative.id])
    closed.status = CommunityStatus.CLOSED
    create_community(name="Rekenkring", theme_ids=[create_theme("Rekenen").id])
    create_offering(title="Nog een concept", themes=formative, publish=False)
    create_output(title="Nog in review", themes=formative, state="in_review")
    secret_output = create_output(
        community=plan_world.secret, title="Binnenskamers", themes=formative
    )
    db.session.commit()

    page = login_client(plan_world.leader).get(_path(plan_world.school)).get_data(as_text=True)
    section = page.split('id="school-goal-1"')[1].split("</section>")[0]

    assert plan_world.community.name in section
    assert plan_world.offering.title in section
    assert plan_world.output.title in section
    for hidden in (
        "Besloten kring",
        "Opgeheven kring",
        "Rekenkring",
        "Nog een concept",
        "Nog in review",
        secret_output.title,
        plan_world.secret.name,
    ):
        assert hidden not in page, hidden


def test_a_goal_shows_the_five_that_fit_best_and_how_many_there_are(
    plan_world, login_client, create_offering
) -> None:
    for n in range(7):
        create_offering(title=f"Cursus {n}", themes=[plan_world.formative])
    best = create_offering(
        title="Past het best", themes=[plan_world.formative, plan_world.language]
    )
    goal = goals.add_school_goal(
        plan_world.school,
        plan_world.leader,
        goals.SchoolGoalFields(
            "Twee thema's", theme_ids=[plan_world.formative.id, plan_world.language.id]
        ),
    )
    db.session.commit()

    found = goals.serving([goal])[goal.id]

    assert found.offering_count == 9  # the world's offering, these seven, and the best one
    assert len(found.offerings) == goals.SERVING_SHOWN
    assert found.offerings[0].id == best.id
    page = login_client(plan_world.leader).get(_path(plan_world.school)).get_data(as_text=True)
    assert "The 5 that fit best, of 9 on its themes." in page


def test_the_overview_takes_as_many_statements_for_many_goals_as_for_few(
    plan_world,
    login_client,
    count_queries,
    create_user,
    give_role,
    create_community,
    create_offering,
    create_output,
) -> None:
    leader = login_client(plan_world.leader)

    def share_one(n: int, school_goal_id: int) -> None:
        teacher = create_user(display_name=f"Leraar {n}")
        give_role(teacher, plan_world.school, OrganisationRole.TEACHER)
        goal = goals.add_goal(
            teacher,
            goals.GoalFields(
                f"Doel {n}", school_goal_id=school_goal_id, theme_ids=[plan_world.formative.id]
            ),
        )
        goals.add_activity(goal, teacher, ActivityKind.OUTPUT, plan_world.output.id)
        goals.add_activity(goal, teacher, ActivityKind.OFFERING, plan_world.offering.id)
        goals.add_reflection(goal, teacher, "Privé")
        goals.share_goal(goal, teacher)
        db.session.commit()

    path = _path(plan_world.school)

    def measure() -> int:
        with count_queries() as counted:
            assert leader.get(path).status_code == 200
        return counted.count

    share_one(0, plan_world.school_goal.id)
    few = measure()
    for n in range(1, 7):
        goal = goals.add_school_goal(
            plan_world.school,
            plan_world.leader,
            goals.SchoolGoalFields(
                f"Schooldoel {n}", theme_ids=[plan_world.formative.id, plan_world.language.id]
            ),
        )
        db.session.commit()
        share_one(n, goal.id)
        create_community(name=f"Kring {n}", theme_ids=[plan_world.formative.id])
        create_offering(title=f"Cursus {n}", themes=[plan_world.language])
        create_output(title=f"Opbrengst {n}", themes=[plan_world.formative])
    many = measure()

    assert few == many
    assert many <= 15


# -- on the organisation's page ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "teacher", "stranger"])
def test_the_organisation_page_links_its_people_to_the_goals(plan_world, login_client, who) -> None:
    page = login_client(getattr(plan_world, who)).get(f"/organisaties/{plan_world.school.slug}")
    linked = _path(plan_world.school) in page.get_data(as_text=True)
    assert linked == (who != "stranger")
