"""Database triggers that keep decisions unchangeable (SQLite and PostgreSQL).

- A decided or withdrawn proposal refuses every UPDATE; an open one refuses changes to its
  text, deadline and rules; only drafts may be deleted.
- Votes may be written only while their proposal is open.
- Attachments may be added, changed and removed only while their proposal is a draft.
- Comments may be added only before the decision and are never changed or deleted.
- Revisions and decision reasons are append-only.
"""

from django.db import migrations

FROZEN_COLUMNS = [
    "subject",
    "background",
    "options",
    "recommendation",
    "costs_amount",
    "costs_text",
    "result_visibility",
    "supersedes_id",
    "deadline",
    "quorum_kind",
    "quorum_value",
    "majority_rule",
    "eligible_count",
    "network_id",
    "year",
    "sequence",
]
FINAL = "('decided', 'withdrawn')"

SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN_COLUMNS)
PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN_COLUMNS)


def _sqlite_guard(name: str, event: str, table: str, when: str, message: str) -> str:
    return (
        f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {when} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
    )


def _status(ref: str) -> str:
    return f"(SELECT status FROM decisions_proposal WHERE id = {ref}.proposal_id)"


SQLITE_TRIGGERS = {
    "decisions_proposal_final": (
        "UPDATE",
        "decisions_proposal",
        f"OLD.status IN {FINAL}",
        "a decided or withdrawn proposal cannot change",
    ),
    "decisions_proposal_frozen": (
        "UPDATE",
        "decisions_proposal",
        f"OLD.status = 'open' AND ({SQLITE_CHANGED})",
        "the text of a proposal is frozen once voting has opened",
    ),
    "decisions_proposal_no_delete": (
        "DELETE",
        "decisions_proposal",
        "OLD.status != 'draft'",
        "only drafts can be deleted",
    ),
    "decisions_vote_insert": (
        "INSERT",
        "decisions_vote",
        f"{_status('NEW')} != 'open'",
        "votes only while voting is open",
    ),
    "decisions_vote_update": (
        "UPDATE",
        "decisions_vote",
        f"{_status('OLD')} != 'open'",
        "votes only while voting is open",
    ),
    "decisions_vote_delete": (
        "DELETE",
        "decisions_vote",
        f"{_status('OLD')} != 'open'",
        "votes only while voting is open",
    ),
    "decisions_attachment_insert": (
        "INSERT",
        "decisions_proposalattachment",
        f"{_status('NEW')} != 'draft'",
        "attachments only while the proposal is a draft",
    ),
    "decisions_attachment_update": (
        "UPDATE",
        "decisions_proposalattachment",
        f"{_status('OLD')} != 'draft'",
        "attachments only while the proposal is a draft",
    ),
    "decisions_attachment_delete": (
        "DELETE",
        "decisions_proposalattachment",
        f"{_status('OLD')} != 'draft'",
        "attachments only while the proposal is a draft",
    ),
    "decisions_comment_insert": (
        "INSERT",
        "decisions_proposalcomment",
        f"{_status('NEW')} IN {FINAL}",
        "comments are closed after the decision",
    ),
    "decisions_comment_update": (
        "UPDATE",
        "decisions_proposalcomment",
        "1",
        "comments are append-only",
    ),
    "decisions_comment_delete": (
        "DELETE",
        "decisions_proposalcomment",
        "1",
        "comments are append-only",
    ),
    "decisions_revision_update": (
        "UPDATE",
        "decisions_proposalrevision",
        "1",
        "revisions are append-only",
    ),
    "decisions_revision_delete": (
        "DELETE",
        "decisions_proposalrevision",
        "1",
        "revisions are append-only",
    ),
    "decisions_reasons_update": (
        "UPDATE",
        "decisions_decisionreasons",
        "1",
        "decision reasons are append-only",
    ),
    "decisions_reasons_delete": (
        "DELETE",
        "decisions_decisionreasons",
        "1",
        "decision reasons are append-only",
    ),
}

POSTGRES_FUNCTIONS = {
    "decisions_proposal_guard": f"""
        IF TG_OP = 'DELETE' THEN
            IF OLD.status != 'draft' THEN RAISE EXCEPTION 'only drafts can be deleted'; END IF;
            RETURN OLD;
        END IF;
        IF OLD.status IN {FINAL} THEN
            RAISE EXCEPTION 'a decided or withdrawn proposal cannot change';
        END IF;
        IF OLD.status = 'open' AND ({PG_CHANGED}) THEN
            RAISE EXCEPTION 'the text of a proposal is frozen once voting has opened';
        END IF;
        RETURN NEW;""",
    "decisions_vote_guard": """
        IF (SELECT status FROM decisions_proposal
            WHERE id = COALESCE(NEW.proposal_id, OLD.proposal_id)) != 'open' THEN
            RAISE EXCEPTION 'votes only while voting is open';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;""",
    "decisions_attachment_guard": """
        IF (SELECT status FROM decisions_proposal
            WHERE id = COALESCE(NEW.proposal_id, OLD.proposal_id)) != 'draft' THEN
            RAISE EXCEPTION 'attachments only while the proposal is a draft';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;""",
    "decisions_comment_guard": f"""
        IF TG_OP != 'INSERT' THEN RAISE EXCEPTION 'comments are append-only'; END IF;
        IF (SELECT status FROM decisions_proposal WHERE id = NEW.proposal_id) IN {FINAL} THEN
            RAISE EXCEPTION 'comments are closed after the decision';
        END IF;
        RETURN NEW;""",
    "decisions_append_only": """
        RAISE EXCEPTION 'revisions and decision reasons are append-only';""",
}
POSTGRES_TRIGGERS = [
    ("decisions_proposal_guard", "UPDATE OR DELETE", "decisions_proposal"),
    ("decisions_vote_guard", "INSERT OR UPDATE OR DELETE", "decisions_vote"),
    ("decisions_attachment_guard", "INSERT OR UPDATE OR DELETE", "decisions_proposalattachment"),
    ("decisions_comment_guard", "INSERT OR UPDATE OR DELETE", "decisions_proposalcomment"),
    ("decisions_append_only", "UPDATE OR DELETE", "decisions_proposalrevision"),
    ("decisions_append_only", "UPDATE OR DELETE", "decisions_decisionreasons"),
]


def _sqlite_forward() -> list[str]:
    return [_sqlite_guard(name, *spec) for name, spec in SQLITE_TRIGGERS.items()]


def _sqlite_backward() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name};" for name in SQLITE_TRIGGERS]


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
    dependencies = [("decisions", "0001_proposals_votes_register")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
