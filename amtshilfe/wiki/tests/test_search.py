"""Search over the knowledge base: German matching and, above all, visibility."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.wiki.models import Article, SearchQueryLog
from amtshilfe.wiki.search.engine import load_index, search, visibility_mask
from amtshilfe.wiki.search.indexer import reindex_network
from amtshilfe.wiki.services import create_article, edit_article, set_article_archived

PRINTER = """## Worum geht es?

Am Drucker kommt nichts an, der Auftrag steckt in der Druckerwarteschlange fest.

## So gehen Sie vor

1. Öffnen Sie die Warteschlange und brechen Sie den fehlerhaften Auftrag ab.
"""
PASSWORD = """## Passwort vergessen

Setzen Sie Ihr Passwort im Self-Service-Portal zurück.
"""
SECRET = """## Serverraum

Der Zugangscode für den Serverraum im Rathaus Riesa steht im Tresor der Hauptamtsleitung.
"""


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
        "password": make("Passwort zurücksetzen", PASSWORD),
        "secret": make(
            "Serverraum Riesa", SECRET, visibility="municipality", municipality=personas.a
        ),
    }
    reindex_network(personas.network)
    return articles


def slugs(personas, user, query):
    return [hit.article.slug for hit in search(personas.network, user, query)]


def test_it_finds_compounds_in_both_directions(personas, kb):
    assert slugs(personas, personas.bob, "Drucker Warteschlange")[0] == kb["printer"].slug
    assert slugs(personas, personas.bob, "Druckerwarteschlange")[0] == kb["printer"].slug
    assert slugs(personas, personas.bob, "Warteschlangenauftrag")[:1] == [kb["printer"].slug]


def test_it_copes_with_typos_and_synonyms(personas, kb):
    assert slugs(personas, personas.bob, "Drukerwarteschlange")[0] == kb["printer"].slug
    assert slugs(personas, personas.bob, "Kennwort vergessen")[0] == kb["password"].slug


def test_it_never_shows_another_municipalitys_article(personas, kb):
    assert kb["secret"].slug in slugs(personas, personas.bob, "Zugangscode Serverraum")
    for outsider in (personas.charlie, personas.dora):
        assert kb["secret"].slug not in slugs(personas, outsider, "Zugangscode Serverraum Riesa")
    page = personas.client(personas.charlie).get("/wissen/suche/", {"q": "Zugangscode Serverraum"})
    html = page.content.decode()
    assert "Tresor" not in html and "Serverraum Riesa" not in html
    assert "keinen passenden Artikel" in html  # not even a count of hidden ones


def test_it_applies_the_same_rule_in_memory_as_in_the_database(personas, kb):
    index = load_index(personas.network)
    for user in (
        personas.alice,
        personas.bob,
        personas.charlie,
        personas.dora,
        personas.coordinator,
        personas.steering,
        personas.olga,
    ):
        mask = visibility_mask(index, user, personas.network)
        in_memory = set(index.article_ids[mask].tolist())
        in_database = set(
            Article.objects.readable_by(user, personas.network)
            .filter(passages__isnull=False)
            .values_list("pk", flat=True)
        )
        assert in_memory == in_database, user.username


def test_it_hides_from_other_municipality_in_the_api(personas, kb):
    _token, raw = create_api_token(user=personas.charlie, name="t")
    response = Client().get(
        "/api/v1/search", {"q": "Zugangscode Serverraum"}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    assert kb["secret"].slug not in json.dumps(response.json())
    _token, raw = create_api_token(user=personas.bob, name="t")
    results = (
        Client()
        .get(
            "/api/v1/search",
            {"q": "Zugangscode Serverraum", "limit": 3},
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
        .json()["results"]
    )
    assert results[0]["slug"] == kb["secret"].slug
    assert results[0]["url"].endswith(f"/wissen/{kb['secret'].slug}/#abschnitt-serverraum")
    assert "<mark>Serverraum</mark>" in results[0]["snippet_html"]
    assert "<mark>" not in results[0]["snippet"]


def test_it_answers_bad_api_input_clearly(personas, kb):
    _token, raw = create_api_token(user=personas.bob, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get("/api/v1/search", {"q": " "}, **auth).status_code == 400
    assert Client().get("/api/v1/search", {"q": "x", "limit": 500}, **auth).status_code == 400
    assert (
        Client().get("/api/v1/search", {"q": "x", "network": "anderswo"}, **auth).status_code == 404
    )
    assert Client().get("/api/v1/search", {"q": "x"}).status_code == 401


def test_it_finds_only_published_articles(personas, kb):
    pending = create_article(
        actor=personas.dora,
        network=personas.network,
        cluster=personas.cluster,
        title="Tonerwechsel Spezial",
        body="Tonerwechsel am Spezialgerät",
    )
    reindex_network(personas.network)
    assert pending.status == "review"
    assert pending.slug not in slugs(personas, personas.coordinator, "Tonerwechsel Spezialgerät")
    set_article_archived(actor=personas.alice, article=kb["printer"], archived=True)
    reindex_network(personas.network)
    assert kb["printer"].slug not in slugs(personas, personas.bob, "Druckerwarteschlange")


def test_it_reindexes_an_edited_article_on_commit(personas, kb, django_capture_on_commit_callbacks):
    article = kb["password"]
    with django_capture_on_commit_callbacks(execute=True):
        edit_article(
            actor=personas.alice,
            article=article,
            title=article.title,
            body="## Neu\n\nDas Kennwort ändern Sie im Bürgerportal Zaubertrank.",
            tags=[],
            base_version=article.version,
        )
    assert slugs(personas, personas.bob, "Zaubertrank")[:1] == [article.slug]
    assert article.slug not in slugs(personas, personas.bob, "Self-Service-Portal")


def test_it_escapes_article_text_in_snippets(personas):
    create_article(
        actor=None,
        network=personas.network,
        cluster=personas.cluster,
        title="Warnung",
        body="<script>alert(1)</script> <img src=x onerror=alert(2)> Giftschrank",
    )
    reindex_network(personas.network)
    html = (
        personas.client(personas.bob).get("/wissen/suche/", {"q": "Giftschrank"}).content.decode()
    )
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_it_logs_queries_without_the_person(personas, kb):
    personas.client(personas.bob).get("/wissen/suche/", {"q": "Kaffeemaschine entkalken"})
    log = SearchQueryLog.objects.get()
    assert (log.query, log.network) == ("Kaffeemaschine entkalken", personas.network)
    assert not hasattr(log, "user")


def test_it_serves_live_results_to_htmx(personas, kb):
    response = personas.client(personas.bob).get(
        "/wissen/suche/", {"q": "Passwort"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and "Passwort zurücksetzen" in html


def test_it_sends_anonymous_visitors_to_login(personas):
    response = Client().get("/wissen/suche/", {"q": "Drucker"})
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_evaluates_a_question_file(personas, kb, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "q.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(line)
            for line in [
                {"question": "Drucker Warteschlange hängt", "gold": [kb["printer"].slug]},
                {"question": "Kennwort vergessen", "gold": [kb["password"].slug]},
                {"question": "Wie koche ich Kaffee?", "gold": []},
            ]
        )
    )
    call_command("eval_search", str(path), network="testkreis", user="bob")
    result = json.loads(capsys.readouterr().out)
    assert (result["answerable"], result["without_answer"]) == (2, 1)
    assert result["recall@1"] == 1.0 and result["mrr"] == 1.0
