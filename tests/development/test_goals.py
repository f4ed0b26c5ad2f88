"""Personal development goals and school goals: the teacher's own, shared only by choice, and
counted for a school only from five up."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from plc.core.errors import ServiceError
from plc.development import goals
from plc.development.models import (
    GoalReflection,
    GoalStatus,
    PersonalGoal,
    SchoolGoal,
    SchoolGoalStatus,
)
from plc.extensions import db
from plc.organisations.models import OrganisationKind, OrganisationRole


@pytest.fixture
def school_world(create_user, create_organisation, give_role):
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Noord")
    school = create_organisation(name="Het Noordlicht", parent=board)
    other = create_organisation(name="De Zuidster")
    teacher = create_user(display_name="Tess Leraar")
    leader = create_user(display_name="Lena Leider")
    hr = create_user(display_name="Hugo HR")
    stranger = create_user(display_name="Sven Elders")
    give_role(teacher, school, OrganisationRole.TEACHER)
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    give_role(hr, board, OrganisationRole.HR_ADVISOR)
    give_role(stranger, other, OrganisationRole.SCHOOL_LEADER)
    school_goal = goals.add_school_goal(
        school,
        leader,
        goals.SchoolGoalFields("Formatief handelen in alle secties", "", "2024-2028"),
    )
    board_goal = goals.add_school_goal(
        board, hr, goals.SchoolGoalFields("Begeleiding van starters", "", "2025-2029")
    )
    elsewhere = goals.add_school_goal(
        other, stranger, goals.SchoolGoalFields("Meertaligheid", "", "2024-2028")
    )
    db.session.commit()
    return {
        "board": board,
        "school": school,
        "other": other,
        "teacher": teacher,
        "leader": leader,
        "hr": hr,
        "stranger": stranger,
        "school_goal": school_goal,
        "board_goal": board_goal,
        "elsewhere": elsewhere,
    }


def test_a_goal_needs_a_title_and_bad_input_stores_nothing(school_world) -> None:
    with pytest.raises(ServiceError) as refused:
        goals.add_goal(school_world["teacher"], goals.GoalFields("   "))
    assert refused.value.field == "title"
    with pytest.raises(ServiceError) as too_long:
        goals.add_goal(school_world["teacher"], goals.GoalFields("Lezen", "x" * 5001))
    assert too_long.value.field == "description"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PersonalGoal)) == 0


def test_a_goal_serves_a_goal_of_the_teachers_own_school_or_board(school_world) -> None:
    teacher = school_world["teacher"]
    offered = {goal.id for goal in goals.school_goals_for(teacher)}
    assert offered == {school_world["school_goal"].id, school_world["board_goal"].id}
    goal = goals.add_goal(
        teacher,
        goals.GoalFields("Feedback in de brugklas", school_goal_id=school_world["board_goal"].id),
    )
    assert goal.school_goal_id == school_world["board_goal"].id
    with pytest.raises(ServiceError) as refused:
        goals.add_goal(
            teacher, goals.GoalFields("Iets", school_goal_id=school_world["elsewhere"].id)
        )
    assert refused.value.field == "school_goal"


def test_nothing_is_shared_until_the_teacher_shares_and_withdrawing_hides_it(
    school_world,
) -> None:
    teacher, leader, hr = school_world["teacher"], school_world["leader"], school_world["hr"]
    school = school_world["school"]
    goal = goals.add_goal(
        teacher,
        goals.GoalFields("Rust in de klas", school_goal_id=school_world["school_goal"].id),
    )
    assert goal.shared_at is None
    assert goals.shared_goals(school, leader) == []

    goals.share_goal(goal, teacher)
    assert goals.shared_goals(school, leader) == [goal]
    assert goals.shared_goals(school_world["board"], hr) == [goal]  # HR of the board

    goals.withdraw_goal(goal, teacher)
    assert goals.shared_goals(school, leader) == []
    assert goals.shared_goals(school_world["board"], hr) == []


def test_only_the_schools_leaders_and_hr_see_what_is_shared(school_world) -> None:
    goal = goals.add_goal(school_world["teacher"], goals.GoalFields("Rekenen"))
    goals.share_goal(goal, school_world["teacher"])
    with pytest.raises(ServiceError):
        goals.shared_goals(school_world["school"], school_world["stranger"])
    with pytest.raises(ServiceError):
        goals.shared_goals(school_world["school"], school_world["teacher"])
    # A leader elsewhere sees nothing of this teacher in their own school either.
    assert goals.shared_goals(school_world["other"], school_world["stranger"]) == []


def test_only_the_teacher_changes_shares_or_deletes_their_goal(school_world) -> None:
    goal = goals.add_goal(school_world["teacher"], goals.GoalFields("Lezen"))
    for action in (goals.share_goal, goals.withdraw_goal, goals.delete_goal):
        with pytest.raises(ServiceError):
            action(goal, school_world["leader"])
    with pytest.raises(ServiceError):
        goals.update_goal(goal, school_world["leader"], goals.GoalFields("Anders"))
    assert goal.title == "Lezen" and goal.shared_at is None


def test_a_school_goal_counts_teachers_goals_from_five_up(
    school_world, create_user, give_role
) -> None:
    school, school_goal = school_world["school"], school_world["school_goal"]
    for n in range(5):
        teacher = create_user(display_name=f"Leraar {n}")
        give_role(teacher, school, OrganisationRole.TEACHER)
        goals.add_goal(teacher, goals.GoalFields(f"Doel {n}", school_goal_id=school_goal.id))
        rows = {row.goal.id: row.personal_goals for row in goals.school_goal_overview(school)}
        assert rows[school_goal.id] == (5 if n == 4 else None)


def _count(school, school_goal) -> int | None:
    rows = {row.goal.id: row.personal_goals for row in goals.school_goal_overview(school)}
    return rows[school_goal.id]


def test_the_count_is_of_teachers_not_of_goals(school_world) -> None:
    """One teacher with five goals serving the school goal is one teacher: not shown."""
    school, school_goal = school_world["school"], school_world["school_goal"]
    for n in range(5):
        goals.add_goal(
            school_world["teacher"], goals.GoalFields(f"Doel {n}", school_goal_id=school_goal.id)
        )
    assert _count(school, school_goal) is None


def test_the_count_cannot_be_set_against_the_shared_goals_to_find_a_few(
    school_world, create_user, give_role
) -> None:
    """Leaders see the shared goals listed: the count minus their owners must not leave 1–4."""
    school, school_goal = school_world["school"], school_world["school_goal"]
    added = []
    for n in range(10):
        teacher = create_user(display_name=f"Leraar {n}")
        give_role(teacher, school, OrganisationRole.TEACHER)
        added.append(
            (
                teacher,
                goals.add_goal(
                    teacher, goals.GoalFields(f"Doel {n}", school_goal_id=school_goal.id)
                ),
            )
        )
    for teacher, goal in added[:4]:
        goals.share_goal(goal, teacher)
    assert _count(school, school_goal) == 10  # four shared, six not: nobody singled out
    for teacher, goal in added[4:5]:
        goals.share_goal(goal, teacher)
    assert _count(school, school_goal) == 10  # five and five
    for teacher, goal in added[5:9]:
        goals.share_goal(goal, teacher)
    assert _count(school, school_goal) is None  # nine shared: the tenth would be found
    goals.share_goal(added[9][1], added[9][0])
    assert _count(school, school_goal) == 10  # everyone shared: nothing unlisted


def test_school_goals_list_active_ones_first(school_world) -> None:
    school, leader = school_world["school"], school_world["leader"]
    for title, status in (
        ("Afgerond", SchoolGoalStatus.ACHIEVED),
        ("Oud", SchoolGoalStatus.ARCHIVED),
    ):
        goals.add_school_goal(school, leader, goals.SchoolGoalFields(title, status=status))
    titles = [row.goal.title for row in goals.school_goal_overview(school)]
    assert titles == ["Formatief handelen in alle secties", "Afgerond", "Oud"]


def test_only_leaders_and_hr_record_school_goals(school_world) -> None:
    with pytest.raises(ServiceError):
        goals.add_school_goal(
            school_world["school"], school_world["teacher"], goals.SchoolGoalFields("Iets")
        )
    with pytest.raises(ServiceError) as empty:
        goals.add_school_goal(
            school_world["school"], school_world["leader"], goals.SchoolGoalFields(" ")
        )
    assert empty.value.field == "title"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SchoolGoal)) == 3


# -- plans, reflections and sharing, as the plan pages use them -------------------------------


def test_a_goal_is_found_for_its_owner_only(school_world) -> None:
    goal = goals.add_goal(school_world["teacher"], goals.GoalFields("Lezen"))
    assert goals.goal_of(goal.id, school_world["teacher"]) is goal
    assert goals.goal_of(goal.id, school_world["leader"]) is None


def test_a_goal_keeps_a_school_goal_that_was_archived_but_cannot_move_to_another_school(
    school_world,
) -> None:
    teacher = school_world["teacher"]
    goal = goals.add_goal(
        teacher, goals.GoalFields("Feedback", school_goal_id=school_world["school_goal"].id)
    )
    school_world["school_goal"].status = SchoolGoalStatus.ARCHIVED
    goals.update_goal(
        goal,
        teacher,
        goals.GoalFields("Feedback geven", school_goal_id=school_world["school_goal"].id),
    )
    assert goal.title == "Feedback geven"
    with pytest.raises(ServiceError) as refused:
        goals.update_goal(
            goal, teacher, goals.GoalFields("Iets", school_goal_id=school_world["elsewhere"].id)
        )
    assert refused.value.field == "school_goal"
    new = goals.add_goal(teacher, goals.GoalFields("Nieuw"))
    with pytest.raises(ServiceError):  # an archived goal is not chosen anew
        goals.update_goal(
            new, teacher, goals.GoalFields("Nieuw", school_goal_id=school_world["school_goal"].id)
        )


def test_the_plan_lists_open_goals_first(school_world) -> None:
    teacher = school_world["teacher"]
    done = goals.add_goal(teacher, goals.GoalFields("Klaar", status=GoalStatus.ACHIEVED))
    later = goals.add_goal(teacher, goals.GoalFields("Later", target_date=date(2028, 1, 1)))
    soon = goals.add_goal(teacher, goals.GoalFields("Snel", target_date=date(2027, 1, 1)))
    assert goals.plan_of(teacher) == [soon, later, done]


def test_the_audience_of_sharing_is_the_teachers_schools_and_their_boards(school_world) -> None:
    names = [o.name for o in goals.sharing_audience(school_world["teacher"])]
    assert names == ["Het Noordlicht", "Stichting Noord"]


def test_a_reflection_is_the_owners_rendered_and_sanitised_and_not_stored_twice(
    school_world,
) -> None:
    teacher = school_world["teacher"]
    goal = goals.add_goal(teacher, goals.GoalFields("Lezen"))
    text = "Het ging *goed*.<script>alert(1)</script>"
    reflection = goals.add_reflection(goal, teacher, text)
    assert "<em>goed</em>" in reflection.body_html and "<script>" not in reflection.body_html
    assert goals.add_reflection(goal, teacher, text + "  ") is reflection  # a resubmitted form
    for body, field_name in (("  ", "body"), ("x" * 5001, "body")):
        with pytest.raises(ServiceError) as refused:
            goals.add_reflection(goal, teacher, body)
        assert refused.value.field == field_name
    with pytest.raises(ServiceError):
        goals.add_reflection(goal, school_world["leader"], "Van de leider")
    with pytest.raises(ServiceError):
        goals.delete_reflection(goal, school_world["leader"], reflection)
    goals.delete_reflection(goal, teacher, reflection)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GoalReflection)) == 0


def test_shared_goals_come_with_their_teacher_and_can_never_load_reflections(
    school_world,
) -> None:
    teacher = school_world["teacher"]
    goal = goals.add_goal(teacher, goals.GoalFields("Rust in de klas"))
    goals.add_reflection(goal, teacher, "Privé")
    goals.share_goal(goal, teacher)
    db.session.commit()

    [shared] = goals.shared_goals_with_owners(school_world["school"], school_world["leader"])

    assert (shared.goal.id, shared.owner.id) == (goal.id, teacher.id)
    with pytest.raises(sa.exc.InvalidRequestError):
        shared.goal.reflections  # noqa: B018  (loading them is what must fail)
    with pytest.raises(ServiceError):
        goals.shared_goals_with_owners(school_world["school"], school_world["stranger"])


def test_members_of_a_school_or_of_its_boards_schools_read_its_goals(school_world) -> None:
    teacher, stranger = school_world["teacher"], school_world["stranger"]
    assert goals.is_member(teacher, school_world["school"])
    assert goals.is_member(teacher, school_world["board"])
    assert not goals.is_member(teacher, school_world["other"])
    assert not goals.is_member(stranger, school_world["school"])
    titles = [g.title for g in goals.active_school_goals(school_world["school"])]
    assert titles == ["Formatief handelen in alle secties"]
    assert goals.school_goal_of(school_world["school"], school_world["elsewhere"].id) is None


def test_what_serves_school_goals_takes_three_statements_for_any_number_of_goals(
    school_world, create_theme, create_community, count_queries
) -> None:
    theme = create_theme("Lezen")
    many = [
        goals.add_school_goal(
            school_world["school"],
            school_world["leader"],
            goals.SchoolGoalFields(f"Doel {n}", theme_ids=[theme.id]),
        )
        for n in range(8)
    ]
    for n in range(7):
        create_community(name=f"Leeskring {n}", theme_ids=[theme.id])
    db.session.commit()
    ids = [goal.id for goal in many]
    loaded = db.session.scalars(sa.select(SchoolGoal).where(SchoolGoal.id.in_(ids))).all()

    with count_queries() as counted:
        found = goals.serving(loaded)

    assert counted.count == 3
    assert all(len(found[i].communities) == goals.SERVING_SHOWN for i in ids)
    assert all(found[i].community_count == 7 for i in ids)
    assert goals.serving([]) == {}
