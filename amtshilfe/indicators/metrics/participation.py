"""Participation: member municipalities and active IT specialists over time.

- ``municipalities_over_time``: municipalities that were members on the last day of each
  bucket (joined on or before it, not yet left – a municipality is no longer a member on its
  ``left_on`` day). Municipalities are public, nothing is suppressed. One aggregate query.
- ``active_it_over_time``: distinct people per bucket who held an IT membership in the
  network on the day they were active. Active = an entry in a request's history
  (``RequestEvent.actor``; watching a request does not count), a time booking
  (``TimeEntry.person``) or a saved article revision (``Revision.author``). Only network
  totals, never who; a bucket with fewer than k active people is suppressed (0 included –
  "nobody was active" is a statement about each person). One ``UNION`` query returns the
  distinct (person, bucket) pairs, which are only counted here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.board.models import RequestEvent
from amtshilfe.indicators.figures import Figure, KeyNumber, Period, Series, min_group_size
from amtshilfe.indicators.metrics.requests import display_number
from amtshilfe.indicators.metrics.sql import bucket_index
from amtshilfe.indicators.periods import buckets
from amtshilfe.indicators.registry import as_datetime_range, indicator
from amtshilfe.tenancy.models import Membership, Municipality, Network
from amtshilfe.timeaccounting.models import TimeEntry
from amtshilfe.wiki.models import Revision


def member_on(day: dt.date, prefix: str = "") -> Q:
    """Municipalities (or ``prefix`` + their fields) that were members on ``day``."""
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


@indicator(
    "municipalities_over_time",
    section="participation",
    title=gettext_lazy("Teilnehmende Kommunen im Zeitverlauf"),
    explanation=gettext_lazy(
        "Zahl der Kommunen, die am Ende des jeweiligen Zeitabschnitts Mitglied im Netzwerk "
        "waren. Ausgetretene Kommunen zählen für die Zeit ihrer Mitgliedschaft mit."
    ),
    order=10,
    public=True,
)
def municipalities_over_time(network: Network, period: Period) -> Figure:
    spans = buckets(period)
    counts = {
        f"bucket_{index}": Count("pk", filter=member_on(end - dt.timedelta(days=1)))
        for index, (_start, end, _label) in enumerate(spans)
    }
    totals = Municipality.objects.in_network(network).aggregate(
        now=Count("pk", filter=member_on(period.last_day)),
        joined=Count("pk", filter=Q(joined_on__gte=period.start, joined_on__lt=period.end)),
        left=Count("pk", filter=Q(left_on__gte=period.start, left_on__lt=period.end)),
        **counts,
    )
    values: list[int | float | None] = [totals[f"bucket_{i}"] for i in range(len(spans))]
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Kommunen"),
        chart="line",
        category_label=_("Stand am Ende von"),
        categories=[label for _s, _e, label in spans],
        category_keys=[(end - dt.timedelta(days=1)).isoformat() for _s, end, _l in spans],
        series=[Series("members", _("Mitgliedskommunen"), values)],
        key_numbers=[
            KeyNumber(_("Mitglieder am Ende des Zeitraums"), totals["now"], str(totals["now"])),
            KeyNumber(_("im Zeitraum beigetreten"), totals["joined"], str(totals["joined"])),
            KeyNumber(_("im Zeitraum ausgetreten"), totals["left"], str(totals["left"])),
        ],
    )


def _it_member_on(network: Network, person: str, day: str) -> Exists:
    """The person ``OuterRef(person)`` held an IT membership in ``network`` on ``OuterRef(day)``."""
    return Exists(
        Membership.objects.filter(
            user_id=OuterRef(person),
            role=Membership.Role.IT,
            municipality__network=network,
            started_on__lte=OuterRef(day),
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef(day)))
    )


def active_people_per_bucket(network: Network, period: Period) -> list[int]:
    """Distinct active IT specialists per bucket of ``period`` (see module docstring)."""
    spans = buckets(period)
    start, end = as_datetime_range(period)
    events = (
        RequestEvent.objects.filter(network=network, created_at__gte=start, created_at__lt=end)
        .exclude(kind__in=[RequestEvent.Kind.WATCH, RequestEvent.Kind.UNWATCH])
        .exclude(actor_id__isnull=True)
        .annotate(day=TruncDate("created_at"), bucket=bucket_index("created_at", spans))
        .filter(_it_member_on(network, "actor_id", "day"))
        .order_by()
        .values_list("actor_id", "bucket")
    )
    bookings = (
        TimeEntry.objects.filter(network=network, date__gte=period.start, date__lt=period.end)
        .annotate(bucket=bucket_index("date", spans, times=False))
        .filter(_it_member_on(network, "person_id", "date"))
        .order_by()
        .values_list("person_id", "bucket")
    )
    revisions = (
        Revision.objects.filter(article__network=network, created_at__gte=start, created_at__lt=end)
        .exclude(author_id__isnull=True)
        .annotate(day=TruncDate("created_at"), bucket=bucket_index("created_at", spans))
        .filter(_it_member_on(network, "author_id", "day"))
        .order_by()
        .values_list("author_id", "bucket")
    )
    # UNION (not UNION ALL) leaves each (person, bucket) pair once.
    per_bucket = Counter(bucket for _person, bucket in events.union(bookings, revisions))
    return [per_bucket.get(index, 0) for index in range(len(spans))]


@indicator(
    "active_it_over_time",
    section="participation",
    title=gettext_lazy("Aktive IT-Fachkräfte im Zeitverlauf"),
    explanation=gettext_lazy(
        "Wie viele IT-Fachkräfte je Zeitabschnitt im Netzwerk aktiv waren: Sie haben an einer "
        "Anfrage gearbeitet oder sie kommentiert, Zeit gebucht oder einen Wissensartikel "
        "bearbeitet. Gezählt wird nur die Gesamtzahl, nie wer."
    ),
    order=20,
)
def active_it_over_time(network: Network, period: Period) -> Figure:
    k = min_group_size()
    spans = buckets(period)
    active = active_people_per_bucket(network, period)
    last = period.last_day
    current = (
        Membership.objects.filter(
            role=Membership.Role.IT, municipality__network=network, started_on__lte=last
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=last))
        .filter(member_on(last, "municipality__"))
        .values("user_id")
        .distinct()
        .count()
    )
    current_value = current if current >= k else None
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Personen"),
        chart="line",
        category_label=_("Zeitabschnitt"),
        categories=[label for _s, _e, label in spans],
        category_keys=[s.isoformat() for s, _e, _label in spans],
        series=[
            Series("active", _("aktive IT-Fachkräfte"), [n if n >= k else None for n in active])
        ],
        key_numbers=[
            KeyNumber(
                _("IT-Fachkräfte im Netzwerk am Ende des Zeitraums"),
                current_value,
                display_number(current_value),
            )
        ],
        notes=[
            _("– = weniger als %(k)s aktive Personen; aus Datenschutzgründen nicht angezeigt.")
            % {"k": k}
        ],
    )
