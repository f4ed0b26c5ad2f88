"""The library pages: uploads and their refusals, downloads and their headers, versions, links,
removal, search, the community home panel, and a fixed number of statements per page."""

from __future__ import annotations

import io
import os
import re
import threading

import pytest
import sqlalchemy as sa

from plc.communities import services as communities
from plc.communities.models import MemberRole, Visibility
from plc.extensions import db
from plc.resources import services
from plc.resources.models import Licence, Resource, ResourceKind, ResourceVersion
from tests.conftest import PlcClient
from tests.resources.conftest import HTML, PDF, PNG, SVG_WITH_SCRIPT, stored_files

SANDBOX = "sandbox; default-src 'none'"


@pytest.fixture
def team(create_user, create_community, add_member):
    """An invite-only community with an owner, a facilitator and a member."""
    owner = create_user(display_name="Joost Visser")
    community = create_community(owner=owner, visibility=Visibility.INVITE, name="Lesson study")
    member = create_user(display_name="Noor Bakker")
    add_member(community, member)
    facilitator = create_user(display_name="Fleur Jansen")
    add_member(community, facilitator, MemberRole.FACILITATOR)
    return community, owner, member, facilitator


def _base(community) -> str:
    return f"/gemeenschappen/{community.slug}/materiaal"


def _fetch(client, path):
    """Status, body and headers of a response, closed afterwards (downloads stream a file)."""
    with client.get(path) as response:
        return response.status_code, response.data, response.headers


def _resources() -> list[Resource]:
    return list(db.session.scalars(sa.select(Resource).order_by(Resource.id)))


def _add_file(community, user, content=PDF, filename="lesplan.pdf", title="Lesplan", **fields):
    resource = services.add_file(
        communities.access_for(community, user),
        user,
        services.ResourceFields(title=title, **fields),
        io.BytesIO(content),
        filename,
    )
    db.session.commit()
    return resource


# -- uploading ---------------------------------------------------------------------------------


def test_member_uploads_a_file_and_downloads_exactly_those_bytes(
    team, login_client, client, create_user, upload, upload_folder
):
    community, _owner, member, _facilitator = team
    browser = login_client(member)
    response = upload(
        browser,
        community.slug,
        "Differentiëren in groep 5.pdf",
        PDF,
        title="Differentiëren: een lesplan",
        description="Met **drie** niveaus.\n\n<script>alert(1)</script>",
        licence="cc-by-sa-4.0",
    )
    assert response.status_code == 302
    (resource,) = _resources()
    assert response.location == f"{_base(community)}/{resource.id}"
    assert resource.kind == ResourceKind.FILE and resource.licence == Licence.CC_BY_SA
    assert "<strong>drie</strong>" in resource.description_html
    assert "<script>" not in resource.description_html
    (version,) = resource.versions
    assert version.filename == "Differentiëren in groep 5.pdf"
    assert version.content_type == "application/pdf" and version.size == len(PDF)
    # Stored under a generated name, outside static/, with nothing else left in the folder.
    assert stored_files(upload_folder) == [upload_folder / version.storage_key]
    assert version.storage_key not in version.filename

    status, body, headers = _fetch(browser, f"{_base(community)}/{resource.id}/download")
    assert status == 200 and body == PDF
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == (
        'attachment; filename="Differentieren in groep 5.pdf"; '
        "filename*=UTF-8''Differenti%C3%ABren%20in%20groep%205.pdf"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == SANDBOX
    assert headers["Cache-Control"] == "private"

    # Outsiders and anonymous visitors get a 404, for the file and for the page.
    outsider = login_client(create_user())
    for who in (outsider, client):
        for path in (f"{_base(community)}/{resource.id}/download", f"{_base(community)}"):
            status, body, _ = _fetch(who, path)
            assert status == 404 and PDF not in body


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("lesplan.pdf", PNG, "the name ends in .pdf, but the file is a PNG image"),
        ("lesplan.pdf", HTML, "HTML and SVG files cannot be shared here"),
        ("tekening.svg", SVG_WITH_SCRIPT, "HTML and SVG files cannot be shared here"),
        ("tekening.png", SVG_WITH_SCRIPT, "HTML and SVG files cannot be shared here"),
        ("pagina.html", HTML, "HTML and SVG files cannot be shared here"),
        ("programma.exe", b"MZ\x90\x00", "Files of this type (.exe) cannot be shared here"),
    ],
)
def test_refused_uploads_store_nothing_and_keep_the_form(
    team, login_client, upload, upload_folder, filename, content, message
):
    community, _owner, member, _facilitator = team
    browser = login_client(member)
    response = upload(
        browser, community.slug, filename, content, title="Mijn lesplan", licence="cc0-1.0"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page.replace("&#39;", "'")
    assert 'value="Mijn lesplan"' in page
    assert re.search(r'value="cc0-1.0"[^>]*checked|checked[^>]*value="cc0-1.0"', page)
    assert _resources() == []
    assert stored_files(upload_folder) == []


def test_oversized_upload_is_refused_before_reading_it(
    app, team, login_client, upload, upload_folder
):
    community, _owner, member, _facilitator = team
    browser = login_client(member)
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = upload(browser, community.slug, "groot.pdf", PDF + b"%" * 8192)
    assert response.status_code == 413
    assert _resources() == []
    assert stored_files(upload_folder) == []


def test_a_failed_write_stores_nothing_and_says_so(
    team, login_client, upload, upload_folder, monkeypatch
):
    community, _owner, member, _facilitator = team
    browser = login_client(member)

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    response = upload(browser, community.slug, "lesplan.pdf", PDF, title="Mijn lesplan")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The file could not be stored, so nothing was saved." in page
    assert 'value="Mijn lesplan"' in page
    assert _resources() == []
    assert stored_files(upload_folder) == []


def test_an_upload_folder_that_cannot_be_written_stores_nothing(
    app, team, login_client, upload, tmp_path
):
    community, _owner, member, _facilitator = team
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    app.config["UPLOAD_FOLDER"] = str(blocker / "uploads")
    response = upload(login_client(member), community.slug, "lesplan.pdf", PDF)
    assert response.status_code == 400
    assert "The file could not be stored" in response.get_data(as_text=True)
    assert _resources() == []
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]


def test_a_file_is_required_for_a_file(team, login_client, upload):
    community, _owner, member, _facilitator = team
    response = login_client(member).submit(
        f"{_base(community)}/nieuw",
        {"kind": "file", "title": "Zonder bestand", "licence": "cc-by-4.0"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Choose a file to upload." in response.get_data(as_text=True)
    assert _resources() == []


def test_a_repeated_submission_adds_the_resource_once(team, login_client, upload):
    community, _owner, member, _facilitator = team
    browser = login_client(member)
    first = upload(browser, community.slug, "lesplan.pdf", PDF)
    again = upload(browser, community.slug, "lesplan.pdf", PDF)
    assert first.status_code == again.status_code == 302
    assert first.location == again.location
    assert len(_resources()) == 1


# -- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "ftp://ftp.example.org/lesplan.pdf",
        "data:text/html,<script>alert(1)</script>",
        "https://",
        "www.nro.nl",
        "https://gebruiker:geheim@example.org/",
        "https://example.org/met spatie",
    ],
)
def test_links_must_be_http_or_https(team, login_client, url):
    community, _owner, member, _facilitator = team
    response = login_client(member).submit(
        f"{_base(community)}/nieuw",
        {
            "kind": "link",
            "url": url,
            "title": "Een link",
            "description": "Wat je er vindt.",
            "licence": "all-rights-reserved",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "https://" in page and 'aria-invalid="true"' in page
    assert 'value="Een link"' in page and "Wat je er vindt." in page
    assert _resources() == []


def test_a_link_is_shared_and_its_visits_counted(team, login_client):
    community, _owner, member, _facilitator = team
    browser = login_client(member)
    response = browser.submit(
        f"{_base(community)}/nieuw",
        {
            "kind": "link",
            "url": "https://www.nro.nl/kennisrotonde?q=lezen",
            "title": "Kennisrotonde",
            "licence": "all-rights-reserved",
        },
    )
    assert response.status_code == 302
    (resource,) = _resources()
    assert resource.kind == ResourceKind.LINK and resource.versions == []
    visit = browser.get(f"{_base(community)}/{resource.id}/download")
    assert visit.status_code == 302
    assert visit.location == "https://www.nro.nl/kennisrotonde?q=lezen"
    db.session.refresh(resource)
    assert resource.download_count == 1
    page = browser.get(f"{_base(community)}/{resource.id}").get_data(as_text=True)
    assert "https://www.nro.nl/kennisrotonde?q=lezen" in page


# -- versions ----------------------------------------------------------------------------------


def test_a_new_version_keeps_the_old_one(team, login_client, upload_folder):
    community, _owner, member, facilitator = team
    resource = _add_file(community, member, PDF, "lesplan.pdf")
    second = PDF.replace(b"Wat heb je vandaag geleerd?", b"Wat ga je morgen anders doen?")
    response = login_client(facilitator).submit(
        f"{_base(community)}/{resource.id}/versie",
        {"file": (io.BytesIO(second), "lesplan-v2.pdf"), "note": "Nieuwe vraag"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302

    reader = login_client(member)
    assert _fetch(reader, f"{_base(community)}/{resource.id}/download")[1] == second
    assert _fetch(reader, f"{_base(community)}/{resource.id}/versies/2/download")[1] == second
    status, body, headers = _fetch(reader, f"{_base(community)}/{resource.id}/versies/1/download")
    assert status == 200 and body == PDF
    assert headers["Content-Security-Policy"] == SANDBOX
    assert headers["Content-Disposition"] == "attachment; filename=lesplan.pdf"
    assert len(stored_files(upload_folder)) == 2

    page = reader.get(f"{_base(community)}/{resource.id}").get_data(as_text=True)
    history = page[page.index('id="history-title"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", history, re.S)[1:]
    assert len(rows) == 2
    assert "Fleur Jansen" in rows[0] and "Nieuwe vraag" in rows[0] and "lesplan-v2.pdf" in rows[0]
    assert "Noor Bakker" in rows[1] and "lesplan.pdf" in rows[1]
    for row in rows:  # when: a date and a time
        assert re.search(r"\d{4}, \d{1,2}:\d{2}", row)  # when: date and time
    versions = db.session.scalars(sa.select(ResourceVersion).order_by(ResourceVersion.number)).all()
    assert [v.uploaded_by_id for v in versions] == [member.id, facilitator.id]
    assert versions[0].created_at <= versions[1].created_at


def test_the_same_file_again_is_not_a_new_version(team, login_client, upload_folder):
    community, _owner, member, _facilitator = team
    resource = _add_file(community, member)
    response = login_client(member).submit(
        f"{_base(community)}/{resource.id}/versie",
        {"file": (io.BytesIO(PDF), "lesplan.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "same as the current version" in response.get_data(as_text=True)
    assert len(stored_files(upload_folder)) == 1


def test_a_new_version_is_checked_like_the_first(team, login_client, upload_folder):
    community, _owner, member, _facilitator = team
    resource = _add_file(community, member)
    response = login_client(member).submit(
        f"{_base(community)}/{resource.id}/versie",
        {"file": (io.BytesIO(PNG), "lesplan.pdf"), "note": "Plaatje"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "the file is a PNG image" in page and 'value="Plaatje"' in page
    assert len(stored_files(upload_folder)) == 1
    assert db.session.scalar(sa.select(sa.func.count(ResourceVersion.id))) == 1


# -- downloads counted --------------------------------------------------------------------------


def test_concurrent_downloads_are_all_counted(app, create_user, create_community):
    owner = create_user()
    community = create_community(owner=owner)  # public: anonymous visitors download
    resource = _add_file(community, owner)
    path = f"{_base(community)}/{resource.id}/download"
    threads_count, per_thread = 8, 5
    problems: list[str] = []
    start = threading.Barrier(threads_count)

    def work() -> None:
        browser = app.test_client()
        start.wait()
        for _ in range(per_thread):
            with browser.get(path) as response:
                if response.status_code != 200 or response.data != PDF:
                    problems.append(f"{response.status_code}")

    app.test_client_class = PlcClient
    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    db.session.commit()  # end the test's own read snapshot, which began before the downloads
    counted = db.session.scalar(
        sa.select(Resource.download_count).where(Resource.id == resource.id)
    )
    assert counted == threads_count * per_thread


def test_a_download_is_no_change_of_the_resource(team, login_client):
    community, _owner, member, _facilitator = team
    resource = _add_file(community, member)
    before = resource.updated_at
    browser = login_client(member)
    _fetch(browser, f"{_base(community)}/{resource.id}/download")
    with browser.head(f"{_base(community)}/{resource.id}/download") as response:
        assert response.status_code == 200  # a HEAD request is not a download
    db.session.refresh(resource)
    assert resource.download_count == 1 and resource.updated_at == before


# -- removal -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["uploader", "facilitator"])
def test_removal_by_the_uploader_or_a_facilitator(team, login_client, upload_folder, who):
    community, _owner, member, facilitator = team
    resource = _add_file(community, member)
    browser = login_client(member if who == "uploader" else facilitator)
    response = browser.submit(f"{_base(community)}/{resource.id}/verwijderen")
    assert response.status_code == 302 and response.location == _base(community)
    assert browser.get(f"{_base(community)}/{resource.id}").status_code == 404
    assert _fetch(browser, f"{_base(community)}/{resource.id}/download")[0] == 404
    assert "Lesplan" not in browser.get(_base(community)).get_data(as_text=True)
    db.session.refresh(resource)
    assert resource.deleted_at is not None  # soft: the row and the file stay for an admin
    assert len(stored_files(upload_folder)) == 1


def test_removal_needs_a_csrf_token(team, login_client):
    community, _owner, member, _facilitator = team
    resource = _add_file(community, member)
    response = login_client(member).post(f"{_base(community)}/{resource.id}/verwijderen")
    assert response.status_code == 400
    db.session.refresh(resource)
    assert resource.deleted_at is None


# -- library, search, home -----------------------------------------------------------------------


def test_search_within_the_library(team, login_client):
    community, _owner, member, _facilitator = team
    _add_file(community, member, title="Exit tickets voor formatief evalueren")
    _add_file(
        community,
        member,
        PDF + b"\n% breuken",
        "breuken.pdf",
        title="Rekenles",
        description="Breuken vergelijken met stroken.",
    )
    browser = login_client(member)
    page = browser.get(f"{_base(community)}?q=breuk").get_data(as_text=True)
    assert "Rekenles" in page and "Exit tickets" not in page
    page = browser.get(f"{_base(community)}?q=formatief").get_data(as_text=True)
    assert "Exit tickets" in page and "Rekenles" not in page
    page = browser.get(f"{_base(community)}?q=onbekendwoord").get_data(as_text=True)
    assert "Nothing matches" in page


def test_search_finds_only_the_communitys_own_resources(
    team, login_client, create_community, create_user
):
    community, _owner, member, _facilitator = team
    other_owner = create_user()
    other = create_community(owner=other_owner, visibility=Visibility.INVITE)
    _add_file(other, other_owner, title="Geheim draaiboek")
    _add_file(community, member, PDF + b"\n% 2", "b.pdf", title="Open draaiboek")
    page = login_client(member).get(f"{_base(community)}?q=draaiboek").get_data(as_text=True)
    assert "Open draaiboek" in page and "Geheim draaiboek" not in page


def test_library_filters_by_theme_and_school_type(team, login_client):
    from plc.auth.models import SchoolType
    from plc.themes.services import create_theme

    community, _owner, member, _facilitator = team
    theme = create_theme("Rekenen", "Numeracy", "rekenen-test")
    db.session.commit()
    _add_file(community, member, title="Breuken", theme_ids=[theme.id])
    _add_file(
        community, member, PDF + b"%x", "b.pdf", title="Kleuters", school_type=SchoolType.PRIMARY
    )
    browser = login_client(member)
    page = browser.get(f"{_base(community)}?thema=rekenen-test").get_data(as_text=True)
    assert "Breuken" in page and "Kleuters" not in page
    page = browser.get(f"{_base(community)}?schooltype=po").get_data(as_text=True)
    assert "Kleuters" in page and "Breuken" not in page


def test_library_statements_do_not_grow_with_the_number_of_resources(
    team, login_client, count_queries
):
    community, _owner, member, facilitator = team

    def add(count: int) -> None:
        start = len(_resources())
        for n in range(start, start + count):
            if n % 2:
                _add_file(
                    community, member, PDF + f"%{n}".encode(), f"{n}.pdf", title=f"Bestand {n}"
                )
            else:
                services.add_link(
                    communities.access_for(community, facilitator),
                    facilitator,
                    services.ResourceFields(title=f"Link {n}"),
                    f"https://example.org/{n}",
                )
        db.session.commit()

    browser = login_client(member)
    add(5)
    with count_queries() as small:
        assert browser.get(_base(community)).status_code == 200
    add(45)
    resource = _resources()[1]
    services.add_version(
        communities.access_for(community, member),
        resource,
        member,
        io.BytesIO(PDF + b"%v2"),
        "v2.pdf",
    )
    db.session.commit()
    with count_queries() as large:
        page = browser.get(_base(community)).get_data(as_text=True)
    assert page.count('class="card mb-3"') == 20
    assert small.count == large.count
    assert large.count <= 10
    with count_queries() as searched:
        assert browser.get(f"{_base(community)}?q=bestand&page=2").status_code == 200
    assert searched.count == large.count
    with count_queries() as detail:
        assert browser.get(f"{_base(community)}/{resource.id}").status_code == 200
    assert detail.count <= 10


def test_community_home_shows_the_newest_resources(team, login_client, client, create_user):
    community, _owner, member, _facilitator = team
    for n in range(7):
        _add_file(community, member, PDF + f"%{n}".encode(), f"{n}.pdf", title=f"Materiaal {n}")
    page = login_client(member).get(f"/gemeenschappen/{community.slug}").get_data(as_text=True)
    panel = page[page.index('id="resources-panel-title"') :]
    titles = re.findall(r"Materiaal \d", panel)
    assert titles == [f"Materiaal {n}" for n in (6, 5, 4, 3, 2)]
    assert f'href="{_base(community)}"' in panel
    assert f'href="{_base(community)}/nieuw"' in panel
    # Readers who are not members see the panel without the button; others see nothing.
    public_page = client.get(f"/gemeenschappen/{community.slug}")
    assert public_page.status_code == 404


def test_home_panel_statements_do_not_grow(team, login_client, count_queries):
    community, _owner, member, _facilitator = team
    browser = login_client(member)
    path = f"/gemeenschappen/{community.slug}"

    def measure() -> int:
        with count_queries() as counted:
            assert browser.get(path).status_code == 200
        return counted.count

    empty = measure()
    for n in range(8):
        _add_file(community, member, PDF + f"%{n}".encode(), f"{n}.pdf", title=f"Materiaal {n}")
    assert measure() == empty


def test_home_panel_only_for_readers(create_user, create_community, login_client):
    owner = create_user()
    community = create_community(owner=owner, visibility=Visibility.REQUEST)
    _add_file(community, owner, title="Alleen voor leden")
    outsider_page = login_client(create_user()).get(f"/gemeenschappen/{community.slug}")
    assert outsider_page.status_code == 200
    text = outsider_page.get_data(as_text=True)
    assert "Alleen voor leden" not in text and "resources-panel-title" not in text
    public = create_community(owner=owner)
    _add_file(public, owner, title="Voor iedereen")
    text = login_client(create_user()).get(f"/gemeenschappen/{public.slug}").get_data(as_text=True)
    assert "Voor iedereen" in text and f"{_base(public)}/nieuw" not in text
