"""The search page ("Hilfe finden"): one box, results as you type (htmx), works without JS."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.tenancy import access
from amtshilfe.wiki.search.engine import search
from amtshilfe.wiki.search.query_log import log_query

MAX_QUERY = 300


@login_required
def search_page(request: AuthenticatedRequest) -> HttpResponse:
    network = access.require_network(request)
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    hits = search(network, request.user, query, limit=10) if query else []
    if query:
        log_query(network=network, query=query, hits=hits)
    template = "wiki/search_results.html" if request.htmx else "wiki/search.html"
    return render(request, template, {"query": query, "hits": hits})
