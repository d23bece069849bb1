"""Article settings (cluster, visibility) and archiving: topic owners and coordination only."""

from __future__ import annotations

from django.test import Client

from amtshilfe.core.models import AuditEvent
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def test_it_limits_an_article_to_one_municipality(personas):
    article = make_article(personas)
    response = personas.client(personas.alice).post(
        f"/wissen/{article.slug}/einstellungen/",
        {
            "cluster": personas.cluster.pk,
            "visibility": "municipality",
            "municipality": personas.a.pk,
        },
    )
    assert response["Location"] == f"/wissen/{article.slug}/"
    article.refresh_from_db()
    assert (article.visibility, article.municipality) == ("municipality", personas.a)
    assert AuditEvent.objects.filter(action="article.settings_changed").exists()
    assert personas.client(personas.charlie).get(f"/wissen/{article.slug}/").status_code == 404


def test_it_requires_the_municipality_when_limiting(personas):
    article = make_article(personas)
    response = personas.client(personas.alice).post(
        f"/wissen/{article.slug}/einstellungen/",
        {"cluster": personas.cluster.pk, "visibility": "municipality", "municipality": ""},
    )
    assert "Bitte wählen Sie die Kommune" in response.content.decode()


def test_it_archives_and_reactivates_an_article(personas):
    article = make_article(personas)
    client = personas.client(personas.alice)
    client.post(f"/wissen/{article.slug}/archivieren/", {"archived": "1"})
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED
    assert personas.client(personas.bob).get(f"/wissen/{article.slug}/").status_code == 404
    assert "archiviert" in client.get(f"/wissen/{article.slug}/").content.decode()
    client.post(f"/wissen/{article.slug}/archivieren/", {"archived": "0"})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_it_hides_from_other_municipality(personas):
    article = make_municipality_article(personas)
    for user in (personas.charlie, personas.olga):
        client = personas.client(user)
        assert client.get(f"/wissen/{article.slug}/einstellungen/").status_code == 404
        assert (
            client.post(f"/wissen/{article.slug}/archivieren/", {"archived": "1"}).status_code
            == 404
        )


def test_it_requires_rw_access(personas):
    article = make_article(personas)
    for user in (personas.dora, personas.bob):
        client = personas.client(user)
        assert client.get(f"/wissen/{article.slug}/einstellungen/").status_code == 403
        response = client.post(
            f"/wissen/{article.slug}/einstellungen/",
            {"cluster": personas.cluster.pk, "visibility": "public"},
        )
        assert response.status_code == 403
        assert (
            client.post(f"/wissen/{article.slug}/archivieren/", {"archived": "1"}).status_code
            == 403
        )
    article.refresh_from_db()
    assert (article.visibility, article.status) == ("network", "published")


def test_it_sends_anonymous_visitors_to_login(personas):
    article = make_article(personas)
    response = Client().get(f"/wissen/{article.slug}/einstellungen/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
