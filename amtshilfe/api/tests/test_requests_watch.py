"""`POST` and `DELETE /api/v1/requests/{id}/watch`: following a request."""

from __future__ import annotations

import pytest
from django.test import Client

from amtshilfe.api.tests.test_requests import api
from amtshilfe.board import classification
from amtshilfe.board.models import Watcher
from amtshilfe.board.tests.requests import file_in_cluster


@pytest.fixture(autouse=True)
def unsure_triage(monkeypatch):
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def path(request):
    return f"/api/v1/requests/{request.pk}/watch"


def watching(user, request):
    return Watcher.objects.filter(request=request, user=user).exists()


def test_it_watches_and_unwatches(personas):
    request = file_in_cluster(personas)
    client = api(personas.auditor)
    response = client.post(path(request))
    assert (response.status_code, response.json()) == (200, {"watching": True})
    assert watching(personas.auditor, request)
    assert client.get(f"/api/v1/requests/{request.pk}").json()["watching"] is True
    assert client.post(path(request)).status_code == 200  # twice is fine
    response = client.delete(path(request))
    assert (response.status_code, response.json()) == (200, {"watching": False})
    assert not watching(personas.auditor, request)


def test_it_hides_from_other_municipality(personas):
    request = file_in_cluster(personas)
    for user in (personas.charlie, personas.dora, personas.steering, personas.olga):
        client = api(user)
        assert client.post(path(request)).status_code == 404
        assert client.delete(path(request)).status_code == 404
        assert not watching(user, request)


def test_it_requires_rw_access(personas):
    # Watching needs read access only: staff of the municipality may follow a request,
    # and nobody changes another person's watching (it is always the caller's own row).
    request = file_in_cluster(personas)
    assert api(personas.bob).delete(path(request)).status_code == 200
    assert not watching(personas.bob, request)
    assert api(personas.bob).post(path(request)).json() == {"watching": True}
    assert watching(personas.bob, request) and not watching(personas.alice, request)
    assert Client().post(path(request)).status_code == 401
