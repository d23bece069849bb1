"""`/api/v1/communication`: news and events for members, registration, same visibility."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.communication.models import EventRegistration
from amtshilfe.communication.tests.helpers import NOW, event, news

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


class Api:
    def __init__(self, user):
        _token, raw = create_api_token(user=user, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path):
        return self.client.get(f"/api/v1/communication{path}")

    def post(self, path):
        return self.client.post(f"/api/v1/communication{path}")

    def delete(self, path):
        return self.client.delete(f"/api/v1/communication{path}")


@pytest.fixture
def content(personas):
    return {
        "internal": news(personas, title="Intern an alle"),
        "printers": news(personas, title="Nur Drucker", cluster=personas.cluster),
        "draft": news(personas, title="Entwurf", published_at=None),
        "event": event(personas, title="Schulung", capacity=1),
        "cluster_event": event(personas, title="Drucker-Treffen", cluster=personas.cluster),
    }


def test_it_lists_news_for_the_callers_audience(personas, content):
    bob = Api(personas.bob).get("/news").json()
    assert [item["title"] for item in bob["items"]] == ["Intern an alle"]
    alice = Api(personas.alice).get("/news").json()
    assert {item["title"] for item in alice["items"]} == {"Intern an alle", "Nur Drucker"}
    assert alice["count"] == 2


def test_it_reads_one_news_item(personas, content):
    data = Api(personas.bob).get(f"/news/{content['internal'].slug}").json()
    assert data["title"] == "Intern an alle"
    assert "<strong>neue Treiber</strong>" in data["body_html"]
    assert Api(personas.bob).get(f"/news/{content['printers'].slug}").status_code == 404
    assert Api(personas.bob).get(f"/news/{content['draft'].slug}").status_code == 404


def test_it_hides_from_other_network(personas, content):
    olga = Api(personas.olga)
    assert olga.get("/news").json()["count"] == 0
    assert olga.get("/events").json()["count"] == 0
    assert olga.get(f"/news/{content['internal'].slug}").status_code == 404
    assert olga.get(f"/events/{content['event'].pk}").status_code == 404
    assert olga.post(f"/events/{content['event'].pk}/registration").status_code == 404


def test_it_lists_and_reads_events(personas, content):
    bob = Api(personas.bob)
    data = bob.get("/events").json()
    assert [item["title"] for item in data["items"]] == ["Schulung"]
    assert bob.get(f"/events/{content['cluster_event'].pk}").status_code == 404
    assert bob.get("/events?when=past").json()["count"] == 0
    detail = bob.get(f"/events/{content['event'].pk}").json()
    assert detail["capacity"] == 1 and detail["own_registration"] is None


def test_it_registers_waits_and_cancels(personas, content):
    pk = content["event"].pk
    bob, charlie = Api(personas.bob), Api(personas.charlie)
    response = bob.post(f"/events/{pk}/registration")
    assert response.status_code == 201
    assert response.json()["own_registration"]["status"] == "registered"
    waiting = charlie.post(f"/events/{pk}/registration").json()
    assert waiting["own_registration"]["status"] == "waiting"
    again = bob.post(f"/events/{pk}/registration")
    assert again.status_code == 422
    assert "bereits angemeldet" in again.json()["detail"][0]["msg"]
    assert bob.delete(f"/events/{pk}/registration").json()["own_registration"] is None
    assert charlie.get(f"/events/{pk}").json()["own_registration"]["status"] == "registered"


def test_it_requires_rw_access(personas, content, clock):
    """Registration closes at the start; a closed event refuses with 422, nothing saved."""
    clock.move_to(NOW + dt.timedelta(days=8))
    bob = Api(personas.bob)
    response = bob.post(f"/events/{content['event'].pk}/registration")
    assert response.status_code == 422
    assert not EventRegistration.objects.exists()


def test_it_requires_a_token(personas, content):
    assert Client().get("/api/v1/communication/news").status_code == 401


def test_it_validates_paging(personas, content):
    assert Api(personas.bob).get("/news?limit=0").status_code == 422
