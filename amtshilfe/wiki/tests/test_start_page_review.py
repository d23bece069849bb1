"""The start page shows topic owners what waits for them ("Zu prüfen")."""

from __future__ import annotations

import datetime as dt

import time_machine

from amtshilfe.wiki.services import edit_article
from amtshilfe.wiki.tests.articles import make_article


def test_it_lists_pending_changes_and_stale_articles_for_owners(personas):
    with time_machine.travel(dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC), tick=False):
        old = make_article(personas, title="Alter Artikel")
    article = make_article(personas, title="Toner")
    edit_article(
        actor=personas.dora,
        article=article,
        title=article.title,
        body="neu",
        tags=[],
        base_version=article.version,
    )
    page = personas.client(personas.alice).get("/start/").content.decode()
    assert 'data-section="review"' in page
    assert f'href="/wissen/{article.slug}/pruefung/"' in page and "Vorschlag von Dora Test" in page
    assert f'href="/wissen/{old.slug}/"' in page and "Ist das noch aktuell?" in page
    for user in (personas.bob, personas.dora):
        assert 'data-section="review"' not in personas.client(user).get("/start/").content.decode()


def test_it_keeps_the_start_page_bounded(personas, django_assert_max_num_queries):
    with time_machine.travel(dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC), tick=False):
        for number in range(15):
            article = make_article(personas, title=f"Artikel {number}")
            edit_article(
                actor=personas.dora,
                article=article,
                title=article.title,
                body="neu",
                tags=[],
                base_version=article.version,
            )
    client = personas.client(personas.alice)
    with django_assert_max_num_queries(20):
        assert client.get("/start/").status_code == 200
