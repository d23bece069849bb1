"""Helpers of the decision tests: a draft, an open vote, more steering-group members."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from amtshilfe.accounts.models import User
from amtshilfe.decisions.models import Proposal
from amtshilfe.decisions.services import create_proposal, open_voting
from amtshilfe.tenancy.services import grant_network_role

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DEADLINE = NOW + dt.timedelta(days=7)


def draft(personas: Any, **overrides: Any) -> Proposal:
    fields: dict[str, Any] = {
        "subject": "Gemeinsame Lizenz für das Ticketsystem",
        "background": "Drei Kommunen nutzen schon **dasselbe** System.",
        "options": ["Gemeinsame Lizenz kaufen", "Jede Kommune kauft selbst"],
        "recommendation": "Option 1: gemeinsame Lizenz.",
        "costs_amount": None,
        "costs_text": "",
    }
    fields.update(overrides)
    return create_proposal(actor=personas.coordinator, network=personas.network, **fields)


def more_steering(personas: Any, *users: User) -> None:
    for user in users:
        grant_network_role(actor=None, network=personas.network, person=user, role="steering")
        user.__dict__.pop("_network_roles_cache", None)


def opened(personas: Any, *, deadline: dt.datetime = DEADLINE, **overrides: Any) -> Proposal:
    proposal = draft(personas, **overrides)
    return open_voting(actor=personas.coordinator, proposal=proposal, deadline=deadline, now=NOW)


def reload(proposal: Proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


def now() -> dt.datetime:
    return timezone.now()
