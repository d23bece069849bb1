"""Broken internal links per cluster, for its topic owners."""

from __future__ import annotations

from django.test import Client

from amtshilfe.wiki.services import set_article_archived
from amtshilfe.wiki.tests.articles import make_article


def test_it_lists_links_to_missing_or_unpublished_articles(personas):
    make_article(personas, title="Start", body="[[gibt-es-nicht]] und [[ziel]] und [[alt]]")
    make_article(personas, title="Ziel", body="zurück zu [[start]]")
    old = make_article(personas, title="Alt", body="")
    set_article_archived(actor=personas.alice, article=old, archived=True)
    html = personas.client(personas.alice).get("/wissen/cluster/drucker/defekte-links/")
    page = html.content.decode()
    assert "<code>[[gibt-es-nicht]]</code>, <code>[[alt]]</code>" in page
    assert "[[ziel]]" not in page and "[[start]]" not in page


def test_it_reports_when_nothing_is_broken(personas):
    make_article(personas, title="Ziel", body="Text")
    page = personas.client(personas.coordinator).get("/wissen/cluster/drucker/defekte-links/")
    assert "Keine defekten Links" in page.content.decode()


def test_it_hides_from_other_municipality(personas):
    assert (
        personas.client(personas.olga).get("/wissen/cluster/drucker/defekte-links/").status_code
        == 404
    )


def test_it_requires_rw_access(personas):
    for user in (personas.dora, personas.bob, personas.charlie):
        response = personas.client(user).get("/wissen/cluster/drucker/defekte-links/")
        assert response.status_code == 403


def test_it_sends_anonymous_visitors_to_login(personas):
    response = Client().get("/wissen/cluster/drucker/defekte-links/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_checks_links_in_bounded_queries(personas, django_assert_max_num_queries):
    for number in range(25):
        make_article(personas, title=f"Artikel {number}", body=f"[[fehlt-{number}]] [[start]]")
    client = personas.client(personas.alice)
    with django_assert_max_num_queries(12):
        assert client.get("/wissen/cluster/drucker/defekte-links/").status_code == 200
