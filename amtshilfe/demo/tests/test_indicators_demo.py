"""Demo content for the indicators (amtshilfe/indicators/demo.py): search log, review history."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from amtshilfe.conftest import Personas
from amtshilfe.indicators import demo
from amtshilfe.wiki.models import Article, SearchQueryLog
from amtshilfe.wiki.tests.articles import make_article

TODAY = dt.date(2026, 3, 13)  # a Friday


def test_it_logs_answered_and_unanswered_searches_once(personas: Personas) -> None:
    created = demo.load_demo(personas.network, today=TODAY)

    answered = sum(times for _question, times in demo.ANSWERED)
    unanswered = sum(times for _spellings, times in demo.UNANSWERED)
    assert created == answered + unanswered == 121
    rows = SearchQueryLog.objects.filter(network=personas.network)
    assert rows.count() == 121
    assert rows.filter(result_count=0, top_score__isnull=True).count() == unanswered == 44
    assert rows.filter(query="XRechnung wird vom Finanzverfahren abgelehnt").count() == 3
    assert rows.filter(query="xrechnung abgelehnt").count() == 3
    assert rows.filter(query="Drucker druckt nicht", result_count__gt=0).count() == 9
    first_day = TODAY - dt.timedelta(days=demo.FOUNDED_DAYS_AGO - 1)
    end = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(16, 30)))
    times = list(rows.values_list("created_at", flat=True))
    assert min(timezone.localdate(t) for t in times) >= first_day
    assert max(times) < end
    assert all(timezone.localtime(t).weekday() < 5 for t in times)

    assert demo.load_demo(personas.network, today=TODAY + dt.timedelta(days=30)) == 0
    assert SearchQueryLog.objects.count() == 121


def test_it_is_the_same_log_on_the_same_day(personas: Personas) -> None:
    first = [(r.query, r.created_at) for r in demo.search_log_rows(personas.network, TODAY)]
    again = [(r.query, r.created_at) for r in demo.search_log_rows(personas.network, TODAY)]
    assert first == again


def test_it_dates_back_the_review_of_every_sixth_article(personas: Personas) -> None:
    slugs = [f"artikel-{number:02d}" for number in range(1, 14)]
    for slug in slugs:
        make_article(personas, title=f"Artikel {slug}", slug=slug)

    demo.load_demo(personas.network, today=TODAY)

    noon = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(12)))
    reviewed = dict(Article.objects.values_list("slug", "last_reviewed_at"))
    assert reviewed["artikel-06"] == noon - dt.timedelta(days=395)
    assert reviewed["artikel-12"] == noon - dt.timedelta(days=395 + 29)
    year_ago = noon - dt.timedelta(days=365)
    assert sorted(slug for slug, at in reviewed.items() if at < year_ago) == [
        "artikel-06",
        "artikel-12",
    ]
    # a second run (a new search was logged meanwhile or not) changes no review date
    demo.load_demo(personas.network, today=TODAY + dt.timedelta(days=400))
    assert dict(Article.objects.values_list("slug", "last_reviewed_at")) == reviewed
