"""Full-text search: one interface, two backends.

- SQLite: an FTS5 table `search_<name>` with external content (the feature's own table), kept in
  step by triggers, tokenised with `unicode61 remove_diacritics 2` (so *differentiëren* matches
  *differentieren*) and with prefix indexes, so that short and common words stay fast; ranked
  with bm25 and column weights.
- PostgreSQL: a generated `search_vector tsvector` column on the feature's table (Dutch
  configuration, weights A/B/C per column) with a GIN index; ranked with `ts_rank_cd`.

Both are created by migrations (raw DDL), not by the models, so `include_object` keeps Alembic's
autogenerate from proposing to drop them. Callers get a subquery of `(id, score)` to join to their
own query, so filters, access rules and pagination stay one SQL statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from plc.extensions import db

#: Words beyond this are ignored: a search box is not a document.
MAX_WORDS = 12
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class SearchIndex:
    """What one feature's search covers: its table and the weighted columns."""

    name: str  #: the FTS5 table is `search_<name>`
    table: str
    columns: tuple[str, ...]  #: in weight order: most important first (at most three)
    weights: tuple[float, ...] = (10.0, 4.0, 1.0)


def words(query: str) -> list[str]:
    """The searchable words in what a person typed (punctuation and operators dropped)."""
    return [word.lower() for word in _WORD.findall(query)][:MAX_WORDS]


def search_subquery(index: SearchIndex, query: str) -> sa.Subquery | None:
    """`(id, score)` of the rows matching every word (as a prefix), higher score first.

    None when the query has no searchable words: the caller shows everything instead.
    """
    terms = words(query)
    if not terms:
        return None
    if db.engine.dialect.name == "postgresql":
        return _postgres(index, terms)
    return _sqlite(index, terms)


def _sqlite(index: SearchIndex, terms: list[str]) -> sa.Subquery:
    fts = f"search_{index.name}"
    # Each word quoted (no FTS5 operators from user input) and matched as a prefix.
    match = " ".join(f'"{term}"*' for term in terms)
    weights = ", ".join(str(w) for w in index.weights[: len(index.columns)])
    return (
        sa.select(
            sa.literal_column(f"{fts}.rowid").label("id"),
            sa.literal_column(f"-bm25({fts}, {weights})").label("score"),
        )
        .select_from(sa.text(fts))
        .where(sa.text(f"{fts} MATCH :match").bindparams(match=match))
        .subquery()
    )


def _postgres(index: SearchIndex, terms: list[str]) -> sa.Subquery:
    table = sa.table(index.table, sa.column("id"), sa.column("search_vector"))
    tsquery = sa.func.to_tsquery(
        sa.literal_column("'dutch'::regconfig"), " & ".join(f"{term}:*" for term in terms)
    )
    return (
        sa.select(
            table.c.id.label("id"),
            sa.func.ts_rank_cd(table.c.search_vector, tsquery).label("score"),
        )
        .where(table.c.search_vector.op("@@")(tsquery))
        .subquery()
    )


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic hook: the search tables, columns and indexes belong to migrations, not models."""
    if name is None:
        return True
    if type_ == "table" and name.startswith("search_"):
        return False
    if type_ == "column" and name == "search_vector":
        return False
    return not (type_ == "index" and name.startswith("ix_search_"))
