"""Demo content of settlement for the demo network (called by ``demo/loader.py``).

1. Time entries (``bulk_create``, fixed seed) on the demo requests of the last three
   months, booked by each request's assignee for the municipality of their IT membership,
   by colleagues who helped on a solved request with an internal comment and by the
   requesting municipality's own IT specialist on site (every other solved request), plus
   common work (articles, meetings, coordination) by the first IT specialists.
2. The Kombination scheme: Umlage 50/50 population/equal for common work, Stundensatz
   beyond a free quota of 2 hours per municipality and month; clearing account at the
   Landkreis if the network has one, else direct transfers.
3. The month before last reviewed and closed (through the services, as the system);
   last month stays a preview, so ``amtshilfe settle --period <last month>`` shows it.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import F
from django.utils import timezone

from amtshilfe.board.models import Comment, ServiceRequest
from amtshilfe.settlement.models import ClearingMode, CompensationScheme, SettlementPeriod
from amtshilfe.settlement.periods import month_label, previous_month
from amtshilfe.settlement.services import (
    close_settlement_period,
    save_compensation_scheme,
    start_review,
)
from amtshilfe.tenancy.models import Membership, Municipality, Network
from amtshilfe.timeaccounting.models import TimeEntry

SEED = 20261001
RATES = {
    "support": 6000,
    "onboarding": 5000,
    "training": 5500,
    "article": 4500,
    "meeting": 4500,
    "coordination": 5000,
}
COMMON_WORK = ["article", "meeting", "coordination"]


def _it_homes(network: Network) -> dict[int, int]:
    """person id → the municipality of their (first) current IT membership."""
    homes: dict[int, int] = {}
    for user_id, municipality_id in (
        Membership.objects.filter(
            municipality__network=network, role=Membership.Role.IT, ended_on__isnull=True
        )
        .order_by("user_id", "municipality__name")
        .values_list("user_id", "municipality_id")
    ):
        homes.setdefault(user_id, municipality_id)
    return homes


def _book_entries(network: Network, start: dt.date, yesterday: dt.date) -> int:
    rng = random.Random(SEED)  # noqa: S311 (reproducible demo data, not secrets)
    homes = _it_homes(network)
    entries: list[TimeEntry] = []
    requests = (
        ServiceRequest.objects.filter(
            network=network, assignee__isnull=False, created_at__date__gte=start
        )
        .order_by("number")
        .values_list("pk", "assignee_id", "municipality_id", "cluster_id", "created_at")
    )
    for request_id, person_id, receiver_id, cluster_id, created_at in requests:
        giver_id = homes.get(person_id)
        if giver_id is None:
            continue
        first = max(start, timezone.localdate(created_at))
        if first > yesterday:
            continue
        for _step in range(rng.randint(1, 3)):
            day = first + dt.timedelta(days=rng.randint(0, min(10, (yesterday - first).days)))
            entries.append(
                TimeEntry(
                    network=network,
                    person_id=person_id,
                    providing_municipality_id=giver_id,
                    receiving_municipality_id=receiver_id,
                    request_id=request_id,
                    cluster_id=cluster_id,
                    date=day,
                    minutes=rng.choice([15, 30, 45, 60, 90, 120, 180]),
                    activity="support",
                    note="Demo",
                )
            )
    entries += _colleague_entries(network, rng, homes, start, yesterday)
    entries += _on_site_entries(network, rng, homes, start, yesterday)
    people = sorted(homes)[:10]
    day = start
    while day <= yesterday:
        if day.weekday() < 5:
            for person_id in rng.sample(people, k=min(2, len(people))):
                entries.append(
                    TimeEntry(
                        network=network,
                        person_id=person_id,
                        providing_municipality_id=homes[person_id],
                        receiving_municipality=None,
                        date=day,
                        minutes=rng.choice([30, 60, 90]),
                        activity=rng.choice(COMMON_WORK),
                        note="Demo: gemeinsame Arbeit",
                    )
                )
        day += dt.timedelta(days=1)
    TimeEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _colleague_entries(
    network: Network,
    rng: random.Random,
    homes: dict[int, int],
    start: dt.date,
    yesterday: dt.date,
) -> list[TimeEntry]:
    """A colleague who answered an internal comment books the time they spent helping.

    Spreads the hours a municipality receives over more people than the assignees alone
    (the staff-council rule hides groups of fewer than k people in the indicators).
    """
    entries: list[TimeEntry] = []
    helped = (
        Comment.objects.filter(
            request__network=network,
            internal=True,
            request__created_at__date__gte=start,
            request__solved_at__isnull=False,
        )
        .exclude(author_id=F("request__assignee_id"))
        .order_by("pk")
        .values_list(
            "request_id",
            "author_id",
            "request__municipality_id",
            "request__cluster_id",
            "created_at",
        )
    )
    for request_id, person_id, receiver_id, cluster_id, created_at in helped:
        giver_id = homes.get(person_id)
        day = timezone.localdate(created_at)
        if giver_id is None or not start <= day <= yesterday:
            continue
        entries.append(
            TimeEntry(
                network=network,
                person_id=person_id,
                providing_municipality_id=giver_id,
                receiving_municipality_id=receiver_id,
                request_id=request_id,
                cluster_id=cluster_id,
                date=day,
                minutes=rng.choice([15, 30, 45, 60]),
                activity="support",
                note="Demo: Unterstützung",
            )
        )
    return entries


def _on_site_entries(
    network: Network,
    rng: random.Random,
    homes: dict[int, int],
    start: dt.date,
    yesterday: dt.date,
) -> list[TimeEntry]:
    """The requesting municipality's own IT specialist helps on site with every other request.

    Booked for their own municipality (no exchange), on the day the request was solved.
    With the assignees and colleagues, at least k people book on the bigger clusters'
    requests per quarter, so the median handling time per cluster is not suppressed.
    """
    local: dict[int, list[int]] = {}
    for person_id, municipality_id in sorted(homes.items()):
        local.setdefault(municipality_id, []).append(person_id)
    entries: list[TimeEntry] = []
    solved = (
        ServiceRequest.objects.filter(
            network=network,
            assignee__isnull=False,
            solved_at__isnull=False,
            created_at__date__gte=start,
        )
        .order_by("number")
        .values_list("pk", "assignee_id", "municipality_id", "cluster_id", "solved_at")
    )
    for request_id, assignee_id, municipality_id, cluster_id, solved_at in solved:
        helpers = [pk for pk in local.get(municipality_id, []) if pk != assignee_id]
        day = timezone.localdate(solved_at)
        if not helpers or rng.random() >= 0.5 or not start <= day <= yesterday:
            continue
        entries.append(
            TimeEntry(
                network=network,
                person_id=helpers[int(rng.random() * len(helpers))],
                providing_municipality_id=municipality_id,
                receiving_municipality_id=municipality_id,
                request_id=request_id,
                cluster_id=cluster_id,
                date=day,
                minutes=rng.choice([15, 30, 45, 60]),
                activity="support",
                note="Demo: vor Ort",
            )
        )
    return entries


def load_demo(network: Network, *, today: dt.date) -> int:
    """Create what is missing of this app's demo content; returns how many rows were created.

    Idempotent: a second call creates nothing. Reads people, municipalities, clusters and
    requests of ``network`` from the database (the loader has created them before).
    """
    created = 0
    last_month = previous_month(today)
    month_before = previous_month(last_month)
    start = previous_month(month_before)
    if not TimeEntry.objects.filter(network=network).exists():
        created += _book_entries(network, start, today - dt.timedelta(days=1))
    if not CompensationScheme.objects.filter(network=network).exists():
        holder = Municipality.objects.in_network(network).filter(kind="landkreis").first()
        save_compensation_scheme(
            actor=None,
            network=network,
            valid_from=start,
            kind="kombination",
            rates=RATES,
            free_quota_minutes=120,
            levy_key="mix",
            population_percent=50,
            common_rate_cents=4500,
            clearing_mode=ClearingMode.CLEARING if holder else ClearingMode.DIRECT,
            clearing_municipality=holder,
            objection_days=14,
        )
        created += 1
    label = month_label(month_before)
    # Only into a network without periods: a later run (a month on) must not close another.
    if not SettlementPeriod.objects.filter(network=network).exists():
        reviewed = timezone.make_aware(
            dt.datetime.combine(last_month + dt.timedelta(days=1), dt.time(9))
        )
        start_review(actor=None, network=network, label=label, now=reviewed)
        close_settlement_period(
            actor=None, network=network, label=label, now=reviewed + dt.timedelta(days=15)
        )
        created += 1
    return created
