"""search: newest matches first or from the index

A search keeps each table's newest matches (plc/core/search.py). PostgreSQL finds them either by
reading rows newest first and testing each one's search vector, or by collecting every match
from the GIN index: for a common word the first takes a millisecond and the second tens, for a
word in one output in twenty the other way round (docs/BENCHMARKS.md). The planner cannot tell
which: it counts testing a vector as nearly free, and the app's statements are planned anew for
every search. `search_newest` chooses per search, from the statistics ANALYZE keeps of each
search vector column (`pg_stats`: the most common lexemes and the share of rows each is in).
Functions rather than SQL in every search statement: written out there, the choice cost as much
planning per search as it saved. PostgreSQL only.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 19:15:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


#: The ids of the newest `lim` rows of `tbl` that match `match` (a match text of
#: plc.core.search.match_text: every word, each a prefix), newest first.
#:
#: Two ways: read the rows newest first and test each one's vector, or collect the matches from
#: the GIN index and keep the newest. With R rows and f the share of them that match, the first
#: reads about lim / f rows, each costing more the larger the rows are (a long text's vector is
#: compressed: 2 microseconds a row for the outputs, 0.3 for posts); the second starts at about
#: 1 ms, then costs about a microsecond per match. The shares come from the statistics ANALYZE
#: keeps (`pg_stats`: the most common lexemes of the column and the share of rows each is in): a
#: word is in the rows that any common lexeme it begins is in (counted as independent), a word
#: beginning none of them is rare (0), and the rarest word bounds the share of rows holding all
#: of them. Words that go together less than that, or rows whose words change over time, are met
#: by reading in spans of three times the rows expected to be needed: when a span falls short,
#: the share it found decides again. From the index, a word in half the rows or more is left to
#: a recheck of each match: its posting list would cost more than it rules out.
#:
#: Both ways give the same rows: spans read from the newest row down hold every match among
#: them, so `lim` matches found there are the newest; the index gives all. Each query is planned
#: with the words known and without sequential scans (reading a whole table is never the way to
#: a few hundred matches). `SET client_min_messages = debug1` shows the way taken.
NEWEST = r"""
CREATE FUNCTION search_newest(tbl regclass, match text, lim integer)
RETURNS integer[] LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
DECLARE
    -- Costs in matches collected from the GIN index: the index's start (its entry tree and
    -- pending list, 1 to 2 ms), and a row read newest first per so many bytes a row takes.
    index_start constant double precision := 1000;
    row_bytes_per_match constant double precision := 1600;
    query tsquery := to_tsquery('dutch'::regconfig, match);
    row_cost double precision;
    narrow tsquery;
    table_rows double precision;
    share double precision;
    found integer[] := '{}';
    more integer[];
    wanted integer;
    span integer;
    span_read integer;
    below integer;
    walked bigint := 0;
    spans integer := 0;
BEGIN
    IF numnode(query) = 0 THEN
        RETURN found;  -- stop words only: matches nothing
    END IF;
    SELECT greatest(c.reltuples, 0),
           greatest(0.25, (pg_relation_size(c.oid)
                           + coalesce(pg_relation_size(nullif(c.reltoastrelid, 0)), 0))
                          / greatest(c.reltuples, 1) / row_bytes_per_match)
      INTO table_rows, row_cost
      FROM pg_class c WHERE c.oid = tbl;
    SELECT min(w.share),
           string_agg(format('''%s'':*', replace(replace(w.word, '\', '\\'), '''', '''''')), ' & ')
               FILTER (WHERE w.share < 0.5)
      INTO share, narrow
    FROM (
        SELECT w.word, 1 - exp(coalesce(sum(ln(1 - 0.999999 * e.share)), 0)) AS share
        FROM unnest(tsvector_to_array(to_tsvector('dutch'::regconfig, match))) AS w(word)
        LEFT JOIN (
            SELECT m.lexeme, m.share
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_stats s
              ON s.schemaname = n.nspname AND s.tablename = c.relname
             AND s.attname = 'search_vector' AND NOT s.inherited
            CROSS JOIN unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs)
              AS m(lexeme, share)
            WHERE c.oid = tbl
        ) e ON starts_with(e.lexeme, w.word)
        GROUP BY w.word
    ) w;
    LOOP
        wanted := lim - cardinality(found);
        EXIT WHEN spans = 4 OR share IS NULL OR share <= 0
            OR wanted / share * row_cost > index_start + share * table_rows;
        span := least(ceil(3 * wanted / share), 1000000000)::integer;
        EXECUTE format(
            'SELECT array(SELECT newest.id FROM'
            ' (SELECT id, search_vector FROM %s WHERE $4 IS NULL OR id < $4'
            '  ORDER BY id DESC LIMIT $3) AS newest'
            ' WHERE newest.search_vector @@ $1 LIMIT $2)', tbl)
            INTO more USING query, wanted, span, below;
        found := found || more;
        spans := spans + 1;
        IF cardinality(found) >= lim THEN
            RAISE DEBUG 'search_newest(%): newest first, % spans', tbl, spans;
            RETURN found;
        END IF;
        -- The whole span was read: where it ended, and how many rows it had.
        EXECUTE format(
            'SELECT min(id), count(*) FROM (SELECT id FROM %s WHERE $2 IS NULL OR id < $2'
            ' ORDER BY id DESC LIMIT $1) AS newest', tbl)
            INTO below, span_read USING span, below;
        walked := walked + span_read;
        IF span_read < span THEN
            RAISE DEBUG 'search_newest(%): newest first, every row', tbl;
            RETURN found;  -- no rows left: every match found
        END IF;
        share := cardinality(more)::double precision / span;
    END LOOP;
    IF narrow IS NULL OR numnode(narrow) = numnode(query) THEN
        EXECUTE format(
            'SELECT array(SELECT id FROM %s WHERE search_vector @@ $1'
            ' ORDER BY id + 0 DESC LIMIT $2)', tbl)
            INTO found USING query, lim;
        RAISE DEBUG 'search_newest(%): from the index, after % rows newest first', tbl, walked;
    ELSE
        -- The rarer words from the index, all words checked on what they find (as the
        -- function, which no index serves: the common words stay out of the index).
        EXECUTE format(
            'SELECT array(SELECT id FROM %s WHERE search_vector @@ $3'
            ' AND ts_match_vq(search_vector, $1) ORDER BY id + 0 DESC LIMIT $2)', tbl)
            INTO found USING query, lim, narrow;
        RAISE DEBUG 'search_newest(%): from the index for %, the other words checked, after % rows newest first',
            tbl, narrow, walked;
    END IF;
    RETURN found;
END
$$
"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(NEWEST)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS search_newest(regclass, text, integer)")
