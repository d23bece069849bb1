"""German text analysis for search: tokens, stems, compound parts, synonyms, typo repair.

Documents and queries go through the same steps so that their terms meet:

1. Lowercase; split into word tokens. Hyphenated words ("E-Akte", "Scan-to-Folder") yield
   the joined form and the parts; tokens with digits (error codes) are kept verbatim.
2. Drop stop words (German function words and the filler of colloquial questions).
3. Stem with the Snowball German stemmer; fold remaining umlauts and ß.
4. Split compounds into known words (Druckerwarteschlange -> drucker + warteschlange),
   allowing the German linking elements (s, es, n, en, e). "Known" = words of the
   network's articles, titles, tags and the built-in lexicon.
5. Queries only: add synonyms and colloquial paraphrases, and replace words that are not
   in the index by the closest index terms (edit distance 1, or 2 for long words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from amtshilfe.wiki.search.lexicon import PHRASES, STOPWORDS, SYNONYM_GROUPS

TOKEN = re.compile(r"[0-9a-zäöüß]+(?:[-./][0-9a-zäöüß]+)*")
LINKING = ("", "s", "es", "n", "en", "e")
SHORT_WORDS = frozenset(
    {
        "ruf",
        "pin",
        "usb",
        "vpn",
        "web",
        "pc",
        "mail",
        "app",
        "ki",
        "it",
        "akte",
        "amt",
        "bau",
        "hof",
        "rat",
        "tag",
        "fax",
        "id",
        "pdf",
        "dms",
        "ocr",
    }
)
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_stemmer = snowballstemmer.stemmer("german")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    if any(ch.isdigit() for ch in word):
        return word.translate(_FOLD)
    return _stemmer.stemWord(word).translate(_FOLD)


def tokens(text: str) -> list[str]:
    """Lowercase word tokens; hyphenated words yield the whole (joined) and the parts."""
    out: list[str] = []
    for match in TOKEN.finditer(text.lower()):
        token = match.group(0).strip("-./")
        if not token:
            continue
        if "-" in token or "/" in token or ("." in token and not token.replace(".", "").isdigit()):
            parts = [part for part in re.split(r"[-./]", token) if part]
            joined = "".join(parts)
            out.append(joined)
            out.extend(part for part in parts if len(part) >= 2)
        else:
            out.append(token)
    return out


def content_words(text: str) -> list[str]:
    return [token for token in tokens(text) if token not in STOPWORDS and len(token) >= 2]


def stem_haystack(text: str) -> str:
    """A string that contains every stem ``CompoundSplitter.word_stems`` yields for the
    words of ``text``.

    A stem is a prefix of its (lowercased, umlaut-folded) token; the stemmer also reads
    "ae/oe/ue" as umlauts ("aktuell" -> "aktull"), and hyphens, dots and slashes join or
    split tokens: the haystack holds the text with and without those. Snippets test a
    query's stems against it before stemming words (stemming every word of a passage is
    the cost of a snippet, and most words match nothing). Checked against every word of the
    demo and the 5,000-article benchmark corpus: no stem is missed.
    """
    # str.replace, not str.translate: translate looks up every character in Python.
    folded = text.lower().replace("ä", "a").replace("ö", "o").replace("ü", "u")
    folded = folded.replace("ß", "ss")
    haystack = f"{folded}\0{folded.replace('ae', 'a').replace('oe', 'o').replace('ue', 'u')}"
    if "-" in text or "." in text or "/" in text:
        joined = haystack.replace("-", "").replace(".", "").replace("/", "")
        haystack = f"{haystack}\0{joined}"
    return haystack


word_haystack = lru_cache(maxsize=200_000)(stem_haystack)  # the same, remembered per word


class CompoundSplitter:
    """Splits German compounds into known words (longest first part first)."""

    def __init__(self, surfaces: Iterable[str], stems: Iterable[str] = ()) -> None:
        self.surfaces = {word for word in surfaces if len(word) >= 3}
        self.stems = set(stems)
        self._memo: dict[str, list[str] | None] = {}
        self._word_stems: dict[str, frozenset[str]] = {}

    def known_word_stems(self, word: str) -> frozenset[str] | None:
        """``word_stems(word)`` if it was asked for before, else None (nothing computed)."""
        return self._word_stems.get(word)

    def word_stems(self, word: str) -> frozenset[str]:
        """Stems of a word as written in a text (its tokens and their compound parts);
        remembered, as snippets ask for the same words again and again."""
        known = self._word_stems.get(word)
        if known is None:
            found: set[str] = set()
            for token in tokens(word):
                found.add(stem(token))
                found.update(stem(part) for part in self.split(token))
            known = frozenset(found)
            if len(self._word_stems) > 200_000:
                self._word_stems.clear()
            self._word_stems[word] = known
        return known

    def _known(self, part: str, head: bool) -> bool:
        if len(part) < 3 or (head and len(part) < 4 and part not in SHORT_WORDS):
            return False
        return part in self.surfaces or (not head and len(part) >= 4 and stem(part) in self.stems)

    def split(self, word: str) -> list[str]:
        """The parts of ``word`` (at least two), or [] when it is not a known compound."""
        if len(word) < 7 or any(ch.isdigit() for ch in word):
            return []
        return self._split(word) or []

    def _split(self, word: str) -> list[str] | None:
        if word in self._memo:
            return self._memo[word]
        result: list[str] | None = None
        for cut in range(len(word) - 3, 2, -1):
            head = word[:cut]
            if not self._known(head, head=True):
                continue
            rest = word[cut:]
            for link in LINKING:
                if not rest.startswith(link) or len(rest) - len(link) < 3:
                    continue
                tail = rest[len(link) :]
                if self._known(tail, head=False):
                    result = [head, tail]
                    break
                deeper = self._split(tail)
                if deeper:
                    result = [head, *deeper]
                    break
            if result:
                break
        self._memo[word] = result
        return result


def document_terms(text: str, splitter: CompoundSplitter) -> list[str]:
    """Index terms of a text: stems of its content words plus stems of compound parts."""
    terms: list[str] = []
    for word in content_words(text):
        terms.append(stem(word))
        for part in splitter.split(word):
            if part not in STOPWORDS:
                terms.append(stem(part))
    return terms


@dataclass
class Vocabulary:
    """What the index knows: term frequencies (stems) and surface words (for splitting)."""

    document_frequency: dict[str, int] = field(default_factory=dict)
    surfaces: set[str] = field(default_factory=set)
    _terms: list[str] | None = None
    _by_length: dict[int, list[str]] | None = None
    _typos: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def knows(self, term: str) -> bool:
        return term in self.document_frequency

    @property
    def terms(self) -> list[str]:
        if self._terms is None:
            self._terms = [t for t in self.document_frequency if not any(c.isdigit() for c in t)]
        return self._terms

    def terms_of_length(self, low: int, high: int) -> list[str]:
        """Typo candidates: terms whose length lies in [low, high] (an edit distance of d
        never bridges more than d letters of length difference)."""
        if self._by_length is None:
            buckets: dict[int, list[str]] = {}
            for term in self.terms:
                buckets.setdefault(len(term), []).append(term)
            self._by_length = buckets
        return [t for length in range(low, high + 1) for t in self._by_length.get(length, ())]


@dataclass(frozen=True)
class QueryTerm:
    term: str
    weight: float
    source: str  # "word", "part", "synonym", "phrase", "typo"


_SYNONYMS: dict[str, tuple[str, ...]] = {}
_MULTIWORD: list[tuple[str, tuple[str, ...]]] = []
for _group in SYNONYM_GROUPS:
    for _member in _group:
        others = tuple(m for m in _group if m != _member)
        if " " in _member:
            _MULTIWORD.append((_member, others))
        else:
            _SYNONYMS[_member] = others
            _SYNONYMS.setdefault(stem(_member), others)


def analyse_query(
    query: str, vocabulary: Vocabulary, splitter: CompoundSplitter
) -> list[QueryTerm]:
    """Weighted terms for ``query`` (see the module docstring, steps 1–5)."""
    text = " " + re.sub(r"\s+", " ", query.lower()) + " "
    found: dict[str, QueryTerm] = {}

    def add(term: str, weight: float, source: str) -> None:
        if not term or term in STOPWORDS:
            return
        if term not in found or found[term].weight < weight:
            found[term] = QueryTerm(term, weight, source)

    def expand(words: Iterable[str], weight: float, source: str) -> None:
        for word in words:
            for token in content_words(word):
                add(stem(token), weight, source)
                for part in splitter.split(token):
                    add(stem(part), weight * 0.8, source)

    for phrase, meaning in PHRASES:
        if f" {phrase} " in text:
            expand([meaning], 0.5, "phrase")
    for phrase, others in _MULTIWORD:
        if f" {phrase} " in text:
            expand(others, 0.5, "synonym")
    for word in content_words(query):
        term = stem(word)
        known = vocabulary.knows(term) or not vocabulary.document_frequency
        add(term, 1.0, "word")
        parts = splitter.split(word)
        for part in parts:
            add(stem(part), 0.7, "part")
        for synonym in _SYNONYMS.get(word, ()) or _SYNONYMS.get(term, ()):
            expand([synonym], 0.5, "synonym")
        if not known and not parts and len(word) >= 4 and not any(c.isdigit() for c in word):
            for candidate in correct_typo(term, vocabulary):
                add(candidate, 0.7, "typo")
    return list(found.values())


def correct_typo(term: str, vocabulary: Vocabulary, limit: int = 2) -> list[str]:
    """Index terms within edit distance 1 (2 for words of 8+ letters), most frequent first.

    Only terms of a possible length are compared, and answers are remembered per vocabulary.
    """
    memo = vocabulary._typos.get((term, limit))
    if memo is not None:
        return memo
    max_distance = 1 if len(term) < 8 else 2
    matches = process.extract(
        term,
        vocabulary.terms_of_length(len(term) - max_distance, len(term) + max_distance),
        scorer=DamerauLevenshtein.distance,
        score_cutoff=max_distance,
        limit=20,
    )
    ranked = sorted(
        matches, key=lambda m: (m[1], -vocabulary.document_frequency.get(m[0], 0), m[0])
    )
    result = [match[0] for match in ranked[:limit]]
    if len(vocabulary._typos) > 20_000:
        vocabulary._typos.clear()
    vocabulary._typos[(term, limit)] = result
    return result
