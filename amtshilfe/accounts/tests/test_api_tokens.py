"""API tokens: created by command or on the account page, stored hashed, revocable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from amtshilfe.accounts.models import ApiToken
from amtshilfe.accounts.tokens import hash_token


def create_token(username: str) -> str:
    out = StringIO()
    call_command("create_token", username, stdout=out)
    return out.getvalue().strip()


def test_it_prints_a_token_that_is_stored_only_as_a_hash(personas):
    raw = create_token("alice")
    assert raw.startswith("ah_") and len(raw) > 40
    token = ApiToken.objects.get(user=personas.alice)
    assert token.key_hash == hash_token(raw)
    assert raw not in token.key_hash and raw[10:] not in token.prefix


def test_it_refuses_an_unknown_user_with_a_german_message(personas):
    with pytest.raises(CommandError, match="Kein aktives Konto"):
        call_command("create_token", "niemand")


def test_it_authenticates_the_api_with_the_token(personas):
    raw = create_token("alice")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_it_rejects_missing_wrong_and_revoked_tokens(personas):
    raw = create_token("alice")
    assert Client().get("/api/v1/me").status_code == 401
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ah_wrong").status_code == 401
    client = personas.client(personas.alice)
    token = ApiToken.objects.get(user=personas.alice)
    assert client.post(f"/konto/tokens/{token.pk}/widerrufen/").status_code == 302
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_it_rejects_the_token_of_a_deactivated_person(personas):
    raw = create_token("alice")
    personas.alice.is_active = False
    personas.alice.save()
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_it_shows_a_new_token_once_on_the_account_page(personas):
    client = personas.client(personas.bob)
    client.post("/konto/tokens/neu/", {"name": "Skript"})
    first = client.get("/konto/").content.decode()
    token = ApiToken.objects.get(user=personas.bob)
    assert token.prefix in first and "nur dieses eine Mal" in first
    assert "nur dieses eine Mal" not in client.get("/konto/").content.decode()


def test_it_does_not_revoke_someone_elses_token(personas):
    create_token("alice")
    token = ApiToken.objects.get(user=personas.alice)
    response = personas.client(personas.bob).post(f"/konto/tokens/{token.pk}/widerrufen/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
