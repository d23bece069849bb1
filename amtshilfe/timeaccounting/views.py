"""Time pages under /zeit/: "Meine Zeiten", booking, editing, the stopwatch, the CSV upload.

Every page shows the viewer's own entries only – the coordination included (staff-council
rule). The stopwatch works with plain POST forms; ``timer.js`` sends the same forms with
``fetch`` and swaps in the fragment this module renders (``X-Time-Fragment`` header), so the
page need not reload and the live region can announce the change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.board.access import get_request_for_user
from amtshilfe.board.models import ServiceRequest
from amtshilfe.lib.service_errors import add_service_errors, flash_form_errors, flash_service_error
from amtshilfe.tenancy.access import is_coordinator, require_coordinator, require_network
from amtshilfe.tenancy.models import Network
from amtshilfe.timeaccounting import access, services
from amtshilfe.timeaccounting.csv_import import import_time_entries
from amtshilfe.timeaccounting.forms import ImportForm, TimeEntryForm, TimerStartForm
from amtshilfe.timeaccounting.panels import (
    month_context,
    month_label,
    parse_month,
    request_panel_context,
)

FRAGMENT_HEADER = "X-Time-Fragment"


def _next_url(request: AuthenticatedRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _request_or_none(
    request: AuthenticatedRequest, network: Network, raw: Any
) -> ServiceRequest | None:
    """The request named in a form (404 if the viewer cannot see it, 403 if not worked on)."""
    if raw in (None, ""):
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    obj, can_work = get_request_for_user(request.user, network, pk)
    if not can_work:
        raise PermissionDenied
    return obj


def _month_url(day: Any) -> str:
    return reverse("timeaccounting:index") + f"?monat={day:%Y-%m}"


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    month = parse_month(request.GET.get("monat"), timezone.localdate())
    context = month_context(request.user, network, month)
    context["can_import"] = is_coordinator(request.user, network)
    return render(request, "timeaccounting/index.html", context)


@login_required
@require_POST
def book(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    obj = _request_or_none(request, network, request.POST.get("request"))
    form = TimeEntryForm(request.POST, auto_id="book_%s" if obj else "id_%s")
    form.set_employers(services.employers_on(request.user, network, timezone.localdate()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.book_time(
                actor=request.user,
                network=network,
                date=data["date"],
                minutes=data["duration"],
                activity=data["activity"],
                note=data["note"],
                request=obj,
                providing_municipality=data.get("providing_municipality"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(duration)s h am %(day)s gebucht.")
                % {
                    "duration": f"{entry.minutes // 60}:{entry.minutes % 60:02d}",
                    "day": f"{entry.date:%d.%m.%Y}",
                },
            )
            default = reverse("board:request", args=[obj.pk]) if obj else _month_url(entry.date)
            return redirect(_next_url(request, default))
    if obj is not None:
        # The form sits on the request page: show the errors there, keep nothing half-saved.
        flash_form_errors(request, form)
        return redirect(_next_url(request, reverse("board:request", args=[obj.pk])))
    context = month_context(request.user, network, timezone.localdate().replace(day=1), form=form)
    context["can_import"] = is_coordinator(request.user, network)
    return render(request, "timeaccounting/index.html", context, status=400)


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    entry, can_write = access.get_entry_for_user(request.user, network, pk)
    if not can_write or entry.is_reversal:
        messages.error(
            request,
            _("Dieser Eintrag liegt in einem abgeschlossenen Zeitraum und bleibt unverändert.")
            if not can_write
            else _("Ein Storno lässt sich nicht bearbeiten."),
        )
        return redirect(_month_url(entry.date))
    initial = {
        "date": entry.date,
        "duration": f"{entry.minutes // 60}:{entry.minutes % 60:02d}",
        "activity": entry.activity,
        "note": entry.note,
        "providing_municipality": entry.providing_municipality_id,
    }
    form = TimeEntryForm(request.POST if request.method == "POST" else None, initial=initial)
    form.set_employers(services.employers_on(request.user, network, entry.date))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_time_entry(
                actor=request.user,
                entry=entry,
                date=data["date"],
                minutes=data["duration"],
                activity=data["activity"],
                note=data["note"],
                providing_municipality=data.get("providing_municipality"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Eintrag ist geändert."))
            return redirect(_month_url(data["date"]))
    return render(
        request,
        "timeaccounting/edit.html",
        {"form": form, "entry": entry, "month_value": f"{entry.date:%Y-%m}"},
        status=400 if form.is_bound else 200,
    )


@login_required
def delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    entry, _can_write = access.get_entry_for_user(request.user, network, pk)
    if request.method == "POST":
        try:
            services.delete_time_entry(actor=request.user, entry=entry)
        except ValidationError as error:
            flash_service_error(request, error)
        else:
            messages.success(request, _("Der Eintrag ist gelöscht."))
        return redirect(_month_url(entry.date))
    return render(request, "timeaccounting/delete.html", {"entry": entry})


@login_required
@require_POST
def reverse_entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    entry, _can_write = access.get_entry_for_user(request.user, network, pk)
    try:
        reversal = services.reverse_time_entry(actor=request.user, entry=entry)
    except ValidationError as error:
        flash_service_error(request, error)
        return redirect(_month_url(entry.date))
    messages.success(
        request,
        _("Der Eintrag ist storniert (Storno am %(day)s). Buchen Sie die richtige Zeit neu.")
        % {"day": f"{reversal.date:%d.%m.%Y}"},
    )
    return redirect(_month_url(reversal.date))


# --- stopwatch -------------------------------------------------------------------------------


def _timer_response(
    request: AuthenticatedRequest, network: Network, announcement: str, *, error: bool = False
) -> HttpResponse:
    """A JSON fragment for timer.js, or a redirect back for plain forms."""
    try:
        obj = _request_or_none(request, network, request.POST.get("request"))
    except (Http404, PermissionDenied):
        obj = None  # e.g. the card went to somebody else while the stopwatch ran

    if request.headers.get(FRAGMENT_HEADER):
        if request.POST.get("panel") == "request" and obj is not None:
            context = request_panel_context(request.user, network, obj)
            template = "timeaccounting/_request_panel_body.html"
        else:
            month = parse_month(request.POST.get("monat"), timezone.localdate())
            context = month_context(request.user, network, month)
            template = "timeaccounting/_month_body.html"
        html = render_to_string(template, context, request=request)
        return JsonResponse(
            {"announcement": announcement, "html": html}, status=422 if error else 200
        )
    (messages.error if error else messages.success)(request, announcement)
    default = reverse("board:request", args=[obj.pk]) if obj else reverse("timeaccounting:index")
    return redirect(_next_url(request, default))


@login_required
@require_POST
def timer_start(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    obj = _request_or_none(request, network, request.POST.get("request"))
    form = TimerStartForm(request.POST)
    form.set_employers(services.employers_on(request.user, network, timezone.localdate()))
    if not form.is_valid():
        return _timer_response(
            request,
            network,
            " ".join(str(e) for errs in form.errors.values() for e in errs),
            error=True,
        )
    try:
        services.start_timer(
            actor=request.user,
            network=network,
            request=obj,
            activity=form.cleaned_data["activity"],
            note=form.cleaned_data["note"],
            providing_municipality=form.cleaned_data.get("providing_municipality"),
        )
    except ValidationError as error:
        return _timer_response(request, network, " ".join(error.messages), error=True)
    return _timer_response(request, network, _("Stoppuhr gestartet."))


@login_required
@require_POST
def timer_stop(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    try:
        entry = services.stop_timer(actor=request.user)
    except ValidationError as error:
        return _timer_response(request, network, " ".join(error.messages), error=True)
    announcement = _("Stoppuhr angehalten: %(duration)s h gebucht.") % {
        "duration": f"{entry.minutes // 60}:{entry.minutes % 60:02d}"
    }
    return _timer_response(request, network, announcement)


@login_required
@require_POST
def timer_discard(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    try:
        services.discard_timer(actor=request.user)
    except ValidationError as error:
        return _timer_response(request, network, " ".join(error.messages), error=True)
    return _timer_response(request, network, _("Stoppuhr verworfen, nichts gebucht."))


# --- CSV import (coordination) ----------------------------------------------------------------


@login_required
def upload(request: AuthenticatedRequest) -> HttpResponse:
    """The coordination uploads a CSV; the result is counts and line errors, no hours."""
    network = require_coordinator(request)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_time_entries(
                actor=request.user,
                network=network,
                data=form.cleaned_data["file"].read(),
                skip_invalid=form.cleaned_data["skip_invalid"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as error:
            add_service_errors(form, ValidationError({"file": error.messages}))
    return render(
        request,
        "timeaccounting/upload.html",
        {"form": form, "result": result, "month_label": month_label(timezone.localdate())},
        status=400 if form.is_bound and (result is None or result.refused) else 200,
    )
