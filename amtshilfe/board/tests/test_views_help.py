"""Hilfe finden (/hilfe/): live results, "Das hat geholfen", filing a request without losing text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amtshilfe.board.models import RequestAttachment, SelfHelpSuccess, ServiceRequest
from amtshilfe.tenancy.models import Membership
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.search.indexer import reindex_network
from amtshilfe.wiki.services import create_article
from amtshilfe.wiki.tests.articles import use_tmp_media

PRINTER = """## Worum geht es?

Am Drucker kommt nichts an, der Auftrag steckt in der Druckerwarteschlange fest.

## So gehen Sie vor

Öffnen Sie die Warteschlange und brechen Sie den fehlerhaften Auftrag ab.
"""
SECRET = """## Serverraum

Der Zugangscode für den Serverraum im Rathaus Riesa steht im Tresor der Hauptamtsleitung.
"""
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


@pytest.fixture
def kb(personas):
    def make(title, body, **kwargs):
        return create_article(
            actor=None,
            network=personas.network,
            cluster=personas.cluster,
            title=title,
            body=body,
            **kwargs,
        )

    articles = {
        "printer": make("Druckauftrag hängt", PRINTER, tags=["drucker"]),
        "secret": make(
            "Serverraum Riesa", SECRET, visibility="municipality", municipality=personas.a
        ),
    }
    reindex_network(personas.network)
    return articles


def filing(personas, **overrides):
    data = {
        "title": "Drucker druckt nicht",
        "description": "Drucker druckt nicht\nSeit heute früh bleibt alles in der Warteschlange.",
        "urgency": "high",
        "contact_preference": "phone",
        "municipality": str(personas.a.pk),
        "self_help_query": "Drucker druckt nicht",
    }
    data.update(overrides)
    return data


def test_it_shows_the_form_with_a_live_search_field(personas):
    page = personas.client(personas.bob).get("/hilfe/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'hx-trigger="input changed delay:300ms"' in html
    assert 'id="help-results" aria-live="polite"' in html
    assert 'id="request-form"' in html and "hidden" in html.split('id="request-form"')[1][:200]


def test_it_answers_htmx_with_the_results_alone(personas, kb):
    page = personas.client(personas.bob).get(
        "/hilfe/",
        {"q": "Drucker Warteschlange"},
        headers={"HX-Request": "true", "HX-Target": "help-results"},
    )
    html = page.content.decode()
    assert "<html" not in html
    assert "1 passende Anleitung gefunden" in html
    assert kb["printer"].title in html
    assert f'href="/wissen/{kb["printer"].slug}/#' in html  # opens at the matching passage
    assert "<mark>" in html
    assert "Das hat geholfen" in html


def test_it_searches_without_javascript_and_prefills_the_request(personas, kb):
    text = "Drucker hängt in der Warteschlange\nZweite Zeile mit Details"
    page = personas.client(personas.bob).get("/hilfe/", {"q": text, "anfrage": "1"})
    html = page.content.decode()
    assert kb["printer"].title in html
    form = html.split('id="request-form"')[1]
    assert not form.lstrip().startswith("hidden") and " hidden>" not in form[:300]
    assert 'value="Drucker hängt in der Warteschlange"' in form  # title = first line
    assert "Zweite Zeile mit Details</textarea>" in form  # description = everything


def test_it_hides_from_other_municipality(personas, kb):
    page = personas.client(personas.charlie).get(
        "/hilfe/",
        {"q": "Zugangscode Serverraum"},
        headers={"HX-Request": "true", "HX-Target": "help-results"},
    )
    html = page.content.decode()
    assert "Serverraum Riesa" not in html and "Tresor" not in html
    assert "keine passende Anleitung" in html
    page = personas.client(personas.bob).get(
        "/hilfe/",
        {"q": "Zugangscode Serverraum"},
        headers={"HX-Request": "true", "HX-Target": "help-results"},
    )
    assert "Serverraum Riesa" in page.content.decode()
    page = personas.client(personas.olga).get("/hilfe/", {"q": "Zugangscode Serverraum"})
    assert "Serverraum Riesa" not in page.content.decode()  # another network: nothing at all


def test_it_records_self_help_and_files_nothing(personas, kb):
    client = personas.client(personas.bob)
    response = client.post(
        "/hilfe/geholfen/", {"article": kb["printer"].pk, "q": "Drucker Warteschlange"}, follow=True
    )
    html = response.content.decode()
    assert "Schön, dass es geklappt hat" in html
    success = SelfHelpSuccess.objects.get()
    assert (success.user, success.article, success.query) == (
        personas.bob,
        kb["printer"],
        "Drucker Warteschlange",
    )
    assert success.municipality == personas.a
    assert not ServiceRequest.objects.exists()


def test_it_refuses_self_help_with_an_article_the_person_may_not_read(personas, kb):
    response = personas.client(personas.charlie).post(
        "/hilfe/geholfen/", {"article": kb["secret"].pk, "q": "x"}, follow=True
    )
    assert "gibt es nicht" in response.content.decode()
    assert not SelfHelpSuccess.objects.exists()
    assert Article.objects.filter(pk=kb["secret"].pk).exists()


def test_it_files_a_request_from_the_web_and_says_what_happens_next(personas, triage):
    client = personas.client(personas.bob)
    response = client.post("/hilfe/", filing(personas))
    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/anfragen/{request.pk}/"
    assert request.source == ServiceRequest.Source.WEB
    assert request.self_help_query == "Drucker druckt nicht"
    assert request.description.startswith("Drucker druckt nicht\nSeit heute")
    assert (request.urgency, request.contact_preference) == ("high", "phone")
    assert request.requester == personas.bob and request.municipality == personas.a
    page = client.get(response["Location"])
    html = page.content.decode()
    assert f"Ihre Anfrage #{request.number} ist eingegangen." in html
    assert "Die Koordination ordnet sie jetzt dem passenden Themencluster zu." in html


def test_it_names_the_cluster_when_triage_was_sure(personas, triage):
    triage.answer(personas.cluster, 0.95)
    response = personas.client(personas.bob).post("/hilfe/", filing(personas), follow=True)
    assert "dem Themencluster „Drucker“ zugeordnet" in response.content.decode()


def test_it_keeps_every_word_on_validation_errors(personas):
    text = "Mein ganzer langer Text\nmit Zeilenumbruch und Umlauten: äöü"
    response = personas.client(personas.bob).post(
        "/hilfe/",
        filing(personas, title="   ", description=text, urgency="sofort", self_help_query=text),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not ServiceRequest.objects.exists()
    assert "Bitte beschreiben Sie Ihr Anliegen in einem kurzen Betreff." in html
    assert "Bitte wählen Sie eine Dringlichkeit." in html
    assert "mit Zeilenumbruch und Umlauten: äöü</textarea>" in html
    assert 'id="error-summary"' in html
    form = html.split('id="request-form"')[1][:400]
    assert "hidden" not in form.split(">")[0]  # the form stays open


def test_it_asks_for_the_municipality_only_with_several(personas):
    html = personas.client(personas.bob).get("/hilfe/?anfrage=1").content.decode()
    assert 'type="hidden" name="municipality"' in html
    response = personas.client(personas.bob).post(
        "/hilfe/", filing(personas, municipality=str(personas.b.pk))
    )
    assert "Bitte wählen Sie eine Ihrer Kommunen." in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_it_stores_attachments_with_the_request(personas, media):
    files = [
        SimpleUploadedFile("fehler.png", PNG, content_type="image/png"),
        SimpleUploadedFile("log.txt", b"Fehler 0x80004005", content_type="text/plain"),
    ]
    response = personas.client(personas.bob).post(
        "/hilfe/", {**filing(personas), "attachments": files}
    )
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert sorted(a.content_type for a in request.attachments.all()) == ["image/png", "text/plain"]


def test_it_rejects_attachments_with_bad_content_and_files_nothing(personas, media):
    files = [
        SimpleUploadedFile("bild.png", b"MZ\x90\x00 not a png", content_type="image/png"),
        SimpleUploadedFile(
            "seite.txt", b"<html><script>alert(1)</script>", content_type="text/plain"
        ),
    ]
    text = "Beschreibung, die bleiben muss"
    response = personas.client(personas.bob).post(
        "/hilfe/", {**filing(personas, description=text), "attachments": files}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not ServiceRequest.objects.exists() and not RequestAttachment.objects.exists()
    assert "„bild.png“: Dieser Dateityp ist nicht erlaubt." in html
    assert "SVG-, HTML- und XML-Dateien sind aus Sicherheitsgründen nicht erlaubt." in html
    assert "Bitte wählen Sie Ihre Anhänge noch einmal aus" in html
    assert f"{text}</textarea>" in html


def test_it_requires_rw_access(personas, kb):
    """Only current members file requests (for their own municipality) or record self-help."""
    olga = personas.client(personas.olga)  # another network: A is not one of her municipalities
    assert (
        "Bitte wählen Sie eine Ihrer Kommunen."
        in olga.post("/hilfe/", filing(personas)).content.decode()
    )
    Membership.objects.filter(user=personas.bob).update(ended_on=dt.date(2026, 2, 1))
    former = personas.client(personas.bob)
    assert former.post("/hilfe/", filing(personas)).status_code == 404
    assert former.post("/hilfe/geholfen/", {"article": kb["printer"].pk}).status_code == 404
    assert personas.client(None).post("/hilfe/", filing(personas)).status_code == 302  # to login
    assert not ServiceRequest.objects.exists() and not SelfHelpSuccess.objects.exists()
