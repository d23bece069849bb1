"""Triggers that keep closed periods closed, on SQLite and PostgreSQL.

1. A ``timeaccounting_timeentry`` row may not be inserted, updated or deleted when its date
   (the old one or the new one) lies in a ``timeaccounting_closedrange`` of the same network.
2. ``timeaccounting_closedrange`` is insert-only: UPDATE and DELETE abort.

The services refuse the same with a German message first; the triggers are the backstop
against raw SQL, bulk operations and bugs (like the audit log in ``core/0002``). The SQL
differs per vendor, so each statement list runs only on its vendor.
"""

from django.db import migrations

CLOSED = "time entries of a closed period cannot be changed"
FROZEN = "closed ranges cannot be changed"


def _in_closed(row: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM timeaccounting_closedrange r "
        f"WHERE r.network_id = {row}.network_id "
        f"AND {row}.date >= r.starts_on AND {row}.date <= r.ends_on)"
    )


SQLITE_FORWARD = [
    f"""CREATE TRIGGER timeaccounting_timeentry_closed_insert
       BEFORE INSERT ON timeaccounting_timeentry WHEN {_in_closed("NEW")}
       BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END;""",
    f"""CREATE TRIGGER timeaccounting_timeentry_closed_update
       BEFORE UPDATE ON timeaccounting_timeentry WHEN {_in_closed("OLD")} OR {_in_closed("NEW")}
       BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END;""",
    f"""CREATE TRIGGER timeaccounting_timeentry_closed_delete
       BEFORE DELETE ON timeaccounting_timeentry WHEN {_in_closed("OLD")}
       BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END;""",
    f"""CREATE TRIGGER timeaccounting_closedrange_no_update
       BEFORE UPDATE ON timeaccounting_closedrange
       BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END;""",
    f"""CREATE TRIGGER timeaccounting_closedrange_no_delete
       BEFORE DELETE ON timeaccounting_closedrange
       BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS timeaccounting_timeentry_closed_insert;",
    "DROP TRIGGER IF EXISTS timeaccounting_timeentry_closed_update;",
    "DROP TRIGGER IF EXISTS timeaccounting_timeentry_closed_delete;",
    "DROP TRIGGER IF EXISTS timeaccounting_closedrange_no_update;",
    "DROP TRIGGER IF EXISTS timeaccounting_closedrange_no_delete;",
]
POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION timeaccounting_timeentry_refuse_closed() RETURNS trigger AS $$
       BEGIN
         IF TG_OP IN ('UPDATE', 'DELETE') THEN
           IF {_in_closed("OLD")} THEN RAISE EXCEPTION '{CLOSED}'; END IF;
         END IF;
         IF TG_OP IN ('INSERT', 'UPDATE') THEN
           IF {_in_closed("NEW")} THEN RAISE EXCEPTION '{CLOSED}'; END IF;
           RETURN NEW;
         END IF;
         RETURN OLD;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER timeaccounting_timeentry_closed
       BEFORE INSERT OR UPDATE OR DELETE ON timeaccounting_timeentry
       FOR EACH ROW EXECUTE FUNCTION timeaccounting_timeentry_refuse_closed();""",
    f"""CREATE OR REPLACE FUNCTION timeaccounting_closedrange_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '{FROZEN}'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER timeaccounting_closedrange_no_change
       BEFORE UPDATE OR DELETE ON timeaccounting_closedrange
       FOR EACH ROW EXECUTE FUNCTION timeaccounting_closedrange_refuse_change();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS timeaccounting_timeentry_closed ON timeaccounting_timeentry;",
    "DROP FUNCTION IF EXISTS timeaccounting_timeentry_refuse_closed();",
    "DROP TRIGGER IF EXISTS timeaccounting_closedrange_no_change ON timeaccounting_closedrange;",
    "DROP FUNCTION IF EXISTS timeaccounting_closedrange_refuse_change();",
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
    dependencies = [("timeaccounting", "0001_initial")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
