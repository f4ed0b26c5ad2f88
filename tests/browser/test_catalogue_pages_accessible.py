"""The catalogue's pages pass the axe check: the list, an offering as a teacher sees it, the
provider's form and participants' list, and the school leader's approvals."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from plc.auth.models import CareerStage
from plc.catalogue import services
from plc.catalogue.models import CostKind, EnrolmentScope, OfferingFormat
from plc.extensions import db
from plc.organisations.models import OrganisationKind, OrganisationRole
from tests.support.browser import log_in

Check = Callable[[Page], None]


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()


def _visit(page: Page, live_server: str, check: Check, *paths: str) -> None:
    for path in paths:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        check(page)


def test_catalogue_pages(
    page: Page,
    live_server: str,
    check_accessibility: Check,
    create_user,
    create_organisation,
    give_role,
    create_provider,
    create_theme,
    create_offering,
) -> None:
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Openbaar Onderwijs")
    school = create_organisation(name="Het Amsterdams Lyceum", parent_id=board.id)
    academy, staff = create_provider(
        kind=OrganisationKind.ACADEMY, name="Academie Oost", parent_id=board.id
    )
    theme = create_theme("Formatief evalueren")
    offering = create_offering(
        provider=academy,
        staff=staff,
        themes=[theme],
        title="Formatief evalueren in de praktijk",
        description="Drie **bijeenkomsten** met huiswerk.",
        capacity=1,
        career_stages=[CareerStage.STARTER],
        contact_minutes=360,
    )
    paid = create_offering(
        provider=academy,
        staff=staff,
        themes=[theme],
        title="Masterclass feedback",
        format=OfferingFormat.MASTERCLASS,
        cost_kind=CostKind.SCHOOL_PAYS,
        cost_cents=25000,
        needs_leader_approval=True,
        scope=EnrolmentScope.OWN_BOARD,
    )
    teacher = create_user(email="leraar@example.org", display_name="Sanne Leraar")
    waiting = create_user(display_name="Wachtende Wim")
    leader = create_user(email="leider@example.org", display_name="Lieke Leider")
    give_role(teacher, school)
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    services.enrol(offering, waiting)
    db.session.commit()
    # The leader's approvals page lists the request the teacher makes through the page below.

    _visit(page, live_server, check_accessibility, "/aanbod", "/aanbod?q=formatief&kosten=free")

    log_in(page, live_server, teacher.email)
    _visit(
        page, live_server, check_accessibility, f"/aanbod/{offering.slug}", f"/aanbod/{paid.slug}"
    )
    page.get_by_role("button", name="Schrijf je in").click()  # the school is preselected
    expect(page.get_by_role("status").first).to_be_visible()
    check_accessibility(page)
    _visit(page, live_server, check_accessibility, "/aanbod/mijn-inschrijvingen")
    _log_out(page)

    log_in(page, live_server, staff.email)
    _visit(
        page,
        live_server,
        check_accessibility,
        "/aanbod/nieuw",
        f"/aanbod/{offering.slug}/bewerken",
        f"/aanbod/{offering.slug}/deelnemers",
        "/aanbod/mijn-aanbod",
    )
    page.goto(f"{live_server}/aanbod/nieuw")
    page.get_by_role("button", name="Bewaar als concept").click()  # empty: errors shown
    check_accessibility(page)
    _log_out(page)

    log_in(page, live_server, leader.email)
    _visit(page, live_server, check_accessibility, "/aanbod/goedkeuren")
    expect(page.get_by_role("cell", name="Sanne Leraar", exact=True)).to_be_visible()
