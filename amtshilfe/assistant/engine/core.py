"""One answer: retrieve, decide (off-topic / unknown / answer), compose, optionally phrase.

1. Retrieve with the conversation in mind (``retrieval``); only readable articles come back.
2. Nothing found and nothing technical in the question, or a typical chat-bot request
   (weather, poem): decline politely (``off_topic``).
3. Calibrated confidence on the top article (``confidence``): below the threshold the
   assistant says it finds no suitable guide (``unknown``) and cites nothing.
4. Extractive answer from the top article's best section(s) (``extractive``); a second
   article joins when its score is nearly as high (questions with two parts).
5. With a configured language model the same sections are sent to it (``llm``); its answer
   replaces the extractive one only when it cites at least one of them. "KEINE_ANTWORT"
   turns the answer into ``unknown``; any failure keeps the extractive answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from amtshilfe.assistant.engine import confidence, extractive, llm, topics
from amtshilfe.assistant.engine.retrieval import RERANK_DEPTH, article_terms, rerank, retrieve
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.search.engine import SearchHit, load_index

UNKNOWN_ANSWER = (
    "Dazu finde ich im Wissen des Netzwerks keine passende Anleitung. Ich möchte Ihnen "
    "nichts Falsches sagen: Stellen Sie am besten eine Anfrage, dann hilft Ihnen eine "
    "IT-Fachkraft aus dem Netzwerk weiter."
)
# A second article joins the answer when its fused score reaches this share of the first.
SECOND_ARTICLE_SHARE = 0.97


@dataclass
class EngineCitation:
    slug: str
    title: str
    url: str


@dataclass
class EngineAnswer:
    markdown: str
    citations: list[EngineCitation] = field(default_factory=list)
    confident: bool = False
    kind: str = "unknown"
    used_llm: bool = False
    # Why it decided as it did (for evaluation and the ADR; not shown to people).
    evidence: dict[str, float] = field(default_factory=dict)


def _unknown(evidence: dict[str, float] | None = None) -> EngineAnswer:
    return EngineAnswer(markdown=UNKNOWN_ANSWER, kind="unknown", evidence=evidence or {})


def _section_url(slug: str, anchor: str) -> str:
    url = reverse("wiki:article", kwargs={"slug": slug})
    return f"{url}#{anchor}" if anchor else url


@dataclass
class _Part:
    hit: SearchHit
    sections: list[extractive.RawSection]


def _parts(hits: list[SearchHit]) -> list[_Part]:
    """The top article, and the second when it is nearly as good (step 4)."""
    chosen = [hits[0]]
    best = max(hit.score for hit in hits[:2])
    if len(hits) > 1 and hits[1].score >= SECOND_ARTICLE_SHARE * best and hits[1].confident:
        chosen.append(hits[1])
    parts = []
    for hit in chosen:
        sections = extractive.answer_sections(extractive.raw_sections(hit.article.body), hit.anchor)
        if sections:
            parts.append(_Part(hit=hit, sections=sections))
    return parts


def _extractive(question: str, parts: list[_Part]) -> tuple[str, list[EngineCitation]]:
    lines = [extractive.lead_sentence(parts[0].hit.article.title, several=len(parts) > 1)]
    citations: list[EngineCitation] = []
    for number, part in enumerate(parts):
        article = part.hit.article
        if number:
            lines.append(f"Außerdem passt die Anleitung „{article.title}“:")
        for position, section in enumerate(part.sections):
            context = position == 0 and len(part.sections) > 1
            lines.append(extractive.section_markdown(section, question, context=context))
        citations.append(
            EngineCitation(
                slug=article.slug,
                title=article.title,
                url=_section_url(article.slug, part.sections[0].anchor),
            )
        )
    markdown = "\n\n".join(lines)
    if len(markdown) > extractive.MAX_ANSWER_CHARS:
        markdown = extractive.shorten(markdown, extractive.MAX_ANSWER_CHARS)
    return markdown, citations


def _llm_sources(parts: list[_Part]) -> list[llm.LlmSource]:
    sources: list[llm.LlmSource] = []
    for part in parts:
        article = part.hit.article
        for section in part.sections:
            sources.append(
                llm.LlmSource(
                    number=len(sources) + 1,
                    slug=article.slug,
                    title=article.title,
                    url=_section_url(article.slug, section.anchor),
                    heading=section.heading,
                    text=extractive.clean(section.markdown),
                )
            )
    return sources


def answer_question(
    *, network: Network, user: Any, question: str, history: list[str] | None = None
) -> EngineAnswer:
    """The assistant's answer to ``question`` from what ``user`` may read in ``network``."""
    history = list(history or [])
    found = retrieve(network, user, question, history)
    hits = found.hits
    if not hits or (topics.OFF_TOPIC.search(question) and not topics.is_technical(question)):
        if topics.is_off_topic(question, search_found_nothing=not hits):
            return EngineAnswer(markdown=topics.OFF_TOPIC_ANSWER, kind="off_topic")
        return _unknown()
    index = load_index(network)
    words = confidence.analyse(found.query, index)
    terms = article_terms([hit.article.pk for hit in hits[:RERANK_DEPTH]])
    hits = rerank(hits, words, terms)
    features = confidence.evidence(words, hits[0], terms[hits[0].article.pk])
    evidence = {**features.as_dict(), "probability": confidence.probability(features)}
    if not confidence.is_confident(features):
        return _unknown(evidence)
    parts = _parts(hits)
    if not parts:
        return _unknown(evidence)
    markdown, citations = _extractive(question, parts)
    answer = EngineAnswer(
        markdown=markdown, citations=citations, confident=True, kind="answer", evidence=evidence
    )
    phrased = llm.ask_llm(question, _llm_sources(parts), history)
    if phrased is None:
        return answer
    if phrased.no_answer:
        unknown = _unknown(evidence)
        unknown.used_llm = True
        return unknown
    return EngineAnswer(
        markdown=phrased.markdown,
        citations=[EngineCitation(slug=s.slug, title=s.title, url=s.url) for s in phrased.sources],
        confident=True,
        kind="answer",
        used_llm=True,
        evidence=evidence,
    )
