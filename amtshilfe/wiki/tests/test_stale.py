""" "Ist das noch aktuell?" – articles not confirmed for twelve months, for their owners."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def test_it_lists_articles_not_reviewed_for_twelve_months(personas):
    with time_machine.travel(dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        old = make_article(personas, title="Alter Artikel")
    with time_machine.travel(dt.datetime(2025, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        make_article(personas, title="Junger Artikel")
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        client = personas.client(personas.alice)
        page = client.get("/wissen/veraltet/").content.decode()
        assert "Alter Artikel" in page and "Junger Artikel" not in page
        response = client.post(f"/wissen/{old.slug}/aktuell/", {"next": "/wissen/veraltet/"})
        assert response["Location"] == "/wissen/veraltet/"
        page = client.get("/wissen/veraltet/").content.decode()
        assert f'href="/wissen/{old.slug}/"' not in page and "Alles geprüft" in page


def test_it_redirects_only_to_local_pages_after_confirming(personas):
    article = make_article(personas)
    response = personas.client(personas.alice).post(
        f"/wissen/{article.slug}/aktuell/", {"next": "https://example.com/"}
    )
    assert response["Location"] == f"/wissen/{article.slug}/"


def test_it_hides_from_other_municipality(personas):
    make_municipality_article(personas)
    # olga owns nothing in this network; her own network has no clusters.
    assert personas.client(personas.olga).get("/wissen/veraltet/").status_code == 403


def test_it_requires_rw_access(personas):
    for user in (personas.dora, personas.bob, personas.steering):
        assert personas.client(user).get("/wissen/veraltet/").status_code == 403
    assert personas.client(personas.coordinator).get("/wissen/veraltet/").status_code == 200


def test_it_sends_anonymous_visitors_to_login(personas):
    response = Client().get("/wissen/veraltet/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_lists_in_bounded_queries(personas, django_assert_max_num_queries):
    with time_machine.travel(dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        for number in range(25):
            make_article(personas, title=f"Artikel {number}")
    client = personas.client(personas.alice)
    with django_assert_max_num_queries(10):
        assert client.get("/wissen/veraltet/").status_code == 200
