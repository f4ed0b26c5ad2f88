"""Values kept between requests (`plc.core.pagecache.kept`): worked out once, handed back for one
token query while no table they read is written, worked out again as soon as one is — also by a
write that commits while they are worked out; never kept when working them out wrote."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from plc.core import pagecache
from plc.extensions import db
from plc.themes.models import Theme

KEY = ("themes counted",)


pytestmark = pytest.mark.usefixtures("empty_page_stores")


@pytest.fixture
def counting_themes() -> tuple[list[int], Callable[[], int]]:
    """How often the themes were counted, and the count."""
    calls: list[int] = []

    def count() -> int:
        calls.append(1)
        return db.session.scalar(sa.select(sa.func.count()).select_from(Theme)) or 0

    return calls, count


def test_a_kept_value_is_checked_with_one_statement(
    create_theme, counting_themes, count_queries
) -> None:
    calls, count = counting_themes
    create_theme("Rekenen")
    assert pagecache.kept(KEY, count) == 1
    with count_queries() as counted:
        assert pagecache.kept(KEY, count) == 1
    assert calls == [1]
    assert counted.count == 1 and "cache_generation" in counted.statements[0]


def test_a_write_to_a_table_it_read_works_it_out_again_and_others_do_not(
    create_theme, create_user, counting_themes
) -> None:
    calls, count = counting_themes
    create_theme("Rekenen")
    assert pagecache.kept(KEY, count) == 1
    create_user()  # another table
    assert pagecache.kept(KEY, count) == 1
    assert len(calls) == 1
    db.session.add(Theme(slug="taal", name_nl="Taal", name_en="Language"))
    db.session.rollback()  # nothing written
    assert pagecache.kept(KEY, count) == 1
    assert len(calls) == 1
    create_theme("Taal")
    assert pagecache.kept(KEY, count) == 2
    assert len(calls) == 2


def test_a_write_committed_while_it_is_worked_out_is_not_missed(
    create_theme, counting_themes
) -> None:
    """The value keeps the tokens read before it was worked out: a write that commits meanwhile
    (here, inside) leaves it with an older token, and the next use works it out again."""
    calls, count = counting_themes
    create_theme("Rekenen")

    def count_then_another_writes() -> int:
        found = count()
        other = sa.insert(Theme).values(slug="taal", name_nl="Taal", name_en="Language")
        with db.engine.begin() as connection:  # another connection, as another request
            connection.execute(other)
        return found

    assert pagecache.kept(KEY, count_then_another_writes) == 1
    db.session.rollback()  # the request ends; the next one sees the other's write
    assert pagecache.kept(KEY, count) == 2
    assert len(calls) == 2


def test_a_value_worked_out_with_a_write_is_not_kept(create_theme, counting_themes) -> None:
    calls, count = counting_themes
    create_theme("Rekenen")

    def write_then_count() -> int:
        db.session.add(Theme(slug="taal", name_nl="Taal", name_en="Language"))
        db.session.flush()
        return count()

    assert pagecache.kept(KEY, write_then_count) == 2
    db.session.rollback()
    assert pagecache.kept(KEY, count) == 1
    assert len(calls) == 2


def test_nothing_is_kept_when_turned_off(
    app: Flask, create_theme, counting_themes, monkeypatch
) -> None:
    calls, count = counting_themes
    monkeypatch.delitem(app.extensions, "plc_kept_values")
    create_theme("Rekenen")
    assert [pagecache.kept(KEY, count) for _ in range(2)] == [1, 1]
    assert len(calls) == 2


def test_a_kept_page_that_shows_a_kept_value_depends_on_its_tables(
    create_theme, counting_themes
) -> None:
    """A page rendered for the page cache notes the value's tables, also when the value was
    kept (its statements did not run)."""
    _calls, count = counting_themes
    create_theme("Rekenen")
    pagecache.kept(KEY, count)
    reads: set[str] = set()
    reset = pagecache._reads.set(reads)
    try:
        pagecache.kept(KEY, count)
    finally:
        pagecache._reads.reset(reset)
    assert "theme" in reads
