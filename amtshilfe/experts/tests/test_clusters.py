"""Topic clusters: coordination creates them and names owners; owners manage members."""

from __future__ import annotations

import pytest
from django.test import Client

from amtshilfe.core.models import AuditEvent
from amtshilfe.experts.models import ClusterMembership, TopicCluster


def test_it_creates_a_cluster_and_audits_it(personas):
    response = personas.client(personas.coordinator).post(
        "/cluster/neu/",
        {
            "name": "Netzwerk & VPN",
            "description": "VPN, WLAN",
            "keywords": "VPN, WLAN; vpn, Netzlaufwerk",
        },
    )
    cluster = TopicCluster.objects.get(network=personas.network, name="Netzwerk & VPN")
    assert response["Location"] == f"/cluster/{cluster.slug}/"
    assert cluster.slug == "netzwerk-und-vpn"
    assert cluster.keywords == ["VPN", "WLAN", "Netzlaufwerk"]
    assert AuditEvent.objects.filter(action="cluster.created", object_id=str(cluster.pk)).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Bitte geben Sie dem Themencluster einen Namen."),
        ("   ", "Bitte geben Sie dem Themencluster einen Namen."),
        ("drucker", "Es gibt bereits ein Themencluster „drucker“."),
    ],
)
def test_it_refuses_an_empty_or_duplicate_name(personas, name, message):
    before = TopicCluster.objects.count(), AuditEvent.objects.count()
    response = personas.client(personas.coordinator).post("/cluster/neu/", {"name": name})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (TopicCluster.objects.count(), AuditEvent.objects.count()) == before


def test_it_makes_a_person_topic_owner(personas):
    client = personas.client(personas.coordinator)
    response = client.post(
        f"/cluster/{personas.cluster.slug}/mitglieder/",
        {"person": personas.dora.pk, "role": "owner"},
    )
    assert response.status_code == 302
    assert (
        ClusterMembership.objects.get(cluster=personas.cluster, user=personas.dora).role == "owner"
    )
    page = client.get(f"/cluster/{personas.cluster.slug}/").content.decode()
    assert "Dora Test" in page


def test_it_keeps_at_least_one_owner(personas):
    client = personas.client(personas.coordinator)
    owner = ClusterMembership.objects.get(cluster=personas.cluster, user=personas.alice)
    response = client.post(
        f"/cluster/{personas.cluster.slug}/mitglieder/{owner.pk}/entfernen/", follow=True
    )
    assert "braucht mindestens eine themenzuständige Person" in response.content.decode()
    response = client.post(
        f"/cluster/{personas.cluster.slug}/mitglieder/",
        {"person": personas.alice.pk, "role": "member"},
        follow=True,
    )
    assert "braucht mindestens eine themenzuständige Person" in response.content.decode()
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_it_lets_owners_add_members_but_not_owners(personas):
    alice = personas.client(personas.alice)
    alice.post(
        f"/cluster/{personas.cluster.slug}/mitglieder/",
        {"person": personas.dora.pk, "role": "member"},
    )
    assert (
        ClusterMembership.objects.get(cluster=personas.cluster, user=personas.dora).role == "member"
    )
    alice.post(
        f"/cluster/{personas.cluster.slug}/mitglieder/",
        {"person": personas.bob.pk, "role": "owner"},
    )
    assert not ClusterMembership.objects.filter(user=personas.bob).exists()


def test_it_refuses_people_outside_the_network(personas):
    response = personas.client(personas.coordinator).post(
        f"/cluster/{personas.cluster.slug}/mitglieder/",
        {"person": personas.olga.pk, "role": "member"},
        follow=True,
    )
    assert "gültige Auswahl" in response.content.decode()
    assert not ClusterMembership.objects.filter(user=personas.olga).exists()


@pytest.mark.parametrize("persona", ["bob", "dora", "steering", "auditor"])
def test_it_requires_rw_access(personas, persona):
    client = personas.client(getattr(personas, persona))
    assert client.get(f"/cluster/{personas.cluster.slug}/").status_code == 200
    assert client.post("/cluster/neu/", {"name": "Neu"}).status_code == 403
    assert (
        client.post(
            f"/cluster/{personas.cluster.slug}/bearbeiten/", {"name": "Umbenannt"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/cluster/{personas.cluster.slug}/mitglieder/",
            {"person": personas.bob.pk, "role": "member"},
        ).status_code
        == 403
    )
    personas.cluster.refresh_from_db()
    assert personas.cluster.name == "Drucker"
    assert not TopicCluster.objects.filter(name="Neu").exists()


def test_it_hides_from_other_municipality(personas):
    olga = personas.client(personas.olga)
    assert olga.get(f"/cluster/{personas.cluster.slug}/").status_code == 404
    assert (
        olga.post(
            f"/cluster/{personas.cluster.slug}/mitglieder/",
            {"person": personas.olga.pk, "role": "owner"},
        ).status_code
        == 404
    )
    assert "Drucker" not in olga.get("/cluster/").content.decode()


def test_it_sends_anonymous_visitors_to_login(personas):
    for url in ("/cluster/", f"/cluster/{personas.cluster.slug}/", "/cluster/mein-profil/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_it_edits_a_cluster(personas):
    response = personas.client(personas.coordinator).post(
        f"/cluster/{personas.cluster.slug}/bearbeiten/",
        {"name": "Drucker & Scanner", "description": "neu", "keywords": "Toner", "is_active": "on"},
    )
    assert response.status_code == 302
    personas.cluster.refresh_from_db()
    assert (personas.cluster.name, personas.cluster.keywords) == ("Drucker & Scanner", ["Toner"])


def test_it_leaves_naming_owners_to_the_coordination_also_in_the_service(personas):
    from django.core.exceptions import PermissionDenied

    from amtshilfe.experts.services import remove_cluster_member, set_cluster_member

    with pytest.raises(PermissionDenied):
        set_cluster_member(
            actor=personas.alice, cluster=personas.cluster, person=personas.dora, role="owner"
        )
    owner = ClusterMembership.objects.get(cluster=personas.cluster, user=personas.alice)
    with pytest.raises(PermissionDenied):
        remove_cluster_member(actor=personas.dora, membership=owner)
    assert not ClusterMembership.objects.filter(user=personas.dora).exists()


def test_it_keeps_page_names_free_of_cluster_slugs(personas):
    personas.client(personas.coordinator).post("/cluster/neu/", {"name": "Neu"})
    cluster = TopicCluster.objects.get(name="Neu")
    assert cluster.slug == "neu-thema"
    assert personas.client(personas.bob).get("/cluster/neu-thema/").status_code == 200
