"""Script in a title, text, location or note never reaches the browser as markup."""

from __future__ import annotations

import pytest
import time_machine
from icalendar import Calendar

from amtshilfe.communication.services import register_for_event
from amtshilfe.communication.tests.helpers import NOW, event, news
from amtshilfe.wiki.tests.test_xss import PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

TEXT = "\n\n".join(
    f'{p} [{p}](/x) [x](javascript:alert(9)) <a href="javascript:alert(8)">a</a>' for p in PAYLOADS
)
TITLE = PAYLOADS[0] + PAYLOADS[1]


@pytest.fixture
def hostile(personas):
    with time_machine.travel(NOW, tick=False):
        item = news(personas, title=TITLE, body=TEXT, is_public=True)
        evt = event(
            personas,
            title=TITLE,
            description=TEXT,
            location=PAYLOADS[1] + PAYLOADS[3],
            is_public=True,
        )
        register_for_event(actor=personas.bob, event=evt)
        yield item, evt


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_it_keeps_every_page_inert(personas, hostile, who):
    item, evt = hostile
    user = None if who == "anonymous" else personas.coordinator
    client = personas.client(user)
    with time_machine.travel(NOW, tick=False):
        urls = [
            "/aktuelles/",
            f"/aktuelles/{item.slug}/",
            "/termine/",
            f"/termine/{evt.pk}/",
        ]
        if user is not None:
            urls += [
                f"/aktuelles/{item.slug}/bearbeiten/",
                f"/aktuelles/{item.slug}/versionen/",
                f"/termine/{evt.pk}/bearbeiten/",
                "/verzeichnis/",
            ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_inert(response.content.decode())


def test_it_keeps_the_feeds_inert(personas, hostile):
    with time_machine.travel(NOW, tick=False):
        atom = personas.client(None).get("/aktuelles/feed.atom").content.decode()
        # The Atom summary is escaped HTML; unescaped it must still be inert.
        import html

        assert "<script" not in atom
        assert_inert(html.unescape(atom.split("<summary", 1)[1].split("</summary>")[0]))
        ics = personas.client(None).get("/termine/feed.ics").content
        # iCalendar text is plain text; no HTML variant (X-ALT-DESC) is ever sent.
        assert b"X-ALT-DESC" not in ics
        assert Calendar.from_ical(ics).walk("VEVENT")[0]["SUMMARY"] == TITLE


def test_it_keeps_the_teasers_inert(personas, hostile):
    from django.template import Context, Template

    with time_machine.travel(NOW, tick=False):
        html = Template(
            "{% load communication_tags %}{% public_news_teaser n %}{% public_events_teaser n %}"
        ).render(Context({"n": personas.network}))
    assert "Alle Neuigkeiten" in html
    assert_inert(html)
