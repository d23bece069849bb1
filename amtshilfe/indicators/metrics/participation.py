"""Participation: member municipalities and active IT specialists over time.

- ``municipalities_over_time``: municipalities that were members on the last day of each
  bucket (joined on or before it, not yet left – a municipality is no longer a member on its
  ``left_on`` day). Municipalities are public, nothing is suppressed. One aggregate query.
- ``active_it_over_time``: distinct people per bucket who held an IT membership in the
  network on the day they were active. Active = an entry in a request's history
  (``RequestEvent.actor``; watching a request does not count), a time booking
  (``TimeEntry.person``) or a saved article revision (``Revision.author``). Only network
  totals, never who; a bucket with fewer than k active people is suppressed (0 included –
  "nobody was active" is a statement about each person). One query reads the network's IT
  memberships touching the period (a handful of rows; it also answers "IT specialists at the
  end of the period"), one ``UNION`` query returns the distinct (person, bucket) pairs, which
  are only counted here.

Speed (500,000 request events): "held an IT membership on the day of the activity" is not a
per-row ``EXISTS`` on the event's local day (``TruncDate`` calls a Python function per row on
SQLite and the ``EXISTS`` runs for every event) but a condition on the activity's time itself:
per person the membership days within the period, merged, as ``[local midnight, local
midnight)`` ranges (``_held_it_membership``); people who held a membership on every day from
the first to the last membership day need only ``person IN (…)``. Activity before the first
or after the last membership day is not read at all, and the event kinds are listed (not
excluded), so the index on (network, kind, created_at) answers the time range.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter, defaultdict
from functools import reduce

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.board.models import RequestEvent
from amtshilfe.indicators.figures import Figure, KeyNumber, Period, Series, min_group_size
from amtshilfe.indicators.metrics.requests import display_number
from amtshilfe.indicators.metrics.sql import Bucket, day_start
from amtshilfe.indicators.periods import buckets
from amtshilfe.indicators.registry import indicator
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


ItMembership = tuple[int, dt.date, dt.date | None, bool]  # user, started, ended, at the end


def it_memberships(network: Network, period: Period) -> list[ItMembership]:
    """The network's IT memberships held on at least one day of ``period``, by person and start.

    The last item says whether the membership counts for "IT specialists in the network at the
    end of the period": held on the last day, in a municipality that was a member on that day.
    """
    last = period.last_day
    at_the_end = (
        Q(started_on__lte=last)
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=last))
        & member_on(last, "municipality__")
    )
    return list(
        Membership.objects.filter(
            role=Membership.Role.IT, municipality__network=network, started_on__lt=period.end
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        .annotate(at_the_end=at_the_end)
        .order_by("user_id", "started_on", "pk")
        .values_list("user_id", "started_on", "ended_on", "at_the_end")
    )


# Every kind of request event but watching. Listed (not excluded) so that the database can
# read the events of the period from the index on (network, kind, created_at).
ACTIVE_KINDS = [
    kind
    for kind in RequestEvent.Kind.values
    if kind not in (RequestEvent.Kind.WATCH, RequestEvent.Kind.UNWATCH)
]

Days = list[tuple[dt.date, dt.date]]  # merged [first day, day after) ranges, in order


def membership_days(memberships: list[ItMembership], period: Period) -> dict[int, Days]:
    """Per person the days of ``period`` on which they held one of ``memberships``, merged."""
    days: dict[int, Days] = defaultdict(list)
    for user, started, ended, _at_the_end in memberships:  # sorted by person and start
        low = max(started, period.start)
        high = period.end if ended is None else min(ended + dt.timedelta(days=1), period.end)
        if low >= high:
            continue
        held = days[user]
        if held and low <= held[-1][1]:
            held[-1] = (held[-1][0], max(held[-1][1], high))
        else:
            held.append((low, high))
    return dict(days)


def _held_it_membership(
    days: dict[int, Days], first: dt.date, after: dt.date, person: str, moment: str, *, times: bool
) -> Q:
    """``person`` held an IT membership on the (local) day of ``moment`` (see ``days``).

    ``moment`` is a datetime field (``times``; compared with local midnights) or a date field;
    the rows must already lie in ``first <= day < after``, the span of all ``days``.
    """
    whole = sorted(user for user, held in days.items() if held == [(first, after)])
    terms = [Q(**{f"{person}__in": whole})] if whole else []
    for user, held in sorted(days.items()):
        if user in whole:
            continue
        for low, high in held:
            term = Q(**{person: user})
            if low > first:
                term &= Q(**{f"{moment}__gte": day_start(low) if times else low})
            if high < after:
                term &= Q(**{f"{moment}__lt": day_start(high) if times else high})
            terms.append(term)
    return reduce(operator.or_, terms)


def _bucket(
    field: str, spans: list[Bucket], first: dt.date, after: dt.date, *, times: bool
) -> Case:
    """The index of the bucket ``field`` falls in, for rows within ``first <= day < after``.

    Like ``sql.bucket_index``, but only for the buckets touching that span, each compared with
    its end only (the buckets are consecutive): fewer comparisons per row.
    """
    whens = [
        When(**{f"{field}__lt": day_start(end) if times else end}, then=Value(index))
        for index, (start, end, _label) in enumerate(spans)
        if start < after and end > first
    ]
    return Case(*whens, default=None, output_field=IntegerField())


def active_people_per_bucket(
    network: Network, period: Period, memberships: list[ItMembership] | None = None
) -> list[int]:
    """Distinct active IT specialists per bucket of ``period`` (see module docstring)."""
    spans = buckets(period)
    if memberships is None:
        memberships = it_memberships(network, period)
    days = membership_days(memberships, period)
    if not days:
        return [0] * len(spans)
    # Only activity on a day somebody held an IT membership can count.
    first = min(held[0][0] for held in days.values())
    after = max(held[-1][1] for held in days.values())
    start, end = day_start(first), day_start(after)

    def held(person: str, moment: str, *, times: bool = True) -> Q:
        return _held_it_membership(days, first, after, person, moment, times=times)

    events = (
        RequestEvent.objects.filter(
            network=network, kind__in=ACTIVE_KINDS, created_at__gte=start, created_at__lt=end
        )
        .filter(held("actor_id", "created_at"))
        .annotate(bucket=_bucket("created_at", spans, first, after, times=True))
        .order_by()
        .values_list("actor_id", "bucket")
    )
    bookings = (
        TimeEntry.objects.filter(network=network, date__gte=first, date__lt=after)
        .filter(held("person_id", "date", times=False))
        .annotate(bucket=_bucket("date", spans, first, after, times=False))
        .order_by()
        .values_list("person_id", "bucket")
    )
    revisions = (
        Revision.objects.filter(article__network=network, created_at__gte=start, created_at__lt=end)
        .filter(held("author_id", "created_at"))
        .annotate(bucket=_bucket("created_at", spans, first, after, times=True))
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
    memberships = it_memberships(network, period)
    active = active_people_per_bucket(network, period, memberships)
    current = len({user for user, _started, _ended, at_the_end in memberships if at_the_end})
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
