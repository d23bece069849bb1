"""Preview → review → closed; a closed period never changes (services and database)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from amtshilfe.core.models import AuditEvent
from amtshilfe.notifications.models import Notification
from amtshilfe.settlement.models import Objection, SettlementPeriod, Statement, Transfer
from amtshilfe.settlement.services import (
    close_settlement_period,
    object_to_statement,
    resolve_objection,
    save_compensation_scheme,
    start_review,
)
from amtshilfe.settlement.tests.data import book_example, scheme
from amtshilfe.timeaccounting.models import ClosedRange

NOW = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def review(personas, **kwargs):
    return start_review(
        actor=personas.coordinator, network=personas.network, label="2026-10", **kwargs
    )


def close(personas, **kwargs):
    return close_settlement_period(
        actor=personas.coordinator, network=personas.network, label="2026-10", **kwargs
    )


@pytest.fixture
def booked(personas):
    book_example(personas)
    scheme(personas, objection_days=7)
    return personas


def test_it_stores_statements_and_notifies_it_staff_on_review(
    booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        period = review(booked, now=NOW)
    assert period.status == "in_review"
    assert period.review_until == NOW + dt.timedelta(days=7)
    assert Statement.objects.filter(period=period).count() == 2
    notified = set(
        Notification.objects.filter(kind="settlement").values_list("user__username", flat=True)
    )
    assert notified == {"alice", "dora"}
    assert AuditEvent.objects.filter(action="settlement.review_started").count() == 1


def test_it_refuses_review_before_the_period_ends(booked):
    with (
        time_machine.travel(dt.datetime(2026, 10, 20, tzinfo=dt.UTC)),
        pytest.raises(ValidationError, match="nach seinem letzten Tag"),
    ):
        review(booked)


def test_it_refuses_closing_during_the_objection_window_and_with_open_objections(booked):
    review(booked, now=NOW)
    with pytest.raises(ValidationError, match="Einspruchsfrist läuft noch"):
        close(booked, now=NOW + dt.timedelta(days=1))
    object_to_statement(
        actor=booked.dora,
        period=SettlementPeriod.objects.get(),
        municipality=booked.b,
        comment="Die 3 Stunden waren 2.",
        now=NOW + dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="offenen Einsprüche"):
        close(booked, now=NOW + dt.timedelta(days=8))
    resolve_objection(
        actor=booked.coordinator,
        objection=Objection.objects.get(),
        accepted=False,
        resolution="Stimmt so.",
    )
    period = close(booked, now=NOW + dt.timedelta(days=8))
    assert period.status == "closed"


def test_it_lets_only_that_municipality_object(booked):
    review(booked, now=NOW)
    period = SettlementPeriod.objects.get()
    with pytest.raises(PermissionDenied):
        object_to_statement(
            actor=booked.alice, period=period, municipality=booked.b, comment="x", now=NOW
        )
    with pytest.raises(PermissionDenied):
        object_to_statement(
            actor=booked.charlie, period=period, municipality=booked.b, comment="x", now=NOW
        )
    object_to_statement(
        actor=booked.coordinator, period=period, municipality=booked.b, comment="für B", now=NOW
    )
    assert Objection.objects.count() == 1


def test_it_closes_with_hash_transfers_and_a_closed_range(booked):
    review(booked, now=NOW)
    period = close(booked, now=NOW + dt.timedelta(days=8))
    assert period.closed_by == booked.coordinator and len(period.content_hash) == 64
    assert list(Transfer.objects.values_list("payer__name", "payee__name", "amount_cents")) == [
        ("Meißen", "Riesa", 12000)
    ]
    closed = ClosedRange.objects.get()
    assert (closed.starts_on, closed.ends_on) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert AuditEvent.objects.filter(action="settlement.closed").count() == 1


def test_it_never_changes_a_closed_period_through_the_services(booked):
    review(booked, now=NOW)
    close(booked, now=NOW + dt.timedelta(days=8))
    with pytest.raises(ValidationError, match="bereits abgeschlossen"):
        close(booked, now=NOW + dt.timedelta(days=9))
    with pytest.raises(ValidationError, match="abgeschlossen"):
        review(booked, now=NOW + dt.timedelta(days=9))
    with pytest.raises(ValidationError):
        object_to_statement(
            actor=booked.dora,
            period=SettlementPeriod.objects.get(),
            municipality=booked.b,
            comment="x",
        )
    with pytest.raises(ValidationError, match="später"):
        save_compensation_scheme(
            actor=booked.coordinator,
            network=booked.network,
            valid_from="2026-10",
            kind="zeitkonto",
            rates={},
        )


def test_it_never_changes_a_closed_period_in_the_database(booked):
    review(booked, now=NOW)
    close(booked, now=NOW + dt.timedelta(days=8))
    period = SettlementPeriod.objects.get()
    attempts = [
        lambda: SettlementPeriod.objects.filter(pk=period.pk).update(status="in_review"),
        lambda: SettlementPeriod.objects.filter(pk=period.pk).delete(),
        lambda: Statement.objects.filter(period=period).update(balance_cents=1),
        lambda: Statement.objects.filter(period=period).delete(),
        lambda: Transfer.objects.filter(period=period).update(amount_cents=1),
        lambda: Transfer.objects.filter(period=period).delete(),
        lambda: Transfer.objects.create(
            period=period, position=99, payer=booked.a, payee=booked.b, amount_cents=5
        ),
        lambda: Objection.objects.create(
            period=period, municipality=booked.b, author=booked.dora, comment="nachträglich"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert Statement.objects.filter(period=period, balance_cents=1).count() == 0
    assert Transfer.objects.filter(period=period).count() == 1


def test_it_lets_only_the_coordinator_manage(booked):
    for user in (booked.steering, booked.auditor, booked.alice):
        with pytest.raises(PermissionDenied):
            start_review(actor=user, network=booked.network, label="2026-10", now=NOW)
        with pytest.raises(PermissionDenied):
            close_settlement_period(actor=user, network=booked.network, label="2026-10", now=NOW)
    assert not SettlementPeriod.objects.exists()


def test_it_refuses_an_overlapping_period(booked):
    review(booked, now=NOW)
    with (
        time_machine.travel(dt.datetime(2027, 1, 5, tzinfo=dt.UTC)),
        pytest.raises(ValidationError, match="überschneidet"),
    ):
        start_review(actor=booked.coordinator, network=booked.network, label="2026-Q4")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_it_closes_once_when_two_close_at_the_same_moment(personas):
    book_example(personas)
    scheme(personas, objection_days=0)
    review(personas, now=NOW)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        from django.db import connections

        try:
            barrier.wait()
            close(personas, now=NOW + dt.timedelta(days=1))
            outcomes.append("closed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["closed", "refused"]
    assert SettlementPeriod.objects.filter(status="closed").count() == 1
    assert ClosedRange.objects.count() == 1
    assert Transfer.objects.count() == 1
