"""Events: create, change, cancel; registration with a waiting list that moves up by itself.

Registrations of one event are serialised by locking the event row: two people taking the
last seat at once get one seat and one waiting-list place, never two seats.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.communication import access, announcements
from amtshilfe.communication.models import Event, EventRegistration
from amtshilfe.core.audit import record_event, snapshot
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.access import is_coordinator
from amtshilfe.tenancy.models import Network

FIELDS = [
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "is_public",
    "cluster",
    "capacity",
    "registration_deadline",
]
AUDITED_FIELDS = [f for f in FIELDS if f != "description"]
MAX_DESCRIPTION = 20_000
MAX_DURATION = dt.timedelta(days=14)
Status = EventRegistration.Status


def _clean(
    *, actor: User, network: Network, data: dict[str, Any], was_public: bool = False
) -> dict[str, Any]:
    """Validate the editable fields of an event; German messages per field."""
    errors: dict[str, str] = {}
    title = " ".join(str(data.get("title", "")).split())
    if not title:
        errors["title"] = _("Bitte geben Sie einen Titel an.")
    elif len(title) > 200:
        errors["title"] = _("Der Titel darf höchstens 200 Zeichen lang sein.")
    description = str(data.get("description", "")).replace("\r\n", "\n").strip()
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = _("Die Beschreibung ist zu lang (höchstens 20.000 Zeichen).")
    kind = data.get("kind") or Event.Kind.EXCHANGE
    if kind not in Event.Kind.values:
        errors["kind"] = _("Unbekannte Art des Termins.")
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts_at, dt.datetime):
        errors["starts_at"] = _("Bitte geben Sie den Beginn an.")
    if not isinstance(ends_at, dt.datetime):
        errors["ends_at"] = _("Bitte geben Sie das Ende an.")
    elif isinstance(starts_at, dt.datetime):
        if ends_at <= starts_at:
            errors["ends_at"] = _("Das Ende muss nach dem Beginn liegen.")
        elif ends_at - starts_at > MAX_DURATION:
            errors["ends_at"] = _("Ein Termin dauert höchstens 14 Tage.")
    location = " ".join(str(data.get("location", "")).split())[:200]
    online_url = str(data.get("online_url", "")).strip()
    if online_url:
        try:
            URLValidator(schemes=["http", "https"])(online_url)
        except ValidationError:
            errors["online_url"] = _("Bitte geben Sie eine Adresse mit https:// an.")
    if not location and not online_url:
        errors["location"] = _("Bitte geben Sie einen Ort oder einen Online-Zugang an.")
    capacity = data.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
        errors["capacity"] = _("Die Zahl der Plätze muss mindestens 1 sein (leer: unbegrenzt).")
    deadline = data.get("registration_deadline")
    if (
        isinstance(deadline, dt.datetime)
        and isinstance(starts_at, dt.datetime)
        and deadline > starts_at
    ):
        errors["registration_deadline"] = _("Der Anmeldeschluss muss vor dem Beginn liegen.")
    cluster: TopicCluster | None = data.get("cluster")
    if cluster is not None and cluster.network_id != network.pk:
        errors["cluster"] = _("Dieses Themencluster gehört nicht zum Netzwerk.")
    elif not access.can_address(actor, network, cluster.pk if cluster else None):
        errors["cluster"] = _(
            "Termine für das ganze Netzwerk legt die Koordination an; Sie können Termine für "
            "Ihre Themencluster anlegen."
        )
    is_public = bool(data.get("is_public"))
    if is_public and not was_public and not is_coordinator(actor, network):
        errors["is_public"] = _("Nur die Netzwerk-Koordination veröffentlicht auf der Website.")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title,
        "description": description,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location": location,
        "online_url": online_url,
        "is_public": is_public,
        "cluster": cluster,
        "capacity": capacity,
        "registration_deadline": deadline,
    }


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("network").get(pk=event.pk)


def _registered_count(event: Event) -> int:
    return event.registrations.filter(status=Status.REGISTERED).count()


def _move_up(event: Event) -> list[EventRegistration]:
    """Give free seats to the waiting list in the order people queued (event is locked)."""
    moved: list[EventRegistration] = []
    if event.is_cancelled or event.is_past():
        return moved
    free = None if event.capacity is None else event.capacity - _registered_count(event)
    waiting = event.registrations.filter(status=Status.WAITING).select_related("user", "event")
    for registration in waiting.order_by("queued_at", "pk"):
        if free is not None and free <= 0:
            break
        registration.status = Status.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        announcements.announce_moved_up(registration)
        moved.append(registration)
        if free is not None:
            free -= 1
    return moved


def create_event(*, actor: User, network: Network, **fields: Any) -> Event:
    """Create an event; ``actor`` becomes its organiser. Fields as in ``FIELDS``."""
    if not access.can_write_some(actor, network):
        raise PermissionDenied
    data = _clean(actor=actor, network=network, data=fields)
    with transaction.atomic():
        event = Event.objects.create(network=network, organiser=actor, **data)
        record_event(
            action="event.created",
            actor=actor,
            network=network,
            obj=event,
            after=snapshot(event, AUDITED_FIELDS),
        )
    return event


def update_event(*, actor: User, event: Event, **fields: Any) -> Event:
    """Change an event. More seats move the waiting list up; fewer than taken is refused."""
    with transaction.atomic():
        locked = _lock(event)
        if not access.can_edit_event(actor, locked):
            raise PermissionDenied
        if locked.is_cancelled:
            raise ValidationError(_("Ein abgesagter Termin wird nicht mehr geändert."))
        data = _clean(actor=actor, network=locked.network, data=fields, was_public=locked.is_public)
        taken = _registered_count(locked)
        if data["capacity"] is not None and data["capacity"] < taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "Es sind schon %(n)d Personen angemeldet; weniger Plätze gehen nicht."
                    )
                    % {"n": taken}
                }
            )
        before = snapshot(locked, AUDITED_FIELDS)
        for name, value in data.items():
            setattr(locked, name, value)
        locked.save()
        _move_up(locked)
        record_event(
            action="event.updated",
            actor=actor,
            network=locked.network,
            obj=locked,
            before=before,
            after=snapshot(locked, AUDITED_FIELDS),
        )
    return locked


def cancel_event(*, actor: User, event: Event) -> Event:
    """Call the event off; everybody registered or waiting is told."""
    with transaction.atomic():
        locked = _lock(event)
        if not access.can_edit_event(actor, locked):
            raise PermissionDenied
        if locked.is_cancelled:
            raise ValidationError(_("Der Termin ist bereits abgesagt."))
        locked.is_cancelled = True
        locked.save(update_fields=["is_cancelled", "updated_at"])
        people = [
            r.user
            for r in locked.registrations.filter(
                status__in=[Status.REGISTERED, Status.WAITING]
            ).select_related("user")
        ]
        announcements.announce_event_cancelled(locked, people)
        record_event(
            action="event.cancelled",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"is_cancelled": True, "told": len(people)},
        )
    return locked


def register_for_event(
    *, actor: User, event: Event, now: dt.datetime | None = None
) -> EventRegistration:
    """Register ``actor``: a seat if one is free, else a place on the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(event)
        if not access.can_register(actor, locked):
            raise PermissionDenied
        if locked.is_cancelled:
            raise ValidationError(_("Der Termin ist abgesagt."))
        if not locked.registration_open(now):
            raise ValidationError(_("Die Anmeldung für diesen Termin ist geschlossen."))
        registration = (
            EventRegistration.objects.select_for_update().filter(event=locked, user=actor).first()
        )
        if registration is not None and registration.status != Status.CANCELLED:
            raise ValidationError(
                _("Sie sind bereits angemeldet.")
                if registration.status == Status.REGISTERED
                else _("Sie stehen bereits auf der Warteliste.")
            )
        full = locked.capacity is not None and _registered_count(locked) >= locked.capacity
        status = Status.WAITING if full else Status.REGISTERED
        if registration is None:
            registration = EventRegistration.objects.create(
                event=locked, user=actor, status=status, queued_at=now
            )
        else:
            registration.status = status
            registration.queued_at = now
            registration.save(update_fields=["status", "queued_at", "updated_at"])
        registration.event = locked
        announcements.confirm_registration(registration)
        record_event(
            action="event.registered",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"user": actor.pk, "status": status},
        )
    return registration


def cancel_registration(
    *, actor: User, event: Event, now: dt.datetime | None = None
) -> EventRegistration:
    """Withdraw ``actor``'s registration; a freed seat goes to the first on the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(event)
        registration = (
            EventRegistration.objects.select_for_update()
            .filter(event=locked, user=actor)
            .exclude(status=Status.CANCELLED)
            .first()
        )
        if registration is None:
            raise ValidationError(_("Sie sind für diesen Termin nicht angemeldet."))
        if locked.starts_at <= now:
            raise ValidationError(_("Der Termin hat schon begonnen; abmelden geht nicht mehr."))
        was = registration.status
        registration.status = Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        registration.event = locked
        announcements.confirm_cancellation(registration)
        if was == Status.REGISTERED:
            _move_up(locked)
        record_event(
            action="event.registration_cancelled",
            actor=actor,
            network=locked.network,
            obj=locked,
            before={"user": actor.pk, "status": was},
            after={"user": actor.pk, "status": Status.CANCELLED},
        )
    return registration
