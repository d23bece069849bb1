"""PostgreSQL: the weighted tsvector moves from the wide passage row into a narrow table.

Ranking reads the tsvector of every passage that matches any query term. In the passage row
it shared the heap pages with the text, the analysed terms and the embedding (about three
rows per page), so a query touching 4,000 postings read over a thousand scattered pages
(p95 0.6 s at 500,000 passages). The narrow table keeps dozens of vectors per page, like
SQLite's FTS5 table. SQLite is unchanged.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    # No foreign key: Django's test flush truncates the tables it knows, and PostgreSQL
    # refuses to truncate a table that an unknown table references. Triggers keep the rows
    # in step instead (a deleted or truncated passage takes its lexemes along).
    """CREATE TABLE wiki_passage_lexemes (
           passage_id bigint PRIMARY KEY,
           search_vector tsvector NOT NULL
       );""",
    """CREATE FUNCTION wiki_passage_lexemes_delete() RETURNS trigger AS $$
       BEGIN
           DELETE FROM wiki_passage_lexemes WHERE passage_id = OLD.id;
           RETURN OLD;
       END $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER wiki_passage_lexemes_delete AFTER DELETE ON wiki_passage
       FOR EACH ROW EXECUTE FUNCTION wiki_passage_lexemes_delete();""",
    """CREATE FUNCTION wiki_passage_lexemes_truncate() RETURNS trigger AS $$
       BEGIN
           TRUNCATE wiki_passage_lexemes;
           RETURN NULL;
       END $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER wiki_passage_lexemes_truncate AFTER TRUNCATE ON wiki_passage
       FOR EACH STATEMENT EXECUTE FUNCTION wiki_passage_lexemes_truncate();""",
    """INSERT INTO wiki_passage_lexemes (passage_id, search_vector)
       SELECT id, search_vector FROM wiki_passage WHERE search_vector IS NOT NULL;""",
    "CREATE INDEX wiki_passage_lexemes_gin ON wiki_passage_lexemes USING GIN (search_vector);",
    "DROP INDEX IF EXISTS wiki_passage_search_vector;",
    "ALTER TABLE wiki_passage DROP COLUMN IF EXISTS search_vector;",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE wiki_passage ADD COLUMN search_vector tsvector;",
    """UPDATE wiki_passage p SET search_vector = l.search_vector
       FROM wiki_passage_lexemes l WHERE l.passage_id = p.id;""",
    "CREATE INDEX wiki_passage_search_vector ON wiki_passage USING GIN (search_vector);",
    "DROP TRIGGER IF EXISTS wiki_passage_lexemes_delete ON wiki_passage;",
    "DROP TRIGGER IF EXISTS wiki_passage_lexemes_truncate ON wiki_passage;",
    "DROP FUNCTION IF EXISTS wiki_passage_lexemes_delete();",
    "DROP FUNCTION IF EXISTS wiki_passage_lexemes_truncate();",
    "DROP TABLE IF EXISTS wiki_passage_lexemes;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0002_full_text_index")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
