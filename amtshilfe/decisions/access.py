"""Who may do what with steering-group proposals (one helper per object type, CONVENTIONS #4).

- coordination: writes proposals (there is no separate "project lead" role yet), opens voting,
  withdraws, records the reasons, changes the decision rules;
- steering group: reads every proposal but drafts, votes and comments while voting is open;
- audit: reads everything, writes nothing;
- other members: read the register of decided proposals;
- anybody outside the network: nothing (404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from amtshilfe.decisions.models import Proposal
from amtshilfe.tenancy.access import (
    is_coordinator,
    is_steering_member,
    network_roles,
)
from amtshilfe.tenancy.models import Network, NetworkRole


def can_write_proposals(user: Any, network: Network) -> bool:
    return is_coordinator(user, network)


def can_read_governance(user: Any, network: Network) -> bool:
    """Coordination, steering group and audit follow proposals before they are decided."""
    return bool(
        network_roles(user, network)
        & {NetworkRole.Role.COORDINATOR, NetworkRole.Role.STEERING, NetworkRole.Role.AUDITOR}
    )


def can_vote(user: Any, proposal: Proposal) -> bool:
    return proposal.status == Proposal.Status.OPEN and is_steering_member(user, proposal.network)


def can_comment(user: Any, proposal: Proposal) -> bool:
    if proposal.is_final:
        return False
    if is_coordinator(user, proposal.network):
        return True
    return proposal.status == Proposal.Status.OPEN and is_steering_member(user, proposal.network)


def get_proposal_for_user(user: Any, network: Network, pk: int) -> tuple[Proposal, bool]:
    """The proposal ``pk`` if ``user`` may see it (else Http404) and whether they manage it."""
    proposal = get_object_or_404(
        Proposal.objects.visible_to(user, network).select_related(
            "network", "author", "supersedes"
        ),
        pk=pk,
    )
    return proposal, can_write_proposals(user, network)


def get_proposal_for_user_rw(user: Any, network: Network, pk: int) -> Proposal:
    proposal, can_write = get_proposal_for_user(user, network, pk)
    if not can_write:
        raise PermissionDenied
    return proposal
