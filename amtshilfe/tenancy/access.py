"""Who may see and change what in a network. One helper per object type.

Invisible objects answer 404 exactly like missing ones; visible but read-only objects
answer 403 on writes (CONVENTIONS #4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Membership, Municipality, Network, NetworkRole

if TYPE_CHECKING:
    from amtshilfe.accounts.models import User

Role = NetworkRole.Role


def network_roles(user: Any, network: Network | None) -> frozenset[str]:
    """The network-level roles of ``user`` in ``network`` (cached on the user object)."""
    if network is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault("_network_roles_cache", {})
    if network.pk not in cache:
        cache[network.pk] = frozenset(
            NetworkRole.objects.filter(network=network, user=user).values_list("role", flat=True)
        )
    return cache[network.pk]


def current_memberships(user: Any, network: Network | None) -> list[Membership]:
    """Active memberships of ``user`` in active municipalities of ``network``."""
    if network is None or not getattr(user, "is_authenticated", False):
        return []
    cache: dict[int, list[Membership]] = user.__dict__.setdefault("_memberships_cache", {})
    if network.pk not in cache:
        cache[network.pk] = list(
            Membership.objects.current()
            .filter(user=user, municipality__network=network, municipality__status="active")
            .select_related("municipality")
            .order_by("municipality__name")
        )
    return cache[network.pk]


def is_coordinator(user: Any, network: Network | None) -> bool:
    return Role.COORDINATOR in network_roles(user, network)


def is_steering_member(user: Any, network: Network | None) -> bool:
    return Role.STEERING in network_roles(user, network)


def can_read_network_admin(user: Any, network: Network | None) -> bool:
    """Coordination, steering group and audit may read the network's administration screens."""
    return bool(network_roles(user, network))


def can_read_audit_log(user: Any, network: Network | None) -> bool:
    return bool(network_roles(user, network) & {Role.COORDINATOR, Role.AUDITOR})


def is_it_specialist(user: Any, network: Network | None) -> bool:
    return any(m.role == Membership.Role.IT for m in current_memberships(user, network))


def is_network_member(user: Any, network: Network | None) -> bool:
    return bool(network_roles(user, network)) or bool(current_memberships(user, network))


def require_network(request: HttpRequest) -> Network:
    """The current network of a logged-in request; 404 if the user belongs to none."""
    network = current_network(request)
    if network is None or not is_network_member(request.user, network):
        raise Http404
    return network


def require_coordinator(request: HttpRequest) -> Network:
    network = require_network(request)
    if not is_coordinator(request.user, network):
        raise PermissionDenied
    return network


def require_network_admin_reader(request: HttpRequest) -> Network:
    network = require_network(request)
    if not can_read_network_admin(request.user, network):
        raise PermissionDenied
    return network


def get_municipality_for_user(request: HttpRequest, slug: str) -> tuple[Municipality, bool]:
    """The municipality ``slug`` of the current network and whether the user may change it."""
    network = require_network(request)
    user: User = request.user  # type: ignore[assignment]
    municipality = get_object_or_404(
        Municipality.objects.in_network(network).visible_to(user), slug=slug
    )
    return municipality, is_coordinator(user, network)


def get_municipality_for_user_rw(request: HttpRequest, slug: str) -> Municipality:
    municipality, can_write = get_municipality_for_user(request, slug)
    if not can_write:
        raise PermissionDenied
    return municipality
