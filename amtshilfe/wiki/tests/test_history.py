"""The version history: who saved what when, and in which state."""

from __future__ import annotations

from django.test import Client

from amtshilfe.wiki.services import edit_article
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def test_it_lists_revisions_with_author_message_and_state(personas):
    article = make_article(personas)
    edit_article(
        actor=personas.alice,
        article=article,
        title=article.title,
        body="v2",
        tags=[],
        base_version=article.version,
        message="Kürzer gefasst",
    )
    article.refresh_from_db()
    edit_article(
        actor=personas.dora,
        article=article,
        title=article.title,
        body="v3",
        tags=[],
        base_version=article.version,
        message="Doras Vorschlag",
    )
    page = personas.client(personas.alice).get(f"/wissen/{article.slug}/versionen/")
    html = page.content.decode()
    assert "Kürzer gefasst" in html and "Alice Test" in html
    assert "Doras Vorschlag" in html and "wartet auf Prüfung" in html
    assert "Import" in html  # version 1 came without an author
    assert "wiederherstellen" in html
    # Readers see only the published history.
    bob_html = personas.client(personas.bob).get(f"/wissen/{article.slug}/versionen/").content
    assert (
        "Doras Vorschlag" not in bob_html.decode() and "wiederherstellen" not in bob_html.decode()
    )


def test_it_hides_from_other_municipality(personas):
    article = make_municipality_article(personas)
    for user in (personas.charlie, personas.olga):
        response = personas.client(user).get(f"/wissen/{article.slug}/versionen/")
        assert response.status_code == 404


def test_it_requires_rw_access(personas):
    article = make_article(personas)
    assert (
        personas.client(personas.bob).get(f"/wissen/{article.slug}/versionen/").status_code == 200
    )
    response = personas.client(personas.bob).post(
        f"/wissen/{article.slug}/versionen/1/wiederherstellen/", {"base_version": article.version}
    )
    assert response.status_code == 403


def test_it_sends_anonymous_visitors_to_login(personas):
    article = make_article(personas)
    response = Client().get(f"/wissen/{article.slug}/versionen/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_shows_the_history_in_bounded_queries(personas, django_assert_max_num_queries):
    article = make_article(personas)
    for number in range(20):
        article.refresh_from_db()
        edit_article(
            actor=personas.alice,
            article=article,
            title=article.title,
            body=f"v{number}",
            tags=[],
            base_version=article.version,
            message=f"Änderung {number}",
        )
    client = personas.client(personas.alice)
    with django_assert_max_num_queries(20):
        assert client.get(f"/wissen/{article.slug}/versionen/").status_code == 200
