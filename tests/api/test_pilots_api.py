"""Pilots in the JSON API: the list with its filters, one pilot, what stays out (proposals, the
people, what the public may not see), bad filters, and statement counts."""

from __future__ import annotations

import pytest

from plc.extensions import db
from tests.api.test_api import BASE, PROBLEM, slugs


def test_pilots_lists_pilots_past_their_proposal(client, api_pilots):
    response = client.get("/api/v1/pilots")

    assert response.status_code == 200
    # The most recently moved first; the proposal is not public.
    assert slugs(response) == [api_pilots.concluded.slug, api_pilots.running.slug]
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 20, 2, 1)
    assert 'rel="first"' in response.headers["Link"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_pilot_in_the_list(client, api_data, api_pilots):
    items = client.get("/api/v1/pilots").get_json()["items"]
    running = next(item for item in items if item["slug"] == api_pilots.running.slug)

    assert running["status"] == "running"
    assert (running["starts_on"], running["ends_on"]) == ("2026-09-01", "2027-06-30")
    assert [o["slug"] for o in running["organisations"]] == [
        api_data.school.slug,
        api_data.academy.slug,
    ]
    assert running["themes"][0]["slug"] == api_data.themes[0].slug
    # Not the invite-only community; only the questions shared with everyone.
    assert [c["slug"] for c in running["communities"]] == [api_data.public.slug]
    assert running["learning_questions"] == [api_pilots.public_question.title]
    assert [c["key"] for c in running["criteria"]] == [
        "learning_questions",
        "organisations",
        "shared_ownership",
        "all_amsterdam",
        "evaluated",
        "leaders_involved",
    ]
    met = {c["key"]: c["met"] for c in running["criteria"]}
    assert met["learning_questions"] and met["organisations"] and met["shared_ownership"]
    assert not met["evaluated"]  # responses, but no evaluation report yet
    assert running["criteria_met"] == sum(met.values())
    assert running["evaluation"] == {
        "surveys": 1,
        "responses": 3,
        "latest_response_rate": 0.75,
        "latest_scale_mean": 4.0,
    }
    assert running["evaluation_report_url"] is None
    assert running["html_url"] == f"{BASE}/pilots/{api_pilots.running.slug}"
    assert running["api_url"] == f"{BASE}/api/v1/pilots/{api_pilots.running.slug}"


def test_the_api_names_no_people(client, api_data, api_pilots):
    text = client.get("/api/v1/pilots").get_data(as_text=True)
    text += client.get(f"/api/v1/pilots/{api_pilots.running.slug}").get_data(as_text=True)
    for person in (api_pilots.contact, api_pilots.sponsor, api_data.author):
        assert person.display_name not in text
    assert "@" not in text
    assert api_pilots.private_question.title not in text


def test_a_concluded_pilot_links_its_evaluation_report(client, api_pilots):
    body = client.get(f"/api/v1/pilots/{api_pilots.concluded.slug}").get_json()
    report = api_pilots.concluded.evaluation_report
    assert body["status"] == "concluded"
    assert body["evaluation_report_url"] == f"{BASE}/kennisbank/{report.slug}"
    assert {c["key"]: c["met"] for c in body["criteria"]}["all_amsterdam"] is True


def test_one_pilot_with_its_charter(client, api_data, api_pilots):
    response = client.get(f"/api/v1/pilots/{api_pilots.running.slug}")

    assert response.status_code == 200
    body = response.get_json()
    assert body["goals"] == "**Doelen**"
    assert body["goals_html"].strip() == "<p><strong>Doelen</strong></p>"
    assert body["participants"][1] == {
        "organisation": {
            "slug": api_data.academy.slug,
            "name": "Academie Noord",
            "kind": "academy",
            "api_url": f"{BASE}/api/v1/organisations/{api_data.academy.slug}",
        },
        "contribution": "Een trainer.",
        "dependency": "Klassen om in te oefenen.",
    }
    assert body["stop_reason"] == ""


@pytest.mark.parametrize("slug", ["nog-geheim-plan", "bestaat-niet"])
def test_proposals_and_unknown_pilots_do_not_exist(client, api_pilots, slug):
    response = client.get(f"/api/v1/pilots/{slug}")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert api_pilots.proposal.slug == "nog-geheim-plan"


def test_pilot_filters(client, api_data, api_pilots):
    def found(query: str) -> list[str]:
        response = client.get(f"/api/v1/pilots?{query}")
        assert response.status_code == 200
        return sorted(slugs(response))

    running, concluded = api_pilots.running.slug, api_pilots.concluded.slug
    assert found(f"theme={api_data.themes[1].slug}") == [concluded]
    assert found(f"organisation={api_data.academy.slug}") == sorted([running, concluded])
    assert found(f"organisation={api_data.board.slug}") == []
    assert found("organisation=bestaat-niet") == []
    assert found("theme=bestaat-niet") == []
    assert found("status=running") == [running]
    assert found("status=concluded") == [concluded]
    assert (
        "status=running" in client.get("/api/v1/pilots?status=running").get_json()["links"]["self"]
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=proposed", "status"), ("status=gek", "status"), ("per_page=500", "per_page")],
)
def test_bad_pilot_filters_answer_422(client, api_pilots, query, field):
    response = client.get(f"/api/v1/pilots?{query}")
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert field in response.get_json()["errors"]


def test_pilot_list_statements_do_not_grow_with_items(client, count_queries, api_pilots):
    from plc.pilots import services as pilots

    def statements() -> int:
        with count_queries() as counted:
            assert client.get("/api/v1/pilots?per_page=100").status_code == 200
        return counted.count

    few = statements()
    template = pilots.fields_of(api_pilots.running)
    admin = api_pilots.running.proposed_by
    for n in range(27):
        template.title = f"Pilot {n}"
        pilot = pilots.propose(admin, template)
        for row in pilot.participants:
            pilots.approve(pilot, row.contact, row.organisation_id, 1)
        db.session.commit()
    many = statements()

    assert len(client.get("/api/v1/pilots?per_page=100").get_json()["items"]) == 29
    assert many == few
    assert many <= 12
