"""Validation shared by template and plan items: text lengths and what an item may point to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.onboarding.models import ItemKind
from amtshilfe.wiki.models import Article


def clean_item(
    *,
    cluster: TopicCluster,
    kind: str,
    title: str,
    description: str,
    article: Article | None,
    person: Any | None,
) -> tuple[str, str, Article | None, Any | None]:
    """Check an item's fields; returns the cleaned (title, description, article, person).

    1. The kind is known, the title present and short enough.
    2. A reading item names a published article that the whole network may read (public or
       network-wide, of the same network) – a newcomer of another municipality must be able
       to open it.
    3. A meeting item names a member of the cluster.
    4. References that do not fit the kind are dropped.
    """
    errors: dict[str, str] = {}
    title = title.strip()
    description = description.replace("\r\n", "\n").strip()
    if kind not in ItemKind.values:
        errors["kind"] = _("Bitte wählen Sie eine Art des Punkts.")
    if not title:
        errors["title"] = _("Bitte geben Sie einen Titel an.")
    elif len(title) > 200:
        errors["title"] = _("Der Titel ist zu lang (höchstens 200 Zeichen).")
    if len(description) > 5000:
        errors["description"] = _("Die Beschreibung ist zu lang (höchstens 5.000 Zeichen).")
    if kind == ItemKind.ARTICLE:
        readable = (
            Article.objects.in_network(cluster.network)
            .published()
            .filter(visibility__in=[Article.Visibility.PUBLIC, Article.Visibility.NETWORK])
        )
        if article is None:
            errors["article"] = _("Bitte wählen Sie einen Artikel.")
        elif not readable.filter(pk=article.pk).exists():
            errors["article"] = _(
                "Der Artikel muss veröffentlicht und im ganzen Netzwerk lesbar sein."
            )
    else:
        article = None
    if kind == ItemKind.PERSON:
        if person is None:
            errors["person"] = _("Bitte wählen Sie eine Person.")
        elif not ClusterMembership.objects.filter(cluster=cluster, user=person).exists():
            errors["person"] = _("Die Person gehört nicht zum Themencluster.")
    else:
        person = None
    if errors:
        raise ValidationError(errors)
    return title, description, article, person
