"""The privacy promise of personal development, end to end in a real browser: a teacher writes a
goal that serves a goal of her school and shares it; the school leader sees it on the school's
dashboard; the teacher withdraws it, and it is gone from the leader's page at once. Every page
on the way passes the axe check."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from plc.development import goals
from plc.development.models import PersonalGoal
from plc.extensions import db
from plc.organisations.models import OrganisationKind, OrganisationRole
from tests.support.browser import log_in

Check = Callable[[Page], None]
GOAL = "Exit tickets in de brugklas"


def _log_in(page: Page, live_server: str, email: str) -> None:
    log_in(page, live_server, email, log_out_button="Log out")


def test_a_shared_goal_reaches_the_leader_and_a_withdrawal_takes_it_away(
    page: Page,
    browser: Browser,
    live_server: str,
    check_accessibility: Check,
    create_user,
    create_organisation,
    give_role,
) -> None:
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Noord")
    school = create_organisation(name="Het Noordlicht", parent=board)
    teacher = create_user(display_name="Tess Leraar", preferred_language="en")
    leader = create_user(display_name="Lena Leider", preferred_language="en")
    give_role(teacher, school, OrganisationRole.TEACHER)
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    school_goal = goals.add_school_goal(
        school, leader, goals.SchoolGoalFields("Formatief handelen in alle secties")
    )
    db.session.commit()
    dashboard = f"{live_server}/dashboard/school/{school.slug}"
    teacher_email, leader_email = teacher.email, leader.email
    school_goal_title = school_goal.title

    # The teacher writes a goal that serves the school's goal; it is not shared yet.
    _log_in(page, live_server, teacher_email)
    page.get_by_role("link", name="My development").click()
    check_accessibility(page)
    page.get_by_role("link", name="Add a goal").first.click()
    check_accessibility(page)
    page.get_by_label("Goal", exact=True).fill(GOAL)
    page.get_by_label("Development goal of your school it serves").select_option(
        label=f"{school_goal_title} ({school.name})"
    )
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_role("heading", name=GOAL)).to_be_visible()
    expect(page.get_by_text("Not shared: only you see this goal.")).to_be_visible()
    check_accessibility(page)

    # The leader sees nothing of it yet.
    leader_context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    leader_page = leader_context.new_page()
    _log_in(leader_page, live_server, leader_email)
    leader_page.goto(dashboard)
    expect(leader_page.get_by_role("heading", level=1)).to_contain_text(school.name)
    expect(leader_page.get_by_text(GOAL)).to_have_count(0)
    check_accessibility(leader_page)

    # Shared: the leader's dashboard shows it, with the school goal it serves.
    page.get_by_role("button", name="Share with my school").click()
    expect(page.get_by_text("Shared since")).to_be_visible()
    check_accessibility(page)
    leader_page.reload()
    shared = leader_page.get_by_role("row").filter(has_text=GOAL)
    expect(shared).to_have_count(1)
    expect(shared).to_contain_text("Tess Leraar")
    expect(shared).to_contain_text(school_goal_title)
    check_accessibility(leader_page)

    # Withdrawn: gone from the leader's page, and nothing of it was kept for them.
    page.get_by_role("button", name="Stop sharing").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Not shared: only you see this goal.")).to_be_visible()
    leader_page.reload()
    expect(leader_page.get_by_text(GOAL)).to_have_count(0)
    expect(leader_page.get_by_text("Tess Leraar")).to_have_count(0)
    check_accessibility(leader_page)
    leader_context.close()

    db.session.rollback()  # read what the server wrote
    goal = db.session.scalars(sa.select(PersonalGoal).where(PersonalGoal.title == GOAL)).one()
    assert goal.shared_at is None and goal.school_goal_id == school_goal.id
