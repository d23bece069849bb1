"""The per-process, in-memory part of the search index of one network.

What a serving process keeps per network: passage ids (sorted), their article, visibility
and municipality (for the visibility mask), the passage vectors as one float32 matrix, the
vocabulary (document frequencies and surface words) and the compound splitter.

It is (re)loaded when the network's ``SearchIndexState`` version changes. After the first
load a change is applied incrementally: re-indexing an article deletes its passages and
writes new ones (new ids), so the ids now in the database against the ids in memory name
exactly the rows to drop and the rows to fetch. Document frequencies and surface words of
dropped rows stay counted (their text is gone from the database); they only steer term
pruning and typo repair, and a full reload happens once dropped rows exceed
``FULL_RELOAD_SHARE`` of the index.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from amtshilfe.tenancy import access
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, Passage, SearchIndexState
from amtshilfe.wiki.search.analysis import CompoundSplitter, Vocabulary
from amtshilfe.wiki.search.embeddings import DIMENSIONS
from amtshilfe.wiki.search.indexer import BASE_WORDS

VISIBILITY_CODES: dict[str, int] = {
    Article.Visibility.PUBLIC: 0,
    Article.Visibility.NETWORK: 1,
    Article.Visibility.MUNICIPALITY: 2,
}
FULL_RELOAD_SHARE = 0.1
CHUNK = 2000
# A heading shared by at least this many passages and by more than GENERIC_SHARE of the
# articles is boilerplate ("Wann Sie eine Anfrage stellen sollten").
GENERIC_MIN = 5
GENERIC_SHARE = 0.1


@dataclass
class NetworkIndex:
    """Everything a serving process keeps in memory for one network."""

    version: tuple[int, str]
    passage_ids: np.ndarray  # int64, ascending
    article_ids: np.ndarray
    visibility: np.ndarray
    municipality_ids: np.ndarray
    matrix: np.ndarray  # float32, one L2-normalised row per passage
    vocabulary: Vocabulary
    splitter: CompoundSplitter
    heading_ids: np.ndarray  # int32 into heading_names
    heading_names: list[str]
    hashes: np.ndarray  # uint64: the first 16 hex digits of each passage's text hash
    # Passages under boilerplate headings shared by many articles are a poor place to open
    # an article (a boolean per row).
    generic: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    dropped_since_full_load: int = 0

    def rows_of(self, passage_ids: Iterable[int]) -> np.ndarray:
        """Row numbers of ``passage_ids`` (-1 for ids not in this index)."""
        ids = np.fromiter(passage_ids, dtype=np.int64)
        if not len(ids) or not len(self.passage_ids):
            return np.full(len(ids), -1, dtype=np.int64)
        rows = np.searchsorted(self.passage_ids, ids)
        rows[rows >= len(self.passage_ids)] = 0
        return np.where(self.passage_ids[rows] == ids, rows, -1)


_cache: dict[int, NetworkIndex] = {}
_lock = threading.Lock()

_FIELDS = (
    "pk",
    "article_id",
    "article__visibility",
    "article__municipality_id",
    "vector",
    "terms",
    "title_terms",
    "words",
    "heading",
    "text_hash",
)


def _version(network_id: int) -> tuple[int, str]:
    """Version and time of the last change (the time tells apart databases reset by tests)."""
    state = SearchIndexState.objects.filter(network_id=network_id).values_list(
        "version", "updated_at"
    )
    return (state[0][0], state[0][1].isoformat()) if state else (0, "")


@dataclass
class _Rows:
    """Rows as they are read; vectors go straight into a preallocated float32 matrix (the
    matrix of a large network is most of the memory: no second copy while loading)."""

    expected: int = 0
    ids: list[int] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)
    visibility: list[int] = field(default_factory=list)
    municipalities: list[int] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    hashes: list[int] = field(default_factory=list)
    _matrix: np.ndarray | None = None

    def add(self, row: tuple[Any, ...], frequency: dict[str, int], surfaces: set[str]) -> None:
        pk, article_id, vis, municipality_id, vector, terms, title_terms, words, heading, th = row
        if self._matrix is None:
            self._matrix = np.zeros((max(self.expected, 16), DIMENSIONS), np.float32)
        elif len(self.ids) == len(self._matrix):  # more rows than counted: grow
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
        data = bytes(vector) if vector else b""
        if len(data) == DIMENSIONS * 4:
            self._matrix[len(self.ids)] = np.frombuffer(data, dtype=np.float32)
        self.hashes.append(_hash64(th))
        self.ids.append(pk)
        self.articles.append(article_id)
        self.visibility.append(VISIBILITY_CODES.get(vis, 1))
        self.municipalities.append(municipality_id or 0)
        self.headings.append(heading.strip().lower())
        for term in set(terms.split()) | set(title_terms.split()):
            frequency[term] += 1
        surfaces.update(words.split())

    def matrix(self) -> np.ndarray:
        if self._matrix is None:
            return np.zeros((0, DIMENSIONS), np.float32)
        if len(self._matrix) == len(self.ids):
            return self._matrix
        return self._matrix[: len(self.ids)].copy()


def _hash64(text_hash: str) -> int:
    try:
        return int(text_hash[:16], 16)
    except ValueError:
        return 0


def _generic(heading_ids: np.ndarray, article_ids: np.ndarray, names: list[str]) -> np.ndarray:
    if not len(heading_ids):
        return np.zeros(0, dtype=bool)
    counts = np.bincount(heading_ids, minlength=len(names))
    article_count = len(np.unique(article_ids)) or 1
    generic_ids = (counts >= GENERIC_MIN) & (counts > GENERIC_SHARE * article_count)
    if names and names[0] == "":
        generic_ids[0] = False
    return generic_ids[heading_ids]


def _heading_ids(headings: list[str], names: list[str], known: dict[str, int]) -> np.ndarray:
    out = np.empty(len(headings), dtype=np.int32)
    for i, heading in enumerate(headings):
        number = known.get(heading)
        if number is None:
            number = known[heading] = len(names)
            names.append(heading)
        out[i] = number
    return out


def _full_load(network: Network, version: tuple[int, str]) -> NetworkIndex:
    frequency: dict[str, int] = defaultdict(int)
    surfaces: set[str] = set(BASE_WORDS)
    passages = Passage.objects.filter(article__network=network)
    rows = _Rows(expected=passages.count())
    query = passages.values_list(*_FIELDS).order_by("pk")
    for row in query.iterator(chunk_size=CHUNK):
        rows.add(row, frequency, surfaces)
    names: list[str] = [""]
    heading_ids = _heading_ids(rows.headings, names, {"": 0})
    article_ids = np.asarray(rows.articles, dtype=np.int64)
    return NetworkIndex(
        version=version,
        passage_ids=np.asarray(rows.ids, dtype=np.int64),
        article_ids=article_ids,
        visibility=np.asarray(rows.visibility, dtype=np.int8),
        municipality_ids=np.asarray(rows.municipalities, dtype=np.int64),
        matrix=rows.matrix(),
        vocabulary=Vocabulary(document_frequency=dict(frequency), surfaces=surfaces),
        splitter=CompoundSplitter(surfaces, frequency.keys()),
        heading_ids=heading_ids,
        heading_names=names,
        hashes=np.asarray(rows.hashes, dtype=np.uint64),
        generic=_generic(heading_ids, article_ids, names),
    )


def _incremental(network: Network, old: NetworkIndex, version: tuple[int, str]) -> NetworkIndex:
    """``old`` brought up to date: rows of deleted passages dropped, new passages added.

    Visibility and municipality of every row are taken afresh from the database; rows kept
    must still be the same passages (article and text hash), otherwise (a database restored
    or reset, ids used again) the index is loaded in full.
    """
    listing = list(
        Passage.objects.filter(article__network=network)
        .values_list(
            "pk", "article_id", "article__visibility", "article__municipality_id", "text_hash"
        )
        .order_by("pk")
    )
    count = len(listing)
    current = np.fromiter((row[0] for row in listing), dtype=np.int64, count=count)
    keep = np.isin(old.passage_ids, current, assume_unique=True)
    dropped = int((~keep).sum())
    if old.dropped_since_full_load + dropped > FULL_RELOAD_SHARE * max(count, 1):
        return _full_load(network, version)
    at = np.searchsorted(current, old.passage_ids[keep])
    articles = np.fromiter((row[1] for row in listing), dtype=np.int64, count=count)
    hashes = np.fromiter((_hash64(row[4]) for row in listing), dtype=np.uint64, count=count)
    if not (
        np.array_equal(articles[at], old.article_ids[keep])
        and np.array_equal(hashes[at], old.hashes[keep])
    ):
        return _full_load(network, version)
    visibility = np.fromiter(
        (VISIBILITY_CODES.get(row[2], 1) for row in listing), dtype=np.int8, count=count
    )
    municipalities = np.fromiter((row[3] or 0 for row in listing), dtype=np.int64, count=count)

    frequency = defaultdict(int, old.vocabulary.document_frequency)
    surfaces = set(old.vocabulary.surfaces)
    new_ids = np.setdiff1d(current, old.passage_ids, assume_unique=True).tolist()
    rows = _Rows(expected=len(new_ids))
    for start in range(0, len(new_ids), 500):
        for row in (
            Passage.objects.filter(pk__in=new_ids[start : start + 500], article__network=network)
            .values_list(*_FIELDS)
            .order_by("pk")
        ):
            rows.add(row, frequency, surfaces)
    names = list(old.heading_names)
    known = {name: number for number, name in enumerate(names)}
    new_headings = _heading_ids(rows.headings, names, known)
    passage_ids = np.concatenate([old.passage_ids[keep], np.asarray(rows.ids, dtype=np.int64)])
    order = np.argsort(passage_ids, kind="stable")

    def merged(kept: np.ndarray, added: list[Any] | np.ndarray, dtype: Any) -> np.ndarray:
        return np.concatenate([kept, np.asarray(added, dtype=dtype)])[order]

    article_ids = merged(old.article_ids[keep], rows.articles, np.int64)
    heading_ids = merged(old.heading_ids[keep], new_headings, np.int32)
    splitter = old.splitter
    if (
        surfaces != old.vocabulary.surfaces
        or frequency.keys() != old.vocabulary.document_frequency.keys()
    ):
        splitter = CompoundSplitter(surfaces, frequency.keys())
    return NetworkIndex(
        version=version,
        passage_ids=passage_ids[order],
        article_ids=article_ids,
        visibility=merged(visibility[at], rows.visibility, np.int8),
        municipality_ids=merged(municipalities[at], rows.municipalities, np.int64),
        matrix=_merged_matrix(old, keep, rows, passage_ids[order]),
        vocabulary=Vocabulary(document_frequency=dict(frequency), surfaces=surfaces),
        splitter=splitter,
        heading_ids=heading_ids,
        heading_names=names,
        hashes=merged(old.hashes[keep], rows.hashes, np.uint64),
        generic=_generic(heading_ids, article_ids, names),
        dropped_since_full_load=old.dropped_since_full_load + dropped,
    )


def _merged_matrix(old: NetworkIndex, keep: np.ndarray, rows: _Rows, ids: np.ndarray) -> np.ndarray:
    """Kept rows of the old matrix and the new rows, in the order of ``ids``; written into one
    new array in slices (no full-size temporaries besides the result)."""
    out = np.empty((len(ids), DIMENSIONS), dtype=np.float32)
    kept = np.flatnonzero(keep)
    positions = np.searchsorted(ids, old.passage_ids[kept])
    for start in range(0, len(kept), 65_536):
        out[positions[start : start + 65_536]] = old.matrix[kept[start : start + 65_536]]
    if rows.ids:
        out[np.searchsorted(ids, np.asarray(rows.ids, dtype=np.int64))] = rows.matrix()
    return out


def load_index(network: Network) -> NetworkIndex:
    """The network's index, reloaded (incrementally where possible) when its version changed."""
    version = _version(network.pk)
    cached = _cache.get(network.pk)
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        cached = _cache.get(network.pk)
        if cached is not None and cached.version == version:
            return cached
        # Only a newer version of the same index is applied incrementally; a lower or equal
        # number (a database reset, as in tests, or restored) is loaded afresh.
        if cached is None or version[0] <= cached.version[0] or version[1] <= cached.version[1]:
            index = _full_load(network, version)
        else:
            index = _incremental(network, cached, version)
        _cache[network.pk] = index
        return index


def visibility_mask(index: NetworkIndex, user: Any, network: Network) -> np.ndarray:
    """Rows the user may read; the same rule as ArticleQuerySet.readable_by (tested equal)."""
    if not getattr(user, "is_authenticated", False) or not access.is_network_member(user, network):
        return index.visibility == 0
    if access.is_coordinator(user, network):
        return np.ones(len(index.passage_ids), dtype=bool)
    own = [m.municipality_id for m in access.current_memberships(user, network)]
    return (index.visibility != 2) | np.isin(index.municipality_ids, own)
