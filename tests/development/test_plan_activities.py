"""A goal's activities: only things that exist and that the teacher may see can be added, each
once; the picker suggests the teacher's own communities, sessions, enrolments and learning
questions, and offerings and knowledge on the goal's themes; targets are looked up in one
statement, whatever their number and kinds."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from plc.catalogue.models import Enrolment, EnrolmentStatus
from plc.communities.models import Visibility
from plc.core.errors import ServiceError
from plc.development import goals
from plc.development.goals import SuggestionGroup
from plc.development.models import ActivityKind, GoalActivity
from plc.extensions import db
from plc.live.models import Attendance, Audience, SessionStatus
from tests.development import plan_world as fixtures
from tests.development.plan_world import add_goal, every_kind, make_session

plan_world = fixtures.plan_world
english_messages = fixtures.english_messages
pytestmark = pytest.mark.usefixtures("english_messages")


def _activities() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(GoalActivity))


# -- adding --------------------------------------------------------------------------------------


def test_each_kind_of_visible_thing_can_be_added_and_is_named_and_linked(plan_world) -> None:
    goal = add_goal(plan_world)
    wanted = {
        ActivityKind.COMMUNITY: (plan_world.community.id, plan_world.community.name),
        ActivityKind.SESSION: (plan_world.session.id, plan_world.session.title),
        ActivityKind.OFFERING: (plan_world.offering.id, plan_world.offering.title),
        ActivityKind.OUTPUT: (plan_world.output.id, plan_world.output.title),
        ActivityKind.QUESTION: (plan_world.question.id, plan_world.question.title),
    }
    for kind, (target_id, _title) in wanted.items():
        goals.add_activity(goal, plan_world.teacher, kind, target_id)
    db.session.commit()

    targets = goals.activity_targets(goal.activities, plan_world.teacher)

    assert {key: target.title for key, target in targets.items()} == {
        (kind, target_id): title for kind, (target_id, title) in wanted.items()
    }
    assert targets[(ActivityKind.SESSION, plan_world.session.id)].slug == plan_world.community.slug


@pytest.mark.parametrize(
    "thing",
    [
        "unknown community",
        "invite-only community",
        "someone's private question",
        "draft offering",
        "output in review",
        "session of an invite-only community",
    ],
)
def test_what_does_not_exist_or_is_hidden_from_the_teacher_is_refused(
    plan_world, create_offering, create_output, thing
) -> None:
    goal = add_goal(plan_world)
    kind, target_id = {
        "unknown community": lambda: (ActivityKind.COMMUNITY, 9999),
        "invite-only community": lambda: (ActivityKind.COMMUNITY, plan_world.secret.id),
        "someone's private question": lambda: (
            ActivityKind.QUESTION,
            plan_world.private_question.id,
        ),
        "draft offering": lambda: (ActivityKind.OFFERING, create_offering(publish=False).id),
        "output in review": lambda: (ActivityKind.OUTPUT, create_output(state="in_review").id),
        "session of an invite-only community": lambda: (
            ActivityKind.SESSION,
            make_session(plan_world.secret, "Besloten", audience=Audience.EVERYONE).id,
        ),
    }[thing]()

    with pytest.raises(ServiceError) as refused:
        goals.add_activity(goal, plan_world.teacher, kind, target_id)

    assert str(refused.value.message) == "That activity does not exist, or you cannot see it."
    db.session.rollback()
    assert _activities() == 0


def test_an_unknown_kind_and_a_second_time_are_refused(plan_world) -> None:
    goal = add_goal(plan_world)
    with pytest.raises(ServiceError):
        goals.add_activity(goal, plan_world.teacher, "course", plan_world.offering.id)
    goals.add_activity(goal, plan_world.teacher, ActivityKind.OUTPUT, plan_world.output.id)
    db.session.commit()
    with pytest.raises(ServiceError) as twice:
        goals.add_activity(goal, plan_world.teacher, ActivityKind.OUTPUT, plan_world.output.id)
    assert str(twice.value.message) == "This activity is already part of the goal."
    db.session.rollback()
    assert _activities() == 1


def test_only_the_owner_adds_or_removes_activities(plan_world) -> None:
    goal = add_goal(plan_world)
    activity = goals.add_activity(
        goal, plan_world.teacher, ActivityKind.OUTPUT, plan_world.output.id
    )
    with pytest.raises(ServiceError):
        goals.add_activity(goal, plan_world.colleague, ActivityKind.OUTPUT, plan_world.output.id)
    with pytest.raises(ServiceError):
        goals.remove_activity(goal, plan_world.colleague, activity)
    goals.remove_activity(goal, plan_world.teacher, activity)
    db.session.commit()
    assert _activities() == 0


def test_a_target_that_became_hidden_is_shown_as_no_longer_available(
    plan_world, login_client
) -> None:
    goal = add_goal(plan_world)
    goals.add_activity(goal, plan_world.teacher, ActivityKind.COMMUNITY, plan_world.community.id)
    db.session.commit()
    plan_world.community.visibility = Visibility.INVITE
    plan_world.community.member_count = 0
    db.session.execute(
        sa.text("DELETE FROM community_member WHERE user_id = :user"),
        {"user": plan_world.teacher.id},
    )
    db.session.commit()

    page = login_client(plan_world.teacher).get(f"/mijn-ontwikkeling/doelen/{goal.id}")

    text = page.get_data(as_text=True)
    assert "No longer available to you" in text
    assert plan_world.community.name not in text


# -- the picker ----------------------------------------------------------------------------------


def test_the_picker_suggests_the_teachers_own_doings_and_things_on_the_goals_themes(
    plan_world, create_offering, create_output, create_theme, create_provider
) -> None:
    provider, staff = create_provider()
    enrolled = create_offering(provider=provider, staff=staff, title="Coachen op feedback")
    db.session.add(
        Enrolment(
            offering_id=enrolled.id, user_id=plan_world.teacher.id, status=EnrolmentStatus.ENROLLED
        )
    )
    attended = make_session(plan_world.community, "Terugblik", starts_in=timedelta(days=-7))
    db.session.add(
        Attendance(session_id=attended.id, user_id=plan_world.teacher.id, connection_id="sid-1")
    )
    cancelled = make_session(plan_world.community, "Gaat niet door", status=SessionStatus.CANCELLED)
    db.session.add(
        Attendance(session_id=cancelled.id, user_id=plan_world.teacher.id, connection_id="sid-2")
    )
    off_theme = create_output(title="Over iets anders", themes=[create_theme("Rekenen")])
    db.session.commit()
    goal = add_goal(plan_world)
    goals.add_activity(goal, plan_world.teacher, ActivityKind.OUTPUT, plan_world.output.id)
    db.session.commit()

    found = goals.activity_suggestions(goal, plan_world.teacher)
    titles = {group: [t.title for t in targets] for group, targets in found.items()}

    assert titles[SuggestionGroup.COMMUNITIES] == [plan_world.community.name]
    assert titles[SuggestionGroup.SESSIONS] == ["Feedback geven in de brugklas", "Terugblik"]
    assert titles[SuggestionGroup.ENROLMENTS] == ["Coachen op feedback"]
    assert titles[SuggestionGroup.QUESTIONS] == [plan_world.question.title]
    # On the goal's themes; the offering enrolled in is listed once, under the enrolments.
    assert titles[SuggestionGroup.OFFERINGS] == [plan_world.offering.title]
    # Already part of the goal: not suggested again; off the goal's themes: not at all.
    assert titles[SuggestionGroup.OUTPUTS] == []
    everything = [title for group in titles.values() for title in group]
    assert off_theme.title not in everything
    assert plan_world.secret.name not in everything
    assert plan_world.private_question.title not in everything


def test_a_goal_without_themes_gets_no_theme_suggestions(plan_world) -> None:
    goal = add_goal(plan_world, theme_ids=[])
    found = goals.activity_suggestions(goal, plan_world.teacher)
    assert found[SuggestionGroup.OFFERINGS] == found[SuggestionGroup.OUTPUTS] == []
    assert found[SuggestionGroup.COMMUNITIES]


def test_the_picker_adds_with_one_post_and_refuses_clearly(plan_world, login_client) -> None:
    goal = add_goal(plan_world)
    teacher = login_client(plan_world.teacher)
    path = f"/mijn-ontwikkeling/doelen/{goal.id}/activiteiten"
    picker = teacher.get(path).get_data(as_text=True)
    assert plan_world.offering.title in picker and plan_world.output.title in picker

    added = teacher.submit(path, {"kind": "offering", "target_id": plan_world.offering.id})
    assert added.status_code == 302
    assert _activities() == 1

    for data in (
        {"kind": "community", "target_id": plan_world.secret.id},
        {"kind": "question", "target_id": plan_world.private_question.id},
    ):
        refused = teacher.submit(path, data)
        assert refused.status_code == 400
        assert "That activity does not exist, or you cannot see it." in refused.get_data(
            as_text=True
        )
    for data in ({"kind": "course", "target_id": "abc"}, {"kind": "offering", "target_id": 10**30}):
        garbled = teacher.submit(path, data)
        assert garbled.status_code == 400  # a number beyond any id is bad input, not a crash
        assert "Choose an activity from the list." in garbled.get_data(as_text=True)
    assert _activities() == 1

    [activity] = db.session.scalars(sa.select(GoalActivity)).all()
    removed = teacher.submit(f"{path}/{activity.id}/verwijderen", {"terug": "activiteiten"})
    assert removed.headers["Location"].endswith(path)
    assert _activities() == 0


def test_targets_of_every_kind_take_one_statement(plan_world, count_queries) -> None:
    goal = add_goal(plan_world)
    for kind, target in every_kind(plan_world):
        goals.add_activity(goal, plan_world.teacher, kind, target)
    db.session.commit()
    activities = list(goal.activities)
    assert plan_world.teacher.is_admin is False  # loaded, as in a request
    with count_queries() as counted:
        targets = goals.activity_targets(activities, plan_world.teacher)
    assert len(targets) == 5
    assert counted.count == 1, counted.statements
    assert goal.themes  # loaded with the goal, as its pages do
    with count_queries() as counted:
        goals.activity_suggestions(goal, plan_world.teacher)
    assert counted.count == 1


def test_the_picker_takes_as_many_statements_with_much_to_suggest_as_with_little(
    plan_world,
    login_client,
    count_queries,
    create_offering,
    create_output,
    create_community,
    add_member,
) -> None:
    goal = add_goal(plan_world)
    teacher = login_client(plan_world.teacher)
    path = f"/mijn-ontwikkeling/doelen/{goal.id}/activiteiten"

    def measure() -> int:
        with count_queries() as counted:
            assert teacher.get(path).status_code == 200
        return counted.count

    few = measure()
    for n in range(12):
        create_offering(title=f"Aanbod {n}", themes=[plan_world.formative])
        create_output(title=f"Opbrengst {n}", themes=[plan_world.formative])
        add_member(create_community(name=f"Gemeenschap {n}"), plan_world.teacher)
    many = measure()

    assert few == many
    page = teacher.get(path).get_data(as_text=True)
    assert page.count('name="target_id"') <= 6 * goals.SUGGESTED
