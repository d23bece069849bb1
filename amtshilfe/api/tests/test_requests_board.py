"""`POST /api/v1/requests/{id}/move` and `PATCH /api/v1/requests/{id}`: the IT side's card."""

from __future__ import annotations

import pytest

from amtshilfe.api.tests.test_requests import api
from amtshilfe.board import classification
from amtshilfe.board.models import ServiceRequest
from amtshilfe.board.services import ensure_default_board, move_request
from amtshilfe.board.tests.requests import column, file, file_in_cluster, refresh


@pytest.fixture(autouse=True)
def unsure_triage(monkeypatch):
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def move(client, request, col, version, position=0):
    return client.post(
        f"/api/v1/requests/{request.pk}/move",
        {"column": col.pk, "position": position, "expected_version": version},
        content_type="application/json",
    )


def patch(client, request, data):
    return client.patch(f"/api/v1/requests/{request.pk}", data, content_type="application/json")


def test_it_moves_a_card_and_the_status_follows(personas):
    request = file_in_cluster(personas)
    response = move(api(personas.alice), request, column(personas, "waiting"), request.version)
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["column"], data["position"]) == (
        "waiting",
        "Wartet auf Rückmeldung",
        0,
    )
    assert data["version"] == request.version + 1
    assert refresh(request).status == ServiceRequest.Status.WAITING


def test_it_answers_409_with_the_german_stale_message(personas):
    request = file_in_cluster(personas)
    move_request(
        actor=personas.coordinator,
        request=request,
        column=column(personas, "in_progress"),
        position=0,
        expected_version=request.version,
    )
    response = move(api(personas.alice), request, column(personas, "waiting"), request.version)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Die Karte wurde inzwischen von Coordinator Test verschoben. "
        "Die Ansicht wurde aktualisiert.",
        "version": request.version + 1,
    }
    assert refresh(request).status == ServiceRequest.Status.IN_PROGRESS


def test_it_refuses_columns_of_other_networks_and_bad_input_in_german(personas):
    request = file_in_cluster(personas)
    client = api(personas.alice)
    foreign = ensure_default_board(network=personas.other_network).columns.first()
    response = move(client, request, foreign, request.version)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "column"], "msg": "Diese Spalte gibt es nicht.", "type": "value_error"}
    ]
    response = client.post(
        f"/api/v1/requests/{request.pk}/move", {"column": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    messages = {tuple(e["loc"][-1:]): e["msg"] for e in response.json()["detail"]}
    assert messages[("column",)] == "Bitte geben Sie eine ganze Zahl an."
    assert messages[("expected_version",)] == "Dieses Feld fehlt."
    assert move(client, request, column(personas, "done"), request.version, -1).status_code == 422
    assert refresh(request).version == request.version


def test_it_changes_cluster_and_urgency_in_one_call(personas):
    request = file(personas)  # in triage
    response = patch(
        api(personas.alice),
        request,
        {"cluster": personas.cluster.slug, "urgency": "high", "expected_version": request.version},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["cluster"]["slug"] == personas.cluster.slug
    assert (data["urgency"], data["status"]) == ("high", "new")
    assert data["version"] == request.version + 2
    back = patch(api(personas.alice), request, {"cluster": None})
    assert back.status_code == 200 and back.json()["status"] == "triage"


def test_it_changes_nothing_when_one_part_of_the_patch_is_refused(personas):
    request = file_in_cluster(personas)
    response = patch(
        api(personas.alice), request, {"cluster": "gibt-es-nicht", "urgency": "critical"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Dieses Themencluster gibt es im Netzwerk nicht."
    response = patch(api(personas.alice), request, {"urgency": "sofort"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"].startswith("Unzulässiger Wert; erlaubt sind:")
    assert patch(api(personas.alice), request, {}).status_code == 422
    stale = patch(api(personas.alice), request, {"urgency": "low", "expected_version": 0})
    assert stale.status_code == 409
    assert refresh(request).urgency == "normal"


def test_it_hides_from_other_municipality(personas):
    request = file_in_cluster(personas)
    for user in (personas.charlie, personas.dora, personas.steering, personas.olga):
        client = api(user)
        assert move(client, request, column(personas, "done"), request.version).status_code == 404
        assert patch(client, request, {"urgency": "high"}).status_code == 404
    assert api(personas.alice).patch("/api/v1/requests/999999", {}).status_code == 404
    assert refresh(request).version == request.version


def test_it_requires_rw_access(personas):
    request = file_in_cluster(personas)
    for user in (personas.bob, personas.auditor):  # they read requests of Riesa
        client = api(user)
        assert client.get(f"/api/v1/requests/{request.pk}").status_code == 200
        assert move(client, request, column(personas, "done"), request.version).status_code == 403
        assert patch(client, request, {"urgency": "high"}).status_code == 403
    assert refresh(request).version == request.version
    done = column(personas, "done")
    assert move(api(personas.coordinator), request, done, request.version).status_code == 200
