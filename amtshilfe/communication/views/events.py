"""Event pages: list (upcoming and past), one event with registration, write, cancel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.accounts.models import User
from amtshilfe.communication import access, services
from amtshilfe.communication.forms import ClusterFilterForm, EventForm
from amtshilfe.communication.models import Event, EventRegistration
from amtshilfe.communication.views.rendering import markdown_html
from amtshilfe.lib.service_errors import add_service_errors, flash_service_error
from amtshilfe.tenancy.access import is_coordinator, is_network_member, require_network

PAST_PAGE_SIZE = 20
FIELDS = [
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "cluster",
    "is_public",
    "capacity",
    "registration_deadline",
]


def event_list(request: HttpRequest) -> HttpResponse:
    network = access.page_network(request)
    now = timezone.now()
    events = Event.objects.visible_to(request.user, network).select_related("cluster")
    filters = ClusterFilterForm(request.GET or None, network=network)
    cluster = filters.cleaned_data.get("cluster") if filters.is_valid() else None
    if cluster is not None:
        events = events.filter(cluster=cluster)
    past = Paginator(events.past(now), PAST_PAGE_SIZE).get_page(request.GET.get("seite"))
    member = is_network_member(request.user, network)
    mine: set[int] = set()
    if member and isinstance(request.user, User):
        mine = set(
            EventRegistration.objects.filter(user=request.user, event__network=network)
            .exclude(status=EventRegistration.Status.CANCELLED)
            .values_list("event_id", flat=True)
        )
    return render(
        request,
        "communication/event_list.html",
        {
            "network": network,
            "upcoming": list(events.upcoming(now)[:100]),
            "page": past,
            "filters": filters,
            "member": member,
            "mine": mine,
            "can_write": member and access.can_write_some(request.user, network),
            "query_string": f"cluster={cluster.slug}" if cluster else "",
        },
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = access.page_network(request)
    event, can_write = access.get_event_for_user(request.user, network, pk)
    member = is_network_member(request.user, network)
    registration = None
    if member and isinstance(request.user, User):
        registration = (
            EventRegistration.objects.filter(event=event, user=request.user)
            .exclude(status=EventRegistration.Status.CANCELLED)
            .first()
        )
    registered, waiting_count = event.registration_counts()
    participants: list[Any] = []
    waiting: list[Any] = []
    if can_write:
        rows = event.registrations.select_related("user").order_by("queued_at", "pk")
        participants = [r.user.full_name for r in rows if r.status == "registered"]
        waiting = [r.user.full_name for r in rows if r.status == "waiting"]
    return render(
        request,
        "communication/event_detail.html",
        {
            "event": event,
            "description_html": markdown_html(event.description),
            "can_write": can_write,
            "member": member,
            "registration": registration,
            "registered_count": registered,
            "waiting_count": waiting_count,
            "free": None if event.capacity is None else max(event.capacity - registered, 0),
            "registration_open": event.registration_open(),
            "participants": participants,
            "waiting": waiting,
        },
    )


def _form(request: AuthenticatedRequest, network: Any, **kwargs: Any) -> EventForm:
    return EventForm(
        request.POST if request.method == "POST" else None,
        network=network,
        allowed_clusters=access.writable_cluster_ids(request.user, network),
        may_publish_publicly=is_coordinator(request.user, network),
        **kwargs,
    )


def _fields(form: EventForm) -> dict[str, Any]:
    data = form.cleaned_data
    fields = {name: data.get(name) for name in FIELDS}
    fields["is_public"] = bool(fields["is_public"])
    fields["description"] = fields["description"] or ""
    fields["location"] = fields["location"] or ""
    fields["online_url"] = fields["online_url"] or ""
    return fields


@login_required
def event_create(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    if not access.can_write_some(request.user, network):
        raise PermissionDenied
    form = _form(request, network)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(actor=request.user, network=network, **_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Termin ist angelegt."))
            return redirect("communication:event_detail", pk=event.pk)
    return render(
        request,
        "communication/event_form.html",
        {"form": form, "creating": True},
        status=400 if form.is_bound else 200,
    )


@login_required
def event_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    event = access.get_event_for_user_rw(request.user, network, pk)
    form = _form(request, network, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.update_event(actor=request.user, event=event, **_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Termin ist gespeichert."))
            return redirect("communication:event_detail", pk=event.pk)
    return render(
        request,
        "communication/event_form.html",
        {"form": form, "creating": False, "event": event},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def event_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    event = access.get_event_for_user_rw(request.user, network, pk)
    try:
        services.cancel_event(actor=request.user, event=event)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Der Termin ist abgesagt; alle Angemeldeten sind informiert."))
    return redirect("communication:event_detail", pk=event.pk)


@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Anonymous visitors go to the login and come back to the event page."""
    if not isinstance(request.user, User) or not request.user.is_authenticated:
        return redirect_to_login(reverse("communication:event_detail", kwargs={"pk": pk}))
    network = require_network(request)
    event, _can_write = access.get_event_for_user(request.user, network, pk)
    try:
        registration = services.register_for_event(actor=request.user, event=event)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        if registration.status == EventRegistration.Status.REGISTERED:
            messages.success(request, _("Sie sind angemeldet. Eine Bestätigung ist unterwegs."))
        else:
            messages.info(
                request,
                _(
                    "Der Termin ist ausgebucht. Sie stehen auf der Warteliste und rücken "
                    "automatisch nach."
                ),
            )
    return redirect("communication:event_detail", pk=event.pk)


@login_required
@require_POST
def event_unregister(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    event, _can_write = access.get_event_for_user(request.user, network, pk)
    try:
        services.cancel_registration(actor=request.user, event=event)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Sie sind abgemeldet."))
    return redirect("communication:event_detail", pk=event.pk)
