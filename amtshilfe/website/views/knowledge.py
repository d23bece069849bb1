"""The public knowledge base: public articles by cluster, search, one article.

Only published articles with visibility "public" exist here; any other slug is a 404, and
search results are limited to them by the engine (anonymous user) and once more here.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from amtshilfe.website import public
from amtshilfe.website.views.public import public_network
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.search.engine import search

QUERY_MAX = 200


def knowledge_index(request: HttpRequest) -> HttpResponse:
    network = public_network()
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    hits = []
    if query:
        hits = [
            hit
            for hit in search(network, AnonymousUser(), query)
            if hit.article.visibility == Article.Visibility.PUBLIC
            and hit.article.status == Article.Status.PUBLISHED
        ]
    by_cluster: dict[int, list[Article]] = defaultdict(list)
    if not query:
        for article in public.public_articles(network).only("slug", "title", "cluster_id"):
            by_cluster[article.cluster_id].append(article)
    groups = [
        (cluster, by_cluster[cluster.pk])
        for cluster in public.active_clusters(network)
        if by_cluster[cluster.pk]
    ]
    return render(
        request,
        "website/knowledge.html",
        {"network": network, "query": query, "hits": hits, "groups": groups},
    )


def article(request: HttpRequest, slug: str) -> HttpResponse:
    network = public_network()
    found = public.public_articles(network).select_related("cluster", "network").filter(slug=slug)
    item = found.first()
    if item is None:
        raise Http404
    rendered = public.render_public_article(item)
    return render(
        request,
        "website/article.html",
        {"network": network, "article": item, "html": rendered.html, "headings": rendered.headings},
    )
