"""Writing a new article: owners publish at once, other IT specialists' articles wait."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from amtshilfe.core.models import AuditEvent
from amtshilfe.wiki.models import Article, Revision


def post_article(client, **overrides):
    data = {
        "cluster": "",
        "title": "Toner bestellen",
        "body": "## Bestellung\r\n\r\nÜber den Rahmenvertrag.",
        "tags": "Toner, Bestellung",
        "visibility": "network",
        "municipality": "",
        "message": "erste Fassung",
    }
    data.update(overrides)
    return client.post("/wissen/neu/", data)


def test_it_publishes_an_owners_article_at_once(personas):
    response = post_article(personas.client(personas.alice), cluster=personas.cluster.pk)
    article = Article.objects.get(title="Toner bestellen")
    assert response["Location"] == f"/wissen/{article.slug}/"
    assert article.status == Article.Status.PUBLISHED
    assert article.body == "## Bestellung\n\nÜber den Rahmenvertrag."
    assert article.tags == ["toner", "bestellung"]
    assert article.revisions.get().message == "erste Fassung"
    assert AuditEvent.objects.filter(action="article.created", object_id=str(article.pk)).exists()


def test_it_sends_an_it_specialists_article_to_review(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_article(personas.client(personas.dora), cluster=personas.cluster.pk)
    article = Article.objects.get(title="Toner bestellen")
    assert article.status == Article.Status.REVIEW
    assert article.revisions.get().state == Revision.State.PENDING
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    page = personas.client(personas.dora).get(f"/wissen/{article.slug}/").content.decode()
    assert "noch nicht veröffentlicht" in page


def test_it_limits_an_article_to_one_municipality(personas):
    client = personas.client(personas.alice)
    response = post_article(client, cluster=personas.cluster.pk, visibility="municipality")
    assert response.status_code == 200
    assert "Bitte wählen Sie die Kommune" in response.content.decode()
    post_article(
        client, cluster=personas.cluster.pk, visibility="municipality", municipality=personas.a.pk
    )
    assert Article.objects.get(title="Toner bestellen").municipality == personas.a


def test_it_offers_only_own_municipalities(personas):
    response = post_article(
        personas.client(personas.alice),
        cluster=personas.cluster.pk,
        visibility="municipality",
        municipality=personas.b.pk,
    )
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_it_refuses_an_empty_title(personas):
    response = post_article(personas.client(personas.alice), cluster=personas.cluster.pk, title=" ")
    assert "Bitte geben Sie dem Artikel einen Titel." in response.content.decode()
    assert not Article.objects.exists()


def test_it_never_gives_an_article_the_slug_of_a_fixed_page(personas):
    post_article(personas.client(personas.alice), cluster=personas.cluster.pk, title="Neu")
    article = Article.objects.get(title="Neu")
    assert article.slug == "neu-artikel"
    assert personas.client(personas.bob).get("/wissen/neu-artikel/").status_code == 200


def test_it_hides_from_other_municipality(personas):
    # Clusters of another network are not offered, and cannot be posted.
    response = post_article(personas.client(personas.olga), cluster=personas.cluster.pk)
    assert response.status_code in (403, 404)
    assert not Article.objects.exists()


def test_it_requires_rw_access(personas):
    for user in (personas.bob, personas.charlie, personas.steering, personas.auditor):
        client = personas.client(user)
        assert client.get("/wissen/neu/").status_code == 403
        assert post_article(client, cluster=personas.cluster.pk).status_code == 403
    assert not Article.objects.exists()
    assert personas.client(personas.dora).get("/wissen/neu/").status_code == 200


def test_it_sends_anonymous_visitors_to_login(personas):
    response = Client().get("/wissen/neu/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
