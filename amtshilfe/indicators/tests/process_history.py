"""A small, hand-computed request history for the process-analysis tests.

Everything goes through the board's real services at fixed times (``time_machine``), so the
events are exactly what the application writes. Times are Europe/Berlin (no DST change in
September 2026). Requests (number = order of filing; "cluster" = Drucker, set by the
coordination the moment it is filed; "take" = alice takes it → In Arbeit; "close" → Erledigt):

======  ============  ========  =======  ===========  ===========  ==========================
name    filed         cluster   urgency  take/start   close        notes
======  ============  ========  =======  ===========  ===========  ==========================
r12     08-10 09:00   –         normal   –            –            stays in triage (open)
r8      08-20 09:00   Drucker   normal   08-21 09:00  08-25 09:00  reopened 09-10 09:00 by bob,
                                                                   closed again 09-12 09:00
r1      09-01 09:00   Drucker   normal   09-02 09:00  09-03 09:00
r2      09-01 09:00   Drucker   normal   09-01 21:00  09-05 09:00
r3      09-02 09:00   Drucker   normal   09-04 09:00  09-08 09:00
r4      09-02 09:00   Drucker   high     09-03 09:00  09-03 21:00
r5      09-03 09:00   Drucker   normal   09-10 09:00  09-13 09:00
r6      09-04 09:00   –         normal   09-05 09:00  09-06 09:00  moved to In Arbeit by coord.
r7      09-04 09:00   –         high     –            09-04 15:00  closed straight from triage
r9      09-15 09:00   Drucker   normal   –            –            open in the inbox
r10     09-25 09:00   Drucker   normal   09-29 09:00  10-02 09:00
other   09-01 09:00   (other network, closed 09-02 09:00 by olga)
======  ============  ========  =======  ===========  ===========  ==========================
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from amtshilfe.board import classification
from amtshilfe.board.models import Column, ServiceRequest
from amtshilfe.board.services import (
    close_request,
    ensure_default_board,
    file_request,
    move_request,
    reopen_request,
    set_request_cluster,
    take_request,
)
from amtshilfe.conftest import Personas
from amtshilfe.indicators.figures import Period
from amtshilfe.indicators.periods import make_period

BERLIN = ZoneInfo("Europe/Berlin")


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def period(first: dt.date, last: dt.date) -> Period:
    """The period from ``first`` to ``last`` (both inclusive), like "frei" in the selector."""
    return make_period(first, last + dt.timedelta(days=1), label="Test", key="frei")


SEPTEMBER = period(dt.date(2026, 9, 1), dt.date(2026, 9, 30))


class Story:
    """Plays a request history through the services at given times."""

    def __init__(self, personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
        self.p = personas
        # No classifier in these tests: every request starts in triage.
        monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)
        self.board = ensure_default_board(network=personas.network)

    def _fresh(self, request: ServiceRequest) -> ServiceRequest:
        return ServiceRequest.objects.select_related("column__board").get(pk=request.pk)

    def column(self, kind: str) -> Column:
        return self.board.columns.filter(kind=kind).order_by("position").first()  # type: ignore[return-value]

    def file(
        self, when: dt.datetime, *, urgency: str = "normal", cluster: bool = True
    ) -> ServiceRequest:
        with time_machine.travel(when, tick=False):
            request = file_request(
                actor=self.p.bob,
                network=self.p.network,
                municipality=self.p.a,
                title="Drucker im Bürgerbüro druckt nicht",
                description="Seit heute früh kommt nichts mehr aus dem Drucker.",
                urgency=urgency,
            )
            if cluster:
                request = set_request_cluster(
                    actor=self.p.coordinator, request=request, cluster=self.p.cluster
                )
        return request

    def take(self, request: ServiceRequest, when: dt.datetime) -> None:
        with time_machine.travel(when, tick=False):
            take_request(actor=self.p.alice, request=self._fresh(request))

    def move(self, request: ServiceRequest, when: dt.datetime, kind: str) -> None:
        fresh = self._fresh(request)
        with time_machine.travel(when, tick=False):
            move_request(
                actor=self.p.coordinator,
                request=fresh,
                column=self.column(kind),
                position=0,
                expected_version=fresh.version,
            )

    def close(self, request: ServiceRequest, when: dt.datetime) -> None:
        with time_machine.travel(when, tick=False):
            close_request(actor=self.p.coordinator, request=self._fresh(request))

    def reopen(self, request: ServiceRequest, when: dt.datetime) -> None:
        with time_machine.travel(when, tick=False):
            reopen_request(actor=self.p.bob, request=self._fresh(request), reason="")

    def play(self) -> dict[str, ServiceRequest]:
        """The history in the module docstring; returns the requests by name."""
        r: dict[str, ServiceRequest] = {}
        r["r12"] = self.file(at(8, 10), cluster=False)
        r["r8"] = self.file(at(8, 20))
        self.take(r["r8"], at(8, 21))
        self.close(r["r8"], at(8, 25))
        for name, filed, urgency, started, closed in [
            ("r1", at(9, 1), "normal", at(9, 2), at(9, 3)),
            ("r2", at(9, 1), "normal", at(9, 1, 21), at(9, 5)),
            ("r3", at(9, 2), "normal", at(9, 4), at(9, 8)),
            ("r4", at(9, 2), "high", at(9, 3), at(9, 3, 21)),
            ("r5", at(9, 3), "normal", at(9, 10), at(9, 13)),
        ]:
            r[name] = self.file(filed, urgency=urgency)
            self.take(r[name], started)
            self.close(r[name], closed)
        r["r6"] = self.file(at(9, 4), cluster=False)
        self.move(r["r6"], at(9, 5), Column.Kind.IN_PROGRESS)
        self.close(r["r6"], at(9, 6))
        r["r7"] = self.file(at(9, 4), urgency="high", cluster=False)
        self.close(r["r7"], at(9, 4, 15))
        self.reopen(r["r8"], at(9, 10))
        self.close(r["r8"], at(9, 12))
        r["r9"] = self.file(at(9, 15))
        r["r10"] = self.file(at(9, 25))
        self.take(r["r10"], at(9, 29))
        self.close(r["r10"], at(10, 2))
        with time_machine.travel(at(9, 1), tick=False):
            other = file_request(
                actor=self.p.olga,
                network=self.p.other_network,
                municipality=self.p.c,
                title="Drucker in Fernstadt",
            )
        with time_machine.travel(at(9, 2), tick=False):
            close_request(actor=self.p.olga, request=self._fresh(other))
        r["other"] = other
        return r
