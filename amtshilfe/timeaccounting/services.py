"""Booking time: entries, corrections of closed periods, the stopwatch.

Every write is a keyword-only service in one transaction that locks what it changes and
records one audit event. The audit log is read by the coordination and the auditor, so the
events name the entry, never its minutes: a person's hours are seen by that person only
(staff-council rule, issue 5).

Closed periods (``ClosedRange``, written by the settlement app) are refused here with a
German message; triggers (migration 0002) refuse the same in the database.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.board import access as board_access
from amtshilfe.board.models import ServiceRequest
from amtshilfe.core.audit import record_event
from amtshilfe.tenancy.access import is_coordinator
from amtshilfe.tenancy.models import Membership, Municipality, Network
from amtshilfe.timeaccounting.models import (
    MAX_MINUTES_PER_ENTRY,
    Activity,
    ClosedRange,
    RunningTimer,
    TimeEntry,
)

NOTE_MAX = 500


# --- rules shared by the pages, the API and the import ----------------------------------------


def employers_on(person: User, network: Network, day: dt.date) -> list[Municipality]:
    """Municipalities of ``network`` that employ ``person`` as IT specialist on ``day``.

    The providing municipality of a time entry is the employer on the entry's date
    (memberships are history: ``started_on`` ≤ day ≤ ``ended_on``).
    """
    memberships = (
        Membership.objects.filter(
            user=person,
            role=Membership.Role.IT,
            municipality__network=network,
            started_on__lte=day,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("municipality")
        .order_by("municipality__name")
    )
    return [membership.municipality for membership in memberships]


def is_closed(network_id: int, day: dt.date) -> bool:
    return ClosedRange.objects.covering(network_id, day).exists()


def _closed_error(day: dt.date) -> ValidationError:
    return ValidationError(
        {
            "date": _(
                "Der %(day)s liegt in einem abgeschlossenen Abrechnungszeitraum. "
                "Einträge dort lassen sich nicht mehr ändern; eine Korrektur buchen Sie als "
                "Storno im offenen Zeitraum."
            )
            % {"day": date_format(day, "SHORT_DATE_FORMAT")}
        }
    )


def _validate_values(
    *, day: dt.date, minutes: int, activity: str, note: str, today: dt.date
) -> str:
    errors: dict[str, str] = {}
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        errors["minutes"] = _("Bitte geben Sie die Dauer in ganzen Minuten an.")
    elif not 1 <= minutes <= MAX_MINUTES_PER_ENTRY:
        errors["minutes"] = _("Die Dauer muss zwischen 1 und 1.440 Minuten (24 Stunden) liegen.")
    if day > today:
        errors["date"] = _(
            "Zeit lässt sich nicht im Voraus buchen; das Datum liegt in der Zukunft."
        )
    if activity not in Activity.values:
        errors["activity"] = _("Bitte wählen Sie eine Tätigkeit aus der Liste.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("Die Notiz ist zu lang (höchstens 500 Zeichen).")
    if errors:
        raise ValidationError(errors)
    return note


def _providing(
    person: User, network: Network, day: dt.date, chosen: Municipality | None
) -> Municipality:
    employers = employers_on(person, network, day)
    if not employers:
        raise ValidationError(
            _(
                "Am %(day)s waren Sie in keiner Kommune des Netzwerks als IT-Fachkraft "
                "beschäftigt; Zeit lässt sich nur für diese Tage buchen."
            )
            % {"day": date_format(day, "SHORT_DATE_FORMAT")}
        )
    if chosen is not None:
        if chosen.pk not in {m.pk for m in employers}:
            raise ValidationError(
                {
                    "providing_municipality": _(
                        "Für diese Kommune haben Sie an dem Tag nicht gearbeitet."
                    )
                }
            )
        return chosen
    if len(employers) > 1:
        raise ValidationError(
            {
                "providing_municipality": _(
                    "Sie arbeiten für mehrere Kommunen; bitte wählen Sie, für welche Sie die "
                    "Zeit geleistet haben."
                )
            }
        )
    return employers[0]


def _workable_request(actor: User, network: Network, request: ServiceRequest) -> ServiceRequest:
    if request.network_id != network.pk or not board_access.can_see(actor, request):
        raise ValidationError({"request": _("Diese Anfrage gibt es nicht.")})
    if not board_access.can_work(actor, request):
        raise PermissionDenied
    return request


def _audit(action: str, actor: User | None, entry: TimeEntry, **extra: Any) -> None:
    """One audit event naming the entry – deliberately without its minutes."""
    after: dict[str, Any] = {
        "date": entry.date,
        "activity": entry.activity,
        "request": entry.request_id,
        "receiving_municipality": entry.receiving_municipality_id,
        "source": entry.source,
        **extra,
    }
    record_event(
        action=action,
        actor=actor,
        network=entry.network,
        municipality=entry.providing_municipality,
        obj=entry,
        after=after,
    )


# --- entries ---------------------------------------------------------------------------------


def book_time(
    *,
    actor: User,
    network: Network,
    date: dt.date,
    minutes: int,
    activity: str = Activity.SUPPORT,
    note: str = "",
    request: ServiceRequest | None = None,
    providing_municipality: Municipality | None = None,
    source: str = TimeEntry.Source.MANUAL,
    today: dt.date | None = None,
) -> TimeEntry:
    """Book ``minutes`` of the actor's work on ``date``.

    1. Validate the values (1..1,440 minutes, not in the future, a known activity).
    2. The request (if any) must be visible to the actor and worked on by them; it gives the
       receiving municipality and the cluster. Without a request the work is common network
       work (receiving municipality null).
    3. The providing municipality is the actor's IT employer on ``date`` (chosen if several).
    4. Refuse dates in a closed period, then insert and audit.
    """
    today = today or timezone.localdate()
    note = _validate_values(day=date, minutes=minutes, activity=activity, note=note, today=today)
    if request is not None:
        _workable_request(actor, network, request)
    giver = _providing(actor, network, date, providing_municipality)
    return _insert_entry(
        actor=actor,
        network=network,
        date=date,
        minutes=minutes,
        activity=activity,
        note=note,
        request=request,
        giver=giver,
        source=source,
    )


def _insert_entry(
    *,
    actor: User,
    network: Network,
    date: dt.date,
    minutes: int,
    activity: str,
    note: str,
    request: ServiceRequest | None,
    giver: Municipality,
    source: str,
) -> TimeEntry:
    with transaction.atomic():
        if is_closed(network.pk, date):
            raise _closed_error(date)
        entry = TimeEntry.objects.create(
            network=network,
            person=actor,
            providing_municipality=giver,
            receiving_municipality_id=request.municipality_id if request else None,
            request=request,
            cluster_id=request.cluster_id if request else None,
            date=date,
            minutes=minutes,
            activity=activity,
            note=note,
            source=source,
        )
        _audit("time_entry.booked", actor, entry)
    return entry


def _own_locked(actor: User, entry: TimeEntry) -> TimeEntry:
    locked = (
        TimeEntry.objects.select_for_update(of=("self",)).select_related("network").get(pk=entry.pk)
    )
    if locked.person_id != actor.pk:
        raise PermissionDenied
    if is_closed(locked.network_id, locked.date):
        raise _closed_error(locked.date)
    return locked


def update_time_entry(
    *,
    actor: User,
    entry: TimeEntry,
    date: dt.date,
    minutes: int,
    activity: str,
    note: str = "",
    providing_municipality: Municipality | None = None,
    today: dt.date | None = None,
) -> TimeEntry:
    """Change one's own entry while neither its old nor its new date is in a closed period.

    The request stays (book a new entry for other work); the providing municipality is
    determined again for the new date.
    """
    today = today or timezone.localdate()
    note = _validate_values(day=date, minutes=minutes, activity=activity, note=note, today=today)
    with transaction.atomic():
        locked = _own_locked(actor, entry)
        if locked.is_reversal:
            raise ValidationError(_("Ein Storno lässt sich nicht bearbeiten."))
        if is_closed(locked.network_id, date):
            raise _closed_error(date)
        chosen = providing_municipality
        if chosen is None and date == locked.date:
            chosen = locked.providing_municipality
        giver = _providing(actor, locked.network, date, chosen)
        locked.date, locked.minutes, locked.activity, locked.note = date, minutes, activity, note
        locked.providing_municipality = giver
        locked.save()
        _audit("time_entry.updated", actor, locked)
    return locked


def delete_time_entry(*, actor: User, entry: TimeEntry) -> None:
    """Delete one's own entry while its date is not in a closed period."""
    with transaction.atomic():
        locked = _own_locked(actor, entry)
        if locked.reversals.exists():
            raise ValidationError(_("Der Eintrag ist storniert und bleibt deshalb erhalten."))
        _audit("time_entry.deleted", actor, locked, entry_id=locked.pk)
        locked.delete()


def reverse_time_entry(
    *, actor: User, entry: TimeEntry, date: dt.date | None = None, note: str = ""
) -> TimeEntry:
    """Correct an entry of a closed period: a visible reversal dated in an open period.

    The reversal repeats the original's minutes, municipalities, request and activity with
    ``is_reversal=True`` (it counts negatively in every sum) and references the original.
    The person themself or the coordination may reverse; an entry is reversed at most once.
    The correct time, if any, is then booked as a new entry.
    """
    day = date or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"date": _("Das Datum des Stornos liegt in der Zukunft.")})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Die Notiz ist zu lang (höchstens 500 Zeichen).")})
    with transaction.atomic():
        original = (
            TimeEntry.objects.select_for_update(of=("self",))
            .select_related("network")
            .get(pk=entry.pk)
        )
        if original.person_id != actor.pk and not is_coordinator(actor, original.network):
            raise PermissionDenied
        if original.is_reversal:
            raise ValidationError(_("Ein Storno lässt sich nicht noch einmal stornieren."))
        if not is_closed(original.network_id, original.date):
            raise ValidationError(
                _(
                    "Der Eintrag liegt in einem offenen Zeitraum; ändern oder löschen Sie ihn "
                    "direkt."
                )
            )
        if original.reversals.exists():
            raise ValidationError(_("Dieser Eintrag ist bereits storniert."))
        if is_closed(original.network_id, day):
            raise _closed_error(day)
        reversal = TimeEntry.objects.create(
            network=original.network,
            person_id=original.person_id,
            providing_municipality_id=original.providing_municipality_id,
            receiving_municipality_id=original.receiving_municipality_id,
            request_id=original.request_id,
            cluster_id=original.cluster_id,
            date=day,
            minutes=original.minutes,
            activity=original.activity,
            note=note
            or _("Storno des Eintrags vom %(day)s")
            % {"day": date_format(original.date, "SHORT_DATE_FORMAT")},
            source=TimeEntry.Source.REVERSAL,
            is_reversal=True,
            reverses=original,
        )
        _audit("time_entry.reversed", actor, reversal, reverses=original.pk)
    return reversal


# --- stopwatch -------------------------------------------------------------------------------


def elapsed_minutes(timer: RunningTimer, now: dt.datetime) -> int:
    """Minutes to book for a timer: rounded to the nearest minute, at least one."""
    seconds = max(0.0, (now - timer.started_at).total_seconds())
    return max(1, math.floor(seconds / 60 + 0.5))


def start_timer(
    *,
    actor: User,
    network: Network,
    request: ServiceRequest | None = None,
    activity: str = Activity.SUPPORT,
    note: str = "",
    providing_municipality: Municipality | None = None,
    now: dt.datetime | None = None,
) -> RunningTimer:
    """Start the actor's stopwatch (one per person), optionally for a request."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    note = _validate_values(day=today, minutes=1, activity=activity, note=note, today=today)
    if request is not None:
        _workable_request(actor, network, request)
    giver = _providing(actor, network, today, providing_municipality)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        if RunningTimer.objects.filter(person=actor).exists():
            raise ValidationError(
                _("Ihre Stoppuhr läuft bereits. Halten Sie sie an, bevor Sie eine neue starten.")
            )
        timer = RunningTimer.objects.create(
            network=network,
            person=actor,
            request=request,
            providing_municipality=giver,
            activity=activity,
            note=note,
            started_at=now,
        )
        record_event(
            action="time_timer.started",
            actor=actor,
            network=network,
            obj=timer,
            after={"request": request.pk if request else None, "activity": activity},
        )
    return timer


def stop_timer(*, actor: User, now: dt.datetime | None = None) -> TimeEntry:
    """Stop the actor's stopwatch and book the elapsed minutes on the day it started."""
    now = now or timezone.now()
    with transaction.atomic():
        timer = (
            RunningTimer.objects.select_for_update(of=("self",))
            .select_related("network", "request", "providing_municipality")
            .filter(person=actor)
            .first()
        )
        if timer is None:
            raise ValidationError(_("Es läuft keine Stoppuhr."))
        minutes = elapsed_minutes(timer, now)
        if minutes > MAX_MINUTES_PER_ENTRY:
            raise ValidationError(
                _(
                    "Die Stoppuhr lief länger als 24 Stunden. Bitte verwerfen Sie sie und "
                    "buchen Sie die Zeit von Hand."
                )
            )
        # The request was workable when the timer started; the time was spent on it even
        # if the card has been handed to somebody else since.
        day = timezone.localdate(timer.started_at)
        giver = timer.providing_municipality or _providing(actor, timer.network, day, None)
        entry = _insert_entry(
            actor=actor,
            network=timer.network,
            date=day,
            minutes=minutes,
            activity=timer.activity,
            note=timer.note,
            request=timer.request,
            giver=giver,
            source=TimeEntry.Source.TIMER,
        )
        timer.delete()
    return entry


def discard_timer(*, actor: User) -> None:
    """Throw the running stopwatch away without booking anything."""
    with transaction.atomic():
        timer = RunningTimer.objects.select_for_update().filter(person=actor).first()
        if timer is None:
            raise ValidationError(_("Es läuft keine Stoppuhr."))
        record_event(action="time_timer.discarded", actor=actor, network=timer.network, obj=timer)
        timer.delete()
