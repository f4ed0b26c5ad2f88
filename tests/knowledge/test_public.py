"""The public knowledge base (/kennisbank): who sees what, filters and search, an output's page
with its metadata for search engines, earlier versions, files, counts, "we use this", exports,
the panels on other pages, and the number of SQL statements per page."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from plc.auth.models import CareerStage, SchoolType
from plc.communities.models import MemberRole, Visibility
from plc.extensions import db
from plc.knowledge import services
from plc.knowledge.models import KnowledgeOutput, OutputType, OutputUse
from plc.organisations.models import OrganisationRole
from plc.resources.models import Licence
from plc.themes.models import CompetenceDomain
from tests.resources.conftest import PDF

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}
SANDBOX = "sandbox; default-src 'none'"


@pytest.fixture(autouse=True)
def english(app: Flask) -> None:
    """These tests read the English messages (the root fixture restores the config)."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


@pytest.fixture(autouse=True)
def upload_folder(app: Flask, tmp_path: Path) -> Path:
    folder = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(folder)
    return folder


@pytest.fixture
def world(create_user, create_organisation, give_role, create_community, add_member, create_theme):
    """A public community co-owned by a school, with an author, a second author and a reviewer."""
    school = create_organisation(name="Het Amsterdams Lyceum", slug="het-amsterdams-lyceum")
    owner = create_user(display_name="Olga Eigenaar")
    give_role(owner, school)
    community = create_community(owner=owner, organisation=school, name="Rekenen in de bovenbouw")
    author = create_user(display_name="Anna de Vries")
    add_member(community, author)
    second = create_user(display_name="Bram Bakker")
    add_member(community, second)
    reviewer = create_user(display_name="Fenna Facilitator")
    add_member(community, reviewer, MemberRole.FACILITATOR)
    theme = create_theme("Formatief evalueren", slug="formatief-evalueren")
    return SimpleNamespace(
        school=school,
        owner=owner,
        community=community,
        author=author,
        second=second,
        reviewer=reviewer,
        theme=theme,
    )


def _publish(create_output, w, **fields: Any) -> KnowledgeOutput:
    fields.setdefault("themes", [w.theme])
    return create_output(community=w.community, author=w.author, reviewer=w.reviewer, **fields)


def _draft_with_file(create_output, w, content: bytes = PDF, filename: str = "lesplan.pdf"):
    output = _publish(create_output, w, state="draft")
    services.add_attachment(output, w.author, io.BytesIO(content), filename)
    db.session.commit()
    return output


def _approve(output: KnowledgeOutput, w) -> None:
    services.submit_for_review(output, w.author)
    services.approve(output, w.reviewer)
    db.session.commit()


def _revise(output: KnowledgeOutput, w, title: str, note: str) -> None:
    services.start_revision(output, w.author)
    fields = services.fields_of(output, services.open_version(output))
    fields.title, fields.change_note = title, note
    services.update_output(output, w.author, fields)
    _approve(output, w)


def _titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<h3 class="h5 card-title"[^>]*><a href="[^"]+">([^<]+)</a>', html)


def _json_ld(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


# -- who sees what -----------------------------------------------------------------------------


def test_anonymous_readers_see_only_published_outputs(
    client, world, create_output, create_community
):
    published = _publish(create_output, world, title="Exit tickets in de rekenles")
    in_review = _publish(create_output, world, title="Nog in review", state="in_review")
    draft = _publish(create_output, world, title="Nog een concept", state="draft")
    hidden_community = create_community(visibility=Visibility.INVITE, name="Besloten kring")
    hidden = create_output(community=hidden_community, title="Alleen voor genodigden")

    listing = client.get("/kennisbank")
    assert listing.status_code == 200
    assert _titles(listing) == ["Exit tickets in de rekenles"]
    assert "1 knowledge output" in listing.get_data(as_text=True)

    assert client.get(f"/kennisbank/{published.slug}").status_code == 200
    assert hidden.slug and client.get(f"/kennisbank/{hidden.slug}").status_code == 404
    assert in_review.slug is None and draft.slug is None  # no public address before publication
    assert client.get("/kennisbank/nog-in-review").status_code == 404
    assert client.get("/kennisbank/bestaat-niet").status_code == 404
    assert "Alleen voor genodigden" not in client.get("/kennisbank?q=genodigden").get_data(True)
    assert "Besloten kring" not in listing.get_data(as_text=True)  # not even as a filter option


def test_a_withdrawn_output_leaves_a_tombstone(client, world, create_output):
    output = _draft_with_file(create_output, world)
    _approve(output, world)
    attachment_id = output.versions[0].attachments[0].id
    services.withdraw(output, world.owner, "Vervangen door de nieuwe handreiking.")
    db.session.commit()

    page = client.get(f"/kennisbank/{output.slug}")
    html = page.get_data(as_text=True)
    assert page.status_code == 410
    assert "has been withdrawn" in html and "Vervangen door de nieuwe handreiking." in html
    assert output.title in html and f'href="/gemeenschappen/{world.community.slug}"' in html
    assert "Tekst van opbrengst" not in html and "lesplan.pdf" not in html
    assert client.get(f"/kennisbank/{output.slug}/bijlagen/{attachment_id}").status_code == 410
    assert client.get(f"/kennisbank/{output.slug}/versie/1").status_code == 410
    assert _titles(client.get("/kennisbank")) == []


# -- the list: filters and search --------------------------------------------------------------


def test_every_filter_narrows_the_list(
    client, world, create_output, create_theme, create_organisation, give_role, create_community
):
    other_theme = create_theme("Leesmotivatie", slug="leesmotivatie")
    partner = create_organisation(name="Pabo Amsterdam", slug="pabo-amsterdam")
    give_role(world.second, partner)
    _publish(
        create_output,
        world,
        title="Alles aan",
        output_type=OutputType.GUIDELINE,
        school_types=[SchoolType.SECONDARY],
        career_stages=[CareerStage.STARTER],
        domains=[CompetenceDomain.PEDAGOGY],
        organisation_ids=[partner.id],
    )
    old = _publish(create_output, world, title="Van vorig jaar", themes=[other_theme])
    old.published_at = datetime(2024, 5, 1, tzinfo=UTC)
    db.session.commit()
    elsewhere = create_community(name="Lezen in groep 8")
    create_output(community=elsewhere, title="Uit een andere gemeenschap", themes=[other_theme])

    everything = _titles(client.get("/kennisbank"))
    assert sorted(everything) == ["Alles aan", "Uit een andere gemeenschap", "Van vorig jaar"]
    expected = {
        "thema=formatief-evalueren": ["Alles aan"],
        "thema=leesmotivatie": ["Uit een andere gemeenschap", "Van vorig jaar"],
        "type=guideline": ["Alles aan"],
        "schooltype=vo": ["Alles aan"],
        "loopbaanfase=starter": ["Alles aan"],
        "domein=pedagogy": ["Alles aan"],
        "organisatie=pabo-amsterdam": ["Alles aan"],
        f"gemeenschap={elsewhere.slug}": ["Uit een andere gemeenschap"],
        "jaar=2024": ["Van vorig jaar"],
        "type=guideline&jaar=2024": [],
        "type=onbekend": sorted(everything),  # an unknown value is ignored, not an error
    }
    for query, titles in expected.items():
        response = client.get(f"/kennisbank?{query}")
        assert response.status_code == 200, query
        assert sorted(_titles(response)) == titles, query

    html = client.get("/kennisbank").get_data(as_text=True)
    for option in ('value="pabo-amsterdam"', f'value="{elsewhere.slug}"', 'value="2024"'):
        assert option in html  # the selects offer what the published outputs have
    empty = client.get("/kennisbank?type=guideline&jaar=2024").get_data(as_text=True)
    assert "No knowledge output matches" in empty and "Clear all filters" in empty


def test_search_finds_dutch_words_and_ranks_title_matches_first(client, world, create_output):
    _publish(
        create_output,
        world,
        title="Werkvormen voor de bovenbouw",
        summary="Korte opdrachten.",
        body="Zo kun je differentiëren met exit tickets en kleine toetsen.",
    )
    _publish(
        create_output,
        world,
        title="Differentiëren in de rekenles",
        summary="Drie niveaus in één les.",
        body="Uitleg op drie niveaus.",
    )
    _publish(create_output, world, title="Leesmotivatie", summary="Over lezen.", body="Boeken.")

    ranked = _titles(client.get("/kennisbank?q=differentieren"))  # typed without the diaeresis
    assert ranked == ["Differentiëren in de rekenles", "Werkvormen voor de bovenbouw"]
    assert _titles(client.get("/kennisbank?q=differentiëren")) == ranked
    assert _titles(client.get("/kennisbank?q=toets")) == ["Werkvormen voor de bovenbouw"]
    assert _titles(client.get("/kennisbank?q=niveau")) == ["Differentiëren in de rekenles"]
    nothing = client.get("/kennisbank?q=klimaatadaptatie").get_data(as_text=True)
    assert "No knowledge output matches" in nothing


def test_the_list_links_to_a_feed_and_exports_with_its_filters(client, world, create_output):
    _publish(create_output, world)
    slug = world.community.slug
    html = client.get(
        f"/kennisbank?thema=formatief-evalueren&gemeenschap={slug}&type=guideline"
    ).get_data(as_text=True)
    assert 'type="application/atom+xml"' in html
    assert f"/feeds/outputs.atom?theme=formatief-evalueren&amp;community={slug}" in html
    assert "/kennisbank/export.csv?" in html and "type=guideline" in html


# -- an output's page --------------------------------------------------------------------------


def test_the_output_page_shows_its_metadata_and_how_to_cite_it(client, world, create_output):
    output = _publish(
        create_output,
        world,
        title="Exit tickets in de rekenles",
        summary="Zo weet je aan het eind van de les wie wat begrijpt.",
        output_type=OutputType.PRACTICE_EXAMPLE,
        licence=Licence.CC_BY_SA,
        author_ids=[world.author.id, world.second.id],
        organisation_ids=[world.school.id],
        school_types=[SchoolType.SECONDARY],
        career_stages=[CareerStage.STARTER],
        domains=[CompetenceDomain.SUBJECT_TEACHING],
    )
    page = client.get(f"/kennisbank/{output.slug}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    year = output.published_at.year
    citation = (
        f"Anna de Vries, Bram Bakker; Het Amsterdams Lyceum ({year}). Exit tickets in de rekenles. "
        "Leernetwerk Amsterdam, Rekenen in de bovenbouw. CC BY-SA 4.0. "
        f"https://leernetwerk.example.org/kennisbank/{output.slug}"
    )
    assert citation in html
    assert "Practice example" in html and "<h2" in html and "Tekst van opbrengst" in html
    assert 'href="/organisaties/het-amsterdams-lyceum"' in html
    assert f'href="/gemeenschappen/{world.community.slug}"' in html
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license' in html
    assert world.theme.name("en") in html and 'href="/kennisbank?thema=formatief-evalueren"' in html
    assert (
        f'<link rel="canonical" href="https://leernetwerk.example.org/kennisbank/{output.slug}">'
        in html
    )
    assert (
        '<meta name="description" content="Zo weet je aan het eind van de les wie wat begrijpt.">'
        in html
    )
    assert '<meta name="citation_title" content="Exit tickets in de rekenles">' in html
    assert html.count('<meta name="citation_author"') == 2


def test_structured_data_is_valid_json_that_cannot_break_out(client, world, create_output):
    title = 'Toetsen </script><script>alert("x")</script> & "meer"'
    output = _publish(
        create_output,
        world,
        title=title,
        organisation_ids=[world.school.id],
        licence=Licence.CC_BY,
    )
    html = client.get(f"/kennisbank/{output.slug}").get_data(as_text=True)
    assert "<script>alert" not in html
    data = _json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert "LearningResource" in data["@type"]
    assert data["name"] == title
    assert data["url"] == f"https://leernetwerk.example.org/kennisbank/{output.slug}"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["author"] == [{"@type": "Person", "name": "Anna de Vries"}]
    assert data["sourceOrganization"][0]["name"] == "Het Amsterdams Lyceum"
    assert data["publisher"]["name"] == "Leernetwerk Amsterdam"
    assert data["inLanguage"] == "nl" and data["version"] == 1
    assert data["keywords"] == ["Formatief evalueren"]
    assert data["datePublished"] == output.published_at.date().isoformat()
    assert data["dateModified"].startswith(output.published_at.date().isoformat())


def test_earlier_versions_stay_readable_with_their_change_note(client, world, create_output):
    output = _publish(create_output, world, title="Eerste opzet")
    _revise(output, world, "Tweede opzet", "Voorbeelden uit groep 8 toegevoegd.")
    services.start_revision(output, world.author)  # version 3: a draft nobody may read yet
    db.session.commit()

    current = client.get(f"/kennisbank/{output.slug}").get_data(as_text=True)
    assert "Tweede opzet" in current and "Voorbeelden uit groep 8 toegevoegd." in current
    assert f'href="/kennisbank/{output.slug}/versie/1"' in current
    assert "/versie/3" not in current

    old = client.get(f"/kennisbank/{output.slug}/versie/1")
    html = old.get_data(as_text=True)
    assert old.status_code == 200
    assert "<h1" in html and "Eerste opzet" in html
    assert "This is not the newest version." in html
    assert f'href="/kennisbank/{output.slug}">Read the newest version (version 2)' in html
    assert f'href="https://leernetwerk.example.org/kennisbank/{output.slug}/versie/1"' in html
    assert _json_ld(html)["version"] == 1

    assert client.get(f"/kennisbank/{output.slug}/versie/2").status_code == 302
    assert client.get(f"/kennisbank/{output.slug}/versie/3").status_code == 404
    assert client.get(f"/kennisbank/{output.slug}/versie/9").status_code == 404


def test_attachments_download_safely_and_are_counted(client, world, create_output):
    output = _draft_with_file(create_output, world)
    _approve(output, world)
    attachment = output.versions[0].attachments[0]
    html = client.get(f"/kennisbank/{output.slug}").get_data(as_text=True)
    path = f"/kennisbank/{output.slug}/bijlagen/{attachment.id}"
    assert f'href="{path}"' in html and "lesplan.pdf" in html
    assert 'name="citation_pdf_url"' in html

    with client.get(path, headers=BROWSER) as response:
        assert response.status_code == 200
        assert response.data == PDF
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["Content-Security-Policy"] == SANDBOX
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.mimetype == "application/pdf"
    with client.head(path) as head:  # asks about the file; not a download
        assert head.status_code == 200
    db.session.refresh(output)
    assert output.download_count == 1

    # A revision's draft copies the file with a new id: not public until it is approved.
    services.start_revision(output, world.author)
    db.session.commit()
    draft_copy = services.open_version(output).attachments[0]
    assert client.get(f"/kennisbank/{output.slug}/bijlagen/{draft_copy.id}").status_code == 404
    other = _publish(create_output, world, title="Ander")
    assert client.get(f"/kennisbank/{other.slug}/bijlagen/{attachment.id}").status_code == 404

    # Once the revision is published, version 1 (and its file) stays readable.
    fields = services.fields_of(output, services.open_version(output))
    fields.change_note = "Nieuwe opzet."
    services.update_output(output, world.author, fields)
    _approve(output, world)
    with client.get(path, headers=BROWSER) as old_file:
        assert old_file.status_code == 200 and old_file.data == PDF
    with client.get(f"/kennisbank/{output.slug}/bijlagen/{draft_copy.id}") as new_file:
        assert new_file.status_code == 200
    db.session.refresh(output)
    assert output.download_count == 3


def test_a_video_or_podcast_links_to_its_media(client, world, create_output):
    output = _publish(
        create_output,
        world,
        output_type=OutputType.MEDIA_LINK,
        media_url="https://www.youtube.com/watch?v=abc123",
        body="",
    )
    html = client.get(f"/kennisbank/{output.slug}").get_data(as_text=True)
    assert "Video or podcast" in html
    assert (
        'href="https://www.youtube.com/watch?v=abc123" rel="noopener noreferrer nofollow"' in html
    )
    assert _json_ld(html)["associatedMedia"]["contentUrl"] == output.media_url


def test_views_are_counted_but_not_for_head_requests_or_robots(client, world, create_output):
    output = _publish(create_output, world)
    last_change = output.updated_at
    path = f"/kennisbank/{output.slug}"
    assert client.get(path, headers=BROWSER).status_code == 200
    assert client.get(path, headers=BROWSER).status_code == 200
    assert client.head(path, headers=BROWSER).status_code == 200
    assert client.get(path, headers={"User-Agent": "Googlebot/2.1"}).status_code == 200
    assert client.get(path, headers={"User-Agent": "curl/8.5.0"}).status_code == 200
    db.session.refresh(output)
    assert output.view_count == 2
    assert output.updated_at == last_change  # being read is no change


# -- "we use this" -----------------------------------------------------------------------------


@pytest.fixture
def speakers(world, create_user, create_organisation, give_role):
    """A school leader of two schools, an HR advisor, and a teacher (who cannot speak for one)."""
    leader = create_user(display_name="Lotte Leider")
    second_school = create_organisation(name="Montessori College Oost")
    give_role(leader, world.school, OrganisationRole.SCHOOL_LEADER)
    give_role(leader, second_school, OrganisationRole.SCHOOL_LEADER)
    hr = create_user(display_name="Hans HR")
    give_role(hr, world.school, OrganisationRole.HR_ADVISOR)
    teacher = create_user(display_name="Tim Teacher")
    give_role(teacher, world.school, OrganisationRole.TEACHER)
    return SimpleNamespace(leader=leader, hr=hr, teacher=teacher, second_school=second_school)


def _uses(output: KnowledgeOutput) -> list[tuple[int, str]]:
    return [
        (use.organisation_id, use.note)
        for use in db.session.scalars(
            sa.select(OutputUse).where(OutputUse.output_id == output.id).order_by(OutputUse.id)
        )
    ]


def test_a_school_says_it_uses_an_output_once(client, world, speakers, create_output, login_client):
    output = _publish(create_output, world)
    path = f"/kennisbank/{output.slug}"
    leader = login_client(speakers.leader)
    page = leader.get(path).get_data(as_text=True)
    assert "We use this" in page and "Montessori College Oost" in page  # a school select

    response = leader.submit(
        f"{path}/gebruik", {"school": world.school.id, "note": "In alle brugklassen."}
    )
    assert response.status_code == 302 and response.location.endswith("#gebruik")
    again = leader.submit(f"{path}/gebruik", {"school": world.school.id, "note": "Ook in 2."})
    assert again.status_code == 302
    hr = login_client(speakers.hr)
    assert hr.submit(f"{path}/gebruik", {"school": world.school.id, "note": ""}).status_code == 302
    db.session.refresh(output)
    assert output.use_count == 1  # one school, however often and by whom it is said
    assert _uses(output) == [(world.school.id, "")]

    public_view = client.get(path).get_data(as_text=True)
    assert "<dd>1 school</dd>" in public_view
    assert 'href="/organisaties/het-amsterdams-lyceum"' not in public_view  # not who

    withdrawn = leader.submit(f"{path}/gebruik/intrekken", {"school": world.school.id})
    assert withdrawn.status_code == 302
    db.session.refresh(output)
    assert output.use_count == 0 and _uses(output) == []


def test_only_those_who_speak_for_a_school_can_say_it(
    world, speakers, create_output, login_client, create_organisation, client
):
    output = _publish(create_output, world)
    path = f"/kennisbank/{output.slug}"
    teacher = login_client(speakers.teacher)
    assert "We use this" not in teacher.get(path).get_data(as_text=True)
    assert teacher.submit(f"{path}/gebruik", {"school": world.school.id}).status_code == 404
    anonymous = client.post(f"{path}/gebruik", data={"school": world.school.id})
    assert anonymous.status_code in (302, 400)  # to the login page, or refused without a token

    leader = login_client(speakers.leader)
    stranger_school = create_organisation(name="Elders")
    wrong = leader.submit(f"{path}/gebruik", {"school": stranger_school.id, "note": "Hier"})
    assert wrong.status_code == 400
    assert "Choose one of the schools you speak for." in wrong.get_data(as_text=True)
    too_long = leader.submit(f"{path}/gebruik", {"school": world.school.id, "note": "x" * 501})
    html = too_long.get_data(as_text=True)
    assert too_long.status_code == 400 and "At most 500 characters." in html
    assert "x" * 501 in html  # what was typed comes back
    db.session.refresh(output)
    assert output.use_count == 0 and _uses(output) == []


def test_the_community_sees_which_schools_use_it_and_why(
    world, speakers, create_output, login_client
):
    output = _publish(create_output, world)
    path = f"/kennisbank/{output.slug}"
    login_client(speakers.leader).submit(
        f"{path}/gebruik", {"school": speakers.second_school.id, "note": "Bij wiskunde in 3 havo."}
    )
    member_view = login_client(world.second).get(path).get_data(as_text=True)
    assert "Montessori College Oost" in member_view and "Bij wiskunde in 3 havo." in member_view
    outsider_view = login_client(speakers.teacher).get(path).get_data(as_text=True)
    assert "Used by 1 school." not in outsider_view  # the box is for speakers and members
    assert "Bij wiskunde in 3 havo." not in outsider_view
    assert "<dd>1 school</dd>" in outsider_view


# -- exports -----------------------------------------------------------------------------------


def test_csv_and_json_exports_honour_the_filters(client, world, create_output, create_theme):
    other = create_theme("Leesmotivatie", slug="leesmotivatie")
    _publish(create_output, world, title="=SUM(A1) rekenen", organisation_ids=[world.school.id])
    _publish(create_output, world, title="Boeken kiezen", themes=[other])

    response = client.get("/kennisbank/export.csv?thema=formatief-evalueren")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="kennisbank.csv"'
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["'=SUM(A1) rekenen"]  # no formula for Excel
    assert rows[0]["organisations"] == "Het Amsterdams Lyceum"
    assert rows[0]["themes"] == "Formatief evalueren"
    assert rows[0]["licence"] == "CC BY 4.0"

    exported = client.get("/kennisbank/export.json?thema=leesmotivatie")
    assert exported.headers["Content-Disposition"].startswith("attachment")
    body = exported.get_json()
    assert body["count"] == 1 and body["truncated"] is False and body["limit"] == 5000
    assert body["outputs"][0]["title"] == "Boeken kiezen"
    assert body["outputs"][0]["url"].startswith("https://leernetwerk.example.org/kennisbank/")
    assert body["filters"] == {"thema": "leesmotivatie"}


def test_exports_stop_at_the_limit_and_say_so(client, world, create_output, monkeypatch):
    from plc.knowledge import public

    monkeypatch.setattr(public, "EXPORT_LIMIT", 2)
    for n in range(3):
        _publish(create_output, world, title=f"Opbrengst {n}")
    body = client.get("/kennisbank/export.json").get_json()
    assert body["count"] == 2 and body["truncated"] is True
    response = client.get("/kennisbank/export.csv")
    assert "X-Export-Truncated" in response.headers
    assert len(response.data.decode("utf-8-sig").strip().splitlines()) == 3  # header + 2


# -- panels on other pages ---------------------------------------------------------------------


def test_newest_outputs_on_the_start_community_and_organisation_pages(
    app, client, world, create_output, create_community, login_client
):
    output = _publish(
        create_output,
        world,
        title="Exit tickets in de rekenles",
        organisation_ids=[world.school.id],
    )
    hidden = create_output(community=create_community(visibility=Visibility.INVITE), title="Geheim")
    link = f'href="/kennisbank/{output.slug}"'
    home = f"/gemeenschappen/{world.community.slug}"
    for path in ("/", home, "/organisaties/het-amsterdams-lyceum"):
        html = client.get(path).get_data(as_text=True)
        assert link in html, path
        assert "Geheim" not in html, path
    assert link in login_client(world.author).get("/").get_data(as_text=True)
    assert hidden.slug not in client.get("/").get_data(as_text=True)
    community_home = client.get(home).get_data(as_text=True)
    assert f'href="/kennisbank?gemeenschap={world.community.slug}"' in community_home
    if "knowledge.index" in app.view_functions:  # the community's own knowledge page
        member_home = login_client(world.author).get(home).get_data(as_text=True)
        assert f'href="/gemeenschappen/{world.community.slug}/kennis"' in member_home
    nav = client.get("/kennisbank").get_data(as_text=True)
    assert 'aria-current="page" href="/kennisbank"' in nav


# -- statements per page -----------------------------------------------------------------------


def test_statement_counts_do_not_grow_with_the_number_of_outputs(
    client, world, create_output, count_queries, create_organisation, give_role, create_theme
):
    themes = [world.theme, create_theme("Leesmotivatie")]

    def add(n: int) -> KnowledgeOutput:
        output = None
        for _ in range(n):
            output = _publish(
                create_output,
                world,
                themes=themes,
                author_ids=[world.author.id, world.second.id],
                organisation_ids=[world.school.id],
                school_types=[SchoolType.PRIMARY, SchoolType.SECONDARY],
            )
        return output  # type: ignore[return-value]

    def measure(path: str) -> int:
        with count_queries() as counted:
            assert client.get(path, headers=BROWSER).status_code == 200
        return counted.count

    small_output = add(3)
    small_path = f"/kennisbank/{small_output.slug}"
    small = [measure("/kennisbank"), measure("/kennisbank?q=opbrengst&thema=formatief-evalueren")]
    small_page = measure(small_path)
    large_output = add(27)
    _revise(large_output, world, "Herzien", "Nieuwe voorbeelden.")
    _revise(large_output, world, "Nog eens herzien", "Meer voorbeelden.")
    large_path = f"/kennisbank/{large_output.slug}"
    large = [measure("/kennisbank"), measure("/kennisbank?q=opbrengst&thema=formatief-evalueren")]
    assert small == large
    assert max(large) <= 10
    assert measure(large_path) == small_page
    assert small_page <= 10


def test_the_logged_in_page_does_not_grow_with_the_schools_that_use_it(
    world,
    speakers,
    create_output,
    login_client,
    count_queries,
    create_user,
    create_organisation,
    give_role,
):
    output = _publish(create_output, world)
    path = f"/kennisbank/{output.slug}"
    member = login_client(world.second)
    login_client(speakers.leader).submit(f"{path}/gebruik", {"school": world.school.id})

    def measure() -> int:
        with count_queries() as counted:
            assert member.get(path).status_code == 200
        return counted.count

    one = measure()
    for n in range(6):
        leader, school = create_user(), create_organisation(name=f"School {n}")
        give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
        services.mark_used(output, school, leader, f"Notitie {n}")
        db.session.commit()
    assert measure() == one
    assert one <= 12  # the anonymous page's 7, plus who is logged in and what they may see
