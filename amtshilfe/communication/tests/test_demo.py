"""The demo content: news, events with registrations and a waiting list, directory choices."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from amtshilfe.communication.demo import DIRECTORY, EVENTS, NEWS, load_demo
from amtshilfe.communication.models import DirectoryEntry, Event, EventRegistration, News
from amtshilfe.experts.services import create_cluster, set_cluster_member
from amtshilfe.notifications.models import Notification
from amtshilfe.tenancy.services import create_person, grant_network_role

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def demo_network(personas):
    """The personas' network with the demo usernames and cluster slugs the demo expects."""
    network = personas.network
    usernames = {"koordination"} | {u for e in EVENTS for u in e.registrants} | set(DIRECTORY)
    people = {}
    for index, username in enumerate(sorted(usernames)):
        people[username] = create_person(
            actor=None,
            network=network,
            username=username,
            first_name=f"Vorname{index}",
            last_name=f"Nachname{index}",
            email=f"{username}@example.org",
            municipality=personas.a if index % 2 else personas.b,
            role="it",
            started_on=dt.date(2026, 1, 1),
            password="demo-passwort-123",
        )
    grant_network_role(
        actor=None, network=network, person=people["koordination"], role="coordinator"
    )
    slugs = {n.cluster for n in NEWS if n.cluster} | {e.cluster for e in EVENTS if e.cluster}
    for slug in sorted(slugs):
        cluster = create_cluster(actor=None, network=network, name=slug.title(), slug=slug)
        set_cluster_member(actor=None, cluster=cluster, person=people["k.scholz"], role="owner")
    return network


def test_it_loads_news_events_and_directory_once(demo_network):
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        created = load_demo(demo_network, today=TODAY)
        assert created == len(NEWS) + len(EVENTS) + len(DIRECTORY)
        assert load_demo(demo_network, today=TODAY) == 0
    assert News.objects.filter(network=demo_network).count() == len(NEWS)
    assert News.objects.filter(is_public=True).count() >= 2
    assert News.objects.exclude(cluster=None).count() >= 4
    assert (
        News.objects.filter(published_at__gt=dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)).count()
        == 1
    )
    assert Event.objects.filter(is_public=True).count() >= 2
    assert Event.objects.filter(ends_at__lt=dt.datetime(2026, 3, 2, tzinfo=dt.UTC)).count() == 2
    assert Event.objects.filter(is_cancelled=True).count() == 1
    assert EventRegistration.objects.filter(status="waiting").count() == 1
    assert EventRegistration.objects.filter(status="registered").count() >= 10
    assert DirectoryEntry.objects.filter(show_in_directory=False).count() >= 1
    assert DirectoryEntry.objects.filter(show_phone=True).count() >= 2
    assert not Notification.objects.filter(email_state="pending").exists()
