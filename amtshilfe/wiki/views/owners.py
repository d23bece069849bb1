"""Topic owners' lists across articles: broken internal links, articles to confirm, and the
questions people searched for without finding anything."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy import access as tenancy_access
from amtshilfe.wiki.access import is_topic_owner
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.owner_queues import (
    STALE_AFTER,
    UNANSWERED_RECENT,
    broken_links,
    owned_clusters,
    recent_unanswered_searches,
    stale_articles,
)


@login_required
def broken_links_list(request: AuthenticatedRequest, cluster_slug: str) -> HttpResponse:
    network = tenancy_access.require_network(request)
    cluster = get_object_or_404(TopicCluster.objects.in_network(network), slug=cluster_slug)
    if not is_topic_owner(request.user, cluster):
        raise PermissionDenied
    articles = (
        Article.objects.in_network(network)
        .filter(cluster=cluster)
        .exclude(status=Article.Status.ARCHIVED)
        .only("slug", "title", "body", "status")
        .order_by("title")
    )
    return render(
        request,
        "wiki/broken_links.html",
        {"cluster": cluster, "rows": broken_links(articles, network)},
    )


@login_required
def stale(request: AuthenticatedRequest) -> HttpResponse:
    network = tenancy_access.require_network(request)
    clusters = list(owned_clusters(request.user, network).order_by("name"))
    if not clusters:
        raise PermissionDenied
    return render(
        request,
        "wiki/stale.html",
        {
            "articles": stale_articles(request.user, network).select_related("cluster")[:500],
            "clusters": clusters,
            "months": STALE_AFTER.days * 12 // 365,
            "unanswered": recent_unanswered_searches(network),
            "unanswered_days": UNANSWERED_RECENT.days,
        },
    )
