"""Logging in and out, the German lockout after repeated failures, changing the password."""

from __future__ import annotations

from django.test import Client

from amtshilfe.conftest import PASSWORD


def test_it_logs_in_and_sends_to_the_start_page(personas):
    client = Client()
    response = client.post("/konto/anmelden/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/start/"
    assert client.get("/start/").status_code == 200


def test_it_rejects_a_wrong_password_with_a_german_message(personas):
    response = Client().post("/konto/anmelden/", {"username": "bob", "password": "falsch"})
    assert response.status_code == 200
    assert "Benutzername oder Passwort stimmen nicht" in response.content.decode()


def test_it_locks_out_after_five_failures_with_status_429(personas):
    client = Client()
    for _ in range(5):
        client.post("/konto/anmelden/", {"username": "bob", "password": "falsch"})
    response = client.post("/konto/anmelden/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429
    assert "Zu viele Anmeldeversuche" in response.content.decode()
    # Another person behind the same address (one town hall, one NAT) is not locked out.
    other = Client().post("/konto/anmelden/", {"username": "alice", "password": PASSWORD})
    assert other.status_code == 302


def test_it_logs_out_only_by_post(personas):
    client = personas.client(personas.bob)
    assert client.get("/konto/abmelden/").status_code == 405
    response = client.post("/konto/abmelden/")
    assert response.status_code == 302
    assert client.get("/start/").status_code == 302


def test_it_changes_the_password(personas):
    client = personas.client(personas.bob)
    response = client.post(
        "/konto/passwort/",
        {
            "old_password": PASSWORD,
            "new_password1": "neues-Passwort-2026!",
            "new_password2": "neues-Passwort-2026!",
        },
    )
    assert response.status_code == 302
    personas.bob.refresh_from_db()
    assert personas.bob.check_password("neues-Passwort-2026!")


def test_it_sends_anonymous_visitors_to_login(personas):
    response = Client().get("/start/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/?next=/start/")


def test_it_serves_security_headers_and_a_strict_csp(personas):
    response = personas.client(personas.bob).get("/start/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_it_updates_the_own_account_and_language(personas):
    client = personas.client(personas.bob)
    response = client.post(
        "/konto/",
        {
            "first_name": "Robert",
            "last_name": "Test",
            "email": "robert@example.org",
            "phone": "",
            "language": "en",
        },
    )
    assert response.status_code == 302
    personas.bob.refresh_from_db()
    assert personas.bob.first_name == "Robert"
    assert personas.bob.language == "en"
    assert '<html lang="en">' in client.get("/start/").content.decode()
