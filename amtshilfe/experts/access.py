"""Access to topic clusters: every network member reads; coordination and owners write."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.tenancy import access as tenancy_access


def get_cluster_for_user(request: AuthenticatedRequest, slug: str) -> tuple[TopicCluster, bool]:
    """The cluster ``slug`` of the current network and whether the user may manage its members."""
    network = tenancy_access.require_network(request)
    cluster = get_object_or_404(TopicCluster.objects.in_network(network), slug=slug)
    can_write = tenancy_access.is_coordinator(request.user, network) or (
        ClusterMembership.objects.filter(
            cluster=cluster, user=request.user, role=ClusterMembership.Role.OWNER
        ).exists()
    )
    return cluster, can_write


def get_cluster_for_user_rw(request: AuthenticatedRequest, slug: str) -> TopicCluster:
    cluster, can_write = get_cluster_for_user(request, slug)
    if not can_write:
        raise PermissionDenied
    return cluster
