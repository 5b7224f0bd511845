"""Text search of the case list at a million cases (issue #25 item 6): a GIN index over the
character bigrams of a case's title and content (PostgreSQL only).

``xn_bigrams(text)`` turns a text into the set of its overlapping two-character lexemes
(lower-cased, none containing white space) as a ``tsvector``; the index is on that expression,
so nothing has to keep a column up to date and nothing has to be backfilled: the index is built
with ``CREATE INDEX CONCURRENTLY`` (writes go on while it is built on a big table) and kept by
PostgreSQL on every insert and update of the text. SQLite has neither; its search stays LIKE.
See docs/performance.md ("Office pages at one million cases") for why bigrams and not pg_trgm.
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION xn_bigrams(value text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT gram)), ''::tsvector)
    FROM (SELECT lower(value) AS lowered) AS source,
        LATERAL (
            SELECT substr(lowered, i, 2) AS gram
            FROM generate_series(1, char_length(lowered) - 1) AS i
        ) AS grams
    WHERE gram !~ '\s'
$$
"""
INDEX = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS case_text_bigrams ON cases_case "
    "USING gin (xn_bigrams(title || ' ' || content))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS case_text_bigrams")
    schema_editor.execute("DROP FUNCTION IF EXISTS xn_bigrams(text)")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("cases", "0010_reply_composer")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
