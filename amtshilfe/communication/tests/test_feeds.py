"""Atom and iCalendar feeds: valid (parsed back by libraries), public items only."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
import time_machine
from icalendar import Calendar

from amtshilfe.communication.services import cancel_event
from amtshilfe.communication.tests.helpers import NOW, event, news

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def content(personas):
    return {
        "public_news": news(personas, title="Öffentlich: Netzwerk wächst", is_public=True),
        "internal_news": news(personas, title="Intern: Passwortwechsel"),
        "cluster_news": news(personas, title="Intern: Drucker", cluster=personas.cluster),
        "scheduled_news": news(
            personas,
            title="Öffentlich, aber geplant",
            is_public=True,
            published_at=NOW + dt.timedelta(days=2),
        ),
        "public_event": event(personas, title="Öffentliches Austauschtreffen", is_public=True),
        "internal_event": event(personas, title="Interne Schulung"),
    }


def test_it_serves_valid_atom_with_public_news_only(personas, content):
    for user in (None, personas.coordinator):
        response = personas.client(user).get("/aktuelles/feed.atom")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == "atom10"
        assert [e.title for e in feed.entries] == ["Öffentlich: Netzwerk wächst"]
        entry = feed.entries[0]
        assert entry.link.endswith(f"/aktuelles/{content['public_news'].slug}/")
        assert "<strong>neue Treiber</strong>" in entry.summary
        assert entry.id.startswith("tag:")
        body = response.content.decode()
        assert "Intern" not in body
        assert "geplant" not in body


def test_it_serves_a_valid_icalendar_feed_with_public_events_only(personas, content):
    for user in (None, personas.alice):
        response = personas.client(user).get("/termine/feed.ics")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        events = calendar.walk("VEVENT")
        assert [str(e["SUMMARY"]) for e in events] == ["Öffentliches Austauschtreffen"]
        item = events[0]
        assert item.decoded("DTSTART") == NOW + dt.timedelta(days=7)
        assert item.decoded("DTEND") == NOW + dt.timedelta(days=7, hours=2)
        assert str(item["LOCATION"]) == "Rathaus Riesa, Sitzungssaal 2"
        assert str(item["UID"]).startswith(f"termin-{content['public_event'].pk}@")
        assert "Interne Schulung" not in response.content.decode()


def test_it_marks_cancelled_events_in_the_calendar(personas, content):
    cancel_event(actor=personas.coordinator, event=content["public_event"])
    calendar = Calendar.from_ical(personas.client(None).get("/termine/feed.ics").content)
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_it_downloads_one_event_for_those_who_see_it(personas, content):
    internal = content["internal_event"]
    response = personas.client(personas.bob).get(f"/termine/{internal.pk}/kalender.ics")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Interne Schulung"]
    assert personas.client(None).get(f"/termine/{internal.pk}/kalender.ics").status_code == 404
    assert (
        personas.client(personas.olga).get(f"/termine/{internal.pk}/kalender.ics").status_code
        == 404
    )
    public = content["public_event"]
    assert personas.client(None).get(f"/termine/{public.pk}/kalender.ics").status_code == 200


def test_it_gives_the_online_link_only_to_members(personas):
    evt = event(personas, is_public=True, online_url="https://video.example.org/raum-42")
    assert b"raum-42" not in personas.client(None).get("/termine/feed.ics").content
    assert b"raum-42" not in personas.client(None).get(f"/termine/{evt.pk}/kalender.ics").content
    member = personas.client(personas.bob).get(f"/termine/{evt.pk}/kalender.ics")
    assert b"raum-42" in member.content.replace(b"\r\n ", b"")
