"""The export and the deletion know every table that holds people's data: these tests fail when a
feature adds a foreign key to user_account, a table under a personal one, or a stored-file column
without saying what "your data" does with it."""

from __future__ import annotations

import sqlalchemy as sa

from plc.auth.privacy import FILE_COLUMNS, JOIN_PATHS, USER_LINKS, OnDelete, table
from plc.extensions import db

#: Columns ending in "_key" that do not hold a key of the upload storage.
NOT_FILES = {
    ("thread", "idempotency_key"),
    ("post", "idempotency_key"),
    ("live_session", "idempotency_key"),
    ("learning_question", "idempotency_key"),
    ("pop_goal", "idempotency_key"),
    ("school_goal", "idempotency_key"),
    ("survey", "template_key"),
    ("survey_response", "respondent_key"),
}


def user_foreign_keys() -> set[tuple[str, str]]:
    return {
        (t.name, fk.parent.name)
        for t in db.metadata.tables.values()
        for fk in t.foreign_keys
        if fk.column.table.name == "user_account"
    }


def test_every_foreign_key_to_user_account_is_classified() -> None:
    found = user_foreign_keys()
    unclassified = sorted(found - USER_LINKS.keys())
    assert not unclassified, (
        "Foreign keys to user_account that plc/auth/privacy.py USER_LINKS does not classify "
        f"(add each with what deletion does and how the export shows it): {unclassified}"
    )
    gone = sorted(USER_LINKS.keys() - found)
    assert not gone, f"USER_LINKS names foreign keys that no longer exist: {gone}"


def test_tables_under_personal_rows_are_followed_by_the_export() -> None:
    """A table whose rows hang off a row that is deleted with the person (a goal's reflections)
    is personal too: the export must follow it, through JOIN_PATHS."""
    personal = {link.table for link in USER_LINKS.values() if link.on_delete == OnDelete.DELETE}
    missing = sorted(
        (child.name, parent)
        for child in db.metadata.tables.values()
        for fk in child.foreign_keys
        if (parent := fk.column.table.name) in personal
        and parent != child.name
        and JOIN_PATHS.get(child.name) != parent
    )
    assert not missing, f"(table, personal parent) pairs missing from JOIN_PATHS: {missing}"


def test_join_paths_follow_real_foreign_keys_to_owned_rows() -> None:
    for child, parent in JOIN_PATHS.items():
        assert any(fk.referred_table.name == parent for fk in table(child).foreign_key_constraints)
        assert any(link.table == parent for link in USER_LINKS.values()), parent


def test_every_storage_key_column_is_a_file_column() -> None:
    files = {(spec.table, spec.key) for spec in FILE_COLUMNS}
    keys = {
        (t.name, column.name)
        for t in db.metadata.tables.values()
        for column in t.columns
        if column.name.endswith("_key")
    }
    unknown = sorted(keys - files - NOT_FILES)
    assert not unknown, (
        "Columns that may hold stored files: add them to FILE_COLUMNS in plc/auth/privacy.py "
        f"(export and deletion) or to NOT_FILES here: {unknown}"
    )
    for spec in FILE_COLUMNS:
        assert {spec.key, spec.filename, spec.owner} <= set(table(spec.table).c.keys())


def test_the_everything_builder_covers_every_link(everything) -> None:
    """So that the export and deletion tests below really see a row behind every key."""
    person_id = everything.person.id
    empty = []
    for (table_name, column), _link in USER_LINKS.items():
        t = table(table_name)
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(t).where(t.c[column] == person_id)
        )
        if not count:
            empty.append((table_name, column))
    for child, parent in JOIN_PATHS.items():
        if not db.session.scalar(sa.select(sa.func.count()).select_from(table(child))):
            empty.append((child, f"via {parent}"))
    assert not empty, f"tests/privacy/conftest.py `everything` makes no row for: {empty}"
