"""`GET /api/v1/me` and the committed OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client

from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.api.api import api
from amtshilfe.tenancy.services import add_membership


def get_me(user):
    _token, raw = create_api_token(user=user, name="test")
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_it_returns_memberships_and_roles(personas):
    add_membership(
        actor=personas.coordinator, person=personas.alice, municipality=personas.b, role="it"
    )
    data = get_me(personas.alice).json()
    assert data["username"] == "alice"
    assert sorted((m["municipality"], m["role"]) for m in data["memberships"]) == [
        ("meissen", "it"),
        ("riesa", "it"),
    ]
    assert data["network_roles"] == []
    coordinator = get_me(personas.coordinator).json()
    assert coordinator["network_roles"] == [{"network": "testkreis", "role": "coordinator"}]


def test_it_omits_ended_memberships_and_left_municipalities(personas):
    from amtshilfe.tenancy.services import record_municipality_leaving

    add_membership(
        actor=personas.coordinator, person=personas.alice, municipality=personas.b, role="it"
    )
    record_municipality_leaving(actor=personas.coordinator, municipality=personas.b)
    data = get_me(personas.alice).json()
    assert [m["municipality"] for m in data["memberships"]] == ["riesa"]


def test_it_requires_a_token(personas):
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert "API-Token" in response.json()["detail"]
    # A browser session is not enough: the API is for programs with tokens.
    assert personas.client(personas.alice).get("/api/v1/me").status_code == 401


def test_it_serves_the_committed_openapi_document(personas):
    committed = json.loads((Path(__file__).parents[3] / "docs" / "openapi.json").read_text())
    assert committed == json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
    served = Client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert "/api/v1/me" in served.json()["paths"]
