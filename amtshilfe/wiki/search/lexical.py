"""The lexical half of search, in the database: SQLite FTS5 or PostgreSQL full-text search.

Both index the analysed terms of a passage (title and tags weighted above the text) and are
queried with an OR of the analysed query terms: natural questions rarely share *all* words
with the answer, so the databases' default AND would return nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from amtshilfe.wiki.models import Passage

TITLE_WEIGHT = 3.0
TEXT_WEIGHT = 1.0
# PostgreSQL's weights of the labels {D, C, B, A}: text is D, title and tags are A.
POSTGRES_WEIGHTS = [TEXT_WEIGHT / TITLE_WEIGHT, 0.2, 0.4, 1.0]
# PostgreSQL ranks at most this many matching passages: it reads the tsvector of each one
# from the heap (about one page per match at 500,000 passages). The engine's term pruning
# keeps ordinary queries below this; it bounds the rest: a query whose terms are all
# frequent keeps its rarest ones (engine.KEEP_RAREST), and their OR matched 20,000-85,000
# of 500,000 passages, planned as a (parallel) sequential scan of the whole table – those
# queries were the p95 of the full-text query (0.15-0.95 s; bounded: 37 / 68 ms p50 / p95,
# ADR 0008). Beyond the bound, the ranked passages are the first the scan yields, not the
# best; ordinary queries never reach it.
RANKED_MAX = 5_000


def _safe(term: str) -> str:
    return "".join(ch for ch in term if ch.isalnum() or ch == ".")


def write(passages: Sequence[Passage]) -> None:
    """Add freshly created passages to the full-text index."""
    if not passages:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(
                "INSERT INTO wiki_passage_fts(rowid, title_terms, terms, passage_id) "
                "VALUES (%s, %s, %s, %s)",
                [(p.pk, p.title_terms, p.terms, p.pk) for p in passages],
            )
        elif connection.vendor == "postgresql":
            # A narrow table of its own (migration wiki/0003): ranking reads many vectors.
            cursor.execute(
                "INSERT INTO wiki_passage_lexemes (passage_id, search_vector) "
                "SELECT id, setweight(to_tsvector('simple', title_terms), 'A') || "
                "setweight(to_tsvector('simple', terms), 'D') FROM wiki_passage "
                "WHERE id = ANY(%s) ON CONFLICT (passage_id) DO UPDATE "
                "SET search_vector = EXCLUDED.search_vector",
                [[p.pk for p in passages]],
            )


def remove(passage_ids: Iterable[int]) -> None:
    ids = list(passage_ids)
    if not ids or connection.vendor != "sqlite":
        return  # on PostgreSQL a trigger deletes the lexeme row with its passage
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM wiki_passage_fts WHERE rowid IN ({','.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )


def search(terms: Sequence[str], limit: int) -> list[tuple[int, float]]:
    """(passage id, score) of the best ``limit`` passages for an OR of ``terms``, best first.

    Deliberately without any join: the full-text table is ranked on its own (joining the
    visibility subquery made the database rank and sort every match again). The caller
    keeps only rows of its network that the person may read (engine.search, with the
    in-memory visibility mask) and loads the final articles through ``readable_by``.
    """
    safe = sorted({_safe(term) for term in terms if _safe(term)})
    if not safe:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            match = " OR ".join(f'"{term}"' for term in safe)
            cursor.execute(
                # Only constants are formatted in; the match expression and the limit are
                # bound parameters.
                f"SELECT rowid, bm25(wiki_passage_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS score "  # noqa: S608
                "FROM wiki_passage_fts WHERE wiki_passage_fts MATCH %s ORDER BY score LIMIT %s",
                [match, limit],
            )
            return [(row[0], -float(row[1])) for row in cursor.fetchall()]
        if connection.vendor == "postgresql":
            query = " | ".join(f"'{term}'" for term in safe)
            # ts_rank (term frequency, not cover density: ts_rank_cd cost a third of the
            # query at 500,000 passages), weights D..A as TITLE_WEIGHT : TEXT_WEIGHT like
            # SQLite's bm25 columns, normalised by document length (1 = 1 + log(length)).
            # At most RANKED_MAX matches are ranked (see there).
            cursor.execute(
                "SELECT l.passage_id, ts_rank(%s::float4[], l.search_vector, l.q, 1) AS score "
                "FROM (SELECT passage_id, search_vector, q "
                "FROM wiki_passage_lexemes, to_tsquery('simple', %s) q "
                "WHERE search_vector @@ q LIMIT %s) l ORDER BY score DESC LIMIT %s",
                [POSTGRES_WEIGHTS, query, RANKED_MAX, limit],
            )
            return [(row[0], float(row[1])) for row in cursor.fetchall()]
    raise NotImplementedError(f"full-text search is not implemented for {connection.vendor}")
