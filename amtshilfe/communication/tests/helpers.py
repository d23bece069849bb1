"""Helpers of the communication tests: a fixed clock, news and events through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from amtshilfe.accounts.models import User
from amtshilfe.communication.models import Event, News
from amtshilfe.communication.services import create_event, create_news
from amtshilfe.experts.models import TopicCluster
from amtshilfe.experts.services import create_cluster, set_cluster_member

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def news(personas: Any, *, actor: User | None = None, **overrides: Any) -> News:
    fields: dict[str, Any] = {
        "title": "Neue Druckertreiber für alle Kommunen",
        "body": "Ab Montag liegt der **neue Treiber** im gemeinsamen Softwarelager.",
        "cluster": None,
        "is_public": False,
        "published_at": NOW - dt.timedelta(hours=1),
    }
    fields.update(overrides)
    return create_news(actor=actor or personas.coordinator, network=personas.network, **fields)


def event(personas: Any, *, actor: User | None = None, **overrides: Any) -> Event:
    fields: dict[str, Any] = {
        "title": "Austauschtreffen Drucker",
        "kind": "exchange",
        "description": "Wir sprechen über **Scan-to-Folder**.",
        "starts_at": NOW + dt.timedelta(days=7),
        "ends_at": NOW + dt.timedelta(days=7, hours=2),
        "location": "Rathaus Riesa, Sitzungssaal 2",
        "online_url": "",
        "is_public": False,
        "cluster": None,
        "capacity": None,
        "registration_deadline": None,
    }
    fields.update(overrides)
    return create_event(actor=actor or personas.coordinator, network=personas.network, **fields)


def second_cluster(personas: Any) -> TopicCluster:
    """A cluster "Netzwerk" with dora as member; alice (owner of "Drucker") is not in it."""
    cluster = create_cluster(
        actor=None, network=personas.network, name="Netzwerk", description="LAN und VPN"
    )
    set_cluster_member(actor=None, cluster=cluster, person=personas.dora, role="member")
    return cluster


def forget_caches(*users: User) -> None:
    for user in users:
        for key in ("_network_roles_cache", "_memberships_cache", "_communication_clusters"):
            user.__dict__.pop(key, None)
