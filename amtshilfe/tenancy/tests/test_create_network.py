"""`amtshilfe create-network` bootstraps a production installation."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from amtshilfe.core.models import AuditEvent
from amtshilfe.tenancy.models import Network, NetworkRole


def test_it_creates_network_lead_municipality_and_coordinator(db):
    out = StringIO()
    call_command(
        "create_network",
        "kreis-x",
        "IT-Netzwerk Kreis X",
        municipality="Xstadt",
        ags="14627999",
        coordinator="koord",
        email="koord@x.example",
        stdout=out,
    )
    network = Network.objects.get(slug="kreis-x")
    role = NetworkRole.objects.get(network=network)
    assert (role.user.username, role.role) == ("koord", "coordinator")
    assert role.user.memberships.get().municipality.name == "Xstadt"
    assert {
        "network.created",
        "municipality.created",
        "person.created",
        "person.invited",
        "network_role.granted",
    } <= set(AuditEvent.objects.values_list("action", flat=True))
    link = out.getvalue().split("Passwort festlegen (drei Tage gültig): ")[1].strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = Client().get("/" + path, follow=True)
    assert "Passwort festlegen" in response.content.decode()


def test_it_refuses_a_taken_slug_and_creates_nothing(db):
    call_command(
        "create_network",
        "kreis-x",
        "X",
        municipality="Xstadt",
        coordinator="koord",
        stdout=StringIO(),
    )
    with pytest.raises(CommandError, match="bereits vergeben"):
        call_command(
            "create_network",
            "kreis-x",
            "Y",
            municipality="Ystadt",
            coordinator="koord2",
            stdout=StringIO(),
        )
    with pytest.raises(CommandError, match="bereits vergeben"):
        call_command(
            "create_network",
            "kreis-y",
            "Y",
            municipality="Ystadt",
            coordinator="koord",
            stdout=StringIO(),
        )
    assert list(Network.objects.values_list("slug", flat=True)) == ["kreis-x"]
