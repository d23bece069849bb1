"""Local (Berlin) days at the edges: ratings and IT activity late in the evening.

The satisfaction and participation figures compare times with local midnights instead of
casting each row to its day; these cases sit one hour either side of midnight, where the UTC
day and the Berlin day differ, and around split IT memberships. Hand-computed, k = 1.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from amtshilfe.accounts.models import User
from amtshilfe.board.models import Column, RequestEvent, ServiceRequest
from amtshilfe.board.services import ensure_default_board
from amtshilfe.conftest import Personas
from amtshilfe.indicators.metrics.participation import active_it_over_time
from amtshilfe.indicators.tests.factories_a import (
    article,
    book,
    event,
    it_people,
    key_numbers,
    period,
    request,
    revision,
    values,
)
from amtshilfe.surveys import metrics
from amtshilfe.tenancy.models import Membership


@pytest.fixture(autouse=True)
def _k_is_one(settings) -> None:
    settings.AMTSHILFE_MIN_GROUP_SIZE = 1


def utc(month: int, day: int, hour: int, minute: int = 30) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


def rated(personas: Personas, ratings: list[tuple[int, dt.datetime]]) -> None:
    board = ensure_default_board(network=personas.network)
    done = board.columns.get(kind=Column.Kind.DONE)
    for number, (rating, when) in enumerate(ratings, start=1):
        ServiceRequest.objects.create(
            network=personas.network,
            number=number,
            municipality=personas.a,
            title=f"Anfrage {number}",
            source="web",
            status="closed",
            column=done,
            position=number,
            solved_at=when,
            closed_at=when,
            rated_at=when,
            rating=rating,
        )


def with_time(card: ServiceRequest, actor: User, when: dt.datetime) -> None:
    """A comment of ``actor`` at the exact time ``when``."""
    with time_machine.travel(when, tick=False):
        RequestEvent.objects.create(
            request=card,
            network=card.network,
            actor=actor,
            actor_name=actor.get_username(),
            kind=RequestEvent.Kind.COMMENT,
        )


def test_ratings_count_on_their_berlin_day(personas: Personas) -> None:
    rated(
        personas,
        [
            (5, utc(1, 31, 22)),  # Sat 31 Jan, 23:30 (CET)
            (1, utc(1, 31, 23)),  # Sun 1 Feb, 00:30
            (3, utc(3, 31, 21)),  # Tue 31 Mar, 23:30 (CEST since 29 March)
            (4, utc(3, 31, 22)),  # Wed 1 Apr, 00:30 – after the first quarter
        ],
    )
    network = personas.network
    q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 4, 1)}
    found = metrics.satisfaction(network, **q1)
    assert (found.count, found.mean) == (3, 3.0)
    assert found.distribution == {1: 1, 2: 0, 3: 1, 4: 0, 5: 1}
    months = metrics.satisfaction_trend(network, **q1)
    assert [(p.start, p.count, p.value) for p in months] == [
        (dt.date(2026, 1, 1), 1, 5.0),
        (dt.date(2026, 2, 1), 1, 1.0),
        (dt.date(2026, 3, 1), 1, 3.0),
    ]
    # Saturday and Sunday belong to the week from Monday 26 January.
    weeks = metrics.satisfaction_trend(
        network, start=dt.date(2026, 1, 28), end=dt.date(2026, 2, 4), bucket="week"
    )
    assert [(p.start, p.count, p.value) for p in weeks] == [(dt.date(2026, 1, 26), 2, 3.0)]
    quarters = metrics.satisfaction_trend(
        network, start=dt.date(2026, 2, 15), end=dt.date(2026, 4, 2), bucket="quarter"
    )
    assert [(p.start, p.count, p.value) for p in quarters] == [
        (dt.date(2026, 1, 1), 1, 3.0),
        (dt.date(2026, 4, 1), 1, 4.0),
    ]
    clusters = metrics.satisfaction_by_cluster(network, start=dt.date(2026, 2, 1), end=q1["end"])
    assert [(c.cluster_id, c.count, c.mean) for c in clusters] == [(None, 2, 2.0)]


def test_it_activity_counts_on_the_berlin_day_within_each_membership(
    personas: Personas,
) -> None:
    p1, p2, p3 = it_people(personas, 3)
    Membership.objects.filter(user=p1).update(started_on=dt.date(2026, 2, 1))
    # p2: IT until 20 January, again from 1 March (a gap in February).
    Membership.objects.filter(user=p2).update(ended_on=dt.date(2026, 1, 20))
    Membership.objects.create(
        user=p2, municipality=personas.a, role=Membership.Role.IT, started_on=dt.date(2026, 3, 1)
    )
    Membership.objects.filter(user=p3).update(ended_on=dt.date(2026, 2, 10))
    card = request(personas, created=dt.date(2025, 12, 1))
    page = article(personas, personas.cluster, "drucker")
    # p1: 31 Jan 23:30 in Berlin is before the membership; 1 Feb 00:30 is not.
    for when in (utc(1, 31, 22), utc(1, 31, 23)):
        with_time(card, p1, when)
    # p2: the booking on the membership's last day counts, the revision in the gap does not.
    book(card, p2, 30, day=dt.date(2026, 1, 20))
    revision(page, p2, dt.date(2026, 2, 15), number=2)
    event(card, p2, dt.date(2026, 3, 5))
    # p3: 10 Feb 23:30 UTC is 11 Feb in Berlin, the day after the membership ended.
    with_time(card, p3, utc(2, 10, 23))
    figure = active_it_over_time(personas.network, period(dt.date(2026, 1, 1), dt.date(2026, 4, 1)))
    assert values(figure, "active") == [1, 1, 1]  # January p2, February p1, March p2
    assert key_numbers(figure) == [4]  # alice, dora, p1, p2 (twice a member, once counted)
