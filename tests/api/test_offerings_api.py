"""The offerings in the JSON API: the catalogue's list and filters, one offering, what stays out
(drafts), bad filters, and statement counts."""

from __future__ import annotations

import pytest

from plc.live.services import AMSTERDAM
from tests.api.test_api import PROBLEM, slugs


def test_offerings_lists_upcoming_published_offerings(client, api_data):
    response = client.get("/api/v1/offerings")

    assert response.status_code == 200
    offerings = api_data.offerings
    # Soonest first; drafts, cancelled and past offerings are not listed.
    assert slugs(response) == [offerings["open"].slug, offerings["paid"].slug]


def test_offering_list_item(client, api_data):
    item = client.get("/api/v1/offerings").get_json()["items"][1]

    paid = api_data.offerings["paid"]
    assert item["title"] == paid.title
    assert item["format"] == "masterclass"
    assert item["scope"] == "own_board"
    assert item["cost"] == {
        "kind": "school_pays",
        "amount_cents": 25000,
        "needs_leader_approval": True,
    }
    assert item["provider"]["slug"] == api_data.academy.slug
    assert item["html_url"].endswith(f"/aanbod/{paid.slug}")
    assert item["ics_url"].endswith(f"/aanbod/{paid.slug}.ics")
    assert "description" not in item and "meetings" not in item


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("format=course", ["open"]),
        ("career_stage=starter", ["open", "paid"]),  # naming no stage is for everyone
        ("career_stage=expert", ["paid"]),
        ("school_type=vo", ["open", "paid"]),
        ("school_type=po", ["paid"]),
        ("cost=free", ["open"]),
        ("cost=paid", ["paid"]),
        ("open_to_all=true", ["open"]),
        ("q=taalgericht", ["paid"]),
        ("provider=bestaat-niet", []),
        ("theme=bestaat-niet", []),
    ],
)
def test_offering_filters(client, api_data, query, expected):
    response = client.get(f"/api/v1/offerings?{query}")
    assert response.status_code == 200
    assert slugs(response) == [api_data.offerings[name].slug for name in expected]


def test_offering_filters_by_theme_provider_and_dates(client, api_data):
    offerings = api_data.offerings
    theme = api_data.themes[1].slug
    assert slugs(client.get(f"/api/v1/offerings?theme={theme}")) == [offerings["paid"].slug]
    by_provider = client.get(f"/api/v1/offerings?provider={api_data.academy.slug}")
    assert len(slugs(by_provider)) == 2
    paid_day = offerings["paid"].starts_at.astimezone(AMSTERDAM).date()
    after = client.get(f"/api/v1/offerings?from={paid_day.isoformat()}")
    assert slugs(after) == [offerings["paid"].slug]
    assert "from=" in after.get_json()["links"]["self"]


def test_offering_detail(client, api_data):
    offering = api_data.offerings["open"]
    response = client.get(f"/api/v1/offerings/{offering.slug}")

    assert response.status_code == 200
    body = response.get_json()
    assert body["description_html"].strip() == "<p><strong>Vier</strong> bijeenkomsten.</p>"
    assert [m["location"] for m in body["meetings"]] == ["", "Online"]
    assert body["places_left"] == 20 and body["contact_minutes"] == 240
    assert body["career_stages"] == ["starter"] and body["domains"] == ["pedagogy"]


def test_cancelled_offering_answers_with_its_status_and_drafts_do_not_exist(client, api_data):
    cancelled = client.get(f"/api/v1/offerings/{api_data.offerings['cancelled'].slug}")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    draft = client.get(f"/api/v1/offerings/{api_data.offerings['draft'].slug}")
    assert draft.status_code == 404 and draft.content_type == PROBLEM
    assert client.get("/api/v1/offerings/bestaat-niet").status_code == 404


def test_draft_stays_hidden_even_for_its_provider(login_client, api_data):
    draft = api_data.offerings["draft"]
    staff = login_client(draft.created_by)
    assert staff.get(f"/api/v1/offerings/{draft.slug}").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("format=lezing", "format"),
        ("cost=duur", "cost"),
        ("from=gisteren", "from"),
        ("until=1900-01-01", "until"),
        ("open_to_all=misschien", "open_to_all"),
        ("per_page=0", "per_page"),
    ],
)
def test_bad_offering_filters_answer_422(client, api_data, query, field):
    response = client.get(f"/api/v1/offerings?{query}")
    assert response.status_code == 422 and response.content_type == PROBLEM
    assert field in response.get_json()["errors"]


def test_offering_list_statements_do_not_grow_with_items(
    client, count_queries, create_offering, create_theme
):
    def statements() -> int:
        with count_queries() as counted:
            assert client.get("/api/v1/offerings?per_page=100").status_code == 200
        return counted.count

    for _n in range(3):
        create_offering()
    few = statements()
    for _n in range(27):
        create_offering(themes=[create_theme(), create_theme()])
    many = statements()

    assert len(client.get("/api/v1/offerings?per_page=100").get_json()["items"]) == 30
    assert many == few
