"""`/api/v1/time-entries`: own entries only, the same services, German 422 messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.board.tests.requests import file_in_cluster
from amtshilfe.timeaccounting.models import TimeEntry
from amtshilfe.timeaccounting.tests.times import book, close_october, request_of_b

pytestmark = pytest.mark.django_db


def api(user):
    _token, raw = create_api_token(user=user, name="test")
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_it_books_and_lists_own_entries_by_month(personas):
    request = request_of_b(personas)
    client = api(personas.alice)
    response = post(
        client,
        "/api/v1/time-entries",
        {"date": "2026-11-17", "minutes": 50, "activity": "support", "request_id": request.pk},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["providing_municipality"], data["receiving_municipality"]) == ("riesa", "meissen")
    assert data["request_number"] == request.number and data["locked"] is False
    book(personas, date=dt.date(2026, 10, 3), minutes=20)
    november = client.get("/api/v1/time-entries?month=2026-11").json()
    assert november["total_minutes"] == 50 and len(november["entries"]) == 1
    assert client.get("/api/v1/time-entries?month=2026-10").json()["total_minutes"] == 20


def test_it_never_returns_other_peoples_entries(personas):
    entry = book(personas, minutes=44)
    for user in (personas.coordinator, personas.dora, personas.auditor, personas.olga):
        client = api(user)
        assert client.get("/api/v1/time-entries").json()["entries"] == []
        assert client.get(f"/api/v1/time-entries/{entry.pk}").status_code == 404
        response = client.patch(
            f"/api/v1/time-entries/{entry.pk}", {"minutes": 1}, content_type="application/json"
        )
        assert response.status_code == 404
        assert client.delete(f"/api/v1/time-entries/{entry.pk}").status_code == 404
        assert post(client, f"/api/v1/time-entries/{entry.pk}/reverse").status_code == 404
    assert TimeEntry.objects.get(pk=entry.pk).minutes == 44


def test_it_hides_from_other_municipality(personas):
    request = request_of_b(personas)
    response = post(
        api(personas.bob),
        "/api/v1/time-entries",
        {"date": "2026-11-17", "minutes": 5, "request_id": request.pk},
    )
    assert response.status_code == 404


def test_it_requires_rw_access(personas):
    request = file_in_cluster(personas)
    client = api(personas.bob)
    payload = {"date": "2026-11-17", "minutes": 5, "request_id": request.pk}
    assert post(client, "/api/v1/time-entries", payload).status_code == 403
    assert (
        post(client, "/api/v1/time-entries/timer/start", {"request_id": request.pk}).status_code
        == 403
    )
    assert not TimeEntry.objects.exists()


def test_it_explains_refusals_in_german_with_422(personas):
    close_october(personas)
    client = api(personas.alice)
    bad = post(client, "/api/v1/time-entries", {"date": "2026-10-02", "minutes": 2000})
    assert bad.status_code == 422
    messages = " ".join(item["msg"] for item in bad.json()["detail"])
    assert "zwischen 1 und 1.440 Minuten" in messages
    closed = post(client, "/api/v1/time-entries", {"date": "2026-10-02", "minutes": 20})
    assert closed.status_code == 422 and "abgeschlossenen" in closed.json()["detail"][0]["msg"]
    schema = post(client, "/api/v1/time-entries", {"date": "gestern", "minutes": "viel"})
    assert schema.status_code == 422


def test_it_updates_deletes_and_reverses(personas):
    client = api(personas.alice)
    entry = book(personas, minutes=30)
    response = client.patch(
        f"/api/v1/time-entries/{entry.pk}",
        {"minutes": 35, "note": "mehr"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["minutes"] == 35
    assert client.delete(f"/api/v1/time-entries/{entry.pk}").status_code == 204
    old = book(personas, date=dt.date(2026, 10, 7), minutes=15)
    close_october(personas)
    assert client.delete(f"/api/v1/time-entries/{old.pk}").status_code == 422
    reversal = post(client, f"/api/v1/time-entries/{old.pk}/reverse")
    assert reversal.status_code == 201
    assert reversal.json()["signed_minutes"] == -15 and reversal.json()["reverses_id"] == old.pk


def test_it_runs_the_timer(personas, clock):
    client = api(personas.alice)
    assert client.get("/api/v1/time-entries/timer").json()["running"] is False
    request = request_of_b(personas)
    started = post(client, "/api/v1/time-entries/timer/start", {"request_id": request.pk})
    assert started.status_code == 201 and started.json()["running"] is True
    assert post(client, "/api/v1/time-entries/timer/start").status_code == 422
    clock.shift(dt.timedelta(minutes=7))
    assert client.get("/api/v1/time-entries/timer").json()["elapsed_minutes"] == 7
    stopped = post(client, "/api/v1/time-entries/timer/stop")
    assert stopped.status_code == 201 and stopped.json()["minutes"] == 7
    assert post(client, "/api/v1/time-entries/timer/discard").status_code == 422
