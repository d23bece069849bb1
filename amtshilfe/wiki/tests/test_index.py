"""The article list: by cluster, with filters and counts, only what the reader may see."""

from __future__ import annotations

from django.test import Client

from amtshilfe.experts.services import create_cluster
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.services import create_article
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def test_it_lists_articles_by_cluster_with_counts(personas):
    make_article(personas)
    make_article(personas, title="Scanner einrichten")
    vpn = create_cluster(actor=None, network=personas.network, name="VPN", description="")
    make_article(personas, title="VPN verbinden", cluster=vpn)
    page = personas.client(personas.bob).get("/wissen/").content.decode()
    assert "Drucker einrichten" in page and "Scanner einrichten" in page
    assert "VPN verbinden" in page
    assert '<span class="count"><span class="visually-hidden">(</span>2<' in page
    filtered = personas.client(personas.bob).get("/wissen/?cluster=vpn").content.decode()
    assert "VPN verbinden" in filtered and "Drucker einrichten" not in filtered


def test_it_filters_by_status_for_editors(personas):
    make_article(personas)
    create_article(
        actor=personas.dora,
        network=personas.network,
        cluster=personas.cluster,
        title="Neuer Vorschlag",
        body="Text",
    )
    page = personas.client(personas.alice).get("/wissen/?status=review").content.decode()
    assert "Neuer Vorschlag" in page and "Drucker einrichten" not in page
    # Staff members never see articles in review.
    assert "Neuer Vorschlag" not in personas.client(personas.bob).get("/wissen/").content.decode()


def test_it_offers_writing_to_it_specialists_and_owners_only(personas):
    assert "Artikel schreiben" in personas.client(personas.alice).get("/wissen/").content.decode()
    assert "Artikel schreiben" in personas.client(personas.dora).get("/wissen/").content.decode()
    assert "Artikel schreiben" not in personas.client(personas.bob).get("/wissen/").content.decode()


def test_it_hides_from_other_municipality(personas):
    make_municipality_article(personas)
    assert "Interner Drucker Riesa" in (
        personas.client(personas.bob).get("/wissen/").content.decode()
    )
    for user in (personas.charlie, personas.olga):
        page = personas.client(user).get("/wissen/").content.decode()
        assert "Interner Drucker Riesa" not in page
    charlie_page = personas.client(personas.charlie).get("/wissen/").content.decode()
    assert "Noch keine Artikel." in charlie_page


def test_it_requires_rw_access(personas):
    # Reading the list is open to every member; it offers no writing to staff (see above).
    assert personas.client(personas.bob).get("/wissen/").status_code == 200
    assert personas.client(personas.bob).get("/wissen/neu/").status_code == 403


def test_it_sends_anonymous_visitors_to_login(personas):
    response = Client().get("/wissen/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_does_not_grow_queries_with_the_articles(personas, django_assert_max_num_queries):
    for number in range(30):
        make_article(personas, title=f"Artikel {number}", tags=["a", "b"])
    make_municipality_article(personas)
    client = personas.client(personas.alice)
    client.get("/wissen/")
    with django_assert_max_num_queries(15):
        response = client.get("/wissen/")
    assert response.status_code == 200
    assert Article.objects.count() == 31
