"""The development plan and school goal pages in a real browser, in English and in Dutch: no
serious or critical axe-core violations, no console errors (a Content-Security-Policy violation
is one), a form error tied to its field, and a teacher who adds an activity, shares a goal and
withdraws it with the keyboard only."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from plc.development import goals
from plc.development.models import ActivityKind, GoalActivity, GoalStatus, PersonalGoal
from plc.extensions import db
from tests.development import plan_world
from tests.development.plan_world import add_goal
from tests.support.browser import log_in

Check = Callable[[Page], None]

plan_world = plan_world.plan_world


def _log_in(page: Page, live_server: str, email: str) -> None:
    log_in(page, live_server, email, log_out_button="Log out")


def _visit(page: Page, live_server: str, check: Check, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        check(page)


def _in_both_languages(page: Page, live_server: str, check: Check, paths: list[str]) -> None:
    _visit(page, live_server, check, paths)
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    _visit(page, live_server, check, paths)


def test_the_teachers_pages(page: Page, live_server: str, check_accessibility: Check, plan_world):
    goal = add_goal(plan_world, "Feedback in de brugklas")
    goals.add_activity(goal, plan_world.teacher, ActivityKind.OUTPUT, plan_world.output.id)
    reflection = goals.add_reflection(goal, plan_world.teacher, "Het werkte **goed**.")
    goals.share_goal(goal, plan_world.teacher)
    add_goal(plan_world, "Afgerond doel", status=GoalStatus.ACHIEVED)
    db.session.commit()
    # Read here: the browser's thread has no app context.
    email, school = plan_world.teacher.email, plan_world.school.slug
    base = f"/mijn-ontwikkeling/doelen/{goal.id}"

    _log_in(page, live_server, email)
    _in_both_languages(
        page,
        live_server,
        check_accessibility,
        [
            "/mijn-ontwikkeling",
            "/mijn-ontwikkeling/doelen/nieuw",
            base,
            f"{base}/bewerken",
            f"{base}/activiteiten",
            f"{base}/verwijderen",
            f"{base}/reflecties/{reflection.id}/verwijderen",
            f"/organisaties/{school}/schooldoelen",
        ],
    )


def test_the_leaders_pages(page: Page, live_server: str, check_accessibility: Check, plan_world):
    goal = add_goal(plan_world, "Rust in de klas")
    goals.add_activity(goal, plan_world.teacher, ActivityKind.COMMUNITY, plan_world.community.id)
    goals.share_goal(goal, plan_world.teacher)
    db.session.commit()
    email, school, board = plan_world.leader.email, plan_world.school.slug, plan_world.board.slug
    school_goal = plan_world.school_goal.id
    hr_email = plan_world.hr.email

    _log_in(page, live_server, email)
    _in_both_languages(
        page,
        live_server,
        check_accessibility,
        [
            f"/organisaties/{school}/schooldoelen",
            f"/organisaties/{school}/schooldoelen/nieuw",
            f"/organisaties/{school}/schooldoelen/{school_goal}/bewerken",
        ],
    )
    page.get_by_role("button", name="Uitloggen").click()
    _log_in(page, live_server, hr_email)
    _visit(page, live_server, check_accessibility, [f"/organisaties/{board}/schooldoelen"])


def test_a_form_error_is_shown_next_to_its_field(
    page: Page, live_server: str, check_accessibility: Check, plan_world
):
    _log_in(page, live_server, plan_world.teacher.email)
    page.goto(f"{live_server}/mijn-ontwikkeling/doelen/nieuw")
    page.get_by_label("What you want to reach, and why").fill("Dit blijft staan.")
    page.get_by_role("button", name="Add the goal").click()

    expect(page.get_by_text("Please correct the fields marked below.")).to_be_visible()
    title = page.get_by_label("Goal", exact=True)
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description("This field is required.")
    expect(page.get_by_label("What you want to reach, and why")).to_have_value("Dit blijft staan.")
    check_accessibility(page)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PersonalGoal)) == 0


def test_a_teacher_adds_an_activity_shares_and_withdraws_with_the_keyboard(
    page: Page, live_server: str, check_accessibility: Check, plan_world
):
    goal = add_goal(plan_world, "Feedback in de brugklas")
    goal_id, email, offering = goal.id, plan_world.teacher.email, plan_world.offering.title
    _log_in(page, live_server, email)

    page.goto(f"{live_server}/mijn-ontwikkeling/doelen/{goal_id}/activiteiten")
    page.get_by_role("button", name=f"Add {offering}").focus()
    with page.expect_navigation():  # the form's answer, however long a busy machine takes
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("The activity is part of the goal now.")
    expect(page.get_by_role("button", name=f"Remove {offering}")).to_be_visible()
    check_accessibility(page)

    page.goto(f"{live_server}/mijn-ontwikkeling/doelen/{goal_id}")
    page.get_by_role("button", name="Share with my school").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("The goal is shared")
    db.session.rollback()
    assert db.session.get(PersonalGoal, goal_id).shared_at is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GoalActivity)) == 1

    page.get_by_role("button", name="Stop sharing").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("The goal is no longer shared")
    expect(page.get_by_role("button", name="Share with my school")).to_be_visible()
    check_accessibility(page)
    db.session.rollback()
    assert db.session.get(PersonalGoal, goal_id).shared_at is None
