"""Warm-up of a new server process: every configured step runs, a failing one is skipped."""

from __future__ import annotations

import pytest

from amtshilfe.board.triage import routing
from amtshilfe.core import warmup
from amtshilfe.core.management.commands.serve import gunicorn_options

CALLS: list[str] = []


def first_step() -> None:
    CALLS.append("first")


def broken_step() -> None:
    raise RuntimeError("model file missing")


def last_step() -> None:
    CALLS.append("last")


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()


@pytest.mark.django_db
def test_it_runs_every_step_in_order_and_skips_a_failing_one(settings):
    here = __name__
    settings.AMTSHILFE_WARM_UP = [f"{here}.first_step", f"{here}.broken_step", f"{here}.last_step"]
    failed = warmup.warm_up()
    assert CALLS == ["first", "last"]
    assert failed == [f"{here}.broken_step"]


@pytest.mark.django_db(transaction=True)
def test_it_warms_in_a_daemon_thread(settings):
    settings.AMTSHILFE_WARM_UP = [f"{__name__}.first_step"]
    thread = warmup.start_warm_up()
    thread.join(timeout=10)
    assert thread.daemon
    assert CALLS == ["first"]


def test_it_trains_the_triage_model_of_every_network(personas):
    routing._models.clear()
    routing.warm_up_triage()
    assert set(routing._models) == {personas.network.pk, personas.other_network.pk}


def test_it_warms_every_gunicorn_worker():
    options = gunicorn_options(host="127.0.0.1", port=8000, workers=2, threads=8, access_log=False)
    assert callable(options["post_worker_init"])
