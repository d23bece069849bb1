"""Retrieval for the assistant: the knowledge-base search, with the conversation in mind.

The search itself (``wiki.search.engine.search``) already restricts everything to what the
asking person may read: its in-memory visibility mask and, finally,
``Article.objects.readable_by``. The assistant never reads an article any other way, so a
``municipality`` article of A cannot inform an answer for B.

Follow-ups ("und am Mac?", "geht das auch am Handy?") name only what changes; on their own
they find nothing or the wrong thing. When the new question is short or starts/leans on the
previous one, the previous question(s) are put in front of it for retrieval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Passage
from amtshilfe.wiki.search.engine import SearchHit, search

from .confidence import QuestionWord, RankedHit, coverage, question_words

LIMIT = 5
SHORT_QUESTION_WORDS = 3  # topic words: at most this many and it is a follow-up
ANAPHORIC_START = re.compile(
    r"^\s*(und|aber|oder|auch|sowie|was ist mit|wie ist es|wie sieht es|gilt das|geht das"
    r"|klappt das|funktioniert das|muss ich das|kann ich das|das gleiche|dasselbe|dort|da)\b",
    re.IGNORECASE,
)
ANAPHORA = re.compile(r"\b(das|dies|dieses|diese|dabei|damit|dafür|dort|davon|es)\b", re.IGNORECASE)
FOLLOW_UP_MAX_WORDS = 8
HISTORY_QUESTIONS = 2
# Re-ranking of the first hits by coverage (tuned on the dev questions, flat between 0.2 and
# 0.3: first article correct 0.917 -> 0.944).
RERANK_DEPTH = 3
COVERAGE_WEIGHT = 0.2


@dataclass
class Retrieval:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    follow_up: bool = False


def is_follow_up(question: str, history: list[str]) -> bool:
    if not history:
        return False
    if ANAPHORIC_START.search(question):
        return True
    words = question.split()
    if len(question_words(question)) <= SHORT_QUESTION_WORDS and len(words) <= FOLLOW_UP_MAX_WORDS:
        return True
    return len(words) <= FOLLOW_UP_MAX_WORDS and bool(ANAPHORA.search(question))


def retrieval_query(question: str, history: list[str]) -> tuple[str, bool]:
    """The text to search for, and whether it combines earlier questions."""
    if not is_follow_up(question, history):
        return question, False
    earlier = " ".join(history[-HISTORY_QUESTIONS:])
    return f"{earlier} {question}", True


def retrieve(network: Network, user: Any, question: str, history: list[str]) -> Retrieval:
    query, follow_up = retrieval_query(question, history)
    return Retrieval(query=query, hits=search(network, user, query, LIMIT), follow_up=follow_up)


def article_terms(article_ids: list[int]) -> dict[int, set[str]]:
    """Index terms of articles (title, tags, headings, text) from their passages."""
    terms: dict[int, set[str]] = {article_id: set() for article_id in article_ids}
    rows = Passage.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "terms", "title_terms"
    )
    for article_id, text_terms, title_terms in rows:
        terms[article_id].update(text_terms.split())
        terms[article_id].update(title_terms.split())
    return terms


def rerank(
    hits: list[SearchHit], words: list[QuestionWord], terms: dict[int, set[str]]
) -> list[SearchHit]:
    """The first ``RERANK_DEPTH`` hits reordered by relative score plus coverage.

    Of articles the search scores alike, the one containing the question's rare words wins
    ("Friedhofsprogramm geht nicht auf" -> the article naming that program). The first hit
    comes back as a ``confidence.RankedHit`` that knows the runner-up's similarity (the
    confidence feature ``margin``).
    """
    if len(hits) < 2:
        return hits
    ranked = hits
    if words:
        head, tail = hits[:RERANK_DEPTH], hits[RERANK_DEPTH:]
        best = head[0].score or 1.0

        def value(hit: SearchHit) -> float:
            return hit.score / best + COVERAGE_WEIGHT * coverage(
                words, terms.get(hit.article.pk, set())
            )

        ranked = sorted(head, key=value, reverse=True) + tail
    first = RankedHit(
        **{f.name: getattr(ranked[0], f.name) for f in fields(SearchHit)},
        runner_up_similarity=ranked[1].similarity,
    )
    return [first, *ranked[1:]]
