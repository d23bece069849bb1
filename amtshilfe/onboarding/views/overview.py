"""Einarbeitung: plans by cluster and status, counted per group – nobody is ranked."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.onboarding.models import OnboardingPlan
from amtshilfe.onboarding.views.progress import percent, with_progress
from amtshilfe.tenancy.access import is_coordinator, require_network


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The plans the user may see, grouped by cluster (alphabetical) and status.

    Within a group, plans are listed by start date – never by progress, so the page cannot be
    read as a ranking of people (staff-council rule).
    """
    network = require_network(request)
    user = request.user
    coordinator = is_coordinator(user, network)
    clusters = TopicCluster.objects.in_network(network).active()
    if not coordinator:
        owned = ClusterMembership.objects.filter(user=user, role=ClusterMembership.Role.OWNER)
        clusters = clusters.filter(pk__in=owned.values("cluster_id"))
    visible = OnboardingPlan.objects.visible_to(user, network)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in visible.values("cluster_id", "status").annotate(n=Count("pk")):
        counts[row["cluster_id"]][row["status"]] = row["n"]
    running: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for plan in with_progress(visible.active()).order_by("started_on", "pk"):
        running[plan.cluster_id].append(
            {"plan": plan, "percent": percent(plan.done_count, plan.item_count)}  # type: ignore[attr-defined]
        )
    managed = {c.pk for c in clusters}
    cluster_ids = set(counts) | managed
    groups = [
        {
            "cluster": cluster,
            "can_manage": cluster.pk in managed,
            "counts": [
                (label, counts[cluster.pk].get(value, 0))
                for value, label in OnboardingPlan.Status.choices
            ],
            "running": running.get(cluster.pk, []),
        }
        for cluster in TopicCluster.objects.in_network(network).filter(pk__in=cluster_ids)
    ]
    return render(
        request,
        "onboarding/index.html",
        {
            "groups": groups,
            "is_coordinator": coordinator,
            "has_own_plans": visible.filter(newcomer=user).exists(),
            "has_mentees": visible.filter(mentor=user).exists(),
        },
    )
