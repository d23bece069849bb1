"""IT specialists keep their own expertise profile."""

from __future__ import annotations

import pytest

from amtshilfe.core.models import AuditEvent
from amtshilfe.experts.models import ClusterMembership, ExpertProfile
from amtshilfe.experts.services import create_cluster

PROFILE = {
    "skills": "Scan-to-Folder, VPN-Client; scan-to-folder",
    "pledged_hours_per_month": "6",
    "absent_from": "",
    "absent_until": "",
    "availability_note": "dienstags",
    "bio": "",
}


def test_it_saves_skills_hours_absence_and_clusters(personas):
    vpn = create_cluster(actor=None, network=personas.network, name="VPN")
    client = personas.client(personas.dora)
    response = client.post(
        "/cluster/mein-profil/",
        {
            **PROFILE,
            "clusters": [vpn.pk],
            "absent_from": "2026-12-20",
            "absent_until": "2027-01-06",
        },
    )
    assert response.status_code == 302
    profile = ExpertProfile.objects.get(user=personas.dora, network=personas.network)
    assert sorted(profile.skills.values_list("name", flat=True)) == ["Scan-to-Folder", "VPN-Client"]
    assert profile.pledged_hours_per_month == 6
    assert str(profile.absent_until) == "2027-01-06"
    assert list(
        ClusterMembership.objects.filter(user=personas.dora).values_list("cluster__name", flat=True)
    ) == ["VPN"]
    assert AuditEvent.objects.filter(action="expert_profile.updated").exists()


def test_it_keeps_owned_clusters_when_unticked(personas):
    personas.client(personas.alice).post("/cluster/mein-profil/", {**PROFILE, "clusters": []})
    assert (
        ClusterMembership.objects.get(user=personas.alice, cluster=personas.cluster).role == "owner"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pledged_hours_per_month": "-1"}, "zwischen 0 und 200 Stunden"),
        ({"pledged_hours_per_month": "500"}, "zwischen 0 und 200 Stunden"),
        ({"pledged_hours_per_month": "viel"}, "ganze Zahl"),
        ({"absent_from": "2026-12-20", "absent_until": "2026-12-01"}, "liegt vor „abwesend ab“"),
        ({"absent_from": "2026-12-20"}, "bis wann Sie abwesend sind"),
    ],
)
def test_it_refuses_bad_input_and_keeps_the_saved_profile(personas, data, message):
    client = personas.client(personas.dora)
    client.post("/cluster/mein-profil/", PROFILE)
    response = client.post("/cluster/mein-profil/", {**PROFILE, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    profile = ExpertProfile.objects.get(user=personas.dora)
    assert profile.pledged_hours_per_month == 6 and profile.absent_until is None


def test_it_requires_rw_access(personas):
    # Administration staff and network roles without an IT membership have no expert profile.
    for persona in (personas.bob, personas.steering, personas.coordinator):
        client = personas.client(persona)
        assert client.get("/cluster/mein-profil/").status_code == 403
        assert client.post("/cluster/mein-profil/", PROFILE).status_code == 403
    assert not ExpertProfile.objects.exists()


def test_it_hides_from_other_municipality(personas):
    # A profile is always the caller's own; another network's member cannot reach ours.
    personas.client(personas.dora).post("/cluster/mein-profil/", PROFILE)
    response = personas.client(personas.olga).post("/cluster/mein-profil/", PROFILE)
    assert response.status_code == 403
    assert ExpertProfile.objects.count() == 1


def test_it_shows_absence_on_the_cluster_page(personas):
    client = personas.client(personas.alice)
    client.post(
        "/cluster/mein-profil/",
        {**PROFILE, "absent_from": "2020-01-01", "absent_until": "2099-12-31"},
    )
    page = personas.client(personas.bob).get(f"/cluster/{personas.cluster.slug}/").content.decode()
    assert "abwesend bis 31.12.2099" in page and "Scan-to-Folder" in page
