"""`amtshilfe demo --no-serve`: migrate, load, print the logins; `demo` alone also serves."""

from __future__ import annotations

import io
from unittest import mock

from django.core.management import call_command

from amtshilfe.accounts.models import User
from amtshilfe.core.models import AuditEvent


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_it_loads_the_demo_and_prints_the_logins_in_german(db):
    output = run_demo("--no-serve")
    assert "Demo-Zugänge" in output
    for line in ("koordination", "Netzwerk-Koordination", "verwaltung.coswig", "Coswig"):
        assert line in output
    assert "Passwort für alle Demo-Konten: amtshilfe-demo" in output
    assert "73 Artikel neu angelegt" in output
    assert User.objects.filter(username="it.radebeul").exists()


def test_it_names_only_the_variable_when_the_password_is_not_the_default(db, settings):
    settings.AMTSHILFE_DEMO_PASSWORD = "geheim-und-lang"
    output = run_demo("--no-serve")
    assert "AMTSHILFE_DEMO_PASSWORD" in output and "geheim-und-lang" not in output


def test_it_changes_nothing_when_run_twice(db):
    run_demo("--no-serve")
    users, events = User.objects.count(), AuditEvent.objects.count()
    output = run_demo("--no-serve")
    assert "bereits vollständig geladen" in output
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_it_serves_unless_told_not_to(db):
    with mock.patch("amtshilfe.demo.management.commands.demo.call_command") as call:
        run_demo("--port", "8123", "--host", "127.0.0.2")
    names = [c.args[0] for c in call.call_args_list]
    assert names == ["migrate", "serve"]  # collectstatic is skipped in tests
    assert call.call_args_list[-1].kwargs == {"port": 8123, "host": "127.0.0.2"}
