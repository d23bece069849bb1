"""`amtshilfe check --deploy` is clean with production settings and warns without them."""

from __future__ import annotations

import os
import subprocess
import sys

PRODUCTION_ENV = {
    "AMTSHILFE_HTTPS": "true",
    "AMTSHILFE_ALLOWED_HOSTS": "amtshilfe.kreis-meissen.example",
    "AMTSHILFE_SITE_URL": "https://amtshilfe.kreis-meissen.example",
    "AMTSHILFE_SECRET_KEY": "k3v-" + "x7Qp9Lm2Zr8Wt4Yn6Bv1Cd5Fg0Hj3Ks" * 2,
    "AMTSHILFE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "AMTSHILFE_EMAIL_HOST": "mail.kreis-meissen.example",
}


def run_check(tmp_path, extra_env):
    env = {key: value for key, value in os.environ.items() if not key.startswith("AMTSHILFE_")}
    env.update({"AMTSHILFE_DATA_DIR": str(tmp_path), **extra_env})
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [sys.executable, "-m", "amtshilfe.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_reports_no_issues_with_production_settings(tmp_path):
    result = run_check(tmp_path, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_it_warns_when_https_is_not_configured(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "AMTSHILFE_HTTPS"}
    env["AMTSHILFE_SITE_URL"] = "http://127.0.0.1:8000"
    result = run_check(tmp_path, env)
    assert result.returncode != 0
    assert "amtshilfe.W001" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout  # no HSTS
