"""Checklist templates: topic owners and the coordination keep a cluster's checklist.

The template is created with its first item. Positions are 1, 2, 3, … without gaps; moving
swaps two neighbours (through position 0, because ``(template, position)`` is unique).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event
from amtshilfe.experts.models import TopicCluster
from amtshilfe.onboarding.access import can_manage_cluster
from amtshilfe.onboarding.models import ChecklistTemplate, ChecklistTemplateItem
from amtshilfe.onboarding.services.checks import clean_item
from amtshilfe.wiki.models import Article


def _item_state(item: ChecklistTemplateItem) -> dict[str, Any]:
    return {
        "position": item.position,
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "article": item.article_id,
        "person": item.person_id,
    }


def _require_manager(actor: User, cluster: TopicCluster) -> None:
    if not can_manage_cluster(actor, cluster):
        raise PermissionDenied


def _locked_template(cluster: TopicCluster) -> ChecklistTemplate:
    template, _created = ChecklistTemplate.objects.get_or_create(
        cluster=cluster, defaults={"network": cluster.network}
    )
    return ChecklistTemplate.objects.select_for_update().get(pk=template.pk)


def add_template_item(
    *,
    actor: User,
    cluster: TopicCluster,
    kind: str,
    title: str,
    description: str = "",
    article: Article | None = None,
    person: User | None = None,
) -> ChecklistTemplateItem:
    """Append an item to the cluster's checklist template (created on first use)."""
    _require_manager(actor, cluster)
    title, description, article, person = clean_item(
        cluster=cluster,
        kind=kind,
        title=title,
        description=description,
        article=article,
        person=person,
    )
    with transaction.atomic():
        template = _locked_template(cluster)
        last = template.items.aggregate(last=Max("position"))["last"] or 0
        item = ChecklistTemplateItem.objects.create(
            template=template,
            position=last + 1,
            kind=kind,
            title=title,
            description=description,
            article=article,
            person=person,
        )
        record_event(
            action="onboarding_template.item_added",
            actor=actor,
            network=cluster.network,
            obj=template,
            after=_item_state(item),
        )
    return item


def update_template_item(
    *,
    actor: User,
    item: ChecklistTemplateItem,
    kind: str,
    title: str,
    description: str = "",
    article: Article | None = None,
    person: User | None = None,
) -> ChecklistTemplateItem:
    """Change an item of the template; running plans keep their own copy."""
    cluster = item.template.cluster
    _require_manager(actor, cluster)
    title, description, article, person = clean_item(
        cluster=cluster,
        kind=kind,
        title=title,
        description=description,
        article=article,
        person=person,
    )
    with transaction.atomic():
        item = ChecklistTemplateItem.objects.select_for_update().get(pk=item.pk)
        before = _item_state(item)
        item.kind, item.title, item.description = kind, title, description
        item.article, item.person = article, person
        item.save()
        record_event(
            action="onboarding_template.item_changed",
            actor=actor,
            network=cluster.network,
            obj=item.template,
            before=before,
            after=_item_state(item),
        )
    return item


def remove_template_item(*, actor: User, item: ChecklistTemplateItem) -> None:
    """Delete an item; the items after it move up so positions stay without gaps."""
    cluster = item.template.cluster
    _require_manager(actor, cluster)
    with transaction.atomic():
        template = _locked_template(cluster)
        item = ChecklistTemplateItem.objects.get(pk=item.pk, template=template)
        before = _item_state(item)
        item.delete()
        for later in template.items.filter(position__gt=before["position"]).order_by("position"):
            later.position -= 1
            later.save(update_fields=["position", "updated_at"])
        record_event(
            action="onboarding_template.item_removed",
            actor=actor,
            network=cluster.network,
            obj=template,
            before=before,
        )


def move_template_item(*, actor: User, item: ChecklistTemplateItem, direction: str) -> None:
    """Swap an item with its neighbour above (``up``) or below (``down``); at an end: nothing."""
    cluster = item.template.cluster
    _require_manager(actor, cluster)
    with transaction.atomic():
        template = _locked_template(cluster)
        item = ChecklistTemplateItem.objects.get(pk=item.pk, template=template)
        neighbours = template.items.exclude(pk=item.pk)
        if direction == "up":
            other = neighbours.filter(position__lt=item.position).order_by("-position").first()
        else:
            other = neighbours.filter(position__gt=item.position).order_by("position").first()
        if other is None:
            return
        old, new = item.position, other.position
        other.position = 0
        other.save(update_fields=["position", "updated_at"])
        item.position = new
        item.save(update_fields=["position", "updated_at"])
        other.position = old
        other.save(update_fields=["position", "updated_at"])
        record_event(
            action="onboarding_template.item_moved",
            actor=actor,
            network=cluster.network,
            obj=template,
            before={"item": item.pk, "position": old},
            after={"item": item.pk, "position": new},
        )
