"""The cheap paths of search (ADR 0008, "Latency, third round"): the bound on ranked
full-text matches (PostgreSQL) and snippets that stem only words that can match."""

from __future__ import annotations

import pytest
from django.db import connection

from amtshilfe.wiki.models import Passage
from amtshilfe.wiki.search import lexical
from amtshilfe.wiki.search.analysis import CompoundSplitter, QueryTerm, stem_haystack
from amtshilfe.wiki.search.engine import highlight
from amtshilfe.wiki.search.indexer import reindex_network
from amtshilfe.wiki.services import create_article


def _terms(*words: str) -> list[QueryTerm]:
    return [QueryTerm(word, 1.0, "word") for word in words]


@pytest.fixture
def rooms(personas):
    def make(title, body):
        return create_article(
            actor=None, network=personas.network, cluster=personas.cluster, title=title, body=body
        )

    articles = {
        "both": make("Serverraum Riesa", "## Zugang\n\nDer Code liegt im Tresor."),
        "room": make("Serverraum Großenhain", "## Zugang\n\nDen Schlüssel hat die Hausmeisterei."),
        "safe": make("Tresor im Bürgerbüro", "## Inhalt\n\nBargeld und Siegel."),
    }
    reindex_network(personas.network)
    return articles


def _articles(found: list[tuple[int, float]]) -> set[int]:
    ids = [passage_id for passage_id, _score in found]
    return set(Passage.objects.filter(pk__in=ids).values_list("article_id", flat=True))


def test_postgresql_ranks_at_most_ranked_max_matches(rooms, monkeypatch):
    everything = {rooms["both"].pk, rooms["room"].pk, rooms["safe"].pk}
    found = lexical.search(["serverraum", "tresor"], 20)
    assert _articles(found) == everything
    # the passage with both words first (title weight x text weight, as before the bound)
    assert _articles(found[:1]) == {rooms["both"].pk}
    monkeypatch.setattr(lexical, "RANKED_MAX", 1)
    found = lexical.search(["serverraum", "tresor"], 20)
    if connection.vendor == "postgresql":
        assert len(found) == 1
    else:  # FTS5 ranks every match with bm25 quickly enough: no bound there (ADR 0008)
        assert _articles(found) == everything


@pytest.mark.parametrize(
    ("word", "stems"),
    [
        ("aktuell", {"aktull"}),  # the stemmer reads "ue" as "ü"
        ("Straße", {"strass"}),
        ("Bluetooth-Headsets", {"blutooth", "blutoothheads", "heads"}),
        ("Gäste-WLAN", {"gast", "gastewlan", "wlan"}),
        ("12.03.", {"12.03"}),
        ("Kontoeinstellungen,", {"konto", "einstell", "kontoinstell"}),
    ],
)
def test_the_haystack_of_a_word_holds_every_stem_of_it(word, stems):
    splitter = CompoundSplitter({"konto", "einstellungen", "headsets"})
    assert splitter.word_stems(word) == stems
    for candidate in (stem_haystack(word), stem_haystack(f"Vorher {word} nachher")):
        assert all(stem in candidate for stem in stems)


def test_snippets_stem_only_words_that_can_match(monkeypatch):
    splitter = CompoundSplitter({"drucker", "warteschlange"})
    stemmed: list[str] = []
    original = splitter.word_stems

    def spy(word):
        stemmed.append(word)
        return original(word)

    monkeypatch.setattr(splitter, "word_stems", spy)
    text = "Die Druckerwarteschlange ist aktuell voll, sagt Bluetooth."
    snippet = highlight(text, _terms("aktull", "warteschlang", "fehlt"), splitter)
    assert (
        snippet
        == "Die <mark>Druckerwarteschlange</mark> ist <mark>aktuell</mark> voll, sagt Bluetooth."
    )
    assert sorted(stemmed) == ["Druckerwarteschlange", "aktuell"]
    stemmed.clear()
    # Asked again, the remembered stems are used: nothing is stemmed anew.
    assert highlight(text, _terms("aktull"), splitter) == (
        "Die Druckerwarteschlange ist <mark>aktuell</mark> voll, sagt Bluetooth."
    )
    assert stemmed == []
