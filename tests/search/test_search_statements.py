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


# -- one ranking statement for every kind ---------------------------------------------------------


def _teacher_search(query: str, viewer, count_queries):
    from plc.search.services import search_everything

    viewer.is_admin  # noqa: B018  (loaded before counting, as the login does on a page)
    with count_queries() as counted:
        results = search_everything(query, viewer)
    return results, counted.count


def _one_of_each(n: int, owner, create_community, create_output) -> None:
    """`n` matches of each kind for "titratie": communities, threads, materials, outputs."""
    from plc.communities.services import access_for
    from plc.discussions import services as discussions

    for i in range(n):
        community = create_community(owner=owner, name=f"Titratie kring {n}-{i}")
        access = access_for(community, owner)
        discussions.start_thread(community, access, owner, f"Titratie vraag {n}-{i}", "Hoe?")
        db.session.add(
            Resource(
                community_id=community.id,
                kind=ResourceKind.LINK,
                title=f"Titratie stappenplan {n}-{i}",
                url="https://example.org/x",
                created_by_id=owner.id,
            )
        )
        db.session.commit()
        create_output(community=community, title=f"Titratie in de klas {n}-{i}")


def test_a_search_finding_nothing_runs_one_statement(app, create_user, count_queries):
    results, statements = _teacher_search("xylofoonkwartet", create_user(), count_queries)

    assert results.empty
    # One statement ranks all four kinds; nothing found, nothing to read.
    assert statements == 1


def test_every_kind_found_costs_the_same_few_statements_for_many_matches(
    app, create_user, create_community, create_output, count_queries
):
    owner = create_user()
    _one_of_each(1, owner, create_community, create_output)
    few, few_statements = _teacher_search("titratie", owner, count_queries)
    assert [len(found) for found in vars(few).values()] == [1, 1, 1, 1]

    _one_of_each(12, owner, create_community, create_output)
    many, many_statements = _teacher_search("titratie", owner, count_queries)

    assert [len(found) for found in vars(many).values()] == [10, 10, 10, 10]
    # The ranking, then each kind's rows (the communities' themes one more).
    assert few_statements == many_statements == 6


def test_each_kind_comes_in_the_order_of_before(
    app, client, create_user, create_community, create_output
):
    """Best match first in every kind; equal matches by id (communities, threads, materials) or
    newest first (outputs); a closed community after the open ones, however well it matches."""
    from plc.communities.models import CommunityStatus
    from plc.communities.services import access_for
    from plc.discussions import services as discussions

    owner = create_user()
    home = create_community(owner=owner, name="Scheikunde")
    closed = create_community(owner=owner, name="Titratie titratie")
    closed.status = CommunityStatus.CLOSED
    ties = [create_community(owner=owner, name=f"Titratie {c}") for c in "AB"]
    best = create_community(owner=owner, name="Titratie titratie titratie")
    access = access_for(home, owner)
    for title in ("Titratie A", "Titratie B", "Titratie titratie titratie"):
        discussions.start_thread(home, access, owner, title, "Opening")
    for title in ("Titratie A", "Titratie B", "Titratie titratie titratie"):
        db.session.add(
            Resource(
                community_id=home.id,
                kind=ResourceKind.LINK,
                title=title,
                url="https://example.org/x",
                created_by_id=owner.id,
            )
        )
    db.session.commit()
    for title in ("Titratie A", "Titratie B", "Titratie titratie titratie"):
        create_output(community=home, title=title)

    from plc.search.services import search_everything

    with app.test_request_context():
        results = search_everything("titratie", owner)

    assert [c.id for c in results.communities] == [best.id, *(c.id for c in ties), closed.id]
    titles = ["Titratie titratie titratie", "Titratie A", "Titratie B"]
    assert [thread.title for thread in results.threads] == titles
    assert [resource.title for resource in results.resources] == titles
    assert [output.title for output in results.outputs] == [titles[0], titles[2], titles[1]]
    # Each result's community is loaded with it (the page names it).
    assert {thread.community.name for thread in results.threads} == {"Scheikunde"}


def test_the_ranking_statement_built_once_keeps_each_viewer_to_their_own_access(
    app, client, login_client, create_user, create_community, add_member
):
    """The statement is built once per kind of viewer with the person as a parameter: a member,
    then an outsider, then a visitor, then an admin, each sees what they may and no more."""
    from plc.communities.models import MemberRole, Visibility
    from plc.communities.services import access_for
    from plc.discussions import services as discussions

    owner, member, outsider = create_user(), create_user(), create_user()
    admin = create_user(is_admin=True)
    hidden = create_community(owner=owner, visibility=Visibility.INVITE, name="Besloten kring")
    add_member(hidden, member, MemberRole.MEMBER)
    discussions.start_thread(hidden, access_for(hidden, owner), owner, "Titratie geheim", "Stil")
    db.session.commit()

    seen = {}
    for name, browser in (
        ("member", login_client(member)),
        ("outsider", login_client(outsider)),
        ("visitor", client),
        ("admin", login_client(admin)),
    ):
        seen[name] = "Titratie geheim" in browser.get("/zoeken?q=titratie").get_data(as_text=True)

    assert seen == {"member": True, "outsider": False, "visitor": False, "admin": True}
