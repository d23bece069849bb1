"""Coordination and audit read and filter the audit log; nobody else does."""

from __future__ import annotations

from django.test import Client

from amtshilfe.tenancy.services import update_municipality


def test_it_shows_the_networks_events_to_coordination_and_audit(personas):
    update_municipality(actor=personas.coordinator, municipality=personas.a, population=31000)
    for persona in (personas.coordinator, personas.auditor):
        page = personas.client(persona).get("/netzwerk/protokoll/").content.decode()
        assert "<code>municipality.updated</code>" in page and "31000" in page
        assert "Fernstadt" not in page  # the other network's events


def test_it_filters_by_action_actor_municipality_and_date(personas):
    update_municipality(actor=personas.coordinator, municipality=personas.a, population=31000)
    client = personas.client(personas.auditor)
    page = client.get("/netzwerk/protokoll/", {"action": "municipality.updated"}).content.decode()
    assert "<code>municipality.updated</code>" in page and "<code>person.created</code>" not in page
    page = client.get("/netzwerk/protokoll/", {"actor": "coordinator"}).content.decode()
    assert "1 Eintrag" in page
    page = client.get("/netzwerk/protokoll/", {"municipality": personas.b.pk}).content.decode()
    assert "<code>municipality.updated</code>" not in page and "<code>person.created</code>" in page
    page = client.get("/netzwerk/protokoll/", {"date_from": "2000-01-01", "date_to": "2000-01-02"})
    assert "Keine Einträge" in page.content.decode()
    page = client.get("/netzwerk/protokoll/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "Ende des Zeitraums liegt vor dem Anfang" in page.content.decode()


def test_it_requires_the_coordination_or_audit_role(personas):
    for persona in (personas.steering, personas.alice, personas.bob):
        assert personas.client(persona).get("/netzwerk/protokoll/").status_code == 403
    assert personas.client(personas.olga).get("/netzwerk/protokoll/").status_code == 200
    assert (
        "Riesa" not in personas.client(personas.olga).get("/netzwerk/protokoll/").content.decode()
    )
    assert Client().get("/netzwerk/protokoll/").status_code == 302


def test_it_includes_account_events_of_the_networks_people(personas):
    from amtshilfe.accounts.tokens import create_api_token

    create_api_token(user=personas.bob, name="Skript")
    create_api_token(user=personas.olga, name="Fremd")
    page = personas.client(personas.auditor).get("/netzwerk/protokoll/").content.decode()
    assert "Skript" in page and "Fremd" not in page
