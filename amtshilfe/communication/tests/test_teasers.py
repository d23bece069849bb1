"""The teasers on the public home page: only public items, nothing when there are none."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template

from amtshilfe.communication.services import cancel_event
from amtshilfe.communication.tests.helpers import NOW, event, news

pytestmark = pytest.mark.django_db

TEMPLATE = Template(
    "{% load communication_tags %}"
    "{% public_news_teaser network limit=2 %}{% public_events_teaser network limit=2 %}"
)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def render(network) -> str:
    return TEMPLATE.render(Context({"network": network}))


def test_it_renders_nothing_without_public_items(personas):
    news(personas, title="Interne Meldung")
    event(personas, title="Interner Termin")
    assert render(personas.network).strip() == ""
    assert render(None).strip() == ""


def test_it_shows_the_latest_public_news_and_next_public_events(personas):
    for day in range(3):
        news(
            personas,
            title=f"Öffentlich {day}",
            is_public=True,
            published_at=NOW - dt.timedelta(days=day + 1),
        )
    news(personas, title="Interne Meldung")
    soon = event(personas, title="Bald", is_public=True)
    event(
        personas,
        title="Später",
        is_public=True,
        starts_at=NOW + dt.timedelta(days=20),
        ends_at=NOW + dt.timedelta(days=20, hours=1),
    )
    event(
        personas,
        title="Noch später",
        is_public=True,
        starts_at=NOW + dt.timedelta(days=30),
        ends_at=NOW + dt.timedelta(days=30, hours=1),
    )
    html = render(personas.network)
    assert "<h2" in html and "<section" in html
    assert "Öffentlich 0" in html and "Öffentlich 1" in html
    assert "Öffentlich 2" not in html  # limit=2
    assert "Interne Meldung" not in html
    assert f'href="/termine/{soon.pk}/"' in html
    assert "Später" in html and "Noch später" not in html


def test_it_leaves_out_cancelled_and_past_events(personas):
    gone = event(personas, title="Abgesagt", is_public=True)
    cancel_event(actor=personas.coordinator, event=gone)
    event(
        personas,
        title="Vorbei",
        is_public=True,
        starts_at=NOW - dt.timedelta(days=3),
        ends_at=NOW - dt.timedelta(days=3, hours=-1),
    )
    assert render(personas.network).strip() == ""
