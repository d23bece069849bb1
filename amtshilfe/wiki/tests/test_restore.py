"""Restoring an old version adds a new version; history is never rewritten."""

from __future__ import annotations

from django.test import Client

from amtshilfe.wiki.models import Revision
from amtshilfe.wiki.services import edit_article
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def test_it_restores_an_old_revision_as_a_new_one(personas):
    article = make_article(personas, body="Original")
    edit_article(
        actor=personas.alice,
        article=article,
        title=article.title,
        body="Verschlimmbessert",
        tags=[],
        base_version=article.version,
    )
    article.refresh_from_db()
    response = personas.client(personas.alice).post(
        f"/wissen/{article.slug}/versionen/1/wiederherstellen/", {"base_version": article.version}
    )
    assert response["Location"] == f"/wissen/{article.slug}/versionen/"
    article.refresh_from_db()
    assert article.body == "Original"
    assert article.current_revision.number == 3
    assert article.current_revision.message == "Version 1 wiederhergestellt"
    assert list(article.revisions.values_list("number", flat=True)) == [3, 2, 1]


def test_it_refuses_a_restore_from_an_outdated_page(personas):
    article = make_article(personas, body="Original")
    outdated = article.version
    edit_article(
        actor=personas.alice,
        article=article,
        title=article.title,
        body="Neu",
        tags=[],
        base_version=article.version,
    )
    response = personas.client(personas.alice).post(
        f"/wissen/{article.slug}/versionen/1/wiederherstellen/",
        {"base_version": outdated},
        follow=True,
    )
    assert "Jemand anders hat den Artikel inzwischen geändert" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "Neu"


def test_it_hides_from_other_municipality(personas):
    article = make_municipality_article(personas)
    for user in (personas.dora, personas.olga):
        response = personas.client(user).post(
            f"/wissen/{article.slug}/versionen/1/wiederherstellen/", {"base_version": 1}
        )
        assert response.status_code == 404


def test_it_requires_rw_access(personas):
    article = make_article(personas, body="Original")
    edit_article(
        actor=personas.alice,
        article=article,
        title=article.title,
        body="Neu",
        tags=[],
        base_version=article.version,
    )
    article.refresh_from_db()
    url = f"/wissen/{article.slug}/versionen/1/wiederherstellen/"
    assert (
        personas.client(personas.bob).post(url, {"base_version": article.version}).status_code
        == 403
    )
    # dora's restore is a proposal: pending, the article keeps its text.
    personas.client(personas.dora).post(url, {"base_version": article.version})
    article.refresh_from_db()
    assert article.body == "Neu"
    assert article.revisions.get(number=3).state == Revision.State.PENDING


def test_it_sends_anonymous_visitors_to_login(personas):
    article = make_article(personas)
    response = Client().post(f"/wissen/{article.slug}/versionen/1/wiederherstellen/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
