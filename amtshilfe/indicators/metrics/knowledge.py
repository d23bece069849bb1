"""Health of the knowledge base: reviewed articles and the searches that found nothing.

- ``articles_reviewed``: published articles per topic cluster whose last review lies within
  ``wiki.owner_queues.STALE_AFTER`` (twelve months) before the end of the period – the
  complement of what the topic owners' list "Ist das noch aktuell?" calls stale, measured at
  the period's end. Only the last review is stored, so an article reviewed again after the
  period counts as not reviewed for that (past) period.
- ``unanswered_searches``: the questions asked in search during the period that found nothing,
  grouped and counted (``wiki.owner_queues.unanswered_searches``, the same list the topic
  owners see, e-mail addresses and phone numbers removed); key number: the share of searches
  that found nothing.

Articles and search questions are not people: no group is suppressed here. The search log
keeps no person.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.indicators.figures import Figure, KeyNumber, Period, Series, Value
from amtshilfe.indicators.registry import as_datetime_range, indicator
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, SearchQueryLog
from amtshilfe.wiki.owner_queues import UNANSWERED_LIMIT, stale_cutoff, unanswered_searches


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


def _percent_display(value: Value) -> str:
    if value is None:
        return "–"
    return f"{number_format(value, decimal_pos=1)} %"


@indicator(
    "articles_reviewed",
    section="knowledge",
    title=gettext_lazy("Geprüfte Artikel"),
    explanation=gettext_lazy(
        "Veröffentlichte Artikel je Themencluster, die in den zwölf Monaten vor dem Ende des "
        "Zeitraums von den Themen-Zuständigen geprüft oder bestätigt wurden – und die übrigen."
    ),
    order=10,
)
def articles_reviewed(network: Network, period: Period) -> Figure:
    _start, end = as_datetime_range(period)
    reviewed = Q(last_reviewed_at__gte=stale_cutoff(end), last_reviewed_at__lt=end)
    rows = list(
        Article.objects.in_network(network)
        .published()
        .filter(created_at__lt=end)
        .order_by()
        .values("cluster_id", "cluster__name", "cluster__slug")
        .annotate(total=Count("id"), reviewed=Count("id", filter=reviewed))
        .order_by(F("cluster__name").asc(), "cluster_id")
    )
    total = sum(row["total"] for row in rows)
    done = sum(row["reviewed"] for row in rows)
    share = _percent(done, total)
    return Figure(
        key="articles_reviewed",
        title="",
        explanation="",
        unit=_("Artikel"),
        chart="hbar",
        category_label=_("Themencluster"),
        categories=[row["cluster__name"] for row in rows],
        category_keys=[row["cluster__slug"] for row in rows],
        series=[
            Series(
                key="reviewed",
                label=_("geprüft"),
                values=[row["reviewed"] for row in rows],
            ),
            Series(
                key="not_reviewed",
                label=_("nicht geprüft"),
                values=[row["total"] - row["reviewed"] for row in rows],
            ),
        ],
        key_numbers=[
            KeyNumber(
                label=_("Anteil geprüfter Artikel"), value=share, display=_percent_display(share)
            ),
            KeyNumber(
                label=_("veröffentlichte Artikel"),
                value=total,
                display=_count(total),
            ),
        ],
        formula=_(
            "Anteil = geprüfte Artikel ÷ alle veröffentlichten Artikel = %(done)s ÷ %(total)s"
        )
        % {"done": _count(done), "total": _count(total)},
    )


@indicator(
    "unanswered_searches",
    section="knowledge",
    title=gettext_lazy("Suchen ohne Ergebnis"),
    explanation=gettext_lazy(
        "Fragen, zu denen die Suche im Zeitraum nichts gefunden hat – die häufigsten zuerst. "
        "Die Liste ist eine Aufgabenliste für die Themen-Zuständigen: Hier fehlt ein Artikel."
    ),
    order=20,
)
def unanswered_searches_figure(network: Network, period: Period) -> Figure:
    start, end = as_datetime_range(period)
    totals = SearchQueryLog.objects.filter(
        network=network, created_at__gte=start, created_at__lt=end
    ).aggregate(all=Count("id"), nothing=Count("id", filter=Q(result_count=0)))
    share = _percent(int(totals["nothing"]), int(totals["all"]))
    found = unanswered_searches(network, since=start, until=end, limit=UNANSWERED_LIMIT)
    return Figure(
        key="unanswered_searches",
        title="",
        explanation="",
        unit=_("Suchen"),
        columns=[_("Frage"), _("Anzahl"), _("zuletzt gefragt")],
        rows=[
            [
                item.question,
                item.count,
                date_format(localtime(item.last_asked), "SHORT_DATE_FORMAT"),
            ]
            for item in found
        ],
        key_numbers=[
            KeyNumber(
                label=_("Anteil der Suchen ohne Ergebnis"),
                value=share,
                display=_percent_display(share),
            ),
            KeyNumber(
                label=_("Suchen insgesamt"),
                value=int(totals["all"]),
                display=_count(int(totals["all"])),
            ),
        ],
        formula=_("Anteil = Suchen ohne Ergebnis ÷ alle Suchen = %(nothing)s ÷ %(all)s")
        % {"nothing": _count(int(totals["nothing"])), "all": _count(int(totals["all"]))},
        notes=[
            _(
                "Gleiche Fragen sind zusammengefasst (ohne Unterschied zwischen Groß- und "
                "Kleinschreibung und Leerzeichen); E-Mail-Adressen und Telefonnummern sind "
                "entfernt. Gezeigt werden höchstens %(n)s Fragen."
            )
            % {"n": UNANSWERED_LIMIT}
        ],
    )
