"""`amtshilfe settle` and `/api/v1/settlement/...` (same visibility as the pages)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.settlement.models import SettlementPeriod
from amtshilfe.settlement.tests.data import book_example, scheme

NOW = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


@pytest.fixture
def booked(personas):
    book_example(personas)
    scheme(personas, objection_days=0)
    with time_machine.travel(NOW, tick=False):
        yield personas


def settle(*args):
    out = StringIO()
    call_command("settle", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_preview_as_json(booked):
    data = json.loads(settle("--network", "testkreis", "--period", "2026-10", "--json"))
    assert data["period"]["status"] == "preview"
    assert {s["municipality"]["name"]: s["balance_cents"] for s in data["statements"]} == {
        "Meißen": -12000,
        "Riesa": 12000,
    }
    assert data["transfers"] == [{"from": "Meißen", "to": "Riesa", "amount_cents": 12000}]
    assert data["sum_of_balances_cents"] == 0
    assert not SettlementPeriod.objects.exists()


def test_it_prints_text_and_closes(booked):
    text = settle("--network", "testkreis", "--period", "2026-10")
    assert "Meißen → Riesa: 120,00 €" in text
    settle("--network", "testkreis", "--period", "2026-10", "--review")
    text = settle("--network", "testkreis", "--period", "2026-10", "--close")
    assert "abgeschlossen" in text and "Prüfsumme" in text
    assert SettlementPeriod.objects.get().status == "closed"


def test_it_explains_bad_input_in_german(booked):
    with pytest.raises(CommandError, match="Unbekannter Zeitraum"):
        settle("--network", "testkreis", "--period", "2026-13")
    with pytest.raises(CommandError, match="gibt es nicht"):
        settle("--network", "nirgendwo", "--period", "2026-10")
    with pytest.raises(CommandError, match="zur Prüfung frei"):
        settle("--network", "testkreis", "--period", "2026-10", "--close")


def api(user):
    _token, raw = create_api_token(user=user, name="test")
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_it_serves_periods_and_statements_to_the_coordinator(booked):
    settle("--network", "testkreis", "--period", "2026-10", "--review")
    client = api(booked.coordinator)
    periods = client.get("/api/v1/settlement/periods").json()
    assert [p["label"] for p in periods] == ["2026-10"] and periods[0]["status"] == "in_review"
    detail = client.get("/api/v1/settlement/periods/2026-10").json()
    assert len(detail["statements"]) == 2 and detail["transfers"][0]["amount_cents"] == 12000
    one = client.get("/api/v1/settlement/periods/2026-10/statements/riesa").json()
    assert one["statement"]["balance_cents"] == 12000 and len(one["content_hash"]) == 64


def test_it_hides_from_other_municipality(booked):
    client = api(booked.alice)
    assert client.get("/api/v1/settlement/periods/2026-10/statements/meissen").status_code == 404
    detail = client.get("/api/v1/settlement/periods/2026-10").json()
    assert [s["municipality"]["slug"] for s in detail["statements"]] == ["riesa"]
    assert client.get("/api/v1/settlement/periods/2026-10/statements/riesa").status_code == 200


def test_it_hides_from_other_network_and_staff(booked):
    for user in (booked.olga, booked.bob):
        client = api(user)
        assert client.get("/api/v1/settlement/periods/2026-10/statements/riesa").status_code == 404
    assert api(booked.bob).get("/api/v1/settlement/periods").status_code == 404
    assert Client().get("/api/v1/settlement/periods").status_code == 401


def test_it_requires_rw_access(booked):
    # The API only reads; writes are not offered at all.
    client = api(booked.coordinator)
    assert client.post("/api/v1/settlement/periods/2026-10").status_code == 405
