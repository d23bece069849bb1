"""`amtshilfe serve`: gunicorn with threaded workers, and a quick real start."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from amtshilfe.core.management.commands.serve import (
    default_concurrency,
    gunicorn_options,
    url_for,
)


def test_it_uses_threaded_workers_without_access_log_by_default():
    options = gunicorn_options(host="127.0.0.1", port=8000, workers=2, threads=8, access_log=False)
    assert options["bind"] == ["127.0.0.1:8000"]
    assert options["worker_class"] == "gthread"
    assert (options["workers"], options["threads"]) == (2, 8)
    assert options["accesslog"] is None


def test_it_brackets_ipv6_addresses():
    options = gunicorn_options(host="::1", port=8000, workers=1, threads=1, access_log=True)
    assert options["bind"] == ["[::1]:8000"] and options["accesslog"] == "-"
    assert url_for("::1", 8000) == "http://[::1]:8000/"
    assert url_for("0.0.0.0", 8080) == "http://127.0.0.1:8080/"


def test_it_uses_two_processes_with_eight_threads_on_sqlite():
    assert default_concurrency("sqlite") == (2, 8)
    workers, threads = default_concurrency("postgresql")
    assert 2 <= workers <= 8 and threads == 8


def test_it_refuses_to_start_without_collected_static_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path / "static"
    with pytest.raises(CommandError, match="collectstatic"):
        call_command("serve", port=1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_it_serves_the_application(tmp_path: Path):
    port = free_port()
    env = {
        **os.environ,
        "AMTSHILFE_DATA_DIR": str(tmp_path),
        "AMTSHILFE_TESTING": "1",
        "AMTSHILFE_BENCH_CEILING": "1",
        "DJANGO_SETTINGS_MODULE": "amtshilfe.settings",
    }
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "amtshilfe.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, body = None, b""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/bench/ceiling/")
                response = conn.getresponse()
                status, body = response.status, response.read()
                break
            except OSError:
                time.sleep(0.2)
        assert (status, body) == (200, b"ok")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode()
    assert f"Amtshilfe läuft unter http://127.0.0.1:{port}/" in output
    assert "gthread" in output
