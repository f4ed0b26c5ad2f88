"""Every page of the foundation passes the axe check, in Dutch and in English."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from plc.core.outbox import queue_mail
from plc.extensions import db
from plc.themes.services import install_default_themes
from tests.support.browser import log_in

Check = Callable[[Page], None]

PUBLIC_PAGES = [
    "/",
    "/inloggen",
    "/registreren",
    "/wachtwoord-vergeten",
    "/privacy",
    "/toegankelijkheid",
    "/contact",
    "/bestaat-niet",
]
ADMIN_PAGES = [
    "/beheer/",
    "/beheer/gebruikers",
    "/beheer/themas",
    "/beheer/themas/nieuw",
    "/beheer/outbox",
]


def test_public_pages_in_both_languages(
    page: Page, live_server: str, check_accessibility: Check
) -> None:
    for language_button in ("English", "Nederlands"):
        for path in PUBLIC_PAGES:
            page.goto(f"{live_server}{path}")
            check_accessibility(page)
        page.get_by_role("button", name=language_button).click()


def test_admin_and_profile_pages(
    page: Page, live_server: str, check_accessibility: Check, create_user
) -> None:
    admin = create_user(email="beheer@example.org", display_name="Beheerder", is_admin=True)
    install_default_themes()
    queue_mail("leraar@example.org", "Welkom", "Hallo")
    db.session.commit()
    log_in(page, live_server, admin.email)
    paths = [
        *ADMIN_PAGES,
        f"/beheer/gebruikers/{admin.id}",
        "/beheer/outbox/1",
        "/beheer/themas/1",
        "/profiel",
        "/profiel/bewerken",
        "/profiel/wachtwoord",
    ]
    for path in paths:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        check_accessibility(page)


def test_community_and_organisation_pages(
    page: Page, live_server: str, check_accessibility: Check, demo_data: Callable[[], str]
) -> None:
    """The demo's communities and organisations, as a facilitator and owner sees them."""
    import sqlalchemy as sa

    from plc.auth.demo import DEMO_PASSWORD
    from plc.communities.models import Community, CommunityMember, MemberRole
    from plc.organisations.models import Organisation

    demo_data()
    owned = db.session.scalars(
        sa.select(Community)
        .join(CommunityMember)
        .where(CommunityMember.role == MemberRole.OWNER, Community.visibility == "request")
    ).first()
    owner_email = (
        db.session.scalars(
            sa.select(CommunityMember).where(
                CommunityMember.community_id == owned.id, CommunityMember.role == MemberRole.OWNER
            )
        )
        .first()
        .user.email
    )
    school = db.session.scalars(
        sa.select(Organisation).where(Organisation.kind == "school")
    ).first()
    slug = owned.slug

    for path in (
        "/gemeenschappen",
        f"/gemeenschappen/{slug}",
        "/organisaties",
        f"/organisaties/{school.slug}",
    ):
        page.goto(f"{live_server}{path}")
        check_accessibility(page)

    page.goto(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres").fill(owner_email)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    for path in (
        "/",
        "/gemeenschappen/nieuw",
        f"/gemeenschappen/{slug}",
        f"/gemeenschappen/{slug}/leden",
        f"/gemeenschappen/{slug}/bewerken",
        f"/gemeenschappen/{slug}/uitnodigen",
        f"/gemeenschappen/{slug}/eigenaren",
        "/gemeenschappen?q=lezen&schooloverstijgend=1",
        "/profiel",
    ):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        check_accessibility(page)


def test_organisation_admin_pages(
    page: Page, live_server: str, check_accessibility: Check, demo_data: Callable[[], str]
) -> None:
    """A school leader who administers the school: role requests and co-ownership."""
    import sqlalchemy as sa

    from plc.auth.demo import DEMO_PASSWORD
    from plc.organisations.models import OrganisationMembership, OrganisationRole

    demo_data()
    admin_role = db.session.scalars(
        sa.select(OrganisationMembership).where(
            OrganisationMembership.role == OrganisationRole.ADMIN
        )
    ).first()
    email, slug = admin_role.user.email, admin_role.organisation.slug
    page.goto(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    for path in (
        f"/organisaties/{slug}",
        f"/organisaties/{slug}/aanvragen",
        f"/organisaties/{slug}/mede-eigenaarschap",
        f"/organisaties/{slug}/bewerken",
    ):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        check_accessibility(page)


def test_knowledge_base_pages(
    page: Page,
    live_server: str,
    check_accessibility: Check,
    create_user,
    create_organisation,
    give_role,
    create_community,
    add_member,
    create_theme,
    create_output,
    tmp_path,
    app,
) -> None:
    """The public knowledge base: the list (filtered, searched, empty), an output with a file and
    an earlier version, a withdrawn one, and the output as a school leader sees it (the form)."""
    import io

    from plc.auth.models import SchoolType
    from plc.communities.models import MemberRole
    from plc.knowledge import services
    from plc.organisations.models import OrganisationRole
    from tests.resources.conftest import PDF

    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    school = create_organisation(name="Het Amsterdams Lyceum")
    owner = create_user(display_name="Olga Eigenaar")
    give_role(owner, school)
    community = create_community(owner=owner, organisation=school, name="Rekenen in de bovenbouw")
    author, reviewer = create_user(display_name="Anna de Vries"), create_user()
    add_member(community, author)
    add_member(community, reviewer, MemberRole.FACILITATOR)
    theme = create_theme("Formatief evalueren")
    output = create_output(
        community=community,
        author=author,
        reviewer=reviewer,
        state="draft",
        themes=[theme],
        title="Exit tickets in de rekenles",
        organisation_ids=[school.id],
        school_types=[SchoolType.SECONDARY],
    )
    services.add_attachment(output, author, io.BytesIO(PDF), "lesplan.pdf")
    services.submit_for_review(output, author)
    services.approve(output, reviewer)
    services.start_revision(output, author)
    fields = services.fields_of(output, services.open_version(output))
    fields.change_note = "Voorbeelden toegevoegd."
    services.update_output(output, author, fields)
    services.submit_for_review(output, author)
    services.approve(output, reviewer)
    gone = create_output(community=community, author=author, reviewer=reviewer, themes=[theme])
    services.withdraw(gone, owner, "Verouderd.")
    leader = create_user(email="directeur@example.org")
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    db.session.commit()

    paths = [
        "/kennisbank",
        f"/kennisbank?q=exit&thema={theme.slug}",
        "/kennisbank?q=bestaatnietwoord",
        f"/kennisbank/{output.slug}",
        f"/kennisbank/{output.slug}/versie/1",
        f"/organisaties/{school.slug}",
        f"/gemeenschappen/{community.slug}",
    ]
    for language_button in ("English", "Nederlands"):
        for path in paths:
            response = page.goto(f"{live_server}{path}")
            assert response is not None and response.status == 200, path
            check_accessibility(page)
        tombstone = page.goto(f"{live_server}/kennisbank/{gone.slug}")
        assert tombstone is not None and tombstone.status == 410
        check_accessibility(page)
        page.get_by_role("button", name=language_button).click()

    log_in(page, live_server, leader.email)
    page.goto(f"{live_server}/kennisbank/{output.slug}")
    check_accessibility(page)
    page.get_by_label("Hoe gebruikt je school het? (niet verplicht)").fill("x" * 20)
    page.get_by_role("button", name="Wij gebruiken dit").click()
    expect(page.locator("#gebruik")).to_contain_text("Het Amsterdams Lyceum")
    check_accessibility(page)
