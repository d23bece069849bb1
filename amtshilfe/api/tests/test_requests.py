"""`/api/v1/requests`: filing, listing and reading with the caller's visibility.

The writes on a request (move, take, assign, close, reopen, rate, change, watch) are in
the other ``test_requests_*.py`` files."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.board import classification
from amtshilfe.board.classification import Classification
from amtshilfe.board.models import RequestEvent, ServiceRequest
from amtshilfe.board.services import add_comment, set_request_cluster, take_request
from amtshilfe.board.tests.requests import file, file_in_cluster
from amtshilfe.core.models import AuditEvent


@pytest.fixture(autouse=True)
def unsure_triage(monkeypatch):
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def api(user):
    _token, raw = create_api_token(user=user, name="test")
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_it_files_a_request_for_the_callers_municipality(personas, monkeypatch):
    monkeypatch.setattr(
        classification,
        "classify_request",
        lambda **kwargs: Classification(cluster=personas.cluster, confidence=0.9),
    )
    response = post(
        api(personas.bob),
        "/api/v1/requests",
        {"title": "Scanner speichert nicht", "description": "Scan-to-Folder geht nicht."},
    )
    assert response.status_code == 201
    data = response.json()
    assert data["municipality"] == "riesa" and data["source"] == "api"
    assert data["cluster"] == {"slug": personas.cluster.slug, "name": "Drucker"}
    assert (data["status"], data["status_label"], data["column"]) == ("new", "Neu", "Eingang")
    assert data["url"] == f"http://testserver/anfragen/{data['id']}/"
    detail = api(personas.bob).get(f"/api/v1/requests/{data['id']}").json()
    assert detail["suggested_cluster"]["slug"] == personas.cluster.slug
    assert detail["triage_confidence"] == 0.9


def test_it_explains_invalid_input_with_422(personas):
    client = api(personas.bob)
    response = post(client, "/api/v1/requests", {"title": "  "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "title"]
    assert "Betreff" in response.json()["detail"][0]["msg"]
    response = post(client, "/api/v1/requests", {"title": "x", "urgency": "sofort"})
    assert response.status_code == 422
    assert post(client, "/api/v1/requests", {}).status_code == 422


def test_it_requires_rw_access(personas):
    # bob reads requests of Riesa, but files only for his own municipality ...
    response = post(
        api(personas.bob), "/api/v1/requests", {"title": "x", "municipality": "meissen"}
    )
    assert response.status_code == 403
    # ... and writes no internal comments on a request he can read.
    request = file_in_cluster(personas)
    path = f"/api/v1/requests/{request.pk}/comments"
    assert post(api(personas.bob), path, {"body": "geheim", "internal": True}).status_code == 403
    assert post(api(personas.bob), path, {"body": "Danke!"}).status_code == 201
    assert post(api(personas.alice), path, {"body": "intern", "internal": True}).status_code == 201
    assert Client().get("/api/v1/requests").status_code == 401


def test_it_hides_from_other_municipality(personas):
    request = file_in_cluster(personas)
    for user in (personas.charlie, personas.dora, personas.olga):
        client = api(user)
        assert client.get(f"/api/v1/requests/{request.pk}").status_code == 404
        assert client.get("/api/v1/requests").json().get("count", 0) == 0
        response = post(client, f"/api/v1/requests/{request.pk}/comments", {"body": "Hallo"})
        assert response.status_code == 404


def test_it_never_shows_internal_comments_to_staff(personas):
    request = file_in_cluster(personas)
    add_comment(actor=personas.bob, request=request, body="Bitte schnell.")
    add_comment(
        actor=personas.alice, request=request, body="Kollege ist überfordert.", internal=True
    )
    staff = api(personas.bob).get(f"/api/v1/requests/{request.pk}").json()
    assert [c["body"] for c in staff["comments"]] == ["Bitte schnell."]
    assert staff["can_work"] is False
    it = api(personas.alice).get(f"/api/v1/requests/{request.pk}").json()
    assert [c["internal"] for c in it["comments"]] == [False, True]
    assert it["can_work"] is True


def test_it_lists_filters_and_pages(personas):
    first = file(personas, title="Erste")
    set_request_cluster(actor=personas.coordinator, request=first, cluster=personas.cluster)
    file(personas, title="Zweite")
    file(personas, actor=personas.charlie, municipality=personas.b, title="Meißen")
    client = api(personas.coordinator)
    data = client.get("/api/v1/requests").json()
    assert data["count"] == 3 and [i["title"] for i in data["items"]] == [
        "Meißen",
        "Zweite",
        "Erste",
    ]
    assert [i["title"] for i in client.get("/api/v1/requests?status=triage").json()["items"]] == [
        "Meißen",
        "Zweite",
    ]
    by_cluster = client.get(f"/api/v1/requests?cluster={personas.cluster.slug}").json()
    assert [i["title"] for i in by_cluster["items"]] == ["Erste"]
    by_town = client.get("/api/v1/requests?municipality=meissen").json()
    assert [i["title"] for i in by_town["items"]] == ["Meißen"]
    page = client.get("/api/v1/requests?limit=1&offset=1").json()
    assert page["count"] == 3 and [i["title"] for i in page["items"]] == ["Zweite"]
    assert client.get("/api/v1/requests?limit=500").status_code == 400
    assert client.get("/api/v1/requests?status=weg").status_code == 422
    bob = api(personas.bob).get("/api/v1/requests").json()
    assert {i["municipality"] for i in bob["items"]} == {"riesa"}


def test_it_records_api_as_the_source(personas):
    data = post(api(personas.bob), "/api/v1/requests", {"title": "Über die Schnittstelle"}).json()
    request = ServiceRequest.objects.get(pk=data["id"])
    assert request.source == ServiceRequest.Source.API
    created = RequestEvent.objects.get(request=request, kind="created")
    assert created.data["source"] == "api"
    audit = AuditEvent.objects.get(action="request.filed", object_id=str(request.pk))
    assert audit.after["source"] == "api"


def test_it_filters_by_urgency_and_own_assignments_and_tells_the_next_offset(personas):
    mine = file_in_cluster(personas, title="Meine")
    take_request(actor=personas.alice, request=mine)
    file_in_cluster(personas, title="Dringend", urgency="critical")
    client = api(personas.alice)
    mine_only = client.get("/api/v1/requests?assigned_to_me=true").json()
    assert [i["title"] for i in mine_only["items"]] == ["Meine"]
    assert mine_only["items"][0]["assignee_id"] == personas.alice.pk
    urgent = client.get("/api/v1/requests?urgency=critical").json()
    assert [i["title"] for i in urgent["items"]] == ["Dringend"]
    assert urgent["items"][0]["urgency_label"] == "dringend"
    first = client.get("/api/v1/requests?limit=1").json()
    assert (first["count"], first["next_offset"]) == (2, 1)
    assert client.get("/api/v1/requests?limit=1&offset=1").json()["next_offset"] is None
    assert api(personas.bob).get("/api/v1/requests?assigned_to_me=true").json()["count"] == 0


def test_it_lists_with_a_constant_number_of_queries(personas):
    take_request(actor=personas.alice, request=file_in_cluster(personas, title="Eins"))
    client = api(personas.coordinator)

    def queries_for_listing() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/requests?limit=100").status_code == 200
        return len(captured.captured_queries)

    queries_for_listing()  # the token's first use is recorded once
    few = queries_for_listing()
    for number in range(8):
        request = file_in_cluster(personas, title=f"Weitere {number}")
        if number % 2:
            take_request(actor=personas.alice, request=request)
    assert queries_for_listing() == few
    assert client.get("/api/v1/requests?limit=100").json()["count"] == 9


def test_it_shows_the_history_but_internal_events_only_to_the_it_side(personas):
    request = file_in_cluster(personas)
    add_comment(actor=personas.alice, request=request, body="intern", internal=True)
    add_comment(actor=personas.bob, request=request, body="öffentlich")
    staff = api(personas.bob).get(f"/api/v1/requests/{request.pk}").json()
    it = api(personas.alice).get(f"/api/v1/requests/{request.pk}").json()
    staff_kinds = [e["kind"] for e in staff["events"]]
    assert staff_kinds.count("comment") == 1 and not any(e["internal"] for e in staff["events"])
    assert [e["kind"] for e in it["events"]].count("comment") == 2
    assert staff["events"][0]["kind"] == "created"
    assert staff["events"][0]["kind_label"] == "angelegt"
    cluster_event = next(e for e in it["events"] if e["kind"] == "cluster")
    assert cluster_event["data"]["to"]["slug"] == personas.cluster.slug
    assert (it["suggested_cluster"], it["triage_confidence"]) == (None, None)  # unsure triage
    assert (staff["can_take"], staff["can_assign"], staff["watching"]) == (False, False, True)
    assert (it["can_take"], it["can_assign"], it["can_rate"]) == (True, True, False)
