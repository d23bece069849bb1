"""Reading an article: sanitised Markdown, contents, links, badges, banners."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django.utils import timezone

from amtshilfe.wiki.models import Article
from amtshilfe.wiki.services import edit_article
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def test_it_renders_markdown_with_anchors_and_contents(personas):
    make_article(personas)
    page = personas.client(personas.bob).get("/wissen/drucker-einrichten/").content.decode()
    assert '<h2 id="abschnitt-toner-wechseln">Toner wechseln</h2>' in page
    assert '<a href="#abschnitt-toner-wechseln">Toner wechseln</a>' in page
    assert '<a href="#abschnitt-papierstau">Papierstau</a>' in page
    assert 'class="badge badge-cluster" href="/wissen/?cluster=drucker"' in page
    assert "im Netzwerk" in page and "Stand" in page and "Zuletzt geprüft" in page


def test_it_resolves_wiki_links_to_readable_articles_only(personas):
    make_article(personas)
    page = personas.client(personas.bob).get("/wissen/drucker-einrichten/").content.decode()
    assert 'class="broken-link"' in page  # scanner-einrichten does not exist yet
    make_article(personas, title="Scanner einrichten", body="Text")
    page = personas.client(personas.bob).get("/wissen/drucker-einrichten/").content.decode()
    assert 'href="/wissen/scanner-einrichten/"' in page and "broken-link" not in page
    # A link to an article only Riesa may read is broken for people from Meißen.
    make_municipality_article(personas)
    make_article(personas, title="Verweis", body="[[interner-drucker-riesa|intern]]")
    assert 'href="/wissen/interner-drucker-riesa/"' in (
        personas.client(personas.bob).get("/wissen/verweis/").content.decode()
    )
    charlie_page = personas.client(personas.charlie).get("/wissen/verweis/").content.decode()
    assert "/wissen/interner-drucker-riesa/" not in charlie_page
    assert 'class="broken-link"' in charlie_page


def test_it_shows_a_banner_when_a_change_waits_for_review(personas):
    article = make_article(personas)
    edit_article(
        actor=personas.dora,
        article=article,
        title=article.title,
        body="Neu",
        tags=article.tags,
        base_version=article.version,
        message="Vorschlag",
    )
    dora_page = personas.client(personas.dora).get(f"/wissen/{article.slug}/").content.decode()
    assert 'data-banner="pending"' in dora_page
    assert "Ihre Änderung wartet auf die Prüfung" in dora_page
    alice_page = personas.client(personas.alice).get(f"/wissen/{article.slug}/").content.decode()
    assert "Änderungen prüfen" in alice_page
    assert 'data-banner="pending"' not in (
        personas.client(personas.bob).get(f"/wissen/{article.slug}/").content.decode()
    )


def test_it_asks_owners_whether_an_old_article_is_still_current(personas):
    with time_machine.travel(dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        article = make_article(personas)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        page = personas.client(personas.alice).get(f"/wissen/{article.slug}/").content.decode()
        assert "Ist das noch aktuell?" in page and "Ja, noch aktuell" in page
        assert "Ist das noch aktuell?" not in (
            personas.client(personas.dora).get(f"/wissen/{article.slug}/").content.decode()
        )
        response = personas.client(personas.alice).post(f"/wissen/{article.slug}/aktuell/")
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.last_reviewed_at == timezone.now()
        page = personas.client(personas.alice).get(f"/wissen/{article.slug}/").content.decode()
        assert 'data-banner="stale"' not in page


def test_it_lets_only_owners_confirm_an_article(personas):
    article = make_article(personas)
    for user in (personas.bob, personas.dora):
        assert personas.client(user).post(f"/wissen/{article.slug}/aktuell/").status_code == 403


def test_it_shows_unpublished_articles_to_their_author_and_owners_only(personas):
    from amtshilfe.wiki.services import create_article

    article = create_article(
        actor=personas.dora,
        network=personas.network,
        cluster=personas.cluster,
        title="Entwurf von Dora",
        body="Text",
    )
    assert article.status == Article.Status.REVIEW
    assert personas.client(personas.dora).get("/wissen/entwurf-von-dora/").status_code == 200
    assert personas.client(personas.alice).get("/wissen/entwurf-von-dora/").status_code == 200
    assert personas.client(personas.bob).get("/wissen/entwurf-von-dora/").status_code == 404


def test_it_hides_from_other_municipality(personas):
    make_municipality_article(personas)
    assert personas.client(personas.bob).get("/wissen/interner-drucker-riesa/").status_code == 200
    for user in (personas.charlie, personas.olga):
        response = personas.client(user).get("/wissen/interner-drucker-riesa/")
        assert response.status_code == 404
    assert personas.client(personas.olga).get("/wissen/drucker-einrichten/").status_code == 404


def test_it_requires_rw_access(personas):
    article = make_article(personas)
    page = personas.client(personas.bob).get(f"/wissen/{article.slug}/").content.decode()
    assert f'href="/wissen/{article.slug}/bearbeiten/"' not in page
    assert f'href="/wissen/{article.slug}/pruefung/"' not in page
    dora_page = personas.client(personas.dora).get(f"/wissen/{article.slug}/").content.decode()
    assert f'href="/wissen/{article.slug}/bearbeiten/"' in dora_page
    assert f'href="/wissen/{article.slug}/pruefung/"' not in dora_page
    alice_page = personas.client(personas.alice).get(f"/wissen/{article.slug}/").content.decode()
    assert f'href="/wissen/{article.slug}/pruefung/"' in alice_page


def test_it_sends_anonymous_visitors_to_login(personas):
    article = make_article(personas)
    response = Client().get(f"/wissen/{article.slug}/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_reads_an_article_in_bounded_queries(personas, django_assert_max_num_queries):
    article = make_article(personas)
    client = personas.client(personas.alice)
    with django_assert_max_num_queries(25):
        assert client.get(f"/wissen/{article.slug}/").status_code == 200


def test_it_shows_the_date_of_the_source_for_imported_articles(personas):
    make_article(personas, source_updated=dt.date(2024, 2, 29))
    page = personas.client(personas.bob).get("/wissen/drucker-einrichten/").content.decode()
    assert '<dt>Stand</dt><dd><time datetime="2024-02-29">29. Februar 2024</time>' in page
