"""Who may see and do what in the settlement (one helper per object type, CONVENTIONS #4).

- coordination: everything; sets the scheme, starts the review, resolves objections, closes;
- steering group and audit (staff council, data protection): read every statement;
- IT specialists: read the statements of the municipalities they work for, object to them;
- everybody else, and anybody outside the network: nothing (404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from amtshilfe.settlement.models import (
    SettlementPeriod,
    can_read_settlement,
    statement_municipality_ids,
)
from amtshilfe.tenancy.access import is_coordinator, is_network_member
from amtshilfe.tenancy.models import Municipality, Network


def require_settlement_reader(user: Any, network: Network | None) -> Network:
    """``network`` if ``user`` may read any statement of it; else 404 (as if missing)."""
    if network is None or not is_network_member(user, network):
        raise Http404
    if not can_read_settlement(user, network):
        raise Http404
    return network


def can_manage_settlement(user: Any, network: Network) -> bool:
    return is_coordinator(user, network)


def require_settlement_manager(user: Any, network: Network | None) -> Network:
    network = require_settlement_reader(user, network)
    if not can_manage_settlement(user, network):
        raise PermissionDenied
    return network


def get_statement_municipality_for_user(
    user: Any, network: Network, slug: str
) -> tuple[Municipality, bool]:
    """The municipality whose statement ``user`` opens (404 if not theirs to read) and
    whether they manage the settlement."""
    require_settlement_reader(user, network)
    ids = statement_municipality_ids(user, network)
    municipalities = Municipality.objects.in_network(network)
    if ids is not None:
        municipalities = municipalities.filter(pk__in=ids)
    municipality = get_object_or_404(municipalities, slug=slug)
    return municipality, can_manage_settlement(user, network)


def get_period_for_user(
    user: Any, network: Network, label: str
) -> tuple[SettlementPeriod | None, bool]:
    """The stored period ``label`` (``None`` while it is only a preview) and whether the
    user manages it; 404 if the user reads no settlement of the network."""
    require_settlement_reader(user, network)
    period = SettlementPeriod.objects.visible_to(user, network).filter(label=label).first()
    return period, can_manage_settlement(user, network)
