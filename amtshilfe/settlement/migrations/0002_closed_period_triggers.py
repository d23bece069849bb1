"""Database triggers that keep a closed settlement period unchangeable (SQLite, PostgreSQL).

- A closed period refuses every UPDATE and DELETE.
- Statements, transfers and objections of a closed period refuse INSERT, UPDATE and DELETE.

The close service itself writes statements and transfers while the period is still
``in_review`` and flips the status last, so it passes these guards (ADR 0012).
"""

from django.db import migrations

CLOSED = "'closed'"
CHILD_TABLES = ["settlement_statement", "settlement_transfer", "settlement_objection"]


def _status(ref: str) -> str:
    return f"(SELECT status FROM settlement_settlementperiod WHERE id = {ref}.period_id)"


def _sqlite_triggers() -> dict[str, tuple[str, str, str]]:
    triggers = {
        "settlement_period_closed_update": (
            "UPDATE",
            "settlement_settlementperiod",
            f"OLD.status = {CLOSED}",
        ),
        "settlement_period_closed_delete": (
            "DELETE",
            "settlement_settlementperiod",
            f"OLD.status = {CLOSED}",
        ),
    }
    for table in CHILD_TABLES:
        triggers[f"{table}_closed_insert"] = ("INSERT", table, f"{_status('NEW')} = {CLOSED}")
        triggers[f"{table}_closed_update"] = ("UPDATE", table, f"{_status('OLD')} = {CLOSED}")
        triggers[f"{table}_closed_delete"] = ("DELETE", table, f"{_status('OLD')} = {CLOSED}")
    return triggers


MESSAGE = "a closed settlement period cannot change"

POSTGRES_FUNCTIONS = {
    "settlement_period_guard": f"""
        IF OLD.status = {CLOSED} THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;""",
    "settlement_child_guard": f"""
        IF (TG_OP != 'INSERT' AND (SELECT status FROM settlement_settlementperiod
                                   WHERE id = OLD.period_id) = {CLOSED})
           OR (TG_OP != 'DELETE' AND (SELECT status FROM settlement_settlementperiod
                                      WHERE id = NEW.period_id) = {CLOSED}) THEN
            RAISE EXCEPTION '{MESSAGE}';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;""",
}
POSTGRES_TRIGGERS = [
    ("settlement_period_guard", "UPDATE OR DELETE", "settlement_settlementperiod"),
] + [("settlement_child_guard", "INSERT OR UPDATE OR DELETE", table) for table in CHILD_TABLES]


def _sqlite_forward() -> list[str]:
    return [
        f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {when} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        for name, (event, table, when) in _sqlite_triggers().items()
    ]


def _sqlite_backward() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name};" for name in _sqlite_triggers()]


def _postgres_forward() -> list[str]:
    statements = [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} END; $$ "
        "LANGUAGE plpgsql;"
        for name, body in POSTGRES_FUNCTIONS.items()
    ]
    statements += [
        f"CREATE TRIGGER {table}_guard BEFORE {events} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}();"
        for function, events, table in POSTGRES_TRIGGERS
    ]
    return statements


def _postgres_backward() -> list[str]:
    statements = [
        f"DROP TRIGGER IF EXISTS {table}_guard ON {table};" for _f, _e, table in POSTGRES_TRIGGERS
    ]
    statements += [f"DROP FUNCTION IF EXISTS {name}();" for name in POSTGRES_FUNCTIONS]
    return statements


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite_forward, "postgresql": _postgres_forward}.get(vendor)
    for statement in statements() if statements else []:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite_backward, "postgresql": _postgres_backward}.get(vendor)
    for statement in statements() if statements else []:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("settlement", "0001_compensation_periods_statements")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
