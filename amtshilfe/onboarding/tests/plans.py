"""Helpers of the onboarding tests: a cluster checklist and a running plan.

dora (IT specialist in B) is the newcomer, alice (IT in A, topic owner of "Drucker") mentors;
the coordinator starts the plan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from amtshilfe.onboarding.models import OnboardingPlan, PlanItem
from amtshilfe.onboarding.services import add_template_item, start_onboarding
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.services import create_article

START = dt.date(2026, 3, 2)


def article(personas: Any, **overrides: Any) -> Article:
    fields: dict[str, Any] = {
        "actor": None,
        "network": personas.network,
        "cluster": personas.cluster,
        "title": "Drucker im Netzwerk einrichten",
        "body": "So richten Sie einen Netzwerkdrucker ein.",
    }
    fields.update(overrides)
    return create_article(**fields)


def checklist(personas: Any) -> None:
    """Three template items: read an article, meet alice, shadow a request."""
    owner = personas.alice
    add_template_item(
        actor=owner,
        cluster=personas.cluster,
        kind="article",
        title="Grundlagen lesen",
        article=article(personas),
    )
    add_template_item(
        actor=owner, cluster=personas.cluster, kind="person", title="Alice treffen", person=owner
    )
    add_template_item(
        actor=owner,
        cluster=personas.cluster,
        kind="shadow",
        title="Erste Druckeranfrage begleiten",
        description="Eine Anfrage zu **Scan-to-Folder**.",
    )


def started(personas: Any, **overrides: Any) -> OnboardingPlan:
    checklist(personas)
    fields: dict[str, Any] = {
        "actor": personas.coordinator,
        "cluster": personas.cluster,
        "newcomer": personas.dora,
        "mentor": personas.alice,
        "started_on": START,
    }
    fields.update(overrides)
    return start_onboarding(**fields)


def items(plan: OnboardingPlan) -> list[PlanItem]:
    return list(PlanItem.objects.filter(plan=plan).order_by("position"))


def reload(plan: OnboardingPlan) -> OnboardingPlan:
    return OnboardingPlan.objects.get(pk=plan.pk)
