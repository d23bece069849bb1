"""`GET /api/v1/search`: knowledge-base search with the caller's visibility."""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from amtshilfe.tenancy.current import current_network
from amtshilfe.wiki.search.engine import search

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str
    limit: int = 10
    network: str | None = None


class SearchResultOut(Schema):
    slug: str
    title: str
    cluster: str
    url: str
    anchor: str
    score: float
    snippet: str
    snippet_html: str


class SearchOut(Schema):
    results: list[SearchResultOut]


@router.get("", response=SearchOut, summary="Artikel suchen (nur sichtbare)")
def search_articles(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    query = params.q.strip()
    if not query:
        raise HttpError(400, "Bitte geben Sie einen Suchbegriff an (Parameter q).")
    if not 1 <= params.limit <= 50:
        raise HttpError(400, "limit muss zwischen 1 und 50 liegen.")
    if params.network:
        from amtshilfe.tenancy.models import Network

        network = Network.objects.visible_to(request.user).filter(slug=params.network).first()  # type: ignore[arg-type]
        if network is None:
            raise HttpError(404, "Netzwerk nicht gefunden.")
    else:
        network = current_network(request)
        if network is None:
            raise HttpError(404, "Sie gehören keinem Netzwerk an.")
    hits = search(network, request.user, query[:300], limit=params.limit)
    results = []
    for hit in hits:
        url = reverse("wiki:article", kwargs={"slug": hit.article.slug})
        results.append(
            SearchResultOut(
                slug=hit.article.slug,
                title=hit.article.title,
                cluster=hit.article.cluster.slug,
                url=request.build_absolute_uri(url) + (f"#{hit.anchor}" if hit.anchor else ""),
                anchor=hit.anchor,
                score=hit.score,
                snippet=re.sub(r"</?mark>", "", hit.snippet_html),
                snippet_html=hit.snippet_html,
            )
        )
    return SearchOut(results=results)
