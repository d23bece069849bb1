"""Event pages: visibility (anonymous, members, clusters, other network), writing, cancelling."""

from __future__ import annotations

import pytest
import time_machine

from amtshilfe.communication.models import Event
from amtshilfe.communication.tests.helpers import NOW, event, second_cluster

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def events(personas):
    import datetime as dt

    other = second_cluster(personas)
    return {
        "public": event(personas, title="Öffentlicher Infoabend", is_public=True),
        "internal": event(personas, title="Internes Austauschtreffen"),
        "printers": event(personas, title="Drucker-Schulung", cluster=personas.cluster),
        "network": event(personas, title="VPN-Workshop", cluster=other),
        "past": event(
            personas,
            title="Vergangenes Treffen",
            is_public=True,
            starts_at=NOW - dt.timedelta(days=10),
            ends_at=NOW - dt.timedelta(days=10) + dt.timedelta(hours=2),
        ),
    }


def form(**changes):
    data = {
        "title": "Schulung E-Akte",
        "kind": "training",
        "description": "Einführung",
        "starts_at": "2026-03-20T09:00",
        "ends_at": "2026-03-20T12:00",
        "location": "Landratsamt Großenhain",
        "online_url": "",
        "cluster": "",
        "capacity": "12",
        "registration_deadline": "",
    }
    data.update(changes)
    return data


def test_it_shows_anonymous_visitors_only_public_events(personas, events):
    page = personas.client(None).get("/termine/").content.decode()
    assert "Öffentlicher Infoabend" in page
    assert "Vergangenes Treffen" in page
    for hidden in ("Internes Austauschtreffen", "Drucker-Schulung", "VPN-Workshop"):
        assert hidden not in page
    client = personas.client(None)
    assert client.get(f"/termine/{events['public'].pk}/").status_code == 200
    assert client.get(f"/termine/{events['internal'].pk}/").status_code == 404


def test_it_shows_members_their_audience(personas, events):
    page = personas.client(personas.alice).get("/termine/").content.decode()
    assert "Internes Austauschtreffen" in page
    assert "Drucker-Schulung" in page
    assert "VPN-Workshop" not in page
    bob = personas.client(personas.bob)
    assert bob.get(f"/termine/{events['printers'].pk}/").status_code == 404
    assert bob.get(f"/termine/{events['internal'].pk}/").status_code == 200


def test_it_hides_from_other_network(personas, events):
    client = personas.client(personas.olga)
    assert "Internes Austauschtreffen" not in client.get("/termine/").content.decode()
    for key in ("internal", "printers"):
        pk = events[key].pk
        assert client.get(f"/termine/{pk}/").status_code == 404
        assert client.get(f"/termine/{pk}/bearbeiten/").status_code == 404
        assert client.post(f"/termine/{pk}/absagen/").status_code == 404
        assert client.post(f"/termine/{pk}/anmelden/").status_code == 404


def test_it_requires_rw_access(personas, events):
    pk = events["internal"].pk
    for user in (personas.bob, personas.charlie, personas.auditor):
        client = personas.client(user)
        assert client.get("/termine/neu/").status_code == 403
        assert client.post("/termine/neu/", form()).status_code == 403
        assert client.get(f"/termine/{pk}/bearbeiten/").status_code == 403
        assert client.post(f"/termine/{pk}/absagen/").status_code == 403
    assert not Event.objects.get(pk=pk).is_cancelled


def test_it_creates_an_event_in_berlin_time(personas):
    response = personas.client(personas.coordinator).post("/termine/neu/", form())
    created = Event.objects.get(title="Schulung E-Akte")
    assert response.status_code == 302
    assert created.starts_at.isoformat() == "2026-03-20T08:00:00+00:00"
    assert created.capacity == 12
    assert created.organiser == personas.coordinator


def test_it_explains_bad_input_in_german(personas):
    response = personas.client(personas.coordinator).post(
        "/termine/neu/",
        form(ends_at="2026-03-20T08:00", location="", online_url="", capacity="0"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Die Zahl der Plätze muss mindestens 1 sein" in page
    response = personas.client(personas.coordinator).post(
        "/termine/neu/", form(ends_at="2026-03-20T08:00", location="", online_url="")
    )
    page = response.content.decode()
    assert "Das Ende muss nach dem Beginn liegen." in page
    assert "Bitte geben Sie einen Ort oder einen Online-Zugang an." in page
    assert not Event.objects.exists()


def test_it_lets_a_topic_owner_create_events_for_their_cluster(personas):
    client = personas.client(personas.alice)
    assert client.post("/termine/neu/", form()).status_code == 400
    response = client.post("/termine/neu/", form(cluster=personas.cluster.pk))
    assert response.status_code == 302
    created = Event.objects.get()
    assert created.organiser == personas.alice
    assert client.get(f"/termine/{created.pk}/bearbeiten/").status_code == 200


def test_it_lets_the_organiser_cancel(personas, events):
    pk = events["internal"].pk
    response = personas.client(personas.coordinator).post(f"/termine/{pk}/absagen/", follow=True)
    assert "abgesagt" in response.content.decode()
    assert Event.objects.get(pk=pk).is_cancelled


def test_it_hides_the_online_link_from_anonymous_visitors(personas):
    evt = event(personas, is_public=True, online_url="https://video.example.org/raum-42")
    anonymous = personas.client(None).get(f"/termine/{evt.pk}/").content.decode()
    assert "raum-42" not in anonymous
    member = personas.client(personas.bob).get(f"/termine/{evt.pk}/").content.decode()
    assert "raum-42" in member


def test_it_edits_an_event_in_local_time(personas, events):
    evt = events["internal"]
    client = personas.client(personas.coordinator)
    page = client.get(f"/termine/{evt.pk}/bearbeiten/").content.decode()
    assert 'value="2026-03-09T10:00"' in page  # 09:00 UTC is 10:00 in Berlin (winter time)
    response = client.post(
        f"/termine/{evt.pk}/bearbeiten/",
        form(title="Verschoben", starts_at="2026-03-30T10:00", ends_at="2026-03-30T11:30"),
    )
    assert response.status_code == 302
    evt.refresh_from_db()
    assert evt.title == "Verschoben"
    assert evt.starts_at.isoformat() == "2026-03-30T08:00:00+00:00"  # summer time from 29 March


def test_it_refuses_to_change_a_cancelled_event(personas, events):
    evt = events["internal"]
    client = personas.client(personas.coordinator)
    client.post(f"/termine/{evt.pk}/absagen/")
    response = client.post(f"/termine/{evt.pk}/bearbeiten/", form(title="Doch nicht"))
    assert response.status_code == 400
    assert "abgesagter Termin" in response.content.decode()
    assert Event.objects.get(pk=evt.pk).title == "Internes Austauschtreffen"
