"""`POST /api/v1/requests/{id}/close`, `/reopen` and `/rate`: the end of a request."""

from __future__ import annotations

import pytest

from amtshilfe.api.tests.test_requests import api, post
from amtshilfe.board import classification
from amtshilfe.board.services import close_request, take_request
from amtshilfe.board.tests.requests import add_dora_to_cluster, file_in_cluster, refresh


@pytest.fixture(autouse=True)
def unsure_triage(monkeypatch):
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def call(user, request, action, **data):
    return post(api(user), f"/api/v1/requests/{request.pk}/{action}", data)


def solved(personas):
    request = take_request(actor=personas.alice, request=file_in_cluster(personas))
    return close_request(actor=personas.alice, request=request)


def test_it_closes_for_the_it_side(personas):
    request = file_in_cluster(personas)
    response = call(personas.alice, request, "close", expected_version=request.version)
    assert response.status_code == 200
    assert response.json()["status"] == "done" and response.json()["solved_at"]
    again = call(personas.alice, request, "close")
    assert again.status_code == 422
    assert again.json()["detail"][0]["msg"] == "Diese Anfrage ist bereits erledigt."


def test_it_answers_409_when_closing_a_changed_card(personas):
    request = file_in_cluster(personas)
    response = call(personas.alice, request, "close", expected_version=request.version + 3)
    assert response.status_code == 409
    assert refresh(request).status == "new"


def test_it_takes_one_rating_from_the_requesting_side_once_it_is_done(personas):
    request = file_in_cluster(personas)
    early = call(personas.bob, request, "rate", rating=5)
    assert early.status_code == 422
    assert early.json()["detail"][0]["msg"] == (
        "Sie können die Hilfe bewerten, sobald die Anfrage erledigt ist."
    )
    request = solved(personas)
    assert api(personas.bob).get(f"/api/v1/requests/{request.pk}").json()["can_rate"] is True
    out_of_range = call(personas.bob, request, "rate", rating=6)
    assert out_of_range.status_code == 422
    assert out_of_range.json()["detail"][0] == {
        "loc": ["body", "rating"],
        "msg": "Bitte vergeben Sie 1 bis 5 Sterne.",
        "type": "value_error",
    }
    response = call(personas.bob, request, "rate", rating=4, comment="Schnell geholfen.")
    assert response.status_code == 200
    assert (response.json()["rating"], response.json()["status"]) == (4, "closed")
    assert refresh(request).rating_comment == "Schnell geholfen."
    twice = call(personas.bob, request, "rate", rating=1)
    assert twice.status_code == 422
    assert twice.json()["detail"][0]["msg"] == "Diese Anfrage wurde bereits bewertet."


def test_it_reopens_for_the_requesting_municipality_with_a_reason(personas):
    request = solved(personas)
    open_again = call(personas.bob, request, "reopen", reason="Geht doch nicht.")
    assert open_again.status_code == 200
    assert open_again.json()["status"] == "in_progress"
    comments = api(personas.bob).get(f"/api/v1/requests/{request.pk}").json()["comments"]
    assert [c["body"] for c in comments] == ["Geht doch nicht."]
    not_finished = call(personas.bob, request, "reopen")
    assert not_finished.status_code == 422
    assert not_finished.json()["detail"][0]["msg"] == "Diese Anfrage ist nicht abgeschlossen."


def test_it_hides_from_other_municipality(personas):
    request = solved(personas)
    for user in (personas.charlie, personas.dora, personas.steering, personas.olga):
        assert call(user, request, "close").status_code == 404
        assert call(user, request, "reopen").status_code == 404
        assert call(user, request, "rate", rating=5).status_code == 404
    assert refresh(request).status == "done" and refresh(request).rating is None


def test_it_requires_rw_access(personas):
    open_request = file_in_cluster(personas)
    # Staff read the request but do not close it; IT closes but does not rate.
    assert call(personas.bob, open_request, "close").status_code == 403
    assert refresh(open_request).status == "new"
    request = solved(personas)
    assert call(personas.alice, request, "rate", rating=5).status_code == 403
    add_dora_to_cluster(personas)  # she sees it as a cluster member, not as Riesa's staff
    assert call(personas.dora, request, "rate", rating=5).status_code == 403
    assert refresh(request).rating is None
    # Reopening is open to everyone who sees it: the requesting side or the IT side.
    assert call(personas.auditor, request, "reopen").status_code == 200
