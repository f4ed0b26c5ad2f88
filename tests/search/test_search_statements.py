"""The site-wide search runs a fixed set of statements, and ranks before it reads whole rows."""

from __future__ import annotations

import re

from plc.extensions import db
from plc.resources.models import Resource, ResourceKind


def _world(n: int, create_user, create_community) -> None:
    """`n` public communities, each with a material about pipettes (and nothing else found, so
    that no other result brings the communities along)."""
    owner = create_user()
    for i in range(n):
        community = create_community(owner=owner, name=f"Scheikunde {n}-{i}")
        db.session.add(
            Resource(
                community_id=community.id,
                kind=ResourceKind.LINK,
                title=f"Pipetteren stap voor stap {n}-{i}",
                url="https://example.org/x",
                created_by_id=owner.id,
            )
        )
        db.session.commit()


def _statements(client, count_queries) -> tuple[int, str]:
    with count_queries() as counted:
        html = client.get("/zoeken?q=pipetteren").get_data(as_text=True)
    return counted.count, html


def test_results_from_many_communities_cost_no_more_statements(
    app, client, create_user, create_community, count_queries
):
    _world(1, create_user, create_community)
    few, html = _statements(client, count_queries)
    assert "Pipetteren stap voor stap 1-0" in html

    _world(6, create_user, create_community)
    many, html = _statements(client, count_queries)

    # Each material shows its community's name: loaded with the materials, not one by one.
    assert all(f"Pipetteren stap voor stap 6-{i}" in html for i in range(6))
    assert "Scheikunde 6-5" in html
    assert many == few


def test_the_best_match_comes_first_and_ties_go_to_the_newest_output(
    client, create_user, create_community, create_output
):
    community = create_community(name="Scheikunde")
    # The two labs match alike (same words, same lengths): the newer one goes first.
    create_output(community=community, title="Labwerk A", summary="Pipetteren kort.")
    create_output(community=community, title="Pipetteren", summary="Pipetteren, pipetteren.")
    create_output(community=community, title="Labwerk B", summary="Pipetteren kort.")

    html = client.get("/zoeken?q=pipetteren").get_data(as_text=True)
    section = html[html.index('id="found-outputs"') :]
    titles = re.findall(r'<a href="/kennisbank/[^"]+">([^<]+)</a>', section)

    assert titles == ["Pipetteren", "Labwerk B", "Labwerk A"]
