"""The form that adds a personal goal (or records a school goal) carries a key made when it is
shown: the same form sent twice — a double click, a resent request, two requests at the same
moment — adds the goal once, and every answer leads to that goal. Another form adds another."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from plc.development import goals
from plc.development.models import PersonalGoal, SchoolGoal
from plc.extensions import db
from tests.development import plan_world

plan_world = plan_world.plan_world

NEW_GOAL = "/mijn-ontwikkeling/doelen/nieuw"
GOAL_FORM = {"title": "Feedback in de brugklas", "status": "planned", "school_goal": "0"}


def _key_of(client: Any, path: str) -> str:
    """The idempotency key of the form as the page shows it."""
    page = client.get(path).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="idempotency_key"[^>]*>', page)
    assert tag is not None, "the form carries no idempotency key"
    value = re.search(r'value="([0-9a-f]{32})"', tag.group(0))
    assert value is not None
    return value.group(1)


def _count(model: type[Any]) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _school_path(organisation: Any, rest: str = "") -> str:
    return f"/organisaties/{organisation.slug}/schooldoelen{rest}"


def test_each_form_shown_has_its_own_key(plan_world, login_client) -> None:
    teacher = login_client(plan_world.teacher)
    assert _key_of(teacher, NEW_GOAL) != _key_of(teacher, NEW_GOAL)


def test_the_same_goal_form_sent_twice_adds_one_goal(plan_world, login_client) -> None:
    teacher = login_client(plan_world.teacher)
    form = {**GOAL_FORM, "idempotency_key": _key_of(teacher, NEW_GOAL)}

    first = teacher.submit(NEW_GOAL, form)
    second = teacher.submit(NEW_GOAL, form)

    assert _count(PersonalGoal) == 1
    goal = db.session.scalar(sa.select(PersonalGoal))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert first.headers["Location"].endswith(f"/mijn-ontwikkeling/doelen/{goal.id}")


def test_another_form_adds_another_goal(plan_world, login_client) -> None:
    teacher = login_client(plan_world.teacher)
    teacher.submit(NEW_GOAL, {**GOAL_FORM, "idempotency_key": _key_of(teacher, NEW_GOAL)})
    teacher.submit(NEW_GOAL, {**GOAL_FORM, "idempotency_key": _key_of(teacher, NEW_GOAL)})
    assert _count(PersonalGoal) == 2


def test_the_key_is_the_owners_own(plan_world, login_client) -> None:
    """The same key from another person is their own form: it adds their goal."""
    form = {**GOAL_FORM, "idempotency_key": "a" * 32}
    for person in (plan_world.teacher, plan_world.colleague):
        assert login_client(person).submit(NEW_GOAL, form).status_code == 302
    owners = db.session.scalars(sa.select(PersonalGoal.user_id)).all()
    assert sorted(owners) == sorted([plan_world.teacher.id, plan_world.colleague.id])


def test_two_sends_at_the_same_moment_add_one_goal(
    plan_world, login_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other request adds the goal after this one looked for it and before it inserts: the
    insert fails on the unique key, and this request answers with the other's goal."""
    teacher = login_client(plan_world.teacher)
    key = _key_of(teacher, NEW_GOAL)
    check = goals._check
    raced: list[int] = []

    def check_then_lose_the_race(fields: Any, user: Any, *args: Any) -> None:
        check(fields, user, *args)
        if not raced:
            other = PersonalGoal(user_id=user.id, title="Het andere verzoek", idempotency_key=key)
            db.session.add(other)
            db.session.flush()
            raced.append(other.id)

    monkeypatch.setattr(goals, "_check", check_then_lose_the_race)
    first = teacher.submit(NEW_GOAL, {**GOAL_FORM, "idempotency_key": key})
    second = teacher.submit(NEW_GOAL, {**GOAL_FORM, "idempotency_key": key})

    assert raced, "the race was not run"
    assert db.session.scalars(sa.select(PersonalGoal.id)).all() == raced
    for response in (first, second):
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/mijn-ontwikkeling/doelen/{raced[0]}")


def test_the_same_school_goal_form_sent_twice_records_one_goal(plan_world, login_client) -> None:
    leader = login_client(plan_world.leader)
    path = _school_path(plan_world.school, "/nieuw")
    before = _count(SchoolGoal)
    form = {
        "title": "Samen lesontwerpen",
        "status": "active",
        "idempotency_key": _key_of(leader, path),
    }

    first = leader.submit(path, form)
    second = leader.submit(path, form)
    leader.submit(path, {**form, "idempotency_key": _key_of(leader, path)})

    assert _count(SchoolGoal) == before + 2
    goal = db.session.scalar(
        sa.select(SchoolGoal).where(SchoolGoal.idempotency_key == form["idempotency_key"])
    )
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert first.headers["Location"].endswith(f"#school-goal-{goal.id}")


def test_two_school_goal_sends_at_the_same_moment_record_one_goal(
    plan_world, login_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    leader = login_client(plan_world.leader)
    path = _school_path(plan_world.school, "/nieuw")
    key = _key_of(leader, path)
    before = _count(SchoolGoal)
    school_id, leader_id = plan_world.school.id, plan_world.leader.id
    db.session.rollback()  # the request's transaction must not wait for the test's own
    check = goals._check_school_goal
    raced: list[int] = []

    def check_then_lose_the_race(fields: Any) -> None:
        check(fields)
        if not raced:
            other = SchoolGoal(
                organisation_id=school_id,
                created_by_id=leader_id,
                title="Het andere verzoek",
                idempotency_key=key,
            )
            db.session.add(other)
            db.session.flush()
            raced.append(other.id)

    monkeypatch.setattr(goals, "_check_school_goal", check_then_lose_the_race)
    responses = [
        leader.submit(
            path, {"title": "Samen lesontwerpen", "status": "active", "idempotency_key": key}
        )
        for _ in range(2)
    ]

    assert raced
    assert _count(SchoolGoal) == before + 1
    for response in responses:
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"#school-goal-{raced[0]}")
