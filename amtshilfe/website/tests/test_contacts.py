"""Public contact points of municipalities, set by the coordination."""

from __future__ import annotations

from django.test import Client

from amtshilfe.website.models import PublicContact


def test_it_publishes_and_removes_a_contact(personas):
    client = personas.client(personas.coordinator)
    assert "Riesa" in client.get("/website/kontakte/").content.decode()
    response = client.post(
        "/website/kontakte/riesa/", {"label": "IT-Stelle", "email": "it@riesa.example"}
    )
    assert response.status_code == 302
    assert "it@riesa.example" in Client().get("/mitglieder/riesa/").content.decode()
    client.post("/website/kontakte/riesa/entfernen/")
    assert not PublicContact.objects.exists()
    assert "it@riesa.example" not in Client().get("/mitglieder/riesa/").content.decode()


def test_it_needs_a_way_to_reach_the_contact(personas):
    response = personas.client(personas.coordinator).post(
        "/website/kontakte/riesa/", {"label": "IT-Stelle", "email": "", "phone": ""}
    )
    assert response.status_code == 400
    assert "E-Mail-Adresse oder eine Telefonnummer" in response.content.decode()


def test_it_requires_rw_access(personas):
    for user in (personas.alice, personas.auditor, personas.steering):
        client = personas.client(user)
        assert client.get("/website/kontakte/").status_code == 403
        response = client.post("/website/kontakte/riesa/", {"label": "x", "email": "a@b.de"})
        assert response.status_code == 403
    assert not PublicContact.objects.exists()


def test_it_hides_from_other_network(personas):
    olga = personas.client(personas.olga)
    assert olga.get("/website/kontakte/riesa/").status_code == 404
    response = olga.post("/website/kontakte/riesa/", {"label": "x", "email": "a@b.de"})
    assert response.status_code == 404
    assert "Riesa" not in olga.get("/website/kontakte/").content.decode()


def test_it_keeps_script_in_a_contact_inert(personas):
    evil = "<script>alert(1)</script>"
    personas.client(personas.coordinator).post(
        "/website/kontakte/riesa/", {"label": evil, "phone": evil[:40], "note": evil}
    )
    assert PublicContact.objects.exists()
    for url in ("/mitglieder/", "/mitglieder/riesa/"):
        assert evil not in Client().get(url).content.decode()
