"""The dashboards' participation figures are worked out once and kept while nothing they count
changes (`plc.core.pagecache.kept`): the next reader gets them for one token query, and any
membership, attendance, enrolment or teacher added shows at once."""

from __future__ import annotations

from tests.dashboards.conftest import page_table, row_of

#: The figures' statement (plc/dashboards/facts.py).
FIGURES = "memberships AS MATERIALIZED"


def _figures_statements(statements: list[str]) -> int:
    return sum(FIGURES in statement for statement in statements)


def _teachers_in_communities(page: str) -> str:
    return row_of(page_table(page, "samenvatting"), "Teachers in communities")[1]


def test_the_figures_are_kept_until_what_they_count_changes(
    app, world, add_teachers, join, attend, login_client, count_queries
):
    url = f"/dashboard/school/{world.school.slug}"
    join(add_teachers(world.school, 6), world.community)
    leader, hr = login_client(world.leader), login_client(world.hr)
    assert _teachers_in_communities(leader.get(url).get_data(as_text=True)) == "6"

    # Another reader of the school's figures (the board's HR advisor): kept.
    with count_queries() as counted:
        page = hr.get(url).get_data(as_text=True)
    assert _teachers_in_communities(page) == "6"
    assert _figures_statements(counted.statements) == 0

    join(add_teachers(world.school, 5), world.community)
    with count_queries() as counted:
        page = leader.get(url).get_data(as_text=True)
    assert _teachers_in_communities(page) == "11"
    assert _figures_statements(counted.statements) == 1


def test_the_board_page_keeps_its_figures_the_same_way(
    world, add_teachers, attend, login_client, count_queries
):
    url = f"/dashboard/bestuur/{world.board.slug}"
    hr = login_client(world.hr)

    def at_sessions() -> str:
        summary = page_table(hr.get(url).get_data(as_text=True), "samenvatting")
        return row_of(summary, "Teachers at live sessions")[-1]  # the board's total

    assert at_sessions() == "0"
    with count_queries() as counted:
        assert at_sessions() == "0"
    assert _figures_statements(counted.statements) == 0
    attend(add_teachers(world.other, 5))
    assert at_sessions() == "5"
