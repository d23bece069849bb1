"""`POST /api/v1/triage`: cluster and helpers for a text, without filing anything."""

from __future__ import annotations

import pytest
from django.test import Client

from amtshilfe.api.routers import triage as triage_router
from amtshilfe.api.tests.test_requests import api, post
from amtshilfe.board.models import RequestEvent, ServiceRequest
from amtshilfe.board.tests.requests import add_dora_to_cluster
from amtshilfe.board.tests.test_triage import make_kb
from amtshilfe.board.triage import TriageResult, routing
from amtshilfe.core.models import AuditEvent
from amtshilfe.experts.models import ClusterMembership
from amtshilfe.experts.services import update_expert_profile

PRINTER_PROBLEM = {
    "title": "Drucker druckt nicht",
    "description": "Mein Druckauftrag hängt in der Druckerwarteschlange.",
}


@pytest.fixture(autouse=True)
def fresh_models():
    routing._models.clear()
    yield
    routing._models.clear()


def triage(user, data):
    client = user if isinstance(user, Client) else api(user)
    return post(client, "/api/v1/triage", data)


def rows() -> tuple[int, int, int]:
    return (
        ServiceRequest.objects.count(),
        RequestEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def answer(monkeypatch, personas, *, cluster, confidence, best=None):
    result = TriageResult(
        cluster=cluster,
        confidence=confidence,
        best_cluster=best or cluster,
        ranking=[(best or cluster, confidence)] if (best or cluster) else [],
    )
    monkeypatch.setattr(triage_router, "classify", lambda **kwargs: result)


def test_it_suggests_cluster_and_experts_without_filing_anything(personas):
    kb = make_kb(personas)
    add_dora_to_cluster(personas)
    update_expert_profile(
        actor=personas.dora,
        network=personas.network,
        person=personas.dora,
        skills=["Druckerwarteschlange"],
        pledged_hours_per_month=4,
    )
    bob = api(personas.bob)  # creating the token is audited, triage is not
    before = rows()
    response = triage(bob, PRINTER_PROBLEM)
    assert response.status_code == 200
    assert rows() == before
    data = response.json()
    assert (data["cluster"], data["best_cluster"]) == (kb.printer.slug, kb.printer.slug)
    assert data["cluster_name"] == "Drucker" and data["threshold_reached"] is True
    assert data["confidence"] >= 0.6
    assert data["ranking"][0]["slug"] == kb.printer.slug
    first = data["suggested_experts"][0]
    assert first == {
        "user_id": personas.dora.pk,
        "username": "dora",
        "name": "Dora Test",
        "municipality": "Meißen",
        "score": first["score"],
        "explanation": "kennt sich mit Druckerwarteschlange aus, noch 4 h frei",
        "absent_until": None,
    }
    assert [e["username"] for e in data["suggested_experts"]] == ["dora", "alice"]


def test_it_gives_no_cluster_below_the_threshold_but_the_best_guess(personas, monkeypatch):
    answer(monkeypatch, personas, cluster=None, confidence=0.3, best=personas.cluster)
    data = triage(personas.bob, {"title": "Irgendwas mit Technik"}).json()
    assert (data["cluster"], data["cluster_name"], data["threshold_reached"]) == (
        None,
        None,
        False,
    )
    assert data["best_cluster"] == personas.cluster.slug and data["confidence"] == 0.3
    assert [e["username"] for e in data["suggested_experts"]] == ["alice"]


def test_it_answers_an_empty_list_without_any_guess(personas, monkeypatch):
    answer(monkeypatch, personas, cluster=None, confidence=0.0)
    data = triage(personas.bob, {"title": "Kantine"}).json()
    assert data["cluster"] is None and data["best_cluster"] is None
    assert data["suggested_experts"] == [] and data["ranking"] == []


def test_it_never_suggests_people_of_other_networks(personas, monkeypatch):
    # olga (other network) slipped into the cluster (the services refuse that): she must
    # still not be suggested.
    ClusterMembership.objects.create(cluster=personas.cluster, user=personas.olga, role="member")
    answer(monkeypatch, personas, cluster=personas.cluster, confidence=0.9)
    data = triage(personas.charlie, PRINTER_PROBLEM).json()
    assert [e["username"] for e in data["suggested_experts"]] == ["alice"]


def test_it_explains_invalid_input_in_german(personas, monkeypatch):
    answer(monkeypatch, personas, cluster=personas.cluster, confidence=0.9)
    bob = api(personas.bob)
    before = rows()
    cases = {
        "empty title": ({"title": "   "}, "title", "Bitte beschreiben Sie Ihr Anliegen"),
        "long title": ({"title": "x" * 201}, "title", "höchstens 200 Zeichen"),
        "long text": (
            {"title": "Drucker", "description": "x" * 20_001},
            "description",
            "zu lang (höchstens 20.000 Zeichen)",
        ),
        "missing title": ({"description": "ohne Betreff"}, "title", "Dieses Feld fehlt."),
    }
    for name, (data, field, message) in cases.items():
        response = triage(bob, data)
        assert response.status_code == 422, name
        error = response.json()["detail"][0]
        assert error["loc"][-1] == field, name
        assert message in error["msg"], name
    assert rows() == before


def test_it_is_only_for_members_of_the_network(personas, monkeypatch):
    answer(monkeypatch, personas, cluster=personas.cluster, confidence=0.9)
    assert Client().post("/api/v1/triage", {"title": "x"}).status_code == 401
    # olga's token works in her own network only: clusters and people of Testkreis stay hidden.
    monkeypatch.setattr(
        triage_router, "classify", lambda *, network, **kwargs: _only_for(network, personas)
    )
    data = triage(personas.olga, PRINTER_PROBLEM).json()
    assert data["cluster"] is None and data["suggested_experts"] == []
    personas.olga.memberships.update(ended_on="2026-01-02")
    personas.olga.network_roles.all().delete()
    assert triage(personas.olga, PRINTER_PROBLEM).status_code == 404


def _only_for(network, personas):
    assert network == personas.other_network
    return TriageResult(cluster=None, confidence=0.0, best_cluster=None, ranking=[])
