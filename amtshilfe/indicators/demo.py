"""Demo content for the indicators of the demo network (called by ``demo/loader.py``).

The rest of the demo (requests, ratings, time entries, surveys, onboarding) comes from the
other apps' ``demo.py``; this adds what only the knowledge-base figures read:

1. the search log (``wiki.SearchQueryLog``) since the network was founded: questions the
   knowledge base answers and questions it does not (yet), several of them asked more than
   once and in slightly different spelling – the "unanswered searches" to-do list of the
   topic owners; fixed seed, inserted in bulk with explicit times;
2. a review history of the articles: every ``STALE_EVERY``-th published article was last
   reviewed more than twelve months ago, so "articles reviewed in the last 12 months" is
   not simply 100 % and the owners' "stale articles" queue has work in it.

Idempotent: both happen only in a network without search log rows (the first load); a
second run, on any later day, changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, SearchQueryLog

SEED = 20261206
FOUNDED_DAYS_AGO = 91  # as ``demo.loader.FOUNDED_DAYS_AGO``: nobody searched before
STALE_EVERY = 6  # every 6th published article (by slug) was last reviewed over a year ago
BATCH = 500

# Questions the knowledge base answers: (question, how often it is asked over three months).
ANSWERED: tuple[tuple[str, int], ...] = (
    ("Drucker druckt nicht", 9),
    ("VPN Verbindung bricht ab", 7),
    ("Passwort vergessen", 8),
    ("Konto gesperrt", 5),
    ("Outlook startet nicht", 4),
    ("Phishing Mail melden", 6),
    ("Scanner E-Akte", 4),
    ("Zwei-Faktor-Anmeldung einrichten", 3),
    ("Videokonferenz mit Externen", 3),
    ("Diensthandy einrichten", 3),
    ("BundID Anmeldung funktioniert nicht", 4),
    ("Bildschirm sperren", 2),
    ("Abwesenheitsnotiz einrichten", 3),
    ("Softphone kein Ton", 2),
    ("Gemeinsamer Kalender freigeben", 2),
    ("Postfach voll", 3),
    ("Netzlaufwerk nicht verbunden", 3),
    ("KI-Tools mit Dienstdaten", 2),
    ("Toner bestellen", 2),
    ("WLAN für Gäste im Rathaus", 2),
)
# Questions nobody has written an article for yet, with their spellings as people typed them.
UNANSWERED: tuple[tuple[tuple[str, ...], int], ...] = (
    (("XRechnung wird vom Finanzverfahren abgelehnt", "xrechnung abgelehnt"), 6),
    (("Beamer im Ratssaal findet kein Signal", "beamer ratssaal kein signal"), 5),
    (("Diktiergerät an Citrix anschließen",), 4),
    (("Zeiterfassungsterminal zeigt offline", "zeiterfassung terminal offline"), 4),
    (("Wahlhelfer-Software installieren",), 3),
    (("Kartenleser für die Signaturkarte wird nicht erkannt",), 3),
    (("Sitzungsgeld im Ratsinformationssystem abrechnen",), 3),
    (("Friedhofsverwaltung Update schlägt fehl",), 2),
    (("Parkausweis Formular druckt leere Seite",), 2),
    (("Glasfaser-Router Portfreigabe für Fernwartung",), 2),
    (("Schulserver Passwort Lehrer zurücksetzen",), 2),
    (("Hundesteuer-Bescheide Serienbrief Umlaute kaputt",), 2),
    (("Feuerwehr Alarmierungs-App auf Diensthandy",), 1),
    (("Archivierung alter Bauakten Dateiformat",), 1),
    (("Kassenautomat Bürgerbüro Bon-Drucker",), 1),
    (("Barrierefreie PDF aus Word erzeugen",), 1),
    (("Mängelmelder App Anbindung",), 1),
    (("Straßenbeleuchtung Störung melden Portal",), 1),
)


def load_demo(network: Network, *, today: dt.date) -> int:
    """Create what is missing of this app's demo content; returns how many rows were created.

    Idempotent (see the module docstring): a second call creates and changes nothing.
    """
    if SearchQueryLog.objects.filter(network=network).exists():
        return 0
    created = _search_log(network, today)
    _review_history(network, today)
    return created


def _moment(rng: random.Random, first: dt.date, last: dt.date, end: dt.datetime) -> dt.datetime:
    """A working-day time between ``first`` and ``last`` (7:30–16:30), not after ``end``."""
    day = first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))
    while day.weekday() >= 5:  # weekends move to Friday, or to Monday at the very start
        day -= dt.timedelta(days=1)
    while day < first or day.weekday() >= 5:
        day += dt.timedelta(days=1)
    minutes = 7 * 60 + 30 + rng.randint(0, 9 * 60)
    moment = timezone.make_aware(
        dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    )
    return min(moment, end)


def search_log_rows(network: Network, today: dt.date) -> list[SearchQueryLog]:
    """The demo's search questions since the founding day (fixed seed, no database)."""
    from amtshilfe.demo.history import history_end

    rng = random.Random(SEED)  # noqa: S311 (reproducible demo data, not security)
    first, last = today - dt.timedelta(days=FOUNDED_DAYS_AGO - 1), today
    end = history_end(today) - dt.timedelta(minutes=1)
    rows: list[SearchQueryLog] = []
    for question, times in ANSWERED:
        for _ in range(times):
            hits = rng.randint(2, 10)
            rows.append(
                SearchQueryLog(
                    network=network,
                    query=question,
                    result_count=hits,
                    top_score=round(rng.uniform(0.018, 0.049), 5),
                    created_at=_moment(rng, first, last, end),
                )
            )
    for spellings, times in UNANSWERED:
        for number in range(times):
            rows.append(
                SearchQueryLog(
                    network=network,
                    query=spellings[number % len(spellings)],
                    result_count=0,
                    top_score=None,
                    created_at=_moment(rng, first, last, end),
                )
            )
    return sorted(rows, key=lambda row: (row.created_at, row.query))


def _search_log(network: Network, today: dt.date) -> int:
    from amtshilfe.demo.history import explicit_times

    rows = search_log_rows(network, today)
    with explicit_times(SearchQueryLog):
        SearchQueryLog.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _review_history(network: Network, today: dt.date) -> None:
    """Every ``STALE_EVERY``-th published article: last reviewed 13 to 24 months ago."""
    articles = (
        Article.objects.in_network(network)
        .filter(status=Article.Status.PUBLISHED)
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    for number, pk in enumerate(list(articles)[STALE_EVERY - 1 :: STALE_EVERY]):
        reviewed = noon - dt.timedelta(days=395 + 29 * number)
        # a plain UPDATE: a past review is history, not an edit (no revision, no audit event)
        Article.objects.filter(pk=pk).update(last_reviewed_at=reviewed)
