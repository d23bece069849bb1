"""`amtshilfe serve [--port 8000] [--host 127.0.0.1] [--workers N] [--threads N]`.

Serves ``amtshilfe.wsgi:application`` with gunicorn, the production WSGI server, started
programmatically (no second configuration file). Threaded workers (``gthread``): most time in
a request is spent waiting for the database, and SQLite allows one writer at a time anyway,
so two processes with eight threads each carry a Landkreis network; on PostgreSQL one
process per CPU core. Static files are served by WhiteNoise from STATIC_ROOT
(`amtshilfe collectstatic`), so no separate web server is needed on one machine.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _


def default_concurrency(vendor: str) -> tuple[int, int]:
    """(workers, threads) for a database vendor ("sqlite", "postgresql", ...).

    PostgreSQL: at most 8 processes, so with persistent connections (one per thread) the
    server stays at 64 connections, below PostgreSQL's default limit of 100.
    """
    if vendor == "sqlite":
        return 2, 8
    return max(2, min(os.cpu_count() or 2, 8)), 8


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int, access_log: bool
) -> dict[str, Any]:
    """The gunicorn settings ``serve`` uses (keys as in gunicorn's configuration file)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "amtshilfe",
        "timeout": 60,
        "graceful_timeout": 20,
        # gunicorn >= 24 opens a control socket at a fixed path in $HOME; two servers
        # (demo and `make bench`) would fight over it, and we do not use it.
        "control_socket_disable": True,
        # Each worker loads models and indexes in the background once it runs (core/warmup).
        "post_worker_init": _warm_up_worker,
    }


def _warm_up_worker(worker: Any) -> None:
    from amtshilfe.core.warmup import start_warm_up

    start_warm_up()


def url_for(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104 (only displayed)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


class Command(BaseCommand):
    help = "Serves Amtshilfe with gunicorn (production WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for all)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes (default: 2 on SQLite, CPU cores on PostgreSQL)",
        )
        parser.add_argument(
            "--threads", type=int, default=None, help="threads per process (default: 8)"
        )
        parser.add_argument(
            "--access-log", action="store_true", help="log every request to standard output"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        self._check_static_files()
        workers, threads = default_concurrency(connections["default"].vendor)
        config = gunicorn_options(
            host=options["host"],
            port=options["port"],
            workers=options["workers"] or workers,
            threads=options["threads"] or threads,
            access_log=options["access_log"],
        )

        class Server(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    if key in self.cfg.settings:  # control_socket_disable: gunicorn >= 24
                        self.cfg.set(key, value)

            def load(self) -> Any:
                from amtshilfe.wsgi import application

                return application

        self.stdout.write(
            _(
                "Amtshilfe läuft unter %(url)s (%(workers)d Prozesse × %(threads)d Threads) – "
                "beenden mit Strg+C."
            )
            % {
                "url": url_for(options["host"], options["port"]),
                "workers": config["workers"],
                "threads": config["threads"],
            }
        )
        self.stdout.flush()
        # The workers are forked from this process: no database connection may be shared.
        connections.close_all()
        Server().run()

    def _check_static_files(self) -> None:
        """Fail early instead of answering every page with 500 (manifest entry missing)."""
        storage = storages["staticfiles"]
        if isinstance(storage, ManifestFilesMixin) and not storage.manifest_storage.exists(
            storage.manifest_name
        ):
            raise CommandError(
                _(
                    "Die statischen Dateien fehlen in %(root)s. Führen Sie zuerst "
                    "„amtshilfe collectstatic --noinput“ aus (oder „amtshilfe demo“)."
                )
                % {"root": settings.STATIC_ROOT}
            )
