"""System checks for production mistakes (`amtshilfe check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if not settings.HTTPS:
        problems.append(
            Warning(
                "AMTSHILFE_HTTPS is not set: cookies are sent without the Secure flag and no "
                "HSTS header is sent.",
                hint="Serve Amtshilfe behind TLS and set AMTSHILFE_HTTPS=true.",
                id="amtshilfe.W001",
            )
        )
    if settings.SITE_URL.startswith("http://") and settings.HTTPS:
        problems.append(
            Error(
                "AMTSHILFE_SITE_URL starts with http:// although AMTSHILFE_HTTPS=true.",
                hint="Set AMTSHILFE_SITE_URL to the https:// address users open.",
                id="amtshilfe.E002",
            )
        )
    hosts = [
        host for host in settings.ALLOWED_HOSTS if host not in ("localhost", "127.0.0.1", "[::1]")
    ]
    if settings.HTTPS and not hosts:
        problems.append(
            Error(
                "AMTSHILFE_ALLOWED_HOSTS only lists local addresses.",
                hint="Add the host name under which users reach Amtshilfe.",
                id="amtshilfe.E003",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(
            Error(
                "AMTSHILFE_ALLOWED_HOSTS contains '*', which allows host header attacks.",
                id="amtshilfe.E004",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(
            Warning(
                "E-mail is only printed to the console, no notification reaches anybody.",
                hint="Set AMTSHILFE_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend "
                "and AMTSHILFE_EMAIL_HOST.",
                id="amtshilfe.W005",
            )
        )
    return problems


@register(Tags.database)
def check_sqlite_wal(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and "journal_mode=WAL" not in database.get(
        "OPTIONS", {}
    ).get("init_command", ""):
        return [Error("SQLite is used without WAL journal mode.", id="amtshilfe.E006")]
    return []
