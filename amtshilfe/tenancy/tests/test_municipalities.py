"""Coordination admits, edits, and records the leaving of municipalities."""

from __future__ import annotations

import pytest
from django.test import Client

from amtshilfe.core.models import AuditEvent
from amtshilfe.tenancy.models import Membership, Municipality

NEW = {
    "name": "Strehla",
    "kind": "stadt",
    "ags": "14627310",
    "population": "3600",
    "official_name": "Stadt Strehla",
}


def test_it_admits_a_municipality_and_audits_it(personas):
    response = personas.client(personas.coordinator).post("/netzwerk/kommunen/neu/", NEW)
    assert response.status_code == 302
    strehla = Municipality.objects.get(network=personas.network, name="Strehla")
    assert response["Location"] == f"/netzwerk/kommunen/{strehla.slug}/"
    assert (strehla.ags, strehla.population, strehla.status) == ("14627310", 3600, "active")
    event = AuditEvent.objects.get(action="municipality.created", object_id=str(strehla.pk))
    assert event.actor == personas.coordinator and event.after["name"] == "Strehla"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**NEW, "name": "Riesa"}, "bereits eine Kommune mit dem Namen „Riesa“"),
        ({**NEW, "name": "riesa "}, "bereits eine Kommune mit dem Namen"),
        ({**NEW, "ags": "14627230"}, "14627230 ist bereits für „Riesa“ eingetragen"),
        ({**NEW, "ags": "1462"}, "genau 8 Ziffern"),
        ({**NEW, "population": "-5"}, "darf nicht negativ sein"),
        ({**NEW, "population": "3.600,5"}, "als ganze Zahl ohne Punkte"),
        ({**NEW, "population": "viele"}, "als ganze Zahl ohne Punkte"),
        ({**NEW, "name": "   "}, "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_it_refuses_bad_input_with_a_german_message_and_saves_nothing(personas, data, message):
    before = Municipality.objects.count(), AuditEvent.objects.count()
    response = personas.client(personas.coordinator).post("/netzwerk/kommunen/neu/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Municipality.objects.count(), AuditEvent.objects.count()) == before


def test_it_keeps_the_input_when_refusing(personas):
    response = personas.client(personas.coordinator).post(
        "/netzwerk/kommunen/neu/", {**NEW, "ags": "14627230"}
    )
    assert 'value="Stadt Strehla"' in response.content.decode()


def test_it_allows_the_same_name_in_another_network(personas):
    response = personas.client(personas.olga).post(
        "/netzwerk/kommunen/neu/", {**NEW, "name": "Riesa", "ags": "14627230"}
    )
    assert response.status_code == 302
    assert Municipality.objects.filter(name="Riesa").count() == 2


@pytest.mark.parametrize("persona", ["steering", "auditor", "alice", "bob"])
def test_it_requires_rw_access(personas, persona):
    client = personas.client(getattr(personas, persona))
    assert client.post("/netzwerk/kommunen/neu/", NEW).status_code == 403
    assert client.post(f"/netzwerk/kommunen/{personas.a.slug}/bearbeiten/", NEW).status_code == 403
    assert client.post(f"/netzwerk/kommunen/{personas.a.slug}/austritt/").status_code == 403
    assert not Municipality.objects.filter(name="Strehla").exists()
    personas.a.refresh_from_db()
    assert personas.a.status == "active"


def test_it_hides_from_other_municipality(personas):
    # bob works in A (Riesa): B's page with its people is not his to see.
    bob = personas.client(personas.bob)
    assert bob.get(f"/netzwerk/kommunen/{personas.b.slug}/").status_code == 404
    assert bob.get(f"/netzwerk/kommunen/{personas.a.slug}/").status_code == 200
    # olga coordinates another network: none of ours exists for her.
    olga = personas.client(personas.olga)
    for url in (
        f"/netzwerk/kommunen/{personas.a.slug}/",
        f"/netzwerk/kommunen/{personas.a.slug}/bearbeiten/",
        f"/netzwerk/kommunen/{personas.a.slug}/austritt/",
    ):
        assert olga.get(url).status_code == 404, url


def test_it_sends_anonymous_visitors_to_login(personas):
    for url in ("/netzwerk/", "/netzwerk/kommunen/neu/", f"/netzwerk/kommunen/{personas.a.slug}/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_lets_steering_and_audit_read_the_overview(personas):
    for persona in (personas.steering, personas.auditor, personas.coordinator):
        response = personas.client(persona).get("/netzwerk/")
        assert response.status_code == 200
        assert "Riesa" in response.content.decode() and "Fernstadt" not in response.content.decode()
    assert personas.client(personas.bob).get("/netzwerk/").status_code == 403


def test_it_records_leaving_and_keeps_the_history(personas):
    client = personas.client(personas.coordinator)
    response = client.post(f"/netzwerk/kommunen/{personas.b.slug}/austritt/", {"day": "2026-06-30"})
    assert response.status_code == 302
    personas.b.refresh_from_db()
    assert personas.b.status == "left" and str(personas.b.left_on) == "2026-06-30"
    # people and their memberships remain, but they no longer act in the network
    assert Membership.objects.filter(municipality=personas.b).count() == 3
    assert personas.client(personas.charlie).get("/cluster/").status_code == 404
    assert AuditEvent.objects.filter(action="municipality.left").count() == 1
    # leaving twice is refused, readmission restores access
    response = client.post(f"/netzwerk/kommunen/{personas.b.slug}/austritt/", {})
    assert "bereits ausgetreten" in response.content.decode()
    client.post(f"/netzwerk/kommunen/{personas.b.slug}/wiedereintritt/")
    personas.b.refresh_from_db()
    assert personas.b.status == "active" and personas.b.left_on is None
    assert personas.client(personas.charlie).get("/cluster/").status_code == 200


def test_it_refuses_a_leaving_date_before_joining(personas):
    response = personas.client(personas.coordinator).post(
        f"/netzwerk/kommunen/{personas.b.slug}/austritt/", {"day": "2020-01-01"}
    )
    assert "nicht vor dem Beitritt" in response.content.decode()
    personas.b.refresh_from_db()
    assert personas.b.status == "active"


def test_it_edits_master_data_and_refuses_a_duplicate_ags(personas):
    client = personas.client(personas.coordinator)
    response = client.post(
        f"/netzwerk/kommunen/{personas.b.slug}/bearbeiten/",
        {"name": "Meißen", "kind": "grosse_kreisstadt", "ags": "14627230"},
    )
    assert "ist bereits für „Riesa“ eingetragen" in response.content.decode()
    personas.b.refresh_from_db()
    assert personas.b.ags == "14627140"
    response = client.post(
        f"/netzwerk/kommunen/{personas.b.slug}/bearbeiten/",
        {
            "name": "Meißen",
            "kind": "grosse_kreisstadt",
            "ags": "14627140",
            "population": "27999",
            "contact_email": "it@meissen.example",
        },
    )
    assert response.status_code == 302
    personas.b.refresh_from_db()
    assert personas.b.population == 27999 and personas.b.contact_email == "it@meissen.example"
