"""`/api/v1/time-entries`: one's own time entries and stopwatch – over the same services.

A caller only ever reads and changes their own entries: another person's entry is 404,
exactly like a missing one, for everybody including the coordination (staff-council rule).
Service refusals (closed period, future date, 1..1,440 minutes, …) are 422 with German
messages; booking on a request the caller does not work on is 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from amtshilfe.accounts.models import User
from amtshilfe.board.access import get_request_for_user
from amtshilfe.board.models import ServiceRequest
from amtshilfe.tenancy.access import is_network_member
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.timeaccounting import access, services
from amtshilfe.timeaccounting.models import RunningTimer, TimeEntry
from amtshilfe.timeaccounting.panels import parse_month

router = Router(tags=["time"])

ActivityValue = Literal["support", "article", "onboarding", "meeting", "training", "coordination"]


class EntryIn(Schema):
    date: dt.date
    minutes: int
    activity: ActivityValue = "support"
    note: str = ""
    request_id: int | None = None
    providing_municipality: str | None = None


class EntryPatch(Schema):
    date: dt.date | None = None
    minutes: int | None = None
    activity: ActivityValue | None = None
    note: str | None = None
    providing_municipality: str | None = None


class EntryOut(Schema):
    id: int
    date: dt.date
    minutes: int
    signed_minutes: int
    activity: str
    activity_label: str
    note: str
    source: str
    request_id: int | None
    request_number: int | None
    providing_municipality: str
    receiving_municipality: str | None
    is_reversal: bool
    reverses_id: int | None
    locked: bool


class EntryList(Schema):
    month: str
    total_minutes: int
    entries: list[EntryOut]


class TimerIn(Schema):
    request_id: int | None = None
    activity: ActivityValue = "support"
    note: str = ""
    providing_municipality: str | None = None


class TimerOut(Schema):
    running: bool
    started_at: dt.datetime | None = None
    request_id: int | None = None
    activity: str | None = None
    elapsed_minutes: int | None = None


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _network(request: HttpRequest) -> Network:
    network = current_network(request)
    if network is None or not is_network_member(request.user, network):
        raise HttpError(404, "Sie gehören keinem Netzwerk an.")
    return network


def _municipality(network: Network, slug: str | None) -> Municipality | None:
    if not slug:
        return None
    return get_object_or_404(Municipality, network=network, slug=slug)


def _service_request(
    request: HttpRequest, network: Network, pk: int | None
) -> ServiceRequest | None:
    if pk is None:
        return None
    obj, _can_work = get_request_for_user(_user(request), network, pk)
    return obj


def _out(entry: TimeEntry, closed: list[tuple[dt.date, dt.date]]) -> EntryOut:
    return EntryOut(
        id=entry.pk,
        date=entry.date,
        minutes=entry.minutes,
        signed_minutes=entry.signed_minutes,
        activity=entry.activity,
        activity_label=str(entry.get_activity_display()),
        note=entry.note,
        source=entry.source,
        request_id=entry.request_id,
        request_number=entry.request.number if entry.request else None,
        providing_municipality=entry.providing_municipality.slug,
        receiving_municipality=(
            entry.receiving_municipality.slug if entry.receiving_municipality else None
        ),
        is_reversal=entry.is_reversal,
        reverses_id=entry.reverses_id,
        locked=any(start <= entry.date <= end for start, end in closed),
    )


def _closed(network: Network) -> list[tuple[dt.date, dt.date]]:
    return list(network.closed_time_ranges.values_list("starts_on", "ends_on"))


def _reload(entry: TimeEntry) -> TimeEntry:
    return TimeEntry.objects.select_related(
        "request", "providing_municipality", "receiving_municipality"
    ).get(pk=entry.pk)


@router.get("", response=EntryList, summary="Eigene Zeiteinträge eines Monats")
def list_entries(request: HttpRequest, month: str | None = Query(None)) -> EntryList:
    """``month`` as ``YYYY-MM`` (default: the current month). Only the caller's entries."""
    network = _network(request)
    first = parse_month(month, timezone.localdate())
    entries = (
        TimeEntry.objects.of_person(_user(request))
        .in_network(network.pk)
        .in_month(first)
        .select_related("request", "providing_municipality", "receiving_municipality")
    )
    closed = _closed(network)
    return EntryList(
        month=first.strftime("%Y-%m"),
        total_minutes=entries.signed_minutes(),
        entries=[_out(entry, closed) for entry in entries],
    )


@router.post("", response={201: EntryOut}, summary="Zeit buchen")
def create_entry(request: HttpRequest, payload: EntryIn) -> Status[EntryOut]:
    network = _network(request)
    entry = services.book_time(
        actor=_user(request),
        network=network,
        date=payload.date,
        minutes=payload.minutes,
        activity=payload.activity,
        note=payload.note,
        request=_service_request(request, network, payload.request_id),
        providing_municipality=_municipality(network, payload.providing_municipality),
    )
    return Status(201, _out(_reload(entry), _closed(network)))


@router.get("/timer", response=TimerOut, summary="Eigene Stoppuhr")
def get_timer(request: HttpRequest) -> TimerOut:
    _network(request)
    timer = RunningTimer.objects.filter(person=_user(request)).first()
    return _timer_out(timer)


def _timer_out(timer: RunningTimer | None) -> TimerOut:
    if timer is None:
        return TimerOut(running=False)
    return TimerOut(
        running=True,
        started_at=timer.started_at,
        request_id=timer.request_id,
        activity=timer.activity,
        elapsed_minutes=services.elapsed_minutes(timer, timezone.now()),
    )


@router.post("/timer/start", response={201: TimerOut}, summary="Stoppuhr starten")
def start_timer(request: HttpRequest, payload: TimerIn) -> Status[TimerOut]:
    network = _network(request)
    timer = services.start_timer(
        actor=_user(request),
        network=network,
        request=_service_request(request, network, payload.request_id),
        activity=payload.activity,
        note=payload.note,
        providing_municipality=_municipality(network, payload.providing_municipality),
    )
    return Status(201, _timer_out(timer))


@router.post("/timer/stop", response={201: EntryOut}, summary="Stoppuhr anhalten und buchen")
def stop_timer(request: HttpRequest) -> Status[EntryOut]:
    network = _network(request)
    entry = services.stop_timer(actor=_user(request))
    return Status(201, _out(_reload(entry), _closed(network)))


@router.post("/timer/discard", response={204: None}, summary="Stoppuhr verwerfen")
def discard_timer(request: HttpRequest) -> Status[None]:
    _network(request)
    services.discard_timer(actor=_user(request))
    return Status(204, None)


@router.get("/{entry_id}", response=EntryOut, summary="Ein eigener Zeiteintrag")
def read_entry(request: HttpRequest, entry_id: int) -> EntryOut:
    network = _network(request)
    entry, _can_write = access.get_entry_for_user(_user(request), network, entry_id)
    return _out(entry, _closed(network))


@router.patch("/{entry_id}", response=EntryOut, summary="Eigenen Zeiteintrag ändern")
def update_entry(request: HttpRequest, entry_id: int, payload: EntryPatch) -> EntryOut:
    network = _network(request)
    entry, _can_write = access.get_entry_for_user(_user(request), network, entry_id)
    updated = services.update_time_entry(
        actor=_user(request),
        entry=entry,
        date=payload.date or entry.date,
        minutes=payload.minutes if payload.minutes is not None else entry.minutes,
        activity=payload.activity or entry.activity,
        note=payload.note if payload.note is not None else entry.note,
        providing_municipality=_municipality(network, payload.providing_municipality),
    )
    return _out(_reload(updated), _closed(network))


@router.delete("/{entry_id}", response={204: None}, summary="Eigenen Zeiteintrag löschen")
def delete_entry(request: HttpRequest, entry_id: int) -> Status[None]:
    network = _network(request)
    entry, _can_write = access.get_entry_for_user(_user(request), network, entry_id)
    services.delete_time_entry(actor=_user(request), entry=entry)
    return Status(204, None)


@router.post(
    "/{entry_id}/reverse",
    response={201: EntryOut},
    summary="Eintrag eines abgeschlossenen Zeitraums stornieren",
)
def reverse_entry(request: HttpRequest, entry_id: int) -> Status[EntryOut]:
    network = _network(request)
    entry, _can_write = access.get_entry_for_user(_user(request), network, entry_id)
    reversal = services.reverse_time_entry(actor=_user(request), entry=entry)
    return Status(201, _out(_reload(reversal), _closed(network)))
