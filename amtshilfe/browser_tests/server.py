"""A throw-away Amtshilfe server for the browser tests: demo data, gunicorn, own database.

1. A fresh data directory (SQLite database, secret key, collected static files).
2. With ``DATABASE_URL`` (CI's PostgreSQL run) a database of its own on the same server,
   ``amtshilfe_browser_<pid>``, so the ``test`` database of the unit tests is never touched;
   it is dropped afterwards.
3. ``amtshilfe demo --no-serve`` (migrate, collectstatic, demo network) in a subprocess.
4. ``amtshilfe serve --port N`` in a subprocess of its own process group, polled until it
   answers, stopped with SIGTERM (SIGKILL after a grace period) at the end.

Nothing here uses Django's test database machinery: the audit log refuses DELETE, so a
flushing ``live_server`` cannot work, and the server should run exactly as in production.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEMO_PASSWORD = "browser-test-passwort"
DEMO_TIMEOUT = 600  # seconds for migrate + collectstatic + demo data
START_TIMEOUT = 60  # seconds until the server answers


class ServerError(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoServer:
    base_url: str
    data_dir: Path
    log_path: Path
    password: str = DEMO_PASSWORD

    def url(self, path: str) -> str:
        return self.base_url + path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "amtshilfe.cli", *args]


@contextmanager
def own_postgres_database(database_url: str) -> Iterator[str]:
    """Create ``amtshilfe_browser_<pid>`` next to the database in ``database_url``."""
    import psycopg
    from psycopg import sql

    name = f"amtshilfe_browser_{os.getpid()}"
    parts = urlsplit(database_url)
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "AMTSHILFE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "amtshilfe.settings",
            "AMTSHILFE_DATA_DIR": str(data_dir),
            "AMTSHILFE_DEMO_PASSWORD": DEMO_PASSWORD,
            "AMTSHILFE_DEBUG": "false",
            "AMTSHILFE_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _wait_until_answering(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(
                f"`amtshilfe serve` exited with {process.returncode}:\n" + _tail(log_path)
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (own server)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise ServerError(
        f"`amtshilfe serve` did not answer on {url} within {START_TIMEOUT} s:\n" + _tail(log_path)
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    # The server runs in its own process group (gunicorn master and workers): end exactly that.
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def demo_server(data_dir: Path) -> Iterator[DemoServer]:
    """Load the demo network into a fresh data directory and serve it on a free port."""
    outer_database_url = os.environ.get("DATABASE_URL")
    with (
        own_postgres_database(outer_database_url) if outer_database_url else _no_database()
    ) as database_url:
        env = _environment(data_dir, database_url)
        demo_log = data_dir / "demo.log"
        with demo_log.open("wb") as log:
            result = subprocess.run(  # noqa: S603 (our own command line)
                _command("demo", "--no-serve"),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=DEMO_TIMEOUT,
                check=False,
            )
        if result.returncode != 0:
            raise ServerError(
                f"`amtshilfe demo --no-serve` exited with {result.returncode}:\n" + _tail(demo_log)
            )
        port = _free_port()
        serve_log = data_dir / "serve.log"
        with serve_log.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 (our own command line)
                _command("serve", "--port", str(port)),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_answering(base_url + "/", process, serve_log)
            yield DemoServer(base_url=base_url, data_dir=data_dir, log_path=serve_log)
        finally:
            _stop(process)


@contextmanager
def _no_database() -> Iterator[None]:
    yield None
