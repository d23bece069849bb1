"""Legal pages: default texts, editing with revisions, restore; coordination only."""

from __future__ import annotations

from django.test import Client

from amtshilfe.core.models import AuditEvent
from amtshilfe.website.models import SitePage, SitePageRevision
from amtshilfe.website.services import save_site_page


def save(personas, body, key="impressum", **kwargs):
    return save_site_page(
        actor=kwargs.pop("actor", personas.coordinator),
        network=kwargs.pop("network", personas.network),
        key=key,
        title=kwargs.pop("title", "Impressum"),
        body=body,
        **kwargs,
    )


def test_it_shows_sensible_default_texts(personas):
    statement = Client().get("/barrierefreiheit/").content.decode()
    assert "Feedback und Kontaktangaben" in statement
    assert "Durchsetzungsverfahren" in statement and "BITV" in statement
    assert "Testkreis" in statement
    assert "Verantwortliche Stelle" in Client().get("/datenschutz/").content.decode()
    assert "Angaben gemäß" in Client().get("/impressum/").content.decode()


def test_it_saves_each_edit_as_a_revision(personas):
    client = personas.client(personas.coordinator)
    form = client.get("/website/seiten/impressum/").content.decode()
    assert "Angaben gemäß" in form  # the editor starts from the default text
    response = client.post(
        "/website/seiten/impressum/",
        {
            "title": "Impressum",
            "body": "## Anbieter\n\nKreis",
            "message": "erste Fassung",
            "base_version": "0",
        },
    )
    assert response.status_code == 302
    client.post(
        "/website/seiten/impressum/",
        {
            "title": "Impressum",
            "body": "## Anbieter\n\nLandkreis",
            "message": "korrigiert",
            "base_version": "1",
        },
    )
    page = SitePage.objects.get(network=personas.network, key="impressum")
    assert page.version == 2 and "Landkreis" in page.body
    assert list(page.revisions.values_list("number", "message")) == [
        (2, "korrigiert"),
        (1, "erste Fassung"),
    ]
    assert "<p>Landkreis</p>" in Client().get("/impressum/").content.decode()
    history = client.get("/website/seiten/impressum/versionen/").content.decode()
    assert "erste Fassung" in history and "Coordinator Test" in history
    assert AuditEvent.objects.filter(action="site_page.saved").count() == 2


def test_it_restores_an_old_revision_as_a_new_one(personas):
    save(personas, "Alt")
    save(personas, "Neu", base_version=1)
    client = personas.client(personas.coordinator)
    assert "Alt" in client.get("/website/seiten/impressum/versionen/1/").content.decode()
    response = client.post(
        "/website/seiten/impressum/versionen/1/wiederherstellen/", {"base_version": "2"}
    )
    assert response.status_code == 302
    page = SitePage.objects.get(network=personas.network, key="impressum")
    assert page.body == "Alt" and page.version == 3
    newest = page.revisions.first()
    assert newest.number == 3 and newest.restored_from == 1
    assert "Wiederhergestellt aus Version 1" in newest.message
    assert SitePageRevision.objects.filter(page=page).count() == 3


def test_it_keeps_the_text_when_someone_saved_in_between(personas):
    save(personas, "Erste Fassung")
    save(personas, "Zweite Fassung", base_version=1)
    response = personas.client(personas.coordinator).post(
        "/website/seiten/impressum/",
        {"title": "Impressum", "body": "Mein langer Text", "base_version": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "inzwischen von jemand anderem geändert" in page
    assert "Mein langer Text" in page
    assert SitePage.objects.get(key="impressum").body == "Zweite Fassung"


def test_it_refuses_an_empty_page_in_german(personas):
    response = personas.client(personas.coordinator).post(
        "/website/seiten/datenschutz/", {"title": "Datenschutz", "body": "  "}
    )
    assert response.status_code == 400
    assert "Bitte füllen Sie dieses Feld aus." in response.content.decode()
    assert not SitePage.objects.exists()


def test_it_previews_without_saving(personas):
    response = personas.client(personas.coordinator).post(
        "/website/seiten/impressum/",
        {"title": "Impressum", "body": "**Vorschautext**", "vorschau": "1", "base_version": "0"},
    )
    assert "<strong>Vorschautext</strong>" in response.content.decode()
    assert not SitePage.objects.exists()


def test_it_requires_rw_access(personas):
    save(personas, "Text")
    urls = [
        "/website/",
        "/website/seiten/impressum/",
        "/website/seiten/impressum/versionen/",
        "/website/seiten/impressum/versionen/1/",
    ]
    for user in (personas.alice, personas.bob, personas.steering, personas.auditor):
        client = personas.client(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert (
            client.post("/website/seiten/impressum/", {"title": "x", "body": "y"}).status_code
            == 403
        )
        restore = "/website/seiten/impressum/versionen/1/wiederherstellen/"
        assert client.post(restore).status_code == 403
    assert Client().get("/website/seiten/impressum/").status_code == 302
    assert SitePage.objects.get().body == "Text"


def test_it_hides_from_other_network(personas):
    save(personas, "Testkreis-Impressum")
    olga = personas.client(personas.olga)
    assert olga.get("/website/seiten/impressum/versionen/1/").status_code == 404
    assert olga.post("/website/seiten/impressum/versionen/1/wiederherstellen/").status_code == 404
    editor = olga.get("/website/seiten/impressum/").content.decode()
    assert "Testkreis-Impressum" not in editor  # she edits her own network's page


def test_it_answers_404_for_an_unknown_page(personas):
    assert (
        personas.client(personas.coordinator).get("/website/seiten/gibtsnicht/").status_code == 404
    )


def test_it_keeps_script_in_pages_inert(personas):
    evil = "<script>alert(1)</script>"
    save(personas, f"# Kopf\n\n{evil}\n\n[x](javascript:alert(2))", title=f"Impressum {evil}")
    save(personas, f"Hallo {evil}", key="start", title="Start", base_version=None)
    client = personas.client(personas.coordinator)
    for url in (
        "/impressum/",
        "/",
        "/website/",
        "/website/seiten/impressum/versionen/",
        "/website/seiten/impressum/versionen/1/",
    ):
        page = client.get(url).content.decode()
        assert evil not in page and 'href="javascript:' not in page, url
    assert Client().get("/impressum/").content.decode().count("<h1") == 1


def test_it_links_the_management_for_the_coordination_only(personas):
    assert 'href="/website/"' in personas.client(personas.coordinator).get("/").content.decode()
    auditor = personas.client(personas.auditor).get("/").content.decode()
    assert 'href="/website/beitritte/"' in auditor and 'href="/website/"' not in auditor
    for client in (Client(), personas.client(personas.alice)):
        page = client.get("/impressum/").content.decode()
        assert "/website/" not in page and "Seite bearbeiten" not in page
