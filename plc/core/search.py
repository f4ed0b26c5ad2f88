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

Scoring costs per matching row (bm25 reads each row's column sizes, ts_rank_cd each row's
vector), and a common word ("de", "les", "leerlingen") matches nearly every row: on 200,000
posts that was a second per query. So the subquery holds at most `MAX_MATCHES` rows: the newest
matches (highest ids), which both backends find without scoring the rest (FTS5 walks its index
in rowid order; PostgreSQL reads the primary key backwards, or the GIN index for rare words),
ranked among themselves. A query with fewer matches (any specific one) is ranked in full; an
unspecific one shows the best of the recent matches, and lists count at most that many and say
so (the knowledge base: "500+").

On PostgreSQL there are two ways to those newest matches, and which is faster depends on the
words: reading rows newest first and testing each one's vector (a word in most rows: a few
hundred rows read) or collecting the matches from the GIN index and keeping the newest (a rare
word). Each costs tens of milliseconds where the other costs one or two, and PostgreSQL cannot
tell which: it counts testing a (compressed) vector as nearly free. So the way is chosen per
search as the statement runs, by `search_newest` (a PL/pgSQL function of migration 0017), from
the share of rows each word is in, which ANALYZE keeps in `pg_stats`; a span read newest first
that finds fewer matches than expected hands over to the index. The any-word mode (an OR of
many stems, for the matching page) is left to the planner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from plc.core.pagecache import derived_table
from plc.extensions import db

#: Words beyond this are ignored: a search box is not a document.
MAX_WORDS = 12
#: The most matching rows a search scores (the newest ones): see the module's docstring.
MAX_MATCHES = 500
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class SearchIndex:
    """What one feature's search covers: its table and the weighted columns."""

    name: str  #: the FTS5 table is `search_<name>`
    table: str
    columns: tuple[str, ...]  #: in weight order: most important first (at most three)
    weights: tuple[float, ...] = (10.0, 4.0, 1.0)

    def __post_init__(self) -> None:
        # The FTS5 table is named in raw SQL; its triggers follow the feature's table, so a page
        # that searched it can be kept until that table is written (plc/core/pagecache.py).
        derived_table(f"search_{self.name}", self.table)


def words(query: str) -> list[str]:
    """The searchable words in what a person typed (punctuation and operators dropped)."""
    return [word.lower() for word in _WORD.findall(query)][:MAX_WORDS]


def search_subquery(
    index: SearchIndex, query: str, *, any_word: bool = False, limit: int = MAX_MATCHES
) -> sa.Subquery | None:
    """`(id, score)` of the rows matching every word (as a prefix), higher score first; at
    most `limit` rows, the newest matches.

    With `any_word`, rows matching at least one of the text's meaningful words (see
    `match_terms`): for comparing a long text (a learning question, an offering) with others,
    where requiring every word would find nothing. The score still rewards rare words and rows
    that share more of them.

    None when the query has no searchable words: the caller shows everything instead.
    """
    match = match_text(query, any_word=any_word)
    if match is None:
        return None
    return matches_subquery(index, sa.literal(match, sa.String), limit=limit, any_word=any_word)


def match_text(query: str, *, any_word: bool = False) -> str | None:
    """What the database's full-text match is given for `query` (see `search_subquery`), in
    its own syntax; None when the query has no searchable words. With `matches_subquery`, for a
    statement built once and run with the match as a parameter."""
    terms = match_terms(query) if any_word else words(query)
    if not terms:
        return None
    if db.engine.dialect.name == "postgresql":
        # Each word a prefix; the Dutch configuration stems it and drops stop words.
        return (" | " if any_word else " & ").join(f"{term}:*" for term in terms)
    # Each word quoted (no FTS5 operators from user input) and matched as a prefix.
    return (" OR " if any_word else " ").join(f'"{term}"*' for term in terms)


def matches_subquery(
    index: SearchIndex,
    match: sa.ColumnElement[str],
    *,
    limit: int = MAX_MATCHES,
    any_word: bool = False,
) -> sa.Subquery:
    """`(id, score)` of the newest `limit` rows of `index` that `match` (a `match_text`, as a
    literal or a bound parameter; `any_word` as it was made with) finds, scored."""
    if db.engine.dialect.name == "postgresql":
        return _postgres(index, match, limit, choose=not any_word)
    return _sqlite(index, match, limit)


#: Words too common to say anything about what a text is about (Dutch and English, and the
#: words every text on an education platform has: pupils, school, teacher, class). PostgreSQL's
#: Dutch configuration drops its own stop words; FTS5 has none, so the any-word mode drops these
#: on both backends alike.
_STOP_WORDS = """aan al alle alles als altijd ander andere bij bijvoorbeeld binnen daar dan dat de deze die
    dit doe doen door dus een eens en er erg ga gaan geen goed graag had heb hebben heeft hem het
    hier hoe hun iemand iets ik in is ja je jij kan kon kunnen maar me meer mee met mij mijn moet
    na naar niet nog nu of om omdat ons onze ook op over veel voor vooral waar wat we wel welke
    wie wij wil willen word worden wordt zal ze zelf zich zij zijn zo zou zoals
    about after all also and are as at be been but by can could for from has have how into is it
    its more not of on or our should so than that the their them there these they this to use
    using was we what when which who will with would you your
    van te hij zou men uit der haar want ge toch waren ben zonder onder werd doch wezen tegen
    reeds niets uw geweest tot toen waarin waarbij echt elk elke twee drie vier eigen tijd
    maken maak gebruiken gebruik geven krijgen krijg komen helpen helpt werken werkt leren houd houden
    kun kunt moeten zorgen zorg waarom beter vaak steeds
    leerling leerlingen school scholen docent docenten leraar leraren collega collegas klas
    klassen"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
#: The any-word mode reads more of a text than a search box, but not a whole document.
MAX_MATCH_TERMS = 40


def stem(word: str) -> str:
    """A crude stem used as a prefix: the end of a longer word cut off, so that *toetsen*,
    *toets* and *toetsing* meet, and *formatieve* finds *formatief*. FTS5's tokenizer does no
    stemming; on PostgreSQL the Dutch stemmer runs on top of it, and a prefix only widens."""
    if len(word) <= 4:
        return word
    return word[: max(4, min(len(word) - 2, 8))]


def match_terms(text: str) -> list[str]:
    """The meaningful words of a longer text as prefix stems: no stop words, no words shorter
    than three letters, each stem once."""
    terms = (
        stem(word)
        for word in (w.lower() for w in _WORD.findall(text))
        if len(word) >= 3 and word not in STOP_WORDS and not word.isdigit()
    )
    return list(dict.fromkeys(terms))[:MAX_MATCH_TERMS]


def _sqlite(index: SearchIndex, match: sa.ColumnElement[str], limit: int) -> sa.Subquery:
    fts = f"search_{index.name}"
    weights = ", ".join(str(w) for w in index.weights[: len(index.columns)])
    return (
        sa.select(
            sa.literal_column(f"{fts}.rowid").label("id"),
            sa.literal_column(f"-bm25({fts}, {weights})").label("score"),
        )
        .select_from(sa.text(fts))
        .where(sa.literal_column(fts).op("MATCH", is_comparison=True)(match))
        # Newest first straight from the full-text index; bm25 only for the rows kept.
        .order_by(sa.literal_column(f"{fts}.rowid").desc())
        .limit(limit)
        .subquery()
    )


def _postgres(
    index: SearchIndex, match: sa.ColumnElement[str], limit: int, *, choose: bool = True
) -> sa.Subquery:
    table = sa.table(index.table, sa.column("id"), sa.column("search_vector"))
    # The newest matches first, by id alone; then the rank of those rows only, each read by its
    # primary key. Ranked in the same query, PostgreSQL ranks every match before it sorts and
    # cuts: for a word in a few thousand outputs, that was reading and ranking each one's
    # (TOASTed) vector. A correlated subquery, not a join: a join let the planner scan whole
    # tables to rank 500 rows.
    newest: sa.FromClause
    if choose:
        newest = _newest_chosen(index, match, limit)
        # Parsed once for the statement (a generic plan would parse it for every row ranked).
        tsquery: sa.ColumnElement[Any] = sa.select(
            sa.func.to_tsquery(_DUTCH, match)
        ).scalar_subquery()
    else:
        # The any-word mode (an OR of many stems) is left to the planner.
        tsquery = sa.func.to_tsquery(_DUTCH, match)
        newest = (
            sa.select(table.c.id)
            .where(table.c.search_vector.op("@@")(tsquery))
            .order_by(table.c.id.desc())
            .limit(limit)
            .subquery()
        )
    row = table.alias()
    score = (
        sa.select(sa.func.ts_rank_cd(row.c.search_vector, tsquery))
        .where(row.c.id == newest.c.id)
        .scalar_subquery()
    )
    return sa.select(newest.c.id.label("id"), score.label("score")).subquery()


_DUTCH = sa.literal_column("'dutch'::regconfig")


def _newest_chosen(index: SearchIndex, match: sa.ColumnElement[str], limit: int) -> sa.FromClause:
    """The ids of the newest `limit` matches, found the way that suits the words (see the
    module's docstring): `search_newest`, a function of migration 0017, reads the newest rows
    one by one when the rarest word is common enough, else collects the matches from the GIN
    index. Same rows either way. In a function, so that this statement is planned as quickly as
    before: written out in it, the choice cost as much planning as it saved."""
    found = sa.func.search_newest(
        sa.literal_column(f"'{index.table}'::regclass"), match, sa.literal_column(str(int(limit)))
    )
    # As a subquery, run once as the statement runs: as a bare argument, the planner would run
    # it while planning too, to guess how many rows `unnest` gives.
    return sa.func.unnest(sa.select(found).scalar_subquery()).table_valued("id").render_derived()


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
