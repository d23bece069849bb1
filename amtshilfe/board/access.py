"""Who may see a request and who may work on it; the access helper for requests.

Two sides look at a request:

- the **requesting side**: current members of the requesting municipality (staff and the
  municipality's own IT) – they read it, comment publicly, attach files, rate and reopen it;
- the **IT side** ("workers"): the coordination, members and owners of the request's topic
  cluster, its assignee, and – while it has no cluster (triage) – every topic owner. They
  read internal comments, move the card, change cluster and urgency, close it.

Finer rules on top of "works on it":

- take ("Ich übernehme"): an IT specialist of the network who is a member or owner of the
  request's cluster;
- assign to someone: the coordination and the owners of the request's cluster; the new
  assignee must be an IT specialist who belongs to that cluster;
- give back (unassign): additionally the assignee themselves;
- configure boards and columns: the coordination only;
- rate: staff of the requesting municipality (and the requester), once, when it is done.

``visible_to`` (QuerySet) and ``users_who_see`` (the same rule seen from the request) must
agree; ``test_visibility`` checks them against each other for every persona.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from amtshilfe.accounts.models import User, UserQuerySet
from amtshilfe.board.models import ServiceRequest
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.tenancy.access import current_memberships, is_coordinator, is_it_specialist
from amtshilfe.tenancy.models import Membership, Municipality, Network, NetworkRole


def network_members(network: Network) -> UserQuerySet:
    """Active people with a current membership in an active municipality or a network role."""
    return User.objects.filter(is_active=True).filter(
        Q(
            pk__in=Membership.objects.current()
            .filter(municipality__network=network, municipality__status=Municipality.Status.ACTIVE)
            .values("user_id")
        )
        | Q(pk__in=NetworkRole.objects.filter(network=network).values("user_id"))
    )


def _worker_condition(request: ServiceRequest) -> Q:
    coordinators = NetworkRole.objects.filter(
        network_id=request.network_id, role=NetworkRole.Role.COORDINATOR
    ).values("user_id")
    condition = Q(pk__in=coordinators)
    if request.assignee_id is not None:
        condition |= Q(pk=request.assignee_id)
    if request.cluster_id is not None:
        condition |= Q(
            pk__in=ClusterMembership.objects.filter(cluster_id=request.cluster_id).values("user_id")
        )
    else:
        condition |= Q(
            pk__in=ClusterMembership.objects.filter(
                cluster__network_id=request.network_id, role=ClusterMembership.Role.OWNER
            ).values("user_id")
        )
    return condition


def users_who_work(request: ServiceRequest) -> UserQuerySet:
    """The IT side of ``request``: they see internal comments and may change the card."""
    return network_members(request.network).filter(_worker_condition(request))


def users_who_see(request: ServiceRequest) -> UserQuerySet:
    """Everybody who may open ``request``: its municipality's members plus the IT side."""
    requesting_side = Membership.objects.current().filter(
        municipality_id=request.municipality_id,
        municipality__status=Municipality.Status.ACTIVE,
    )
    return network_members(request.network).filter(
        Q(pk__in=requesting_side.values("user_id")) | _worker_condition(request)
    )


def can_see(user: Any, request: ServiceRequest) -> bool:
    return ServiceRequest.objects.visible_to(user, request.network).filter(pk=request.pk).exists()


def can_work(user: Any, request: ServiceRequest) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return users_who_work(request).filter(pk=user.pk).exists()


def is_requesting_side(user: Any, request: ServiceRequest) -> bool:
    """A current member (any role) of the requesting municipality."""
    return any(
        m.municipality_id == request.municipality_id
        for m in current_memberships(user, request.network)
    )


def can_rate(user: Any, request: ServiceRequest) -> bool:
    """Staff of the requesting municipality, and the requester while still a member there."""
    return any(
        m.municipality_id == request.municipality_id
        and (m.role == Membership.Role.STAFF or m.user_id == request.requester_id)
        for m in current_memberships(user, request.network)
    )


def is_cluster_member(user: Any, cluster: TopicCluster | None) -> bool:
    if cluster is None or not getattr(user, "is_authenticated", False):
        return False
    return ClusterMembership.objects.filter(cluster=cluster, user=user).exists()


def is_cluster_owner(user: Any, cluster: TopicCluster | None) -> bool:
    if cluster is None or not getattr(user, "is_authenticated", False):
        return False
    return ClusterMembership.objects.filter(
        cluster=cluster, user=user, role=ClusterMembership.Role.OWNER
    ).exists()


def can_take(user: Any, request: ServiceRequest) -> bool:
    """ "Ich übernehme": IT specialists who belong to the request's cluster."""
    return (
        request.cluster_id is not None
        and is_it_specialist(user, request.network)
        and is_cluster_member(user, request.cluster)
    )


def can_assign(user: Any, request: ServiceRequest) -> bool:
    """The coordination and the owners of the request's cluster hand requests out."""
    return is_coordinator(user, request.network) or is_cluster_owner(user, request.cluster)


def may_be_assigned(person: User, request: ServiceRequest) -> bool:
    """Assignees are IT specialists of the network who belong to the request's cluster."""
    return can_take(person, request)


def can_configure_board(user: Any, network: Network) -> bool:
    return is_coordinator(user, network)


def get_request_for_user(user: Any, network: Network, pk: int) -> tuple[ServiceRequest, bool]:
    """The request ``pk`` if ``user`` may see it (else Http404) and whether they work on it."""
    request = get_object_or_404(
        ServiceRequest.objects.visible_to(user, network).select_related(
            "municipality", "cluster", "column__board", "requester", "assignee", "network"
        ),
        pk=pk,
    )
    return request, can_work(user, request)


def get_request_for_user_rw(user: Any, network: Network, pk: int) -> ServiceRequest:
    request, writable = get_request_for_user(user, network, pk)
    if not writable:
        raise PermissionDenied
    return request
