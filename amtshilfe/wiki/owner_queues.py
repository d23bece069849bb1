"""What waits for topic owners: pending changes, stale articles, broken internal links, and the
questions people searched for without finding anything (the "unanswered searches").

Reads only (QuerySets and small pure functions); used by the wiki screens, the start page and
the indicators (knowledge-base health).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Lower
from django.utils import timezone

from amtshilfe.experts.models import ClusterMembership, TopicCluster, TopicClusterQuerySet
from amtshilfe.lib.markdown import WIKI_LINK
from amtshilfe.lib.pii import scrub
from amtshilfe.tenancy.access import is_coordinator
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, ArticleQuerySet, Revision, SearchQueryLog

# "Ist das noch aktuell?" – an article nobody confirmed for this long is flagged to its owners.
STALE_AFTER = dt.timedelta(days=365)
# The owners' to-do list of unanswered searches looks this far back and shows this many.
UNANSWERED_RECENT = dt.timedelta(days=90)
UNANSWERED_LIMIT = 50
# Distinct questions read from the database at most (the most frequent first): bounds memory
# when the log is large; only the long tail of single questions can fall off.
UNANSWERED_MAX_GROUPS = 5000


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


@dataclass(frozen=True)
class UnansweredSearch:
    """A question asked in search that found nothing, with how often and when last."""

    question: str  # personal data scrubbed, whitespace collapsed; the usual spelling
    count: int
    last_asked: dt.datetime


def normalise_question(text: str) -> str:
    """The grouping key of a question: case folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


def unanswered_log(network: Network) -> Any:
    """Search log rows of ``network`` that found nothing (the engine returns no hit when
    nothing passes its calibrated "nothing found" test, so ``result_count`` is 0)."""
    return SearchQueryLog.objects.filter(network=network, result_count=0)


def unanswered_searches(
    network: Network,
    *,
    since: dt.datetime,
    until: dt.datetime | None = None,
    limit: int = UNANSWERED_LIMIT,
) -> list[UnansweredSearch]:
    """Questions that found nothing in ``since <= asked < until``, most frequent first.

    1. The database groups the rows by the lower-cased question and returns count, last
       time and one original spelling per group (the most frequent groups first, at most
       ``UNANSWERED_MAX_GROUPS``).
    2. E-mail addresses and phone numbers are replaced by placeholders – people type them
       into the search box –, then groups with the same normalised question (case folded,
       whitespace collapsed: ``lower()`` of SQLite knows ASCII only) are merged.
    3. Sorted by count, then most recent, then the question; the first ``limit`` are kept.
    """
    rows = unanswered_log(network).filter(created_at__gte=since)
    if until is not None:
        rows = rows.filter(created_at__lt=until)
    grouped = (
        rows.order_by()
        .values(key=Lower("query"))
        .annotate(n=Count("id"), last=Max("created_at"), spelling=Min("query"))
        .order_by("-n", "-last")[:UNANSWERED_MAX_GROUPS]
    )
    merged: dict[str, UnansweredSearch] = {}
    for row in grouped:
        spelling = " ".join(scrub(row["spelling"]).split())
        key = normalise_question(scrub(row["key"]))
        if not key:
            continue
        found = merged.get(key)
        if found is None:
            merged[key] = UnansweredSearch(
                question=spelling, count=int(row["n"]), last_asked=row["last"]
            )
        else:
            merged[key] = UnansweredSearch(
                question=min(found.question, spelling),
                count=found.count + int(row["n"]),
                last_asked=max(found.last_asked, row["last"]),
            )
    ordered = sorted(
        merged.values(),
        key=lambda item: (-item.count, -item.last_asked.timestamp(), item.question),
    )
    return ordered[:limit]


def recent_unanswered_searches(network: Network) -> list[UnansweredSearch]:
    """The owners' to-do list: unanswered searches of the last ``UNANSWERED_RECENT``."""
    return unanswered_searches(network, since=timezone.now() - UNANSWERED_RECENT)
