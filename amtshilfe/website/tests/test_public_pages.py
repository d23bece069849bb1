"""Public pages for anonymous visitors: members, topics, home; nothing internal shows."""

from __future__ import annotations

import pytest
from django.test import Client

from amtshilfe.communication.models import DirectoryEntry
from amtshilfe.experts.services import create_cluster, set_cluster_member
from amtshilfe.tenancy.services import record_municipality_leaving
from amtshilfe.website.services import set_public_contact

PUBLIC_PAGES = [
    "/",
    "/mitglieder/",
    "/mitglieder/riesa/",
    "/themen/",
    "/kennzahlen/",
    "/oeffentlich/wissen/",
    "/oeffentlich/wissen/?q=Drucker",
    "/mitmachen/",
    "/mitmachen/danke/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_it_shows_every_public_page_without_login(personas, url):
    response = Client().get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "<title>" in page and "<main" in page and "<footer" in page and "<nav" in page
    assert "Anderswo" not in page and "Fernstadt" not in page


def test_it_links_the_legal_pages_in_every_footer(personas):
    pages = [
        Client().get("/").content.decode(),
        personas.client(personas.alice).get("/start/").content.decode(),
    ]
    for page in pages:
        for url in ("/impressum/", "/datenschutz/", "/barrierefreiheit/", "/mitmachen/"):
            assert f'href="{url}"' in page


def test_it_shows_no_municipality_contact_unless_published(personas):
    page = Client().get("/mitglieder/").content.decode()
    assert "Keine öffentliche Ansprechstelle" in page
    assert "alice@example.org" not in page  # people's own addresses are never shown
    set_public_contact(
        actor=personas.coordinator,
        municipality=personas.a,
        label="IT-Stelle Riesa",
        email="it@riesa.example",
    )
    page = Client().get("/mitglieder/").content.decode()
    assert "IT-Stelle Riesa" in page and "mailto:it@riesa.example" in page


def test_it_lists_the_clusters_a_municipality_contributes_to_without_names(personas):
    scanner = create_cluster(actor=None, network=personas.network, name="Scanner und Fax")
    set_cluster_member(actor=None, cluster=scanner, person=personas.dora, role="member")
    page = Client().get("/mitglieder/meissen/").content.decode()
    assert "Scanner und Fax" in page
    assert "Dora" not in page  # a member, not a topic owner: counted, never named
    riesa = Client().get("/mitglieder/riesa/").content.decode()
    assert "Drucker" in riesa and "Scanner und Fax" not in riesa


def test_it_hides_from_other_network(personas):
    assert Client().get("/mitglieder/fernstadt/").status_code == 404
    set_public_contact(
        actor=personas.olga, municipality=personas.c, label="Fernstelle", email="f@x.example"
    )
    assert "Fernstelle" not in Client().get("/mitglieder/").content.decode()


def test_it_hides_municipalities_that_left(personas):
    set_public_contact(
        actor=personas.coordinator, municipality=personas.b, label="IT Meißen", email="m@x.de"
    )
    record_municipality_leaving(actor=personas.coordinator, municipality=personas.b)
    assert Client().get("/mitglieder/meissen/").status_code == 404
    assert "IT Meißen" not in Client().get("/mitglieder/").content.decode()


def test_it_shows_topic_owners_with_email_only_if_they_chose_it(personas):
    page = Client().get("/themen/").content.decode()
    assert "Alice Test" in page and "alice@example.org" not in page
    DirectoryEntry.objects.create(network=personas.network, user=personas.alice, show_email=True)
    page = Client().get("/themen/").content.decode()
    assert "mailto:alice@example.org" in page


def test_it_uses_the_edited_home_intro(personas):
    from amtshilfe.website.services import save_site_page

    save_site_page(
        actor=personas.coordinator,
        network=personas.network,
        key="start",
        title="Willkommen",
        body="Wir sind **das Netzwerk** im Testkreis.",
    )
    page = Client().get("/").content.decode()
    assert "<strong>das Netzwerk</strong>" in page


def test_it_renders_the_home_page_in_few_queries(personas, django_assert_max_num_queries):
    Client().get("/")  # fills the cache of figures
    with django_assert_max_num_queries(4):
        assert Client().get("/").status_code == 200


def test_it_answers_404_without_a_network(db):
    assert Client().get("/mitglieder/").status_code == 404
    assert Client().get("/impressum/").status_code == 404
