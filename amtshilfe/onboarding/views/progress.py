"""Reading plans for the pages: progress counts in SQL, items with their Markdown as HTML."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from amtshilfe.onboarding.models import OnboardingPlan, OnboardingPlanQuerySet, PlanItem
from amtshilfe.tenancy.access import current_memberships
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.views.rendering import render_for_reader


def with_progress(plans: OnboardingPlanQuerySet) -> OnboardingPlanQuerySet:
    """Annotate ``item_count`` and ``done_count`` (one query for a whole list)."""
    return plans.select_related("cluster", "newcomer", "mentor").annotate(
        item_count=Count("items"),
        done_count=Count("items", filter=Q(items__done_at__isnull=False)),
    )


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


def items_for_page(plan: OnboardingPlan, *, user: Any, network: Network) -> list[dict[str, Any]]:
    """The plan's items with sanitised description HTML (links to articles the reader may open)."""
    items = PlanItem.objects.filter(plan=plan).select_related(
        "article", "person", "done_by", "request"
    )
    return [
        {
            "item": item,
            "html": render_for_reader(item.description, user=user, network=network).html
            if item.description
            else "",
        }
        for item in items.order_by("position")
    ]


def contact_of(person: Any, network: Network) -> dict[str, Any]:
    """What the welcome page shows about a mentor: name, municipality, e-mail, phone."""
    memberships = current_memberships(person, network)
    return {
        "person": person,
        "municipalities": [m.municipality.name for m in memberships],
    }
