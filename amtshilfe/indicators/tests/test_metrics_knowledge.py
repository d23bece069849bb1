"""Knowledge-base health: reviewed articles and unanswered searches, hand-computed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from amtshilfe.conftest import Personas
from amtshilfe.experts.services import create_cluster
from amtshilfe.indicators.figures import Period
from amtshilfe.indicators.registry import REGISTRY
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, SearchQueryLog
from amtshilfe.wiki.owner_queues import is_stale

BERLIN = ZoneInfo("Europe/Berlin")
FIRST_QUARTER = Period(
    start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 1), label="Q1", bucket="month"
)
# The period ends at midnight (Berlin) of 1 April 2026; twelve months before: 1 April 2025.
END = dt.datetime(2026, 4, 1, tzinfo=BERLIN)


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=BERLIN)


LONG_AGO = at(2024, 5, 1)


def article(
    personas: Personas,
    title: str,
    *,
    cluster=None,
    status: str = Article.Status.PUBLISHED,
    reviewed: dt.datetime | None,
    created: dt.datetime = LONG_AGO,
) -> Article:
    made = Article.objects.create(
        network=personas.network,
        cluster=cluster or personas.cluster,
        slug=title.lower().replace(" ", "-"),
        title=title,
        status=status,
        last_reviewed_at=reviewed,
    )
    Article.objects.filter(pk=made.pk).update(created_at=created)
    made.refresh_from_db()
    return made


def figure(key: str, personas: Personas, period: Period = FIRST_QUARTER):
    return REGISTRY[key].figure(personas.network, period)


def test_it_counts_articles_reviewed_in_the_twelve_months_before_the_period_end(
    personas: Personas,
) -> None:
    network_cluster = create_cluster(actor=None, network=personas.network, name="Netzwerk")
    counted = [
        article(personas, "Toner", reviewed=at(2025, 6, 1)),  # reviewed
        article(personas, "Scanner", reviewed=at(2025, 3, 31)),  # before 1 April 2025
        article(personas, "Etiketten", reviewed=None),  # never
        article(personas, "Exakt", reviewed=dt.datetime(2025, 4, 1, tzinfo=BERLIN)),  # reviewed
        article(personas, "VPN", cluster=network_cluster, reviewed=at(2026, 2, 1)),  # reviewed
    ]
    # Reviewed only after the period: at its end it was not (known to be) reviewed.
    later = article(personas, "Später geprüft", reviewed=at(2026, 4, 15))
    # Not counted: archived, draft, created after the period, another network.
    article(personas, "Archiv", status=Article.Status.ARCHIVED, reviewed=at(2026, 1, 1))
    article(personas, "Entwurf", cluster=network_cluster, status="draft", reviewed=None)
    article(personas, "Neu", reviewed=at(2026, 4, 2), created=at(2026, 4, 2))
    other = create_cluster(actor=None, network=personas.other_network, name="Fremd")
    Article.objects.create(
        network=personas.other_network,
        cluster=other,
        slug="fremd",
        title="Fremd",
        status="published",
        last_reviewed_at=at(2026, 1, 1),
    )

    found = figure("articles_reviewed", personas)
    assert found.chart == "hbar"
    assert found.categories == ["Drucker", "Netzwerk"]
    assert found.category_keys == ["drucker", "netzwerk"]
    # Drucker: Toner, Exakt reviewed; Scanner, Etiketten, Später geprüft not. Netzwerk: VPN.
    assert [(s.key, s.values) for s in found.series] == [
        ("reviewed", [2, 1]),
        ("not_reviewed", [3, 0]),
    ]
    # 3 of 6 published articles.
    assert [(k.value, k.display) for k in found.key_numbers] == [(50.0, "50,0 %"), (6, "6")]
    assert "3 ÷ 6" in found.formula
    # Same definition as the owners' list "Ist das noch aktuell?" at the period's end.
    reviewed = {a.title for a in counted if not is_stale(a, now=END)}
    assert reviewed == {"Toner", "Exakt", "VPN"}
    assert is_stale(later, now=END) is False  # the one difference, documented in the module


def test_it_shows_no_share_without_articles(personas: Personas) -> None:
    found = figure("articles_reviewed", personas)
    assert found.categories == [] and found.key_numbers[0].value is None
    assert found.key_numbers[0].display == "–"


def log(network: Network, query: str, when: dt.datetime, results: int = 0) -> None:
    row = SearchQueryLog.objects.create(network=network, query=query, result_count=results)
    SearchQueryLog.objects.filter(pk=row.pk).update(created_at=when)


def test_it_lists_unanswered_searches_grouped_counted_and_scrubbed(personas: Personas) -> None:
    network = personas.network
    log(network, "VPN  Verbindung bricht ab", at(2026, 1, 10))
    log(network, "vpn verbindung bricht ab", at(2026, 1, 12))
    log(network, "VPN Verbindung bricht AB ", at(2026, 2, 3))
    log(network, "Größe Postfach", at(2026, 1, 15))
    log(network, "GRÖSSE POSTFACH", at(2026, 2, 10))
    log(network, "Passwort zurücksetzen für max.mustermann@riesa.de", at(2026, 1, 20))
    log(network, "Passwort zurücksetzen für erika@riesa.de", at(2026, 1, 22))
    log(network, "Bitte Rückruf 0351 1234567", at(2026, 1, 21))
    log(network, "Drucker", at(2026, 1, 21), results=3)  # found something
    log(network, "Alte Frage", at(2025, 12, 31, 23))  # before the period
    log(network, "Zu spät", at(2026, 4, 1, 0))  # the period's end is exclusive
    log(personas.other_network, "Fremde Frage", at(2026, 1, 5))

    found = figure("unanswered_searches", personas)
    assert found.chart == "" and found.series == []
    assert found.columns == ["Frage", "Anzahl", "zuletzt gefragt"]
    assert found.rows == [
        ["VPN Verbindung bricht AB", 3, "03.02.2026"],
        ["GRÖSSE POSTFACH", 2, "10.02.2026"],
        ["Passwort zurücksetzen für [E-Mail-Adresse entfernt]", 2, "22.01.2026"],
        ["Bitte Rückruf [Telefonnummer entfernt]", 1, "21.01.2026"],
    ]
    assert found.table() == (found.columns, found.rows)
    # 8 of 9 searches in the period found nothing.
    assert [(k.value, k.display) for k in found.key_numbers] == [(88.9, "88,9 %"), (9, "9")]
    assert "8 ÷ 9" in found.formula
    text = repr(found.rows)
    assert "@" not in text and "1234567" not in text and "mustermann" not in text


def test_it_keeps_the_fifty_most_frequent_questions(personas: Personas) -> None:
    rows = [
        SearchQueryLog(network=personas.network, query=f"Frage {n:02d}", result_count=0)
        for n in range(60)
        for _repeat in range(1 + (n == 59))
    ]
    SearchQueryLog.objects.bulk_create(rows)
    SearchQueryLog.objects.update(created_at=at(2026, 2, 1))
    found = figure("unanswered_searches", personas)
    assert len(found.rows) == 50
    assert found.rows[0] == ["Frage 59", 2, "01.02.2026"]
    assert [row[0] for row in found.rows[1:3]] == ["Frage 00", "Frage 01"]


def test_it_shows_no_share_without_searches(personas: Personas) -> None:
    found = figure("unanswered_searches", personas)
    assert found.rows == [] and found.key_numbers[0].value is None


def test_it_computes_in_few_queries(personas: Personas, django_assert_max_num_queries) -> None:
    log(personas.network, "VPN", at(2026, 1, 10))
    with django_assert_max_num_queries(1):
        figure("articles_reviewed", personas)
    with django_assert_max_num_queries(2):
        figure("unanswered_searches", personas)
