"""`POST /api/v1/requests/{id}/take` and `/assign`: who works on a request."""

from __future__ import annotations

import pytest

from amtshilfe.api.tests.test_requests import api, post
from amtshilfe.board import classification
from amtshilfe.board.tests.requests import add_dora_to_cluster, file_in_cluster, refresh
from amtshilfe.notifications.models import Notification


@pytest.fixture(autouse=True)
def unsure_triage(monkeypatch):
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def take(user, request, **data):
    return post(api(user), f"/api/v1/requests/{request.pk}/take", data)


def assign(user, request, assignee, **data):
    return post(api(user), f"/api/v1/requests/{request.pk}/assign", {"assignee": assignee, **data})


def test_it_lets_a_cluster_member_take_a_request(personas):
    request = file_in_cluster(personas)
    response = take(personas.alice, request, expected_version=request.version)
    assert response.status_code == 200
    data = response.json()
    assert (data["assignee"], data["assignee_id"]) == ("Alice Test", personas.alice.pk)
    assert data["status"] == "in_progress"
    assert refresh(request).assignee == personas.alice


def test_it_answers_409_when_taking_a_changed_card(personas):
    request = file_in_cluster(personas)
    response = take(personas.alice, request, expected_version=request.version - 1)
    assert response.status_code == 409
    assert "inzwischen" in response.json()["detail"]
    assert refresh(request).assignee is None


def test_it_assigns_a_cluster_member_and_gives_it_back(personas):
    add_dora_to_cluster(personas)
    request = file_in_cluster(personas)
    response = assign(personas.alice, request, personas.dora.pk)
    assert response.status_code == 200 and response.json()["assignee"] == "Dora Test"
    assert Notification.objects.filter(user=personas.dora, kind="request_assigned").exists()
    back = assign(personas.dora, request, None)
    assert back.status_code == 200 and back.json()["assignee"] is None


def test_it_refuses_assignees_outside_the_cluster_or_network_alike(personas):
    request = file_in_cluster(personas)
    for stranger in (personas.olga.pk, 999_999):  # other network = unknown, nothing leaks
        response = assign(personas.alice, request, stranger)
        assert response.status_code == 422
        assert response.json()["detail"][0]["msg"] == "Diese Person gibt es im Netzwerk nicht."
    response = assign(personas.alice, request, personas.charlie.pk)
    assert response.status_code == 422
    assert "keine IT-Fachkraft im Themencluster" in response.json()["detail"][0]["msg"]
    assert post(api(personas.alice), f"/api/v1/requests/{request.pk}/assign", {}).status_code == (
        422
    )
    assert refresh(request).assignee is None


def test_it_hides_from_other_municipality(personas):
    request = file_in_cluster(personas)
    for user in (personas.charlie, personas.dora, personas.steering, personas.olga):
        assert take(user, request).status_code == 404
        assert assign(user, request, personas.alice.pk).status_code == 404
    assert refresh(request).assignee is None


def test_it_requires_rw_access(personas):
    request = file_in_cluster(personas)
    for user in (personas.bob, personas.auditor):  # they read requests of Riesa
        assert api(user).get(f"/api/v1/requests/{request.pk}").status_code == 200
        assert take(user, request).status_code == 403
        assert assign(user, request, personas.alice.pk).status_code == 403
    # alice may take, but only owners and the coordination hand requests to others.
    add_dora_to_cluster(personas)
    assert take(personas.dora, request).status_code == 200
    assert assign(personas.dora, request, personas.alice.pk).status_code == 403
    assert refresh(request).assignee == personas.dora
