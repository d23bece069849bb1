"""The checklist template: owners and coordination edit it, others are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.onboarding.models import ChecklistTemplateItem
from amtshilfe.onboarding.services import (
    add_template_item,
    move_template_item,
    remove_template_item,
)
from amtshilfe.onboarding.tests.plans import article, checklist


def titles(personas):
    return list(
        ChecklistTemplateItem.objects.filter(template__cluster=personas.cluster)
        .order_by("position")
        .values_list("title", flat=True)
    )


def test_it_moves_and_removes_items_without_gaps(personas):
    checklist(personas)
    third = ChecklistTemplateItem.objects.get(title="Erste Druckeranfrage begleiten")
    move_template_item(actor=personas.alice, item=third, direction="up")
    assert titles(personas) == [
        "Grundlagen lesen",
        "Erste Druckeranfrage begleiten",
        "Alice treffen",
    ]
    first = ChecklistTemplateItem.objects.get(title="Grundlagen lesen")
    remove_template_item(actor=personas.coordinator, item=first)
    assert titles(personas) == ["Erste Druckeranfrage begleiten", "Alice treffen"]
    positions = ChecklistTemplateItem.objects.order_by("position").values_list(
        "position", flat=True
    )
    assert list(positions) == [1, 2]


@pytest.mark.parametrize("who", ["dora", "bob", "steering", "olga"])
def test_it_requires_owner_or_coordination(personas, who):
    with pytest.raises(PermissionDenied):
        add_template_item(
            actor=getattr(personas, who), cluster=personas.cluster, kind="task", title="x"
        )
    assert not ChecklistTemplateItem.objects.exists()


def test_it_refuses_a_municipality_only_article(personas):
    local = article(personas, title="Nur Riesa", visibility="municipality", municipality=personas.a)
    with pytest.raises(ValidationError) as error:
        add_template_item(
            actor=personas.alice,
            cluster=personas.cluster,
            kind="article",
            title="Lesen",
            article=local,
        )
    assert "ganzen Netzwerk" in error.value.message_dict["article"][0]


def test_it_refuses_a_person_outside_the_cluster(personas):
    with pytest.raises(ValidationError) as error:
        add_template_item(
            actor=personas.alice,
            cluster=personas.cluster,
            kind="person",
            title="Treffen",
            person=personas.dora,
        )
    assert "Themencluster" in error.value.message_dict["person"][0]


def test_it_requires_a_title(personas):
    with pytest.raises(ValidationError) as error:
        add_template_item(actor=personas.alice, cluster=personas.cluster, kind="task", title=" ")
    assert "Titel" in error.value.message_dict["title"][0]
