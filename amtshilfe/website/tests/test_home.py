"""The public landing page describes the network without login."""

from __future__ import annotations

from django.test import Client

from amtshilfe.tenancy.services import record_municipality_leaving


def test_it_describes_the_network_without_login(personas):
    response = Client().get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Testkreis" in page and "Riesa" in page and "Meißen" in page
    assert "Drucker" in page and "Alice Test" in page  # cluster with its topic owner as contact
    assert "Anmelden" in page
    assert "Fernstadt" not in page  # another network on the same installation


def test_it_lists_only_current_members(personas):
    record_municipality_leaving(actor=personas.coordinator, municipality=personas.b)
    page = Client().get("/").content.decode()
    assert "Riesa" in page and "Meißen" not in page


def test_it_formats_numbers_the_german_way(personas):
    page = Client().get("/").content.decode()
    assert "57.000" in page  # population 29.000 + 28.000


def test_it_shows_a_german_not_found_page(personas):
    response = Client().get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Diese Seite gibt es nicht" in response.content.decode()


def test_it_works_without_any_network(db):
    response = Client().get("/")
    assert response.status_code == 200
    assert "noch kein Netzwerk eingerichtet" in response.content.decode()
