"""The lexical half of search, in the database: SQLite FTS5 or PostgreSQL full-text search.

Both index the analysed terms of a passage (title and tags weighted above the text) and are
queried with an OR of the analysed query terms: natural questions rarely share *all* words
with the answer, so the databases' default AND would return nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import QuerySet

from amtshilfe.wiki.models import Article, Passage

TITLE_WEIGHT = 3.0
TEXT_WEIGHT = 1.0


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
            cursor.execute(
                "UPDATE wiki_passage SET search_vector = "
                "setweight(to_tsvector('simple', title_terms), 'A') || "
                "setweight(to_tsvector('simple', terms), 'D') WHERE id = ANY(%s)",
                [[p.pk for p in passages]],
            )


def remove(passage_ids: Iterable[int]) -> None:
    ids = list(passage_ids)
    if not ids or connection.vendor != "sqlite":
        return  # on PostgreSQL the vector lives in the passage row itself
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM wiki_passage_fts WHERE rowid IN ({','.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )


def search(
    terms: Sequence[str], readable: QuerySet[Article], limit: int
) -> list[tuple[int, float]]:
    """(passage id, score) of the best ``limit`` passages of readable articles, best first."""
    safe = sorted({_safe(term) for term in terms if _safe(term)})
    if not safe:
        return []
    sub_sql, sub_params = readable.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            match = " OR ".join(f'"{term}"' for term in safe)
            cursor.execute(
                # Only constants and Django's own compiled subquery are formatted in; every
                # value (match expression, ids, limit) is a bound parameter.
                f"SELECT f.rowid, bm25(wiki_passage_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS score "  # noqa: S608
                "FROM wiki_passage_fts f JOIN wiki_passage p ON p.id = f.rowid "
                f"WHERE wiki_passage_fts MATCH %s AND p.article_id IN ({sub_sql}) "
                "ORDER BY score LIMIT %s",
                [match, *sub_params, limit],
            )
            return [(row[0], -float(row[1])) for row in cursor.fetchall()]
        if connection.vendor == "postgresql":
            query = " | ".join(f"'{term}'" for term in safe)
            cursor.execute(
                "SELECT p.id, ts_rank_cd(p.search_vector, q, 1) AS score "  # noqa: S608
                "FROM wiki_passage p, to_tsquery('simple', %s) q "
                f"WHERE p.search_vector @@ q AND p.article_id IN ({sub_sql}) "
                "ORDER BY score DESC LIMIT %s",
                [query, *sub_params, limit],
            )
            return [(row[0], float(row[1])) for row in cursor.fetchall()]
    raise NotImplementedError(f"full-text search is not implemented for {connection.vendor}")
