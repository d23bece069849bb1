"""Rows for the indicator tests, written directly with explicit times (no services).

The figures only read, so the tests build exactly the rows a figure looks at – requests with
``created_at``/``solved_at``, time entries, self-help successes, request events and article
revisions at chosen times – and compare with numbers computed by hand.
``created_at`` of ``auto_now_add`` fields is set by ``.update()`` afterwards, except for the
append-only request events, which are inserted at their time (time-machine).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from amtshilfe.accounts.models import User
from amtshilfe.board.models import Column, RequestEvent, SelfHelpSuccess, ServiceRequest
from amtshilfe.board.services import ensure_default_board
from amtshilfe.conftest import Personas
from amtshilfe.experts.models import TopicCluster
from amtshilfe.indicators.figures import Figure, Period
from amtshilfe.indicators.periods import make_period
from amtshilfe.tenancy.models import Municipality
from amtshilfe.tenancy.services import create_person
from amtshilfe.timeaccounting.models import TimeEntry
from amtshilfe.wiki.models import Article, Revision


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """``day`` at ``hour`` o'clock UTC (well inside the Berlin day)."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def period(start: dt.date, end: dt.date) -> Period:
    """The half-open period ``start <= day < end``."""
    return make_period(start, end, label="Test", key="frei")


def values(figure: Figure, key: str) -> list[Any]:
    return next(series.values for series in figure.series if series.key == key)


def key_numbers(figure: Figure) -> list[Any]:
    return [number.value for number in figure.key_numbers]


def cluster(personas: Personas, name: str, *, active: bool = True) -> TopicCluster:
    return TopicCluster.objects.create(
        network=personas.network, slug=name.lower().replace("-", ""), name=name, is_active=active
    )


def it_people(personas: Personas, count: int, *, started_on: dt.date | None = None) -> list[User]:
    """``count`` IT specialists p1 … pN in municipality A."""
    return [
        create_person(
            actor=None,
            network=personas.network,
            username=f"p{index}",
            first_name=f"P{index}",
            last_name="Test",
            municipality=personas.a,
            role="it",
            started_on=started_on or dt.date(2026, 1, 1),
        )
        for index in range(1, count + 1)
    ]


def request(
    personas: Personas,
    *,
    created: dt.date,
    solved: dt.date | None = None,
    cluster: TopicCluster | None = None,
    municipality: Municipality | None = None,
) -> ServiceRequest:
    """A request filed on ``created``; closed on ``solved`` if given, else new."""
    network = personas.network
    board = ensure_default_board(network=network)
    kind = Column.Kind.DONE if solved else Column.Kind.INBOX
    column = board.columns.get(kind=kind)
    number = ServiceRequest.objects.filter(network=network).count() + 1
    row = ServiceRequest.objects.create(
        network=network,
        number=number,
        municipality=municipality or personas.a,
        title=f"Anfrage {number}",
        source="web",
        status="closed" if solved else "new",
        column=column,
        position=number,
        cluster=cluster,
        solved_at=at(solved, 12) if solved else None,
        closed_at=at(solved, 12) if solved else None,
    )
    ServiceRequest.objects.filter(pk=row.pk).update(created_at=at(created, 9))
    return row


def book(
    request: ServiceRequest,
    person: User,
    minutes: int,
    *,
    day: dt.date | None = None,
    reverses: TimeEntry | None = None,
) -> TimeEntry:
    return TimeEntry.objects.create(
        network=request.network,
        person=person,
        providing_municipality=request.municipality,
        receiving_municipality=request.municipality,
        request=request,
        cluster=request.cluster,
        date=day or dt.date(2026, 1, 15),
        minutes=minutes,
        is_reversal=reverses is not None,
        reverses=reverses,
        source=TimeEntry.Source.REVERSAL if reverses else TimeEntry.Source.MANUAL,
    )


def article(personas: Personas, cluster: TopicCluster, slug: str) -> Article:
    return Article.objects.create(
        network=personas.network,
        cluster=cluster,
        slug=slug,
        title=slug.capitalize(),
        status=Article.Status.PUBLISHED,
    )


def successes(
    personas: Personas, count: int, day: dt.date, *, article: Article | None = None
) -> None:
    """``count`` "Das hat geholfen" of bob on ``day`` (with ``article`` if given)."""
    made = [
        SelfHelpSuccess.objects.create(
            network=personas.network,
            municipality=personas.a,
            user=personas.bob,
            query="drucker",
            article=article,
        )
        for _index in range(count)
    ]
    SelfHelpSuccess.objects.filter(pk__in=[s.pk for s in made]).update(created_at=at(day))


def event(
    request: ServiceRequest, actor: User, day: dt.date, kind: str = RequestEvent.Kind.COMMENT
) -> RequestEvent:
    """A request event of ``actor`` inserted at ``day`` (append-only: no update afterwards)."""
    with time_machine.travel(at(day), tick=False):
        return RequestEvent.objects.create(
            request=request,
            network=request.network,
            actor=actor,
            actor_name=actor.get_username(),
            kind=kind,
        )


def revision(article: Article, author: User, day: dt.date, number: int) -> Revision:
    made = Revision.objects.create(
        article=article, number=number, title=article.title, author=author, base_version=1
    )
    Revision.objects.filter(pk=made.pk).update(created_at=at(day))
    return made
