"""The public JSON API: what each endpoint answers, its errors, headers and statement counts."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

from plc.extensions import db

BASE = "https://leernetwerk.example.org"
PROBLEM = "application/problem+json"


def slugs(response: Any) -> list[str]:
    return slugs_of(response.get_json())


def slugs_of(body: dict[str, Any]) -> list[str]:
    return [item["slug"] for item in body["items"]]


# -- knowledge outputs -------------------------------------------------------------------------


def test_outputs_lists_published_outputs_of_visible_communities_only(client, api_data):
    response = client.get("/api/v1/outputs")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    found = slugs(response)
    assert set(found) == {api_data.revised.slug, api_data.practice.slug, api_data.guideline.slug}
    assert found[-1] == api_data.practice.slug  # newest first; this one is from 2025
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 20, 3, 1)


def test_output_list_item_carries_metadata_but_no_email(client, api_data):
    item = next(
        i
        for i in client.get("/api/v1/outputs").get_json()["items"]
        if i["slug"] == api_data.revised.slug
    )

    assert item["type"] == "teaching_material"
    assert item["school_types"] == ["vo"]
    assert item["career_stages"] == ["starter"]
    assert item["domains"] == ["pedagogy"]
    assert item["authors"] == [{"name": "Fatima El Amrani"}]
    assert item["organisations"][0]["slug"] == "barlaeus-gymnasium"
    assert item["community"]["slug"] == api_data.public.slug
    assert item["licence"]["code"] == "cc-by-sa-4.0"
    assert item["licence"]["url"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert item["version"] == 2
    assert item["html_url"] == f"{BASE}/kennisbank/{api_data.revised.slug}"
    assert item["api_url"] == f"{BASE}/api/v1/outputs/{api_data.revised.slug}"
    assert "@" not in str(item)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=guideline", {"guideline"}),
        ("school_type=vo", {"revised"}),
        ("career_stage=starter", {"revised"}),
        ("domain=pedagogy", {"revised"}),
        ("organisation=barlaeus-gymnasium", {"revised"}),
        ("year=2025", {"practice"}),
        ("q=brugklas", {"revised"}),
    ],
)
def test_output_filters(client, api_data, query, expected):
    response = client.get(f"/api/v1/outputs?{query}")

    assert response.status_code == 200
    assert set(slugs(response)) == {getattr(api_data, name).slug for name in expected}


def test_output_filters_by_theme_and_community_slug(client, api_data):
    by_theme = client.get(f"/api/v1/outputs?theme={api_data.themes[1].slug}")
    by_community = client.get(f"/api/v1/outputs?community={api_data.on_request.slug}")

    assert set(slugs(by_theme)) == {api_data.revised.slug, api_data.guideline.slug}
    assert slugs(by_community) == [api_data.guideline.slug]


@pytest.mark.parametrize("name", ["theme", "community", "organisation"])
def test_unknown_slug_as_filter_gives_an_empty_list(client, api_data, name):
    response = client.get(f"/api/v1/outputs?{name}=bestaat-niet")

    assert response.status_code == 200
    assert response.get_json()["items"] == []
    assert response.get_json()["total"] == 0


def test_hidden_community_outputs_are_not_reachable_by_filter(client, api_data):
    response = client.get(f"/api/v1/outputs?community={api_data.invite_only.slug}")

    assert response.get_json()["items"] == []


def test_output_detail(client, api_data):
    response = client.get(f"/api/v1/outputs/{api_data.revised.slug}")

    assert response.status_code == 200
    body = response.get_json()
    assert body["title"] == "Exit tickets in de brugklas"
    assert "Met een voorbeeld uit de praktijk." in body["body"]
    assert "<h3>Aanpak</h3>" in body["body_html"]
    assert [(v["number"], v["current"]) for v in body["versions"]] == [(2, True), (1, False)]
    assert body["versions"][0]["change_note"] == "Voorbeeld toegevoegd."
    attachment = body["attachments"][0]
    assert attachment["filename"] == "exit-ticket.pdf"
    assert attachment["download_url"] == (
        f"{BASE}/kennisbank/{api_data.revised.slug}/bijlagen/{attachment['id']}"
    )
    assert body["counts"] == {"views": 0, "downloads": 0, "uses": 0}
    assert "Fatima El Amrani" in body["citation"]
    assert "2" in body["citation"]
    assert body["citation"].endswith(body["html_url"])
    assert "fatima@example.org" not in response.get_data(as_text=True)


def test_output_detail_is_the_same_in_every_interface_language(client, api_data):
    """Public caches keep answers, so the language cookie must not change them."""
    dutch = client.get(f"/api/v1/outputs/{api_data.revised.slug}").get_json()
    client.set_cookie("plc_lang", "en")
    english = client.get(f"/api/v1/outputs/{api_data.revised.slug}").get_json()

    assert english == dutch


def test_output_detail_does_not_count_a_view(client, api_data):
    client.get(f"/api/v1/outputs/{api_data.practice.slug}")

    db.session.refresh(api_data.practice)
    assert api_data.practice.view_count == 0


def test_withdrawn_output_answers_410_with_reason(client, api_data):
    response = client.get(f"/api/v1/outputs/{api_data.withdrawn.slug}")

    assert response.status_code == 410
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == 410
    assert body["type"] == "about:blank"
    assert body["title"] == "Gone"
    assert body["withdrawn_reason"] == "Verouderd: vervangen door de richtlijn."
    assert body["withdrawn_at"].startswith(str(api_data.withdrawn.withdrawn_at.year))
    assert api_data.withdrawn.slug not in slugs(client.get("/api/v1/outputs"))


def test_drafts_outputs_in_review_and_hidden_outputs_answer_404(client, api_data):
    # Slugs are only given at publication; give them one anyway, to be sure the status decides.
    api_data.draft.slug = "een-concept"
    api_data.in_review.slug = "in-beoordeling"
    db.session.commit()

    for slug in ("een-concept", "in-beoordeling", api_data.hidden_output.slug, "bestaat-niet"):
        response = client.get(f"/api/v1/outputs/{slug}")
        assert response.status_code == 404, slug
        assert response.mimetype == PROBLEM
        assert response.get_json()["status"] == 404


# -- pagination --------------------------------------------------------------------------------


def test_pagination_body_and_link_header(client, api_data):
    response = client.get("/api/v1/outputs?per_page=1&page=2")

    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (2, 1, 3, 3)
    links = body["links"]
    assert links["self"] == f"{BASE}/api/v1/outputs?page=2&per_page=1"
    assert links["next"] == f"{BASE}/api/v1/outputs?page=3&per_page=1"
    assert links["prev"] == f"{BASE}/api/v1/outputs?page=1&per_page=1"
    assert links["last"] == f"{BASE}/api/v1/outputs?page=3&per_page=1"
    assert f'<{links["next"]}>; rel="next"' in response.headers["Link"]


def test_links_keep_the_filters(client, api_data):
    body = client.get("/api/v1/outputs?type=guideline&q=taal").get_json()

    assert (
        body["links"]["self"] == f"{BASE}/api/v1/outputs?q=taal&type=guideline&page=1&per_page=20"
    )
    assert body["links"]["next"] is None
    assert body["links"]["prev"] is None


def test_page_past_the_end_is_empty(client, api_data):
    response = client.get("/api/v1/outputs?page=50")

    assert response.status_code == 200
    body = response.get_json()
    assert body["items"] == []
    assert body["total"] == 3
    assert body["links"]["prev"] == f"{BASE}/api/v1/outputs?page=1&per_page=20"


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("type=poster", "type"),
        ("page=twee", "page"),
        ("page=0", "page"),
        ("per_page=101", "per_page"),
        ("year=abc", "year"),
        ("q=a%00b", "q"),
        ("school_type=havo", "school_type"),
    ],
)
def test_bad_filter_values_answer_422_problem(client, api_data, query, field):
    response = client.get(f"/api/v1/outputs?{query}")

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == 422
    assert body["type"] == "about:blank"
    assert body["title"]
    assert field in body["detail"]
    assert list(body["errors"]) == [field]
    assert all(isinstance(message, str) for message in body["errors"][field])


def test_unknown_api_path_and_wrong_method_answer_problem_json(client):
    unknown = client.get("/api/v1/bestaat-niet")
    post = client.post("/api/v1/outputs")

    assert (unknown.status_code, unknown.mimetype) == (404, PROBLEM)
    assert (post.status_code, post.mimetype) == (405, PROBLEM)
    assert set(post.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_html_error_pages_stay_html(client):
    response = client.get("/bestaat-niet")

    assert response.status_code == 404
    assert response.mimetype == "text/html"


# -- communities, themes, organisations --------------------------------------------------------


def test_communities_lists_those_visible_to_anonymous_visitors(client, api_data):
    response = client.get("/api/v1/communities")

    assert response.status_code == 200
    assert set(slugs(response)) == {api_data.public.slug, api_data.on_request.slug}


def test_community_filters(client, api_data):
    cross = client.get("/api/v1/communities?cross_school=true")
    by_theme = client.get(f"/api/v1/communities?theme={api_data.themes[0].slug}")
    by_organisation = client.get("/api/v1/communities?organisation=barlaeus-gymnasium")
    unknown = client.get("/api/v1/communities?organisation=bestaat-niet")

    assert slugs(cross) == [api_data.public.slug]
    assert slugs(by_theme) == [api_data.public.slug]
    assert slugs(by_organisation) == [api_data.public.slug]
    assert slugs(unknown) == []


def test_community_detail(client, api_data):
    response = client.get(f"/api/v1/communities/{api_data.public.slug}")

    body = response.get_json()
    assert response.status_code == 200
    assert body["cross_school"] is True
    assert {o["slug"] for o in body["owners"]} == {api_data.school.slug, api_data.academy.slug}
    assert body["themes"][0]["name_nl"] == "Formatief evalueren"
    assert body["outputs_url"] == f"{BASE}/api/v1/outputs?community={api_data.public.slug}"


def test_invite_only_community_does_not_exist(client, api_data):
    response = client.get(f"/api/v1/communities/{api_data.invite_only.slug}")

    assert response.status_code == 404
    assert response.mimetype == PROBLEM


def test_themes_lists_active_themes_in_both_languages(client, api_data):
    body = client.get("/api/v1/themes?per_page=100").get_json()

    assert body["items"][0] == {
        "slug": "formatief-evalueren",
        "name_nl": "Formatief evalueren",
        "name_en": "Theme 1",
    }
    assert "taalgericht-vakonderwijs" in slugs_of(body)
    assert api_data.hidden_theme.slug not in slugs_of(body)
    assert body["total"] == len(body["items"])


def test_organisations_list_and_filters(client, api_data):
    everything = client.get("/api/v1/organisations?per_page=100")
    schools = client.get("/api/v1/organisations?kind=school&q=barlaeus")
    by_code = client.get("/api/v1/organisations?q=20AB00")

    assert everything.get_json()["total"] >= 4
    assert slugs(schools) == ["barlaeus-gymnasium"]
    assert slugs(by_code) == ["barlaeus-gymnasium"]
    item = schools.get_json()["items"][0]
    assert (item["instellingscode"], item["vestigingscode"]) == ("20AB", "20AB00")
    assert item["website"] == "https://example.org/barlaeus"


def test_organisation_detail(client, api_data):
    response = client.get("/api/v1/organisations/barlaeus-gymnasium")

    body = response.get_json()
    assert body["kind"] == "school"
    assert body["parent"]["slug"] == api_data.board.slug
    assert body["outputs_url"] == f"{BASE}/api/v1/outputs?organisation=barlaeus-gymnasium"
    board = client.get(f"/api/v1/organisations/{api_data.board.slug}").get_json()
    assert board["bevoegd_gezag_nummer"] == "41234"
    assert board["parent"] is None
    assert client.get("/api/v1/organisations/bestaat-niet").status_code == 404


def test_sessions_lists_upcoming_sessions_open_to_every_teacher(client, api_data):
    response = client.get("/api/v1/sessions")

    assert response.status_code == 200
    items = response.get_json()["items"]
    wanted = [api_data.sessions["on_request"], api_data.sessions["open"]]  # soonest first
    assert [item["id"] for item in items] == [session.id for session in wanted]
    item = items[1]
    assert item["community"]["slug"] == api_data.public.slug
    assert (item["mode"], item["location"], item["capacity"]) == (
        "hybrid",
        "Barlaeus, lokaal 12",
        20,
    )
    assert item["ics_url"].endswith(f"/sessies/{item['id']}.ics")
    assert "meet.example.org" not in response.get_data(
        as_text=True
    )  # the call link is for participants


def test_sessions_filter_by_community(client, api_data):
    body = client.get(f"/api/v1/sessions?community={api_data.public.slug}").get_json()
    hidden = client.get(f"/api/v1/sessions?community={api_data.invite_only.slug}").get_json()

    assert [item["id"] for item in body["items"]] == [api_data.sessions["open"].id]
    assert hidden["items"] == []


# -- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/outputs", "/api/v1/themes", "/api/v1/communities", "/api/openapi.json"]
)
def test_cors_and_cache_headers(client, api_data, path):
    response = client.get(path, headers={"Origin": "https://intranet.school.example"})

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_errors_are_readable_cross_origin_but_not_cached(client, api_data):
    response = client.get("/api/v1/outputs?per_page=1000")

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "no-store"


def test_answers_are_the_same_when_logged_in(client, login_client, api_data):
    """Public caches keep answers, so a login must not change them."""
    member = login_client(api_data.author)

    assert (
        member.get("/api/v1/communities").get_json() == client.get("/api/v1/communities").get_json()
    )


def test_html_pages_get_no_cors_header(client):
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


# -- statement counts --------------------------------------------------------------------------


def _statements_for_list(count_queries, client, path: str) -> int:
    with count_queries() as counted:
        response = client.get(path)
    assert response.status_code == 200
    return counted.count


def test_output_list_statements_do_not_grow_with_items(
    client, count_queries, create_community, create_output, create_theme, create_user, add_member
):
    community = create_community()
    theme = create_theme()
    author, reviewer = create_user(), create_user()
    add_member(community, author)
    from plc.communities.models import MemberRole

    add_member(community, reviewer, MemberRole.FACILITATOR)

    def publish(n: int) -> None:
        for _ in range(n):
            create_output(community, author=author, reviewer=reviewer, themes=[theme])

    publish(3)
    few = _statements_for_list(count_queries, client, "/api/v1/outputs?per_page=100")
    publish(27)
    many = _statements_for_list(count_queries, client, "/api/v1/outputs?per_page=100")

    assert len(client.get("/api/v1/outputs?per_page=100").get_json()["items"]) == 30
    assert many == few
    assert many <= 12


def test_community_list_statements_do_not_grow_with_items(client, count_queries, create_community):
    for _ in range(3):
        create_community()
    few = _statements_for_list(count_queries, client, "/api/v1/communities?per_page=100")
    for _ in range(27):
        create_community()
    many = _statements_for_list(count_queries, client, "/api/v1/communities?per_page=100")

    assert many == few


# -- the document ------------------------------------------------------------------------------


def test_openapi_document_is_valid_and_covers_every_endpoint(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/outputs",
        "/api/v1/outputs/{slug}",
        "/api/v1/communities",
        "/api/v1/communities/{slug}",
        "/api/v1/themes",
        "/api/v1/organisations",
        "/api/v1/organisations/{slug}",
        "/api/v1/sessions",
        "/api/v1/offerings",
        "/api/v1/offerings/{slug}",
        "/api/v1/pilots",
        "/api/v1/pilots/{slug}",
    }
    problem = document["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]
    assert list(problem) == [PROBLEM]


def test_docs_page_is_rendered_from_the_document(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/api/v1/outputs/{slug}" in page
    assert "per_page" in page
    assert 'href="/api/openapi.json"' in page
    assert "<script>" not in page  # the CSP forbids inline script
