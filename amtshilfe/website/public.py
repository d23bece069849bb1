"""Reads for the public pages: only what the network publishes, in a fixed number of queries.

Nothing here names a person except topic owners (they are the public contact of their
cluster). A municipality's contact point is shown only when the coordination published one
(``PublicContact``); IT people are counted, never listed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse

from amtshilfe.communication.models import DirectoryEntry
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.lib.markdown import WIKI_LINK, Rendered, render
from amtshilfe.tenancy.models import Membership, Municipality, Network
from amtshilfe.website.models import PublicContact
from amtshilfe.wiki.models import Article

# Figures of the home page change rarely and cost a few aggregate queries: one minute is
# fresh enough for a public page and spares the database under load.
FIGURES_TIMEOUT = 60


def public_articles(network: Network) -> Any:
    """Published public articles of ``network`` – what an anonymous visitor may read."""
    return Article.objects.visible_to(AnonymousUser(), network).public()


def active_clusters(network: Network) -> Any:
    return TopicCluster.objects.in_network(network).active()


def home_figures(network: Network) -> dict[str, Any]:
    """Municipalities (and their names), inhabitants, clusters, IT specialists, public articles.

    Cached for ``FIGURES_TIMEOUT`` seconds per network.
    """
    key = f"website:figures:{network.pk}"
    figures: dict[str, Any] | None = cache.get(key)
    if figures is not None:
        return figures
    members = list(
        Municipality.objects.in_network(network)
        .active()
        .order_by("name")
        .values_list("name", "kind", "population")
    )
    it_people = (
        Membership.objects.current()
        .filter(
            municipality__network=network,
            municipality__status=Municipality.Status.ACTIVE,
            role=Membership.Role.IT,
            user__is_active=True,
        )
        .values("user")
        .distinct()
        .count()
    )
    figures = {
        "municipalities": len(members),
        "names": [name for name, _kind, _population in members],
        # The Landkreis itself is a member too; its inhabitants are those of its municipalities.
        "population": sum(
            p or 0 for _name, kind, p in members if kind != Municipality.Kind.LANDKREIS
        ),
        "clusters": active_clusters(network).count(),
        "it_people": it_people,
        "articles": public_articles(network).count(),
    }
    cache.set(key, figures, FIGURES_TIMEOUT)
    return figures


@dataclass
class OwnerContact:
    name: str
    email: str = ""


@dataclass
class PublicCluster:
    cluster: TopicCluster
    owners: list[OwnerContact] = field(default_factory=list)
    article_count: int = 0


def cached_clusters_with_owners(network: Network) -> list[PublicCluster]:
    """``clusters_with_owners`` for the home page, cached like the figures."""
    key = f"website:clusters:{network.pk}"
    clusters: list[PublicCluster] | None = cache.get(key)
    if clusters is None:
        clusters = clusters_with_owners(network)
        cache.set(key, clusters, FIGURES_TIMEOUT)
    return clusters


def clusters_with_owners(network: Network) -> list[PublicCluster]:
    """Active clusters, their topic owners (e-mail only if they chose to show it), article counts.

    Three queries, however many clusters: clusters, owner memberships, public article counts,
    plus one for the owners' directory choices.
    """
    clusters = list(active_clusters(network))
    owners = list(
        ClusterMembership.objects.filter(
            cluster__in=clusters, role=ClusterMembership.Role.OWNER, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    show_email = set(
        DirectoryEntry.objects.in_network(network)
        .filter(user__in=[m.user_id for m in owners], show_email=True)
        .values_list("user_id", flat=True)
    )
    counts: dict[int, int] = defaultdict(int)
    for cluster_id in public_articles(network).values_list("cluster_id", flat=True):
        counts[cluster_id] += 1
    by_cluster: dict[int, list[OwnerContact]] = defaultdict(list)
    for membership in owners:
        user = membership.user
        by_cluster[membership.cluster_id].append(
            OwnerContact(
                name=user.full_name,
                email=user.email if user.pk in show_email and user.email else "",
            )
        )
    return [
        PublicCluster(cluster=c, owners=by_cluster[c.pk], article_count=counts[c.pk])
        for c in clusters
    ]


@dataclass
class PublicMember:
    municipality: Municipality
    contact: PublicContact | None
    clusters: list[str]


def members(network: Network, *, slug: str | None = None) -> list[PublicMember]:
    """Active member municipalities with their published contact and the clusters they work in.

    A municipality contributes to a cluster when one of its current IT specialists is a
    member (or owner) of it – shown as cluster names only, never as people.
    """
    municipalities = Municipality.objects.in_network(network).active().order_by("name")
    if slug is not None:
        municipalities = municipalities.filter(slug=slug)
    rows = list(municipalities)
    contacts = {c.municipality_id: c for c in PublicContact.objects.filter(municipality__in=rows)}
    pairs = (
        ClusterMembership.objects.filter(
            cluster__network=network,
            cluster__is_active=True,
            user__is_active=True,
            user__memberships__municipality__in=rows,
            user__memberships__ended_on__isnull=True,
            user__memberships__role=Membership.Role.IT,
        )
        .values_list("user__memberships__municipality_id", "cluster__name")
        .distinct()
    )
    clusters: dict[int, set[str]] = defaultdict(set)
    for municipality_id, name in pairs:
        clusters[municipality_id].add(name)
    return [
        PublicMember(municipality=m, contact=contacts.get(m.pk), clusters=sorted(clusters[m.pk]))
        for m in rows
    ]


def render_public_article(article: Article) -> Rendered:
    """The article's HTML; ``[[slug]]`` links only resolve to other public articles."""
    slugs = {match.group(1) for match in WIKI_LINK.finditer(article.body)}
    readable: set[str] = set()
    if slugs:
        readable = set(
            public_articles(article.network).filter(slug__in=slugs).values_list("slug", flat=True)
        )

    def resolve(slug: str) -> str | None:
        if slug not in readable:
            return None
        return reverse("website:article", kwargs={"slug": slug})

    rendered = render(article.body, resolve)
    rendered.html = public_html(rendered.html)
    return rendered


EXTERNAL_IMAGE = re.compile(
    r"<img\b[^>]*?\ssrc=\"(?:[a-z][a-z0-9+.-]*:)?//[^\"]*\"[^>]*>", re.IGNORECASE
)
IMAGE_ALT = re.compile(r"\salt=\"([^\"]*)\"")


def _image_placeholder(match: re.Match[str]) -> str:
    alt = IMAGE_ALT.search(match.group(0))
    return f'<span class="external-image">[{alt.group(1) if alt else "Bild"}]</span>'


def public_html(html: str) -> str:
    """Sanitised Markdown HTML fit for a public page.

    1. Level-1 headings become ``<h2>`` (the page title is the only ``<h1>``).
    2. Images from another host are replaced by their alt text: the website loads nothing
       from elsewhere (DSGVO; a visitor's IP address would go to that host).
    """
    return EXTERNAL_IMAGE.sub(_image_placeholder, demote_h1(html))


def demote_h1(html: str) -> str:
    """The page's title is its only ``<h1>``: headings of level 1 in a text become ``<h2>``.

    ``html`` is sanitised output, so the tags have exactly these spellings.
    """
    return html.replace("<h1>", "<h2>").replace("<h1 ", "<h2 ").replace("</h1>", "</h2>")
