"""The demo: time entries, the Kombination scheme, one closed month, last month in preview."""

from __future__ import annotations

import datetime as dt

import time_machine

from amtshilfe.board.models import ServiceRequest
from amtshilfe.board.tests.requests import file
from amtshilfe.settlement.demo import load_demo
from amtshilfe.settlement.models import CompensationScheme, SettlementPeriod
from amtshilfe.settlement.services import preview_settlement
from amtshilfe.timeaccounting.models import ClosedRange, TimeEntry


def test_it_loads_once_with_a_closed_month_and_a_preview(personas):
    with time_machine.travel(dt.datetime(2026, 10, 12, 10, tzinfo=dt.UTC)):
        request_b = file(personas, actor=personas.charlie, municipality=personas.b)
        request_a = file(personas)
    ServiceRequest.objects.filter(pk=request_b.pk).update(assignee=personas.alice)
    ServiceRequest.objects.filter(pk=request_a.pk).update(assignee=personas.dora)
    today = dt.date(2026, 12, 15)
    with time_machine.travel(dt.datetime(2026, 12, 15, 10, tzinfo=dt.UTC)):
        created = load_demo(personas.network, today=today)
        assert created > 2
        assert TimeEntry.objects.filter(
            request=request_b, providing_municipality=personas.a
        ).exists()
        assert TimeEntry.objects.filter(receiving_municipality__isnull=True).exists()
        assert CompensationScheme.objects.get().kind == "kombination"
        period = SettlementPeriod.objects.get()
        assert (period.label, period.status) == ("2026-10", "closed")
        assert ClosedRange.objects.get().label == "2026-10"
        november = preview_settlement(network=personas.network, label="2026-11")
        assert sum(s.balance_cents for s in november.statements) == 0
        assert load_demo(personas.network, today=today) == 0
