"""The lexical search index: an FTS5 table on SQLite, a weighted tsvector + GIN on PostgreSQL.

Both index our own analysed terms (Passage.title_terms / Passage.terms), so the database only
splits on spaces: SQLite's unicode61 tokenizer and PostgreSQL's 'simple' configuration.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE wiki_passage_fts USING fts5(
           title_terms, terms, passage_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 0'
       );""",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS wiki_passage_fts;"]
POSTGRES_FORWARD = [
    "ALTER TABLE wiki_passage ADD COLUMN search_vector tsvector;",
    "CREATE INDEX wiki_passage_search_vector ON wiki_passage USING GIN (search_vector);",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS wiki_passage_search_vector;",
    "ALTER TABLE wiki_passage DROP COLUMN IF EXISTS search_vector;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0001_articles_revisions_search_index")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
