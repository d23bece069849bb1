"""The website's demo content loads through the services and only once."""

from __future__ import annotations

import datetime as dt

from django.core import mail

from amtshilfe.accounts.models import User
from amtshilfe.tenancy.services import create_person, grant_network_role
from amtshilfe.website.demo import load_demo
from amtshilfe.website.models import JoinRequest, PublicContact, SitePage


def test_it_loads_the_demo_once(personas):
    coordinator = create_person(
        actor=None,
        network=personas.network,
        username="koordination",
        first_name="Kora",
        last_name="Koordination",
        email="k@example.org",
        municipality=personas.a,
        role="staff",
        started_on=dt.date(2026, 1, 1),
        password="demo-passwort-123",
    )
    grant_network_role(actor=None, network=personas.network, person=coordinator, role="coordinator")
    created = load_demo(personas.network, today=dt.date(2026, 5, 1))
    assert created == 3 + 2 + 3  # legal pages, contacts of Riesa and Meißen, join requests
    assert SitePage.objects.filter(network=personas.network).count() == 3
    assert PublicContact.objects.count() == 2
    statuses = sorted(JoinRequest.objects.values_list("status", flat=True))
    assert statuses == ["declined", "pending", "pending"]
    assert not mail.outbox or all("Kamenz" not in m.body for m in mail.outbox)
    assert load_demo(personas.network, today=dt.date(2026, 5, 1)) == 0
    assert User.objects.filter(username="koordination").exists()
