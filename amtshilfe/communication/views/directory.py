"""The member directory (members only) and one's own entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.communication import directory, services
from amtshilfe.communication.forms import DirectoryEntryForm, DirectoryFilterForm
from amtshilfe.communication.models import DirectoryEntry, directory_defaults
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.tenancy.access import current_memberships, require_network


@login_required
def directory_list(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    filters = DirectoryFilterForm(request.GET or None, network=network)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = directory.listing(
        network,
        cluster=data.get("cluster"),
        municipality=data.get("kommune"),
        query=data.get("q") or "",
    )
    return render(
        request,
        "communication/directory.html",
        {
            "rows": rows,
            "filters": filters,
            "filtered": bool(filters.is_bound and any(data.values())),
            "has_entry": bool(current_memberships(request.user, network)),
        },
    )


@login_required
def my_entry(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    if not current_memberships(request.user, network):
        raise PermissionDenied
    entry = DirectoryEntry.objects.filter(
        network=network, user=request.user
    ).first() or directory_defaults(user=request.user, network=network)
    form = DirectoryEntryForm(request.POST if request.method == "POST" else None, instance=entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_directory_entry(
                actor=request.user,
                network=network,
                show_in_directory=data["show_in_directory"],
                show_email=data["show_email"],
                show_phone=data["show_phone"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ihr Eintrag im Verzeichnis ist gespeichert."))
            return redirect("communication:directory")
    return render(
        request,
        "communication/directory_entry.html",
        {"form": form, "person": request.user},
        status=400 if form.is_bound else 200,
    )
