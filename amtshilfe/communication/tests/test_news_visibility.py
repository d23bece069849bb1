"""Who reads which news: anonymous visitors only public items, members their audience."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from amtshilfe.communication.models import News
from amtshilfe.communication.tests.helpers import NOW, news, second_cluster

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def items(personas):
    other = second_cluster(personas)
    return {
        "public": news(personas, title="Öffentliche Meldung", is_public=True),
        "internal": news(personas, title="Interne Meldung an alle"),
        "printers": news(personas, title="Nur Drucker-Cluster", cluster=personas.cluster),
        "network": news(personas, title="Nur Netzwerk-Cluster", cluster=other),
        "draft": news(personas, title="Entwurf der Koordination", published_at=None),
        "scheduled": news(
            personas, title="Geplante Meldung", published_at=NOW + dt.timedelta(days=1)
        ),
    }


def titles(response) -> str:
    return response.content.decode()


def test_it_shows_anonymous_visitors_only_public_news(personas, items):
    page = titles(personas.client(None).get("/aktuelles/"))
    assert "Öffentliche Meldung" in page
    for hidden in (
        "Interne Meldung",
        "Nur Drucker-Cluster",
        "Nur Netzwerk-Cluster",
        "Entwurf",
        "Geplante",
    ):
        assert hidden not in page


def test_it_answers_404_for_internal_news_to_anonymous_visitors(personas, items):
    client = personas.client(None)
    assert client.get(f"/aktuelles/{items['public'].slug}/").status_code == 200
    for key in ("internal", "printers", "draft", "scheduled"):
        assert client.get(f"/aktuelles/{items[key].slug}/").status_code == 404


def test_it_shows_members_network_news_and_their_clusters(personas, items):
    page = titles(personas.client(personas.alice).get("/aktuelles/"))
    assert "Öffentliche Meldung" in page
    assert "Interne Meldung an alle" in page
    assert "Nur Drucker-Cluster" in page  # alice owns "Drucker"
    assert "Nur Netzwerk-Cluster" not in page  # not her cluster
    assert "Entwurf der Koordination" not in page
    assert "Geplante Meldung" not in page


def test_it_hides_cluster_news_from_members_outside_the_cluster(personas, items):
    client = personas.client(personas.bob)
    assert client.get(f"/aktuelles/{items['printers'].slug}/").status_code == 404
    assert client.get(f"/aktuelles/{items['internal'].slug}/").status_code == 200
    dora = personas.client(personas.dora)
    assert dora.get(f"/aktuelles/{items['network'].slug}/").status_code == 200


def test_it_shows_the_coordinator_drafts_and_scheduled_news(personas, items):
    page = titles(personas.client(personas.coordinator).get("/aktuelles/"))
    assert "Entwurf der Koordination" in page
    assert "Geplante Meldung" in page
    assert "Entwürfe und geplante Neuigkeiten" in page


def test_it_publishes_scheduled_news_when_the_time_comes(personas, items, clock):
    client = personas.client(personas.bob)
    assert client.get(f"/aktuelles/{items['scheduled'].slug}/").status_code == 404
    clock.move_to(NOW + dt.timedelta(days=1, minutes=1))
    client = personas.client(personas.bob)  # a new session: the old one has expired
    assert client.get(f"/aktuelles/{items['scheduled'].slug}/").status_code == 200


def test_it_hides_from_other_network(personas, items):
    client = personas.client(personas.olga)
    page = titles(client.get("/aktuelles/"))
    assert "Interne Meldung" not in page
    for key in ("internal", "printers", "draft"):
        assert client.get(f"/aktuelles/{items[key].slug}/").status_code == 404
        assert client.get(f"/aktuelles/{items[key].slug}/bearbeiten/").status_code == 404
        assert client.get(f"/aktuelles/{items[key].slug}/versionen/").status_code == 404
    assert not News.objects.visible_to(personas.olga, personas.network).exclude(is_public=True)


def test_it_filters_by_cluster(personas, items):
    page = titles(personas.client(personas.alice).get("/aktuelles/?cluster=drucker"))
    assert "Nur Drucker-Cluster" in page
    assert "Interne Meldung an alle" not in page


def test_it_counts_no_internal_news_for_anonymous_visitors(personas, items):
    assert News.objects.public(personas.network).count() == 1
    assert News.objects.visible_to(None, personas.network).count() == 1


def test_it_links_the_atom_feed(personas, items):
    page = titles(personas.client(None).get("/aktuelles/"))
    assert 'type="application/atom+xml"' in page
