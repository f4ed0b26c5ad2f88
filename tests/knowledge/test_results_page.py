"""The knowledge base's list: one search per page, an honest count, and filter choices that
follow publication without reading every published output.

At 20,000 outputs the page's filter choices (themes, organisations, years) took 170 ms, read
from every published output on each request, and a search ran twice (results and count);
see docs/BENCHMARKS.md.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import Flask

from plc.api import services as api_services
from plc.communities.models import MemberRole, Visibility
from plc.core import search
from plc.extensions import db
from plc.knowledge import queries, services
from tests.support.plans import city_plan, statements_of


@pytest.fixture
def world(create_user, create_organisation, give_role, create_community, add_member, create_theme):
    school = create_organisation(name="Het Amsterdams Lyceum", slug="het-amsterdams-lyceum")
    owner = create_user()
    give_role(owner, school)
    community = create_community(owner=owner, organisation=school, name="Rekenen in de bovenbouw")
    author = create_user()
    give_role(author, school)
    add_member(community, author)
    reviewer = create_user()
    add_member(community, reviewer, MemberRole.FACILITATOR)
    theme = create_theme("Breuken en verhoudingen", slug="breuken-en-verhoudingen")
    return SimpleNamespace(
        school=school, community=community, author=author, reviewer=reviewer, theme=theme
    )


def _publish(create_output, w, title: str, **fields):
    fields.setdefault("themes", [w.theme])
    return create_output(
        community=w.community, author=w.author, reviewer=w.reviewer, title=title, **fields
    )


def _heading(client, query: str) -> str:
    html = client.get(f"/kennisbank?{query}").get_data(as_text=True)
    match = re.search(r'<h2 id="results-title"[^>]*>(.*?)</h2>', html, re.S)
    assert match, html
    return " ".join(match.group(1).split())


def test_a_count_past_the_ranked_matches_says_there_may_be_more(
    client, world, create_output, monkeypatch, without_page_cache
):
    for n in range(5):
        _publish(create_output, world, f"Breuken oefenen, ronde {n}")

    monkeypatch.setattr(search, "MAX_MATCHES", 3)
    assert re.match(r"3\+ ", _heading(client, "q=breuken"))
    # Exactly as many matches as are ranked: there may be more, so still "N+".
    monkeypatch.setattr(search, "MAX_MATCHES", 5)
    assert re.match(r"5\+ ", _heading(client, "q=breuken"))
    monkeypatch.setattr(search, "MAX_MATCHES", 6)
    assert re.match(r"5 ", _heading(client, "q=breuken"))


def test_a_filtered_count_past_the_ranked_matches_says_so_too(
    client, world, create_output, create_theme, monkeypatch, without_page_cache
):
    other = create_theme("Leesmotivatie", slug="leesmotivatie")
    for n in range(4):
        _publish(create_output, world, f"Breuken oefenen, ronde {n}", themes=[other])
    _publish(create_output, world, "Breuken in groep 6")

    monkeypatch.setattr(search, "MAX_MATCHES", 4)
    # The newest four matches hold one with the theme; older ones may have it too.
    assert re.match(r"1\+ ", _heading(client, "q=breuken&thema=breuken-en-verhoudingen"))
    monkeypatch.setattr(search, "MAX_MATCHES", 10)
    assert re.match(r"1 ", _heading(client, "q=breuken&thema=breuken-en-verhoudingen"))


def test_the_page_and_its_count_run_the_search_once(
    client, world, create_output, count_queries, monkeypatch
):
    monkeypatch.setattr("plc.knowledge.public.PER_PAGE", 2)
    for n in range(5):
        _publish(create_output, world, f"Breuken oefenen, ronde {n}")
    searched = "search_vector" if db.engine.dialect.name == "postgresql" else "search_knowledge"

    with count_queries() as counted:
        heading = _heading(client, "q=breuken&page=2")

    assert re.match(r"5 ", heading)
    assert len([sql for sql in counted.statements if searched in sql]) == 1
    # A page past the last still counts what there is.
    assert re.match(r"5 ", _heading(client, "q=breuken&page=9"))


def test_the_filter_choices_follow_publication_withdrawal_and_visibility(
    app: Flask, client, world, create_output
):
    output = _publish(create_output, world, "Breuken oefenen", organisation_ids=[world.school.id])
    offered = ('value="breuken-en-verhoudingen"', 'value="het-amsterdams-lyceum"')

    html = client.get("/kennisbank").get_data(as_text=True)
    assert all(option in html for option in offered)
    assert f'value="{world.community.slug}"' in html
    assert f'<option value="{output.published_at.year}"' in html

    services.withdraw(output, world.reviewer, "Verouderd.")
    db.session.commit()
    html = client.get("/kennisbank").get_data(as_text=True)
    assert not any(option in html for option in offered)
    assert f'value="{world.community.slug}"' not in html

    again = _publish(create_output, world, "Breuken herzien", organisation_ids=[world.school.id])
    html = client.get("/kennisbank").get_data(as_text=True)
    assert all(option in html for option in offered)

    # A community that becomes invite-only takes its outputs' choices with it at once.
    world.community.visibility = Visibility.INVITE
    db.session.commit()
    choices = queries.filter_choices()
    assert (choices.themes, choices.organisations, choices.communities, choices.years) == (
        [],
        [],
        [],
        [],
    )
    assert again.status.value == "published"


def _under_correlated(node: int, parent: dict[int, int], detail: dict[int, str]) -> bool:
    """Whether a step of an SQLite plan runs inside a correlated subquery (once per outer row)."""
    while node in parent:
        if detail[node].startswith("CORRELATED"):
            return True
        node = parent[node]
    return False


def test_the_filter_choices_do_not_read_every_published_output(app: Flask):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plans name each table read in full; PostgreSQL's depend on rows")
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement: str, parameters: object, *_args) -> None:
        seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        queries.filter_choices()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)

    per_choice = [(sql, params) for sql, params in seen if sql.startswith("SELECT")]
    assert len(per_choice) == 3  # themes, organisations, communities (years: one hop a year)
    with db.engine.connect() as connection:
        for statement, parameters in per_choice:
            rows = list(connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
            parent = {row[0]: row[1] for row in rows}
            detail = {row[0]: row[3] for row in rows}
            # Outputs are looked up for one choice at a time (stopping at the first), never
            # gathered into a list of every published output.
            reads = [
                node
                for node, text in detail.items()
                if re.search(r"\b(knowledge_output|output_theme|output_organisation)\b", text)
            ]
            assert reads and all(_under_correlated(node, parent, detail) for node in reads), (
                statement,
                rows,
            )


def test_the_newest_outputs_come_from_the_index_not_from_sorting_them_all(
    app: Flask, create_output, tmp_path
):
    """The start page's newest outputs, planned as SQLite plans them for a city's outputs: read
    newest first along the published index, stopping at the few shown, never every published
    output gathered and sorted whole (56 ms at size L)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plans name each table read in full; PostgreSQL's depend on rows")
    create_output()
    (statement, parameters), *_ = statements_of(lambda: queries.newest_with_community(6))
    plan = city_plan(statement, parameters, tmp_path)
    assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan


def test_counting_the_published_outputs_reads_an_index_not_the_outputs(
    app: Flask, create_output, tmp_path
):
    """The API's and the lists' count of published outputs, planned for a city's outputs: from
    the (community, status, date) index alone, never a read of every output's row (259 ms at
    size L)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plans name each table read in full; PostgreSQL's depend on rows")
    create_output()
    seen = statements_of(lambda: api_services.output_page(services.PublicFilters(), 1, 20))
    counts = [(s, p) for s, p in seen if s.startswith("SELECT count(")]
    assert counts, seen
    plan = city_plan(*counts[0], tmp_path)
    reads = [step for step in plan if "knowledge_output" in step]
    assert reads and all("COVERING INDEX" in step for step in reads), plan
