"""What the time screens show: the month of one person, the panel on a request.

Shared by the views, the template tag on the request page and the stopwatch fragments.
Everything here reads the viewer's own entries only; the one exception – the total of a
request – is shown only when at least ``AMTSHILFE_MIN_GROUP_SIZE`` distinct people booked
on it, so no single person's hours can be told from it (staff-council rule).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from amtshilfe.accounts.models import User
from amtshilfe.board.models import ServiceRequest
from amtshilfe.experts.models import ExpertProfile
from amtshilfe.tenancy.models import Network
from amtshilfe.timeaccounting.forms import TimeEntryForm, TimerStartForm, format_duration
from amtshilfe.timeaccounting.models import ClosedRange, RunningTimer, TimeEntry
from amtshilfe.timeaccounting.services import employers_on

MONTH_NAMES = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def parse_month(text: str | None, today: dt.date) -> dt.date:
    """The first day of ``YYYY-MM`` (the current month if missing or invalid)."""
    if text:
        try:
            year, month = (int(part) for part in text.split("-", 1))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return dt.date(year, month, 1)
        except ValueError:
            pass
    return today.replace(day=1)


def month_label(month: dt.date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def running_timer(user: User) -> RunningTimer | None:
    return RunningTimer.objects.filter(person=user).select_related("request", "network").first()


def _locked(entries: list[TimeEntry], network: Network) -> None:
    ranges = list(ClosedRange.objects.filter(network=network).values_list("starts_on", "ends_on"))
    for entry in entries:
        entry.locked = any(start <= entry.date <= end for start, end in ranges)  # type: ignore[attr-defined]
        entry.duration = format_duration(entry.minutes)  # type: ignore[attr-defined]


def month_context(
    user: User, network: Network, month: dt.date, *, form: TimeEntryForm | None = None
) -> dict[str, Any]:
    today = timezone.localdate()
    entries = list(
        TimeEntry.objects.of_person(user)
        .in_network(network.pk)
        .in_month(month)
        .select_related("request", "receiving_municipality", "providing_municipality")
        .prefetch_related("reversals")
    )
    _locked(entries, network)
    total = TimeEntry.objects.of_person(user).in_network(network.pk).in_month(month)
    total_minutes = total.signed_minutes()
    profile = ExpertProfile.objects.filter(network=network, user=user).first()
    pledged = profile.pledged_hours_per_month if profile else 0
    employers = employers_on(user, network, today)
    if form is None:
        form = TimeEntryForm()
        form.set_employers(employers)
    timer = running_timer(user)
    return {
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "month_label": month_label(month),
        "previous_month": _shift(month, -1).strftime("%Y-%m"),
        "next_month": _shift(month, 1).strftime("%Y-%m") if _shift(month, 1) <= today else None,
        "entries": entries,
        "total_minutes": total_minutes,
        "total_duration": format_duration(max(total_minutes, 0)),
        "pledged_hours": pledged,
        "pledge_percent": round(total_minutes / (pledged * 60) * 100) if pledged else None,
        "can_book": bool(employers),
        "form": form,
        "timer": timer,
        "timer_form": _timer_form(employers),
        "panel": "month",
    }


def _timer_form(employers: list[Any]) -> TimerStartForm:
    form = TimerStartForm(auto_id="timer_%s")
    form.set_employers(employers)
    return form


def request_panel_context(
    user: User, network: Network, obj: ServiceRequest, *, form: TimeEntryForm | None = None
) -> dict[str, Any]:
    """The viewer's own time on ``obj``, the request's total only for ≥ min group size."""
    own = TimeEntry.objects.of_person(user).in_network(network.pk).filter(request=obj)
    entries = list(own.order_by("-date", "-id")[:10])
    _locked(entries, network)
    own_minutes = own.signed_minutes()
    everyone = TimeEntry.objects.in_network(network.pk).filter(request=obj)
    people = everyone.aggregate(people=Count("person", distinct=True))["people"]
    minimum = settings.AMTSHILFE_MIN_GROUP_SIZE
    request_minutes = everyone.signed_minutes() if people >= minimum else None
    employers = employers_on(user, network, timezone.localdate())
    if form is None:
        form = TimeEntryForm(initial={"request": obj.pk}, auto_id="book_%s")
        form.set_employers(employers)
    timer = running_timer(user)
    return {
        "obj": obj,
        "entries": entries,
        "own_duration": format_duration(max(own_minutes, 0)),
        "own_minutes": own_minutes,
        "request_duration": (
            format_duration(max(request_minutes, 0)) if request_minutes is not None else None
        ),
        "min_group_size": minimum,
        "can_book": bool(employers),
        "form": form,
        "timer": timer,
        "timer_here": timer is not None and timer.request_id == obj.pk,
        "timer_form": _timer_form(employers),
        "panel": "request",
    }
