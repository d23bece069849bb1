"""Who may do what with onboarding (one helper per object type, CONVENTIONS #4).

- checklist templates: every network member reads; the cluster's topic owners and the
  coordination write;
- plans: the newcomer, the mentor, the cluster's topic owners and the coordination see the
  progress (everybody else: 404); newcomer and mentor tick items; topic owners and the
  coordination manage the plan (add items, change the mentor, cancel).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.onboarding.models import OnboardingPlan
from amtshilfe.tenancy.access import is_coordinator
from amtshilfe.tenancy.models import Network


def is_cluster_owner(user: Any, cluster: TopicCluster) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ClusterMembership.objects.filter(
        cluster=cluster, user_id=user.pk, role=ClusterMembership.Role.OWNER
    ).exists()


def is_cluster_member(user: Any, cluster: TopicCluster) -> bool:
    """Owners count as members: both may mentor."""
    return ClusterMembership.objects.filter(cluster=cluster, user_id=user.pk).exists()


def can_manage_cluster(user: Any, cluster: TopicCluster) -> bool:
    """Edit the cluster's template and start, change or cancel its plans."""
    return is_coordinator(user, cluster.network) or is_cluster_owner(user, cluster)


def can_tick(user: Any, plan: OnboardingPlan) -> bool:
    return user.pk in {plan.newcomer_id, plan.mentor_id}


def get_cluster_for_onboarding(user: Any, network: Network, slug: str) -> tuple[TopicCluster, bool]:
    """The cluster ``slug`` of ``network`` and whether ``user`` maintains its onboarding."""
    cluster = get_object_or_404(TopicCluster.objects.in_network(network), slug=slug)
    return cluster, can_manage_cluster(user, cluster)


def get_cluster_for_onboarding_rw(user: Any, network: Network, slug: str) -> TopicCluster:
    cluster, can_write = get_cluster_for_onboarding(user, network, slug)
    if not can_write:
        raise PermissionDenied
    return cluster


def get_plan_for_user(user: Any, network: Network, pk: int) -> tuple[OnboardingPlan, bool]:
    """The plan ``pk`` if ``user`` may see it (else Http404) and whether they may tick items."""
    plan = get_object_or_404(
        OnboardingPlan.objects.visible_to(user, network).select_related(
            "network", "cluster", "newcomer", "mentor"
        ),
        pk=pk,
    )
    return plan, can_tick(user, plan)


def get_plan_for_user_rw(user: Any, network: Network, pk: int) -> OnboardingPlan:
    """The plan for ticking items: newcomer and mentor only (403 for other readers)."""
    plan, can_write = get_plan_for_user(user, network, pk)
    if not can_write:
        raise PermissionDenied
    return plan


def get_plan_for_manager(user: Any, network: Network, pk: int) -> OnboardingPlan:
    """The plan for managing it: topic owners of its cluster and the coordination (else 403)."""
    plan, _can_tick = get_plan_for_user(user, network, pk)
    if not can_manage_cluster(user, plan.cluster):
        raise PermissionDenied
    return plan
