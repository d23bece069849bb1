"""The public knowledge base shows public articles only – never a non-public one."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from amtshilfe.website.tests.helpers import article
from amtshilfe.wiki.search.indexer import reindex_network

PUBLIC_BODY = (
    "## Druckauftrag löschen\n\nÖffnen Sie die Warteschlange des Druckers.\n\n"
    "## Danach\n\nNeu starten.\n\n## Hilfe\n\nFragen."
)
SECRET_BODY = "## Serverraum\n\nDer Zugangscode für den Drucker im Serverraum lautet 4711."


@pytest.fixture
def kb(personas):
    articles = {
        "public": article(personas, "Druckauftrag hängt", PUBLIC_BODY, visibility="public"),
        "network": article(personas, "Druckerliste intern", SECRET_BODY, visibility="network"),
        "municipality": article(
            personas,
            "Drucker Serverraum Riesa",
            SECRET_BODY,
            visibility="municipality",
            municipality=personas.a,
        ),
        "draft": article(
            personas, "Drucker Entwurf", PUBLIC_BODY, visibility="public", publish=False
        ),
    }
    reindex_network(personas.network)
    return articles


def test_it_lists_public_articles_by_cluster(kb):
    page = Client().get("/oeffentlich/wissen/").content.decode()
    assert "Druckauftrag hängt" in page and 'id="thema-drucker"' in page
    for hidden in ("Druckerliste intern", "Drucker Serverraum Riesa", "Drucker Entwurf"):
        assert hidden not in page


def test_it_renders_a_public_article_with_heading_anchors(kb):
    response = Client().get(f"/oeffentlich/wissen/{kb['public'].slug}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="abschnitt-druckauftrag-loeschen"' in page
    assert 'href="#abschnitt-druckauftrag-loeschen"' in page  # table of contents


@pytest.mark.parametrize("which", ["network", "municipality", "draft"])
def test_it_never_shows_a_non_public_article(kb, personas, which):
    assert Client().get(f"/oeffentlich/wissen/{kb[which].slug}/").status_code == 404
    # not even for a logged-in coordinator who may read it inside the app
    client = personas.client(personas.coordinator)
    assert client.get(f"/oeffentlich/wissen/{kb[which].slug}/").status_code == 404


def test_it_searches_public_articles_only(kb):
    page = Client().get("/oeffentlich/wissen/", {"q": "Drucker Serverraum Zugangscode"}).content
    text = page.decode()
    assert "4711" not in text and "Drucker Serverraum Riesa" not in text
    assert "Druckerliste intern" not in text
    hits = Client().get("/oeffentlich/wissen/", {"q": "Warteschlange Drucker"}).content.decode()
    assert "Druckauftrag hängt" in hits


def test_it_counts_only_public_articles(kb):
    page = Client().get("/themen/").content.decode()
    assert "Ein öffentlicher Artikel" in page
    home = Client().get("/").content.decode()
    assert "<strong>1</strong> öffentliche Anleitungen" in home


def test_it_hides_from_other_network(kb, personas):
    from amtshilfe.experts.services import create_cluster

    cluster = create_cluster(actor=None, network=personas.other_network, name="Fernthema")
    other = article(
        personas,
        "Fernartikel",
        "Text",
        visibility="public",
        network=personas.other_network,
        cluster=cluster,
    )
    assert Client().get(f"/oeffentlich/wissen/{other.slug}/").status_code == 404
    assert "Fernartikel" not in Client().get("/oeffentlich/wissen/").content.decode()


def test_it_keeps_script_in_an_article_inert(personas):
    evil = article(
        personas,
        "Böse <script>alert(1)</script>",
        "# Titel\n\n<script>alert(2)</script> [x](javascript:alert(3)) <img src=x onerror=alert(4)>",
        visibility="public",
    )
    page = Client().get(f"/oeffentlich/wissen/{evil.slug}/").content.decode()
    assert "<script>alert" not in page and 'href="javascript:' not in page
    assert not re.search(r"<[a-z]+[^>]*\sonerror=", page)
    assert page.count("<h1") == 1  # a level-1 heading in the text becomes <h2>
