"""Browser journey of a pilot: a facilitator proposes a pilot with two organisations, both
contacts approve (one with the keyboard only), the pilot starts, its evaluation survey is built
from the built-in template and answered, and the results and the checklist are read. Every page
is checked with axe-core; the public pages also in Dutch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from plc.communities.models import MemberRole
from plc.core.models import utcnow
from plc.extensions import db
from plc.organisations.models import OrganisationKind, OrganisationRole
from plc.pilots.models import Pilot, PilotStatus
from plc.surveys import services as surveys
from plc.surveys.models import Survey
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.support.browser import log_in

Check = Callable[[Page], None]


def _page(browser: Browser, locale: str = "en-GB") -> Page:
    context = browser.new_context(locale=locale, timezone_id="Europe/Amsterdam")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context.new_page()


def _log_in(page: Page, live_server: str, email: str) -> None:
    log_in(page, live_server, email, log_out_button="Log out")


def _stored() -> None:
    """End the test's read transaction, so that its next read sees what the server wrote
    (SQLite keeps a reader on the snapshot its transaction began with)."""
    db.session.rollback()


def test_propose_approve_evaluate_and_read_the_results(
    page: Page,
    browser: Browser,
    live_server: str,
    check_accessibility: Check,
    create_user,
    create_organisation,
    give_role,
    create_community,
    add_member,
    create_theme,
    create_question,
) -> None:
    theme = create_theme("Rekendidactiek")
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Noord")
    school = create_organisation(name="Het Noordlicht", parent=board)
    academy = create_organisation(
        kind=OrganisationKind.ACADEMY, name="Rekenacademie Noord", parent=board
    )
    english = {"preferred_language": "en"}
    lead = create_user(display_name="Priya Lead", **english)
    school_contact = create_user(display_name="Sam Contact", **english)
    academy_contact = create_user(display_name="Ada Contact", **english)
    leader = create_user(display_name="Lena Leider", **english)
    hr = create_user(display_name="Hugo HR", **english)
    give_role(lead, school, OrganisationRole.TEACHER)
    give_role(school_contact, school, OrganisationRole.TEACHER)
    give_role(academy_contact, academy, OrganisationRole.PROVIDER_STAFF)
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    give_role(hr, board, OrganisationRole.HR_ADVISOR)
    community = create_community(
        owner=lead, organisation=school, name="Rekenen in de bovenbouw", theme_ids=[theme.id]
    )
    teachers = [create_user(display_name=f"Leraar {n}", **english) for n in range(4)]
    for teacher in teachers:
        give_role(teacher, school, OrganisationRole.TEACHER)
        add_member(community, teacher, MemberRole.MEMBER)
    add_member(community, leader, MemberRole.MEMBER)
    question = create_question(
        title="Hoe automatiseer ik de tafels zonder eindeloos stampen?", themes=[theme]
    )
    db.session.commit()

    # The facilitator proposes the pilot with two organisations.
    _log_in(page, live_server, lead.email)
    page.goto(f"{live_server}/pilots/voorstellen?gemeenschap={community.slug}")
    check_accessibility(page)
    page.get_by_label("Title").fill("Tafels in de praktijk")
    page.get_by_label("Summary").fill("Twee organisaties proberen samen een tafelaanpak uit.")
    page.get_by_role("checkbox", name="Rekenen in de bovenbouw").check()
    first = page.get_by_role("group", name="Organisation 1")
    first.get_by_label("Organisation").fill("Het Noordlicht")
    first.get_by_label("Contact").fill("Sam Contact")
    first.get_by_label("Sponsor (school leader or HR advisor)").fill("Lena Leider")
    first.get_by_label("What it contributes").fill("Vier leraren en hun klassen.")
    first.get_by_label("What it depends on from the others").fill("De tafelaanpak.")
    second = page.get_by_role("group", name="Organisation 2")
    second.get_by_label("Organisation").fill("Rekenacademie Noord")
    second.get_by_label("Contact").fill(academy_contact.email)
    second.get_by_label("Sponsor (school leader or HR advisor)").fill("Hugo HR")
    second.get_by_label("What it contributes").fill("De tafelaanpak en de begeleiding.")
    second.get_by_label("What it depends on from the others").fill("Klassen om te oefenen.")
    start = utcnow().date()
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("End date").fill((start + timedelta(days=180)).isoformat())
    page.get_by_label("Goals").fill("Alle leerlingen kennen hun tafels.")
    page.get_by_label("Evaluation plan").fill("Een pilotevaluatie aan het eind.")
    page.get_by_label("Knowledge-sharing plan").fill("Een praktijkvoorbeeld in de kennisbank.")
    page.get_by_role("checkbox", name=question.title).check()
    page.get_by_role("button", name="Propose the pilot").click()
    expect(page.get_by_role("heading", name="Tafels in de praktijk", level=1)).to_be_visible()
    checklist = page.get_by_role("region", name="The six criteria: 4 of 6 met")
    expect(checklist).to_contain_text("No published survey has a response yet.")
    check_accessibility(page)
    _stored()
    pilot = db.session.scalars(sa.select(Pilot)).one()
    pilot_url = f"{live_server}/pilots/{pilot.slug}"

    # Outsiders do not see a proposal.
    anonymous = _page(browser)
    assert anonymous.goto(pilot_url).status == 404

    # The school's contact approves with the keyboard only; the academy's with a click.
    contact_page = _page(browser)
    _log_in(contact_page, live_server, school_contact.email)
    contact_page.goto(pilot_url)
    check_accessibility(contact_page)
    contact_page.get_by_role("button", name="Approve for Het Noordlicht").focus()
    contact_page.keyboard.press("Enter")
    expect(contact_page.get_by_role("status")).to_contain_text("Your approval is recorded.")
    academy_page = _page(browser)
    _log_in(academy_page, live_server, academy_contact.email)
    academy_page.goto(pilot_url)
    academy_page.get_by_role("button", name="Approve for Rekenacademie Noord").click()
    expect(academy_page.get_by_role("status")).to_contain_text("approved")
    _stored()
    assert pilot.status == PilotStatus.APPROVED

    # The lead starts it and builds the evaluation from the built-in template.
    page.goto(pilot_url)
    page.get_by_role("button", name="Start the pilot").click()
    expect(page.get_by_role("status")).to_be_visible()
    _stored()
    assert pilot.status == PilotStatus.RUNNING
    page.goto(f"{live_server}/vragenlijsten/nieuw?pilot={pilot.id}")
    check_accessibility(page)
    page.get_by_label("Start from").select_option(label="Pilot evaluation (built in)")
    page.get_by_label("Language of the questions").select_option(label="Dutch")
    page.get_by_role("button", name="Make the draft").click()
    expect(page.get_by_text("De pilot heeft bereikt wat hij wilde bereiken.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_be_visible()
    _stored()
    survey = db.session.scalars(sa.select(Survey)).one()
    assert survey.invited_at is not None  # open at once: the invitations went out

    # A teacher answers in the browser; four more answer through the same service.
    teacher_page = _page(browser)
    _log_in(teacher_page, live_server, teachers[0].email)
    teacher_page.goto(f"{live_server}/vragenlijsten/{survey.id}/invullen")
    expect(teacher_page.get_by_text("anonymous", exact=False).first).to_be_visible()
    check_accessibility(teacher_page)
    by_key = {q.key: q for q in survey.questions}
    for key in ("goals", "practice", "students", "collaboration", "support"):
        teacher_page.locator(f"#q-{by_key[key].id}-4").check()
    teacher_page.get_by_role("radio", name="Voortzetten met aanpassingen").check()
    teacher_page.get_by_label("Your answer").first.fill("Dat oefenen in korte blokjes werkt.")
    teacher_page.get_by_role("button", name="Send my answers").click()
    expect(teacher_page.get_by_role("status")).to_be_visible()
    _stored()
    by_key = {q.key: q for q in survey.questions}
    next_step = by_key["next_step"]
    for teacher, value in zip([*teachers[1:], leader], [5, 3, 4, 2], strict=True):
        answers = {by_key[k].id: [str(value)] for k in ("goals", "practice", "students")}
        answers |= {by_key[k].id: ["4"] for k in ("collaboration", "support")}
        answers[next_step.id] = [str(next_step.options[0].id)]
        answers[by_key["learned"].id] = [f"Les {value}"]
        surveys.respond(survey, teacher, answers)
    db.session.commit()

    # The lead reads the results: the rate, a chart with its table, the mean.
    page.goto(f"{live_server}/vragenlijsten/{survey.id}/resultaten")
    response = page.get_by_role("region", name="Response")
    expect(response).to_contain_text("56%")  # 5 of the 9 invited people
    goals = page.get_by_role("region", name="1. De pilot heeft bereikt wat hij wilde bereiken.")
    table = goals.get_by_role("table", name="Answers to question 1")
    expect(table.get_by_role("row", name="4 2 40.0%")).to_be_visible()
    expect(goals).to_contain_text("Mean 3.60 · median 4.0 (of 5 answers).")
    # Five answers from one school: its own results are shown.
    expect(goals.get_by_role("row", name="Het Noordlicht 5 3.60 4.0")).to_be_visible()
    expect(page.get_by_text("Dat oefenen in korte blokjes werkt.")).to_be_visible()
    check_accessibility(page)

    # Anyone reads the pilot now, in Dutch; the checklist counts the survey's responses.
    dutch = _page(browser, "nl-NL")
    dutch.goto(pilot_url)
    expect(dutch.get_by_role("heading", name="Tafels in de praktijk", level=1)).to_be_visible()
    expect(dutch.get_by_role("region", name="Evaluatie in één oogopslag")).to_contain_text("5")
    check_accessibility(dutch)
    dutch.goto(f"{live_server}/pilots")
    expect(dutch.get_by_role("link", name="Tafels in de praktijk")).to_be_visible()
    check_accessibility(dutch)
