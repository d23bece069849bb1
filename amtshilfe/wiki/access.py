"""Who may read, edit and review articles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.tenancy import access as tenancy_access
from amtshilfe.wiki.models import Article


def is_topic_owner(user: Any, cluster: TopicCluster) -> bool:
    """Owners of the cluster and the coordination publish and review directly."""
    if not getattr(user, "is_authenticated", False):
        return False
    if tenancy_access.is_coordinator(user, cluster.network):
        return True
    return ClusterMembership.objects.filter(
        cluster=cluster, user=user, role=ClusterMembership.Role.OWNER
    ).exists()


def can_edit(user: Any, article: Article) -> bool:
    """IT specialists, topic owners and the coordination may propose changes."""
    network = article.network
    return tenancy_access.is_it_specialist(user, network) or is_topic_owner(user, article.cluster)


def get_article_for_user(request: HttpRequest, slug: str) -> tuple[Article, bool]:
    """The article ``slug`` in the current network, and whether the user may edit it."""
    network = tenancy_access.require_network(request)
    article = get_object_or_404(
        Article.objects.visible_to(request.user, network).select_related("cluster", "network"),
        slug=slug,
    )
    return article, can_edit(request.user, article)


def get_article_for_user_rw(request: HttpRequest, slug: str) -> Article:
    article, writable = get_article_for_user(request, slug)
    if not writable:
        raise PermissionDenied
    return article
