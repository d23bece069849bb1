"""What waits for topic owners: pending changes, stale articles, broken internal links.

Reads only (QuerySets and small pure functions); used by the wiki screens and the start page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from amtshilfe.experts.models import ClusterMembership, TopicCluster, TopicClusterQuerySet
from amtshilfe.lib.markdown import WIKI_LINK
from amtshilfe.tenancy.access import is_coordinator
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, ArticleQuerySet, Revision

# "Ist das noch aktuell?" – an article nobody confirmed for this long is flagged to its owners.
STALE_AFTER = dt.timedelta(days=365)


def owned_clusters(user: Any, network: Network) -> TopicClusterQuerySet:
    """Clusters whose articles ``user`` reviews: own clusters, or all for the coordination."""
    clusters = TopicCluster.objects.in_network(network)
    if is_coordinator(user, network):
        return clusters
    return clusters.filter(
        memberships__user=user, memberships__role=ClusterMembership.Role.OWNER
    ).distinct()


def stale_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - STALE_AFTER


def is_stale(article: Article, now: dt.datetime | None = None) -> bool:
    return article.status == Article.Status.PUBLISHED and (
        article.last_reviewed_at is None or article.last_reviewed_at < stale_cutoff(now)
    )


def stale_articles(user: Any, network: Network) -> ArticleQuerySet:
    """Published articles of the user's clusters not confirmed for ``STALE_AFTER``."""
    return (
        Article.objects.in_network(network)
        .published()
        .filter(cluster__in=owned_clusters(user, network))
        .filter(Q(last_reviewed_at__isnull=True) | Q(last_reviewed_at__lt=stale_cutoff()))
        .order_by("last_reviewed_at", "title")
    )


def pending_revisions(user: Any, network: Network) -> Any:
    """Changes in the user's clusters that wait for review, oldest first."""
    return (
        Revision.objects.filter(
            state=Revision.State.PENDING,
            article__network=network,
            article__cluster__in=owned_clusters(user, network),
        )
        .select_related("article", "author")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class BrokenLinks:
    article: Article
    slugs: list[str]


def broken_links(articles: ArticleQuerySet, network: Network) -> list[BrokenLinks]:
    """Articles whose ``[[links]]`` point to no published article of the network.

    1. Collect the link targets of every article (one pass over the bodies).
    2. Ask the database once which of them are published articles.
    3. Keep the articles with targets that are not.
    """
    links: list[tuple[Article, list[str]]] = []
    targets: set[str] = set()
    for article in articles:
        slugs = list(dict.fromkeys(match.group(1) for match in WIKI_LINK.finditer(article.body)))
        if slugs:
            links.append((article, slugs))
            targets.update(slugs)
    existing = set(
        Article.objects.in_network(network)
        .published()
        .filter(slug__in=targets)
        .values_list("slug", flat=True)
    )
    result = []
    for article, slugs in links:
        missing = [slug for slug in slugs if slug not in existing]
        if missing:
            result.append(BrokenLinks(article=article, slugs=missing))
    return result
