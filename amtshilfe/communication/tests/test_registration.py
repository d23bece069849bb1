"""Registering for events: seats, the waiting list that moves up, cancelling, notifications."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.communication.models import EventRegistration
from amtshilfe.communication.services import (
    cancel_event,
    cancel_registration,
    register_for_event,
    update_event,
)
from amtshilfe.communication.tests.helpers import NOW, event
from amtshilfe.notifications.models import Notification

pytestmark = pytest.mark.django_db
Status = EventRegistration.Status


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def status(evt, user):
    row = EventRegistration.objects.filter(event=evt, user=user).first()
    return row.status if row else None


def event_titles(user):
    return list(
        Notification.objects.filter(user=user, kind="event")
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_it_registers_and_confirms(personas):
    evt = event(personas, capacity=2)
    registration = register_for_event(actor=personas.bob, event=evt)
    assert registration.status == Status.REGISTERED
    assert event_titles(personas.bob) == ["Anmeldung bestätigt: Austauschtreffen Drucker"]


def test_it_puts_people_on_the_waiting_list_when_full(personas):
    evt = event(personas, capacity=1)
    register_for_event(actor=personas.bob, event=evt)
    waiting = register_for_event(actor=personas.charlie, event=evt)
    assert waiting.status == Status.WAITING
    assert event_titles(personas.charlie) == ["Warteliste: Austauschtreffen Drucker"]


def test_it_moves_the_first_waiting_person_up_on_a_cancellation(personas, clock):
    evt = event(personas, capacity=1)
    register_for_event(actor=personas.bob, event=evt)
    register_for_event(actor=personas.charlie, event=evt)
    clock.shift(dt.timedelta(minutes=1))
    register_for_event(actor=personas.dora, event=evt)
    cancel_registration(actor=personas.bob, event=evt)
    assert status(evt, personas.bob) == Status.CANCELLED
    assert status(evt, personas.charlie) == Status.REGISTERED
    assert status(evt, personas.dora) == Status.WAITING
    assert event_titles(personas.charlie)[-1] == "Platz frei: Austauschtreffen Drucker"
    assert event_titles(personas.bob)[-1] == "Abgemeldet: Austauschtreffen Drucker"


def test_it_does_not_move_up_when_a_waiting_person_leaves(personas):
    evt = event(personas, capacity=1)
    register_for_event(actor=personas.bob, event=evt)
    register_for_event(actor=personas.charlie, event=evt)
    register_for_event(actor=personas.dora, event=evt)
    cancel_registration(actor=personas.charlie, event=evt)
    assert status(evt, personas.bob) == Status.REGISTERED
    assert status(evt, personas.dora) == Status.WAITING


def test_it_moves_up_when_seats_are_added(personas):
    evt = event(personas, capacity=1)
    register_for_event(actor=personas.bob, event=evt)
    register_for_event(actor=personas.charlie, event=evt)
    fields = {
        name: getattr(evt, name)
        for name in (
            "title",
            "kind",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "is_public",
            "cluster",
            "registration_deadline",
        )
    }
    update_event(actor=personas.coordinator, event=evt, capacity=2, **fields)
    assert status(evt, personas.charlie) == Status.REGISTERED
    with pytest.raises(ValidationError):
        update_event(actor=personas.coordinator, event=evt, capacity=1, **fields)


def test_it_refuses_double_registration(personas):
    evt = event(personas)
    register_for_event(actor=personas.bob, event=evt)
    with pytest.raises(ValidationError, match="bereits angemeldet"):
        register_for_event(actor=personas.bob, event=evt)


def test_it_allows_registering_again_after_cancelling(personas):
    evt = event(personas, capacity=1)
    register_for_event(actor=personas.bob, event=evt)
    cancel_registration(actor=personas.bob, event=evt)
    again = register_for_event(actor=personas.bob, event=evt)
    assert again.status == Status.REGISTERED
    assert EventRegistration.objects.filter(event=evt).count() == 1


def test_it_closes_registration_after_the_deadline(personas, clock):
    evt = event(personas, registration_deadline=NOW + dt.timedelta(days=1))
    clock.move_to(NOW + dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="geschlossen"):
        register_for_event(actor=personas.bob, event=evt)


def test_it_refuses_registration_for_a_cancelled_event(personas):
    evt = event(personas)
    register_for_event(actor=personas.bob, event=evt)
    cancel_event(actor=personas.coordinator, event=evt)
    assert event_titles(personas.bob)[-1] == "Abgesagt: Austauschtreffen Drucker"
    with pytest.raises(ValidationError, match="abgesagt"):
        register_for_event(actor=personas.charlie, event=evt)


def test_it_refuses_people_outside_the_network(personas):
    evt = event(personas, is_public=True)
    with pytest.raises(PermissionDenied):
        register_for_event(actor=personas.olga, event=evt)


def test_it_registers_through_the_page(personas):
    evt = event(personas, capacity=1)
    client = personas.client(personas.bob)
    response = client.post(f"/termine/{evt.pk}/anmelden/", follow=True)
    page = response.content.decode()
    assert "Sie sind angemeldet." in page
    assert status(evt, personas.bob) == Status.REGISTERED
    response = personas.client(personas.charlie).post(f"/termine/{evt.pk}/anmelden/", follow=True)
    assert "Warteliste" in response.content.decode()
    response = client.post(f"/termine/{evt.pk}/abmelden/", follow=True)
    assert "Sie sind abgemeldet." in response.content.decode()
    assert status(evt, personas.charlie) == Status.REGISTERED


def test_it_sends_anonymous_visitors_to_the_login_to_register(personas):
    evt = event(personas, is_public=True)
    response = personas.client(None).post(f"/termine/{evt.pk}/anmelden/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")
    assert not EventRegistration.objects.exists()


def test_it_shows_the_organiser_the_participants_by_name_only(personas):
    evt = event(personas)
    register_for_event(actor=personas.bob, event=evt)
    organiser_page = personas.client(personas.coordinator).get(f"/termine/{evt.pk}/")
    page = organiser_page.content.decode()
    assert "Teilnehmende" in page
    assert "Bob Test" in page
    assert "bob@example.org" not in page
    member_page = personas.client(personas.charlie).get(f"/termine/{evt.pk}/").content.decode()
    assert "Bob Test" not in member_page
