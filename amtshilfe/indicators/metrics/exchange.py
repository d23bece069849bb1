"""Hours exchanged between municipalities, from the time entries (``timeaccounting.TimeEntry``).

An entry is *exchanged* when IT staff of one municipality booked it for another municipality
(``receiving_municipality`` set and different from ``providing_municipality``). Entries with no
receiving municipality are *network work* (shown separately); work for one's own municipality
is not exchanged. Reversals count negative, as in the settlement.

- ``hours_exchanged`` (public): the network's exchanged hours per bucket, key numbers total,
  network work and the share of all booked hours;
- ``hours_by_municipality``: per municipality the hours it gave and the hours it received.

Staff council: hours rest on the IT people who booked them. A value resting on fewer than
``AMTSHILFE_MIN_GROUP_SIZE`` distinct people is never shown. The rule is the settlement's
(``settlement.engine._suppressed_clusters``): small groups are merged into one rest ("weitere
Kommunen"; for buckets the rest is implicit in the shown total), and while that rest is not
empty but rests on fewer than k people, the smallest shown group joins it – otherwise the rest
could be recovered by subtraction from the total. A rest that still rests on fewer than k
people (everything merged) is suppressed as well.

The database sums the minutes per group and returns the distinct (group, person) pairs; no
person's minutes are ever read. Buckets are numbered by ``sql.bucket_index`` (a ``CASE`` on the
date; ``Trunc*`` would call a Python function per row on SQLite).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Case, Count, F, IntegerField, Q, Sum, When
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.indicators.figures import Figure, KeyNumber, Period, Series, Value, min_group_size
from amtshilfe.indicators.metrics.sql import bucket_index
from amtshilfe.indicators.periods import buckets
from amtshilfe.indicators.registry import indicator
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.timeaccounting.models import TimeEntry

K = TypeVar("K", bound=Hashable)

SIGNED_MINUTES = Case(
    When(is_reversal=True, then=-F("minutes")),
    default=F("minutes"),
    output_field=IntegerField(),
)
EXCHANGED = Q(receiving_municipality__isnull=False) & ~Q(
    providing_municipality=F("receiving_municipality")
)
NETWORK_WORK = Q(receiving_municipality__isnull=True)


@dataclass(frozen=True)
class Merged:
    """Which groups are shown and which are merged into the rest (and whether it is shown)."""

    shown: frozenset[Any]
    rest: frozenset[Any]
    rest_persons: int

    def rest_shown(self, minimum: int) -> bool:
        return not self.rest or self.rest_persons >= minimum


def merge_small_groups(
    persons: Mapping[K, set[int]], minutes: Mapping[K, int], minimum: int
) -> Merged:
    """Split groups into shown ones and a rest, following the staff-council rule (module).

    1. A group is shown when at least ``minimum`` distinct people booked in it; a group
       without people (no entries) is shown too – its 0 says nothing about anybody.
    2. The other groups form the rest. While the rest is not empty but rests on fewer than
       ``minimum`` people, the shown group with the fewest people (then the fewest minutes)
       joins it.
    """
    empty = [key for key, people in persons.items() if not people]
    shown = sorted(
        (key for key, people in persons.items() if len(people) >= minimum),
        key=lambda key: (-len(persons[key]), -minutes.get(key, 0), str(key)),
    )
    rest = {key for key, people in persons.items() if 0 < len(people) < minimum}
    rest_people: set[int] = set().union(*(persons[key] for key in rest))
    while rest and shown and len(rest_people) < minimum:
        key = shown.pop()
        rest.add(key)
        rest_people |= persons[key]
    return Merged(
        shown=frozenset([*shown, *empty]), rest=frozenset(rest), rest_persons=len(rest_people)
    )


def _entries(network: Network, period: Period) -> Any:
    return TimeEntry.objects.in_network(network.pk).filter(
        date__gte=period.start, date__lt=period.end
    )


def _hours(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 1)


def _shown(value: Value, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def _suppressed_note() -> str:
    return _(
        "Stunden zählen hier als Gruppe der Personen, die sie gebucht haben: Werte, hinter "
        "denen weniger als %(k)s Personen stehen, werden nicht gezeigt."
    ) % {"k": min_group_size()}


@indicator(
    "hours_exchanged",
    section="exchange",
    title=gettext_lazy("Stunden zwischen den Kommunen"),
    explanation=gettext_lazy(
        "Stunden, die IT-Fachkräfte einer Kommune für Anfragen einer anderen Kommune gebucht "
        "haben. Arbeit für das ganze Netzwerk (etwa Artikel oder Treffen) wird getrennt gezählt."
    ),
    order=10,
    public=True,
)
def hours_exchanged(network: Network, period: Period) -> Figure:
    minimum = min_group_size()
    chart_buckets = buckets(period)
    exchanged = (
        _entries(network, period)
        .filter(EXCHANGED)
        .annotate(bucket=bucket_index("date", chart_buckets, times=False))
        .order_by()
    )
    minutes: dict[int, int] = dict.fromkeys(range(len(chart_buckets)), 0)
    for row in exchanged.values("bucket").annotate(m=Sum(SIGNED_MINUTES)):
        minutes[row["bucket"]] += int(row["m"] or 0)
    persons: dict[int, set[int]] = {index: set() for index in minutes}
    for row in exchanged.values("person_id", "bucket").distinct():
        persons[row["bucket"]].add(row["person_id"])
    merged = merge_small_groups(persons, minutes, minimum)
    values: list[Value] = [
        _hours(minutes[index]) if index in merged.shown else None for index in minutes
    ]

    totals = _entries(network, period).aggregate(
        all=Sum(SIGNED_MINUTES),
        exchanged=Sum(SIGNED_MINUTES, filter=EXCHANGED),
        exchanged_persons=Count("person", distinct=True, filter=EXCHANGED),
        network=Sum(SIGNED_MINUTES, filter=NETWORK_WORK),
        network_persons=Count("person", distinct=True, filter=NETWORK_WORK),
    )
    exchanged_minutes = (
        int(totals["exchanged"] or 0) if totals["exchanged_persons"] >= minimum else None
    )
    if totals["exchanged_persons"] == 0:
        exchanged_minutes = 0
    network_minutes = int(totals["network"] or 0) if totals["network_persons"] >= minimum else None
    if totals["network_persons"] == 0:
        network_minutes = 0
    all_minutes = int(totals["all"] or 0)
    share = (
        round(100 * exchanged_minutes / all_minutes, 1)
        if exchanged_minutes is not None and all_minutes > 0
        else None
    )
    total_hours = _hours(exchanged_minutes)
    network_hours = _hours(network_minutes)
    suppressed = any(value is None for value in values) or None in (total_hours, network_hours)
    return Figure(
        key="hours_exchanged",
        title="",
        explanation="",
        unit=_("Stunden"),
        chart="bar",
        category_label=_bucket_label(period),
        categories=[label for _start, _end, label in chart_buckets],
        category_keys=[start.isoformat() for start, _end, _label in chart_buckets],
        series=[Series(key="hours", label=_("Stunden zwischen Kommunen"), values=values)],
        key_numbers=[
            KeyNumber(
                label=_("Stunden zwischen Kommunen"),
                value=total_hours,
                display=_shown(total_hours, 1),
            ),
            KeyNumber(
                label=_("Stunden für das ganze Netzwerk"),
                value=network_hours,
                display=_shown(network_hours, 1),
            ),
            KeyNumber(
                label=_("Anteil an allen gebuchten Stunden"),
                value=share,
                display="–" if share is None else f"{_shown(share, 1)} %",
            ),
        ],
        formula=_(
            "Anteil = Stunden zwischen Kommunen ÷ alle gebuchten Stunden (auch für die eigene "
            "Kommune und das Netzwerk). Korrekturbuchungen zählen negativ."
        ),
        notes=[_suppressed_note()] if suppressed else [],
    )


@indicator(
    "hours_by_municipality",
    section="exchange",
    title=gettext_lazy("Gegebene und erhaltene Stunden je Kommune"),
    explanation=gettext_lazy(
        "Wie viele Stunden die IT-Fachkräfte einer Kommune für andere Kommunen gearbeitet haben "
        "(gegeben) und wie viele Stunden andere Kommunen für sie gearbeitet haben (erhalten)."
    ),
    order=20,
)
def hours_by_municipality(network: Network, period: Period) -> Figure:
    minimum = min_group_size()
    exchanged = _entries(network, period).filter(EXCHANGED).order_by()
    pair_fields = ("providing_municipality_id", "receiving_municipality_id")
    given: dict[int, int] = defaultdict(int)
    received: dict[int, int] = defaultdict(int)
    for row in exchanged.values(*pair_fields).annotate(m=Sum(SIGNED_MINUTES)):
        given[row["providing_municipality_id"]] += int(row["m"] or 0)
        received[row["receiving_municipality_id"]] += int(row["m"] or 0)
    givers: dict[int, set[int]] = defaultdict(set)
    receivers: dict[int, set[int]] = defaultdict(set)
    for row in exchanged.values(*pair_fields, "person_id").distinct():
        givers[row["providing_municipality_id"]].add(row["person_id"])
        receivers[row["receiving_municipality_id"]].add(row["person_id"])

    during = Q(joined_on__lt=period.end) & (Q(left_on__isnull=True) | Q(left_on__gte=period.start))
    municipalities = list(
        Municipality.objects.in_network(network)
        .filter(during | Q(pk__in=set(given) | set(received)))
        .order_by("name", "pk")
        .values_list("pk", "name", "slug")
    )
    ids = [pk for pk, _name, _slug in municipalities]
    series: list[Series] = []
    rest_values: list[Value] = []
    any_rest = False
    for key, label, minutes, persons in (
        ("given", _("gegeben"), given, givers),
        ("received", _("erhalten"), received, receivers),
    ):
        merged = merge_small_groups({pk: persons.get(pk, set()) for pk in ids}, minutes, minimum)
        values: list[Value] = [
            _hours(minutes.get(pk, 0)) if pk in merged.shown else None for pk in ids
        ]
        rest_minutes = sum(minutes.get(pk, 0) for pk in merged.rest)
        rest_values.append(_hours(rest_minutes) if merged.rest_shown(minimum) else None)
        any_rest = any_rest or bool(merged.rest)
        series.append(Series(key=key, label=label, values=values))
    categories = [name for _pk, name, _slug in municipalities]
    category_keys = [slug for _pk, _name, slug in municipalities]
    notes = []
    if any_rest:
        categories.append(_("weitere Kommunen"))
        category_keys.append("weitere")
        for line, value in zip(series, rest_values, strict=True):
            line.values.append(value)
        notes.append(
            _(
                "Werte, die auf weniger als %(k)s Personen beruhen, sind unter „weitere "
                "Kommunen“ zusammengefasst; die einzelne Kommune zeigt dann „–“."
            )
            % {"k": minimum}
        )
    if any(value is None for line in series for value in line.values):
        notes.append(_suppressed_note())
    return Figure(
        key="hours_by_municipality",
        title="",
        explanation="",
        unit=_("Stunden"),
        chart="hbar",
        category_label=_("Kommune"),
        categories=categories,
        category_keys=category_keys,
        series=series,
        notes=notes,
    )


def _bucket_label(period: Period) -> str:
    return {"week": _("Woche"), "month": _("Monat"), "quarter": _("Quartal")}[period.bucket]
