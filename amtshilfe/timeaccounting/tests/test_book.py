"""Booking time: who gives, who receives, what is refused (service level)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board.tests.requests import file_in_cluster
from amtshilfe.core.models import AuditEvent
from amtshilfe.tenancy.services import add_membership
from amtshilfe.timeaccounting.models import TimeEntry
from amtshilfe.timeaccounting.services import employers_on
from amtshilfe.timeaccounting.tests.times import TODAY, book, close_october, request_of_b

pytestmark = pytest.mark.django_db


def test_it_books_on_a_request_from_the_employer_to_the_requesting_municipality(personas):
    request = request_of_b(personas)
    entry = book(personas, request=request, minutes=45, note="Treiber neu installiert")
    assert entry.providing_municipality == personas.a
    assert entry.receiving_municipality == personas.b
    assert entry.cluster == personas.cluster and entry.request == request
    assert (entry.minutes, entry.source, entry.is_reversal) == (45, "manual", False)


def test_it_books_network_work_without_receiving_municipality(personas):
    entry = book(personas, activity="article", minutes=30)
    assert entry.receiving_municipality is None and entry.request is None
    assert entry.providing_municipality == personas.a


@pytest.mark.parametrize("minutes", [0, -5, 1441, 10_000])
def test_it_refuses_minutes_outside_one_to_1440(personas, minutes):
    with pytest.raises(ValidationError) as error:
        book(personas, minutes=minutes)
    assert "zwischen 1 und 1.440 Minuten" in str(error.value)
    assert not TimeEntry.objects.exists()


def test_it_accepts_the_bounds(personas):
    assert book(personas, minutes=1).minutes == 1
    assert book(personas, minutes=1440).minutes == 1440


def test_it_refuses_a_future_date(personas):
    with pytest.raises(ValidationError, match="Zukunft"):
        book(personas, date=TODAY + dt.timedelta(days=1))


def test_it_refuses_an_unknown_activity(personas):
    with pytest.raises(ValidationError, match="Tätigkeit"):
        book(personas, activity="kaffee")


def test_it_requires_rw_access_to_the_request(personas):
    request = file_in_cluster(personas)  # bob's request: bob sees it but does not work on it
    with pytest.raises(PermissionDenied):
        book(personas, actor=personas.bob, request=request)


def test_it_hides_from_other_municipality(personas):
    request = request_of_b(personas)
    with pytest.raises(ValidationError, match="gibt es nicht"):
        book(personas, actor=personas.bob, request=request)  # bob (Riesa staff) cannot see it


def test_it_refuses_people_without_it_employment(personas):
    with pytest.raises(ValidationError, match="keiner Kommune"):
        book(personas, actor=personas.coordinator)


def test_it_asks_which_employer_when_there_are_several(personas):
    add_membership(
        actor=None,
        person=personas.alice,
        municipality=personas.b,
        role="it",
        started_on=dt.date(2026, 6, 1),
    )
    assert employers_on(personas.alice, personas.network, TODAY) == [personas.b, personas.a]
    with pytest.raises(ValidationError, match="mehrere Kommunen"):
        book(personas)
    assert book(personas, providing_municipality=personas.b).providing_municipality == personas.b
    # Before June alice worked for Riesa only: no choice needed.
    early = book(personas, date=dt.date(2026, 5, 4))
    assert early.providing_municipality == personas.a
    with pytest.raises(ValidationError, match="nicht gearbeitet"):
        book(personas, date=dt.date(2026, 5, 4), providing_municipality=personas.b)


def test_it_refuses_dates_in_a_closed_period(personas):
    close_october(personas)
    with pytest.raises(ValidationError, match="abgeschlossenen Abrechnungszeitraum"):
        book(personas, date=dt.date(2026, 10, 31))
    assert book(personas, date=dt.date(2026, 11, 1)).date == dt.date(2026, 11, 1)


def test_it_audits_without_minutes(personas):
    entry = book(personas, minutes=77)
    event = AuditEvent.objects.get(action="time_entry.booked")
    assert event.object_id == str(entry.pk) and event.actor == personas.alice
    assert "minutes" not in event.after and 77 not in event.after.values()
