"""Template context: the current network and the user's roles in it (for navigation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from amtshilfe.tenancy import access
from amtshilfe.tenancy.current import current_network


def network(request: HttpRequest) -> dict[str, Any]:
    def _roles() -> dict[str, bool]:
        net = current_network(request)
        user = request.user
        return {
            "member": access.is_network_member(user, net),
            "coordinator": access.is_coordinator(user, net),
            "admin_reader": access.can_read_network_admin(user, net),
            "audit": access.can_read_audit_log(user, net),
            "it": access.is_it_specialist(user, net),
            "staff": any(m.role == "staff" for m in access.current_memberships(user, net)),
        }

    return {
        "current_network": SimpleLazyObject(lambda: current_network(request)),
        "nav": SimpleLazyObject(_roles),
    }
