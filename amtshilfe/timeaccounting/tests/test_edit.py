"""Changing, deleting and reversing entries: own entries only, closed periods stay closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.timeaccounting.models import TimeEntry
from amtshilfe.timeaccounting.services import (
    delete_time_entry,
    reverse_time_entry,
    update_time_entry,
)
from amtshilfe.timeaccounting.tests.times import TODAY, book, close_october, request_of_b

pytestmark = pytest.mark.django_db
OCT_15 = dt.date(2026, 10, 15)


def change(entry, actor, **kwargs):
    values = {"date": entry.date, "minutes": entry.minutes, "activity": entry.activity}
    values.update(kwargs)
    return update_time_entry(actor=actor, entry=entry, **values)


def test_it_updates_own_entry(personas):
    entry = book(personas, minutes=30)
    changed = change(entry, personas.alice, minutes=45, note="länger", date=dt.date(2026, 11, 2))
    entry.refresh_from_db()
    assert (entry.minutes, entry.note, entry.date) == (45, "länger", dt.date(2026, 11, 2))
    assert changed.providing_municipality == personas.a


def test_it_refuses_changes_to_other_peoples_entries(personas):
    entry = book(personas)
    for actor in (personas.dora, personas.coordinator):
        with pytest.raises(PermissionDenied):
            change(entry, actor, minutes=1)
        with pytest.raises(PermissionDenied):
            delete_time_entry(actor=actor, entry=entry)
    assert TimeEntry.objects.get(pk=entry.pk).minutes == 90


def test_it_deletes_own_open_entry(personas):
    entry = book(personas)
    delete_time_entry(actor=personas.alice, entry=entry)
    assert not TimeEntry.objects.exists()


def test_it_refuses_changes_in_a_closed_period(personas):
    entry = book(personas, date=OCT_15)
    other = book(personas, date=TODAY)
    close_october(personas)
    with pytest.raises(ValidationError, match="abgeschlossenen"):
        change(entry, personas.alice, minutes=10)
    with pytest.raises(ValidationError, match="abgeschlossenen"):
        delete_time_entry(actor=personas.alice, entry=entry)
    with pytest.raises(ValidationError, match="abgeschlossenen"):  # moving into it
        change(other, personas.alice, date=OCT_15)
    assert TimeEntry.objects.get(pk=entry.pk).minutes == 90
    assert TimeEntry.objects.get(pk=other.pk).date == TODAY


def test_it_reverses_an_entry_of_a_closed_period_in_the_open_one(personas):
    request = request_of_b(personas)
    entry = book(personas, date=OCT_15, request=request, minutes=120)
    close_october(personas)
    reversal = reverse_time_entry(actor=personas.alice, entry=entry)
    assert reversal.is_reversal and reversal.reverses == entry and reversal.source == "reversal"
    assert reversal.date == TODAY and reversal.minutes == 120 and reversal.signed_minutes == -120
    assert (reversal.providing_municipality, reversal.receiving_municipality) == (
        personas.a,
        personas.b,
    )
    assert TimeEntry.objects.filter(person=personas.alice).signed_minutes() == 0
    with pytest.raises(ValidationError, match="bereits storniert"):
        reverse_time_entry(actor=personas.alice, entry=entry)
    with pytest.raises(ValidationError, match="noch einmal"):
        reverse_time_entry(actor=personas.alice, entry=reversal)


def test_it_lets_the_coordinator_reverse_but_nobody_else(personas):
    entry = book(personas, date=OCT_15)
    close_october(personas)
    with pytest.raises(PermissionDenied):
        reverse_time_entry(actor=personas.dora, entry=entry)
    reversal = reverse_time_entry(actor=personas.coordinator, entry=entry)
    assert reversal.person == personas.alice


def test_it_refuses_reversing_open_entries(personas):
    entry = book(personas)
    with pytest.raises(ValidationError, match="offenen Zeitraum"):
        reverse_time_entry(actor=personas.alice, entry=entry)
