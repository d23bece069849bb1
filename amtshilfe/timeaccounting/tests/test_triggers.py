"""The database refuses what the services refuse: closed periods are immutable (migration 0002).

Runs on SQLite here and on PostgreSQL with DATABASE_URL set.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from amtshilfe.timeaccounting.models import ClosedRange, TimeEntry
from amtshilfe.timeaccounting.tests.times import book, close_october

pytestmark = pytest.mark.django_db


def refused(sql: str, params: list[object]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return "closed" in str(error)
    return False


def insert_sql(personas, day: dt.date) -> tuple[str, list[object]]:
    return (
        "INSERT INTO timeaccounting_timeentry (network_id, person_id, providing_municipality_id,"
        " date, minutes, activity, note, source, is_reversal, import_key, created_at, updated_at)"
        " VALUES (%s, %s, %s, %s, 30, 'support', '', 'manual', %s, '', %s, %s)",
        [
            personas.network.pk,
            personas.alice.pk,
            personas.a.pk,
            day,
            False,
            dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        ],
    )


def test_it_refuses_raw_inserts_updates_and_deletes_in_closed_ranges(personas):
    inside = book(personas, date=dt.date(2026, 10, 10))
    outside = book(personas, date=dt.date(2026, 11, 2))
    close_october(personas)
    assert refused(*insert_sql(personas, dt.date(2026, 10, 5)))
    table = "timeaccounting_timeentry"
    assert refused(f"UPDATE {table} SET minutes = 1 WHERE id = %s", [inside.pk])
    assert refused(f"DELETE FROM {table} WHERE id = %s", [inside.pk])
    # Moving an open entry into the closed range is refused as well.
    assert refused(
        f"UPDATE {table} SET date = %s WHERE id = %s", [dt.date(2026, 10, 3), outside.pk]
    )
    assert TimeEntry.objects.get(pk=inside.pk).minutes == 90


def test_it_allows_raw_changes_outside_closed_ranges(personas):
    close_october(personas)
    entry = book(personas, date=dt.date(2026, 11, 2))
    assert not refused(*insert_sql(personas, dt.date(2026, 11, 3)))
    assert not refused("UPDATE timeaccounting_timeentry SET minutes = 1 WHERE id = %s", [entry.pk])
    assert TimeEntry.objects.get(pk=entry.pk).minutes == 1


def test_it_ignores_closed_ranges_of_other_networks(personas):
    ClosedRange.objects.create(
        network=personas.other_network,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 11, 30),
        label="November",
    )
    assert not refused(*insert_sql(personas, dt.date(2026, 11, 3)))


def test_it_keeps_closed_ranges_insert_only(personas):
    closed = close_october(personas)
    assert refused(
        "UPDATE timeaccounting_closedrange SET ends_on = %s WHERE id = %s",
        [dt.date(2026, 10, 20), closed.pk],
    )
    assert refused("DELETE FROM timeaccounting_closedrange WHERE id = %s", [closed.pk])
    assert ClosedRange.objects.get(pk=closed.pk).ends_on == dt.date(2026, 10, 31)
