"""Requests: filed and solved per topic cluster, per municipality and over time.

"Filed" = ``created_at`` in the period, "solved" = ``solved_at`` in the period (a request
reopened later has no ``solved_at`` and is not counted). Each figure is one ``GROUP BY``.

Suppression (staff council, ``k = min_group_size()``) – one rule for every count, chosen over
merging into "weitere Themen" so that categories stay the same from one period to the next:

1. A count from 1 to k − 1 is suppressed (``None``); 0 is shown – it describes nobody.
2. Complementary suppression: the total of each series is shown as a key number, so the
   suppressed values of a series must not add up to 1 … k − 1 – else the total minus the
   shown values would give a small group (or with one suppressed value, its exact number).
   While they do, the smallest shown non-zero value of that series is suppressed too.
3. A total under k is suppressed itself (then nothing can be subtracted from it).

``hide_small`` implements rules 1–2 for any list of counts; the other metric modules use it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from django.db.models import Count, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.board.models import ServiceRequest
from amtshilfe.indicators.figures import Figure, KeyNumber, Period, Series, min_group_size
from amtshilfe.indicators.metrics.sql import bucket_index
from amtshilfe.indicators.periods import buckets
from amtshilfe.indicators.registry import as_datetime_range, indicator
from amtshilfe.tenancy.models import Network

SUPPRESSED = "–"


def hide_small(counts: Sequence[int], k: int | None = None) -> list[bool]:
    """Which of ``counts`` to suppress (rules 1 and 2 of the module docstring)."""
    k = min_group_size() if k is None else k
    hidden = [0 < count < k for count in counts]
    while 0 < sum(c for c, h in zip(counts, hidden, strict=True) if h) < k:
        shown = [(count, i) for i, count in enumerate(counts) if not hidden[i] and count > 0]
        if not shown:
            break
        hidden[min(shown)[1]] = True
    return hidden


def shown_counts(counts: Sequence[int], k: int | None = None) -> list[int | None]:
    """``counts`` with the suppressed ones replaced by ``None``."""
    return [None if hide else c for c, hide in zip(counts, hide_small(counts, k), strict=True)]


def display_number(value: float | None, decimals: int = 0) -> str:
    """A number in the current language's format ("1.234", "0,8"); "–" when suppressed."""
    if value is None:
        return SUPPRESSED
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def count_total(label: str, total: int) -> KeyNumber:
    """A key number for a total count, suppressed under k (rule 3)."""
    value = total if total == 0 or total >= min_group_size() else None
    return KeyNumber(label=label, value=value, display=display_number(value))


def _suppression_note() -> str:
    return _(
        "– = weniger als %(k)s Anfragen; aus Datenschutzgründen nicht angezeigt. Damit sich "
        "keine kleine Zahl aus der Summe zurückrechnen lässt, ist gegebenenfalls eine weitere "
        "Zahl ausgeblendet."
    ) % {"k": min_group_size()}


def _filed_and_solved(network: Network, period: Period, group: str) -> dict[Hashable, list[int]]:
    """``{group value: [filed, solved]}`` of the period, one ``GROUP BY`` query."""
    start, end = as_datetime_range(period)
    filed = Q(created_at__gte=start, created_at__lt=end)
    solved = Q(solved_at__gte=start, solved_at__lt=end)
    rows = (
        ServiceRequest.objects.filter(network=network)
        .filter(filed | solved)
        .order_by()
        .values(group)
        .annotate(filed=Count("pk", filter=filed), solved=Count("pk", filter=solved))
    )
    return {row[group]: [row["filed"], row["solved"]] for row in rows}


def _breakdown_figure(
    categories: list[tuple[str, str, list[int]]], *, category_label: str
) -> Figure:
    """An hbar figure of filed/solved per category with the suppression of the module."""
    filed = [counts[0] for _key, _label, counts in categories]
    solved = [counts[1] for _key, _label, counts in categories]
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Anfragen"),
        chart="hbar",
        category_label=category_label,
        categories=[label for _key, label, _counts in categories],
        category_keys=[key for key, _label, _counts in categories],
        series=[
            Series("filed", _("gestellt"), list(shown_counts(filed))),
            Series("solved", _("gelöst"), list(shown_counts(solved))),
        ],
        key_numbers=[
            count_total(_("gestellte Anfragen"), sum(filed)),
            count_total(_("gelöste Anfragen"), sum(solved)),
        ],
        notes=[_suppression_note()],
    )


@indicator(
    "requests_by_cluster",
    section="requests",
    title=gettext_lazy("Anfragen nach Themencluster"),
    explanation=gettext_lazy(
        "Wie viele Anfragen im Zeitraum zu welchem Thema gestellt und wie viele gelöst wurden. "
        "Anfragen, die noch keinem Themencluster zugeordnet sind, stehen unter „ohne "
        "Themencluster“."
    ),
    order=10,
    public=True,
)
def requests_by_cluster(network: Network, period: Period) -> Figure:
    found = _filed_and_solved(network, period, "cluster_id")
    clusters = network.clusters.order_by("name").values_list("pk", "slug", "name", "is_active")
    categories = [
        (slug, name, found.get(pk, [0, 0]))
        for pk, slug, name, active in clusters
        if active or pk in found
    ]
    if None in found:
        categories.append(("", _("ohne Themencluster"), found[None]))
    return _breakdown_figure(categories, category_label=_("Themencluster"))


@indicator(
    "requests_by_municipality",
    section="requests",
    title=gettext_lazy("Anfragen nach Kommune"),
    explanation=gettext_lazy(
        "Wie viele Anfragen jede Mitgliedskommune im Zeitraum gestellt hat und wie viele ihrer "
        "Anfragen im Zeitraum gelöst wurden."
    ),
    order=20,
)
def requests_by_municipality(network: Network, period: Period) -> Figure:
    found = _filed_and_solved(network, period, "municipality_id")
    member = Q(joined_on__lt=period.end) & (Q(left_on__isnull=True) | Q(left_on__gte=period.start))
    municipalities = (
        network.municipalities.filter(member | Q(pk__in=list(found)))
        .order_by("name")
        .values_list("pk", "slug", "name")
    )
    categories = [(slug, name, found.get(pk, [0, 0])) for pk, slug, name in municipalities]
    return _breakdown_figure(categories, category_label=_("Kommune"))


@indicator(
    "requests_over_time",
    section="requests",
    title=gettext_lazy("Anfragen im Zeitverlauf"),
    explanation=gettext_lazy(
        "Gestellte und gelöste Anfragen je Zeitabschnitt. Liegen die gelösten dauerhaft unter "
        "den gestellten, wächst der Berg offener Anfragen."
    ),
    order=30,
    public=True,
)
def requests_over_time(network: Network, period: Period) -> Figure:
    spans = buckets(period)
    start, end = as_datetime_range(period)
    requests = ServiceRequest.objects.filter(network=network).order_by()
    filed_rows = (
        requests.filter(created_at__gte=start, created_at__lt=end)
        .annotate(bucket=bucket_index("created_at", spans))
        .values("bucket")
        .annotate(n=Count("pk"))
    )
    solved_rows = (
        requests.filter(solved_at__gte=start, solved_at__lt=end)
        .annotate(bucket=bucket_index("solved_at", spans))
        .values("bucket")
        .annotate(n=Count("pk"))
    )
    filed_by = {row["bucket"]: row["n"] for row in filed_rows}
    solved_by = {row["bucket"]: row["n"] for row in solved_rows}
    filed = [filed_by.get(i, 0) for i in range(len(spans))]
    solved = [solved_by.get(i, 0) for i in range(len(spans))]
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Anfragen"),
        chart="bar",
        category_label=_("Zeitabschnitt"),
        categories=[label for _s, _e, label in spans],
        category_keys=[s.isoformat() for s, _e, _label in spans],
        series=[
            Series("filed", _("gestellt"), list(shown_counts(filed))),
            Series("solved", _("gelöst"), list(shown_counts(solved))),
        ],
        key_numbers=[
            count_total(_("gestellte Anfragen"), sum(filed)),
            count_total(_("gelöste Anfragen"), sum(solved)),
        ],
        notes=[_suppression_note()],
    )
