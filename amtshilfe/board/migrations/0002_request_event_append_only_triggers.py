"""Database triggers that refuse UPDATE and DELETE on request events (SQLite and PostgreSQL).

The history of a request feeds indicators and process analysis; like the audit log
(core/0002), not even raw SQL from the application may rewrite it.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER board_requestevent_no_update BEFORE UPDATE ON board_requestevent
       BEGIN SELECT RAISE(ABORT, 'request events are append-only'); END;""",
    """CREATE TRIGGER board_requestevent_no_delete BEFORE DELETE ON board_requestevent
       BEGIN SELECT RAISE(ABORT, 'request events are append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS board_requestevent_no_update;",
    "DROP TRIGGER IF EXISTS board_requestevent_no_delete;",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION board_requestevent_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'request events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER board_requestevent_no_change BEFORE UPDATE OR DELETE ON board_requestevent
       FOR EACH ROW EXECUTE FUNCTION board_requestevent_refuse_change();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS board_requestevent_no_change ON board_requestevent;",
    "DROP FUNCTION IF EXISTS board_requestevent_refuse_change();",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("board", "0001_requests_boards_comments")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
