"""Test personas shared by every app (CONVENTIONS #10).

Network "Testkreis" with municipalities A (Riesa) and B (Meißen):

- alice: IT specialist in A, owner of the cluster "Drucker"
- bob: administration staff in A (read-only for everything but his own requests)
- charlie: administration staff in B only
- dora: IT specialist in B
- coordinator (network role), steering (steering group), auditor (data protection)

A second network "Anderswo" with its own coordinator (olga) and municipality C proves
that networks do not see each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from amtshilfe.accounts.models import User
from amtshilfe.experts.models import TopicCluster
from amtshilfe.experts.services import create_cluster, set_cluster_member
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.tenancy.services import create_municipality, create_person, grant_network_role

PASSWORD = "test-passwort-123"


@dataclass
class Personas:
    network: Network
    other_network: Network
    a: Municipality
    b: Municipality
    c: Municipality
    cluster: TopicCluster
    alice: User
    bob: User
    charlie: User
    dora: User
    coordinator: User
    steering: User
    auditor: User
    olga: User

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def can_log_in(username: str, password: str) -> bool:
    """Log in through the real login form (with django-axes in the way, like a browser)."""
    response = Client().post("/konto/anmelden/", {"username": username, "password": password})
    return response.status_code == 302


def make_personas() -> Personas:
    network = Network.objects.create(slug="testkreis", name="Testkreis")
    other = Network.objects.create(slug="anderswo", name="Anderswo")
    day = dt.date(2026, 1, 1)
    a = create_municipality(
        actor=None,
        network=network,
        name="Riesa",
        ags="14627230",
        population=29000,
        joined_on=day,
        kind="grosse_kreisstadt",
    )
    b = create_municipality(
        actor=None,
        network=network,
        name="Meißen",
        ags="14627140",
        population=28000,
        joined_on=day,
        kind="grosse_kreisstadt",
    )
    c = create_municipality(
        actor=None, network=other, name="Fernstadt", ags="01001000", population=5000, joined_on=day
    )

    def person(username: str, municipality: Municipality, role: str) -> User:
        return create_person(
            actor=None,
            network=municipality.network,
            username=username,
            first_name=username.capitalize(),
            last_name="Test",
            email=f"{username}@example.org",
            municipality=municipality,
            role=role,
            started_on=day,
            password=PASSWORD,
        )

    alice = person("alice", a, "it")
    bob = person("bob", a, "staff")
    charlie = person("charlie", b, "staff")
    dora = person("dora", b, "it")
    coordinator = person("coordinator", a, "staff")
    steering = person("steering", b, "staff")
    auditor = person("auditor", a, "staff")
    olga = person("olga", c, "staff")
    grant_network_role(actor=None, network=network, person=coordinator, role="coordinator")
    grant_network_role(actor=None, network=network, person=steering, role="steering")
    grant_network_role(actor=None, network=network, person=auditor, role="auditor")
    grant_network_role(actor=None, network=other, person=olga, role="coordinator")
    cluster = create_cluster(
        actor=None,
        network=network,
        name="Drucker",
        description="Drucker und Scanner",
        keywords=["Drucker"],
    )
    set_cluster_member(actor=None, cluster=cluster, person=alice, role="owner")
    return Personas(
        network=network,
        other_network=other,
        a=a,
        b=b,
        c=c,
        cluster=cluster,
        alice=alice,
        bob=bob,
        charlie=charlie,
        dora=dora,
        coordinator=coordinator,
        steering=steering,
        auditor=auditor,
        olga=olga,
    )


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()
