"""Article bodies as HTML for a reader: ``[[slug]]`` resolves to articles this person may read."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from amtshilfe.lib.markdown import WIKI_LINK, Rendered, render
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, Revision


def render_for_reader(body: str, *, user: Any, network: Network) -> Rendered:
    """Render ``body``; links to articles ``user`` cannot read are shown as broken.

    One query for all link targets, however many links the text has.
    """
    slugs = {match.group(1) for match in WIKI_LINK.finditer(body)}
    readable: set[str] = set()
    if slugs:
        readable = set(
            Article.objects.readable_by(user, network)
            .filter(slug__in=slugs)
            .values_list("slug", flat=True)
        )

    def resolve(slug: str) -> str | None:
        return reverse("wiki:article", kwargs={"slug": slug}) if slug in readable else None

    return render(body, resolve)


def nav_context(user: Any, article: Article, *, can_write: bool, is_owner: bool) -> dict[str, Any]:
    """What the article's tab bar needs (wiki/includes/article_nav.html)."""
    pending_count = (
        article.revisions.filter(state=Revision.State.PENDING).count() if is_owner else 0
    )
    return {"can_write": can_write, "is_owner": is_owner, "pending_count": pending_count}
