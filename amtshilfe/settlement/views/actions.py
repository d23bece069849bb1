"""Writing screens: scheme settings, start review, object, resolve, close (thin views)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.lib.service_errors import (
    add_service_errors,
    flash_form_errors,
    flash_service_error,
)
from amtshilfe.settlement import access, reading, services
from amtshilfe.settlement.forms import CloseForm, ObjectionForm, ResolveForm, SchemeForm
from amtshilfe.settlement.models import CompensationScheme, Objection
from amtshilfe.settlement.periods import month_label
from amtshilfe.settlement.views.pages import close_confirm, period_context, statement_context
from amtshilfe.tenancy.current import current_network


@login_required
def scheme(request: AuthenticatedRequest) -> HttpResponse:
    network = access.require_settlement_reader(request.user, current_network(request))
    can_manage = access.can_manage_settlement(request.user, network)
    next_month = (timezone.localdate().replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    current = CompensationScheme.objects.effective_on(network, next_month)
    history = list(
        CompensationScheme.objects.in_network(network).select_related("clearing_municipality")
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = SchemeForm(request.POST, network=network, auto_id="scheme_%s")
        if form.is_valid():
            try:
                services.save_compensation_scheme(
                    actor=request.user, network=network, **form.service_arguments()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Das Vergütungsmodell ist gespeichert."))
                return redirect("settlement:scheme")
        status = 400
    else:
        initial = SchemeForm.initial_from(current, month_label(next_month))
        form = SchemeForm(initial=initial, network=network, auto_id="scheme_%s")
        status = 200
    context = {
        "form": form,
        "can_manage": can_manage,
        "current": current,
        "history": history,
    }
    return render(request, "settlement/scheme.html", context, status=status)


@login_required
@require_POST
def start_review(request: AuthenticatedRequest, label: str) -> HttpResponse:
    network = access.require_settlement_manager(request.user, current_network(request))
    if reading.period_label_or_none(label) is None:
        raise Http404
    try:
        services.start_review(actor=request.user, network=network, label=label)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Die Abrechnung ist zur Prüfung freigegeben."))
    return redirect("settlement:period", label=label)


@login_required
def close(request: AuthenticatedRequest, label: str) -> HttpResponse:
    network = access.require_settlement_manager(request.user, current_network(request))
    if reading.period_label_or_none(label) is None:
        raise Http404
    if request.method != "POST":
        return close_confirm(request, label)
    form = CloseForm(request.POST, auto_id="close_%s")
    if form.is_valid():
        try:
            services.close_settlement_period(actor=request.user, network=network, label=label)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Zeitraum ist abgeschlossen."))
            return redirect("settlement:period", label=label)
    view = reading.period_view(user=request.user, network=network, label=label)
    context = period_context(request, network, view, close_form=form)
    return render(request, "settlement/close.html", context, status=400)


@login_required
@require_POST
def object_to(request: AuthenticatedRequest, label: str, slug: str) -> HttpResponse:
    network = access.require_settlement_reader(request.user, current_network(request))
    municipality, _can_manage = access.get_statement_municipality_for_user(
        request.user, network, slug
    )
    period, _manage = access.get_period_for_user(request.user, network, label)
    if period is None:
        raise Http404
    form = ObjectionForm(request.POST, auto_id="objection_%s")
    if form.is_valid():
        try:
            services.object_to_statement(
                actor=request.user,
                period=period,
                municipality=municipality,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ihr Einspruch ist eingegangen."))
            return redirect("settlement:statement", label=label, slug=slug)
    context = statement_context(request, network, label, slug, objection_form=form)
    return render(request, "settlement/statement.html", context, status=400)


@login_required
@require_POST
def resolve(request: AuthenticatedRequest, label: str, pk: int) -> HttpResponse:
    network = access.require_settlement_manager(request.user, current_network(request))
    objection = get_object_or_404(
        Objection.objects.select_related("municipality"),
        pk=pk,
        period__network=network,
        period__label=label,
    )
    form = ResolveForm(request.POST, auto_id="resolve_%s")
    if form.is_valid():
        try:
            services.resolve_objection(
                actor=request.user,
                objection=objection,
                accepted=form.cleaned_data["decision"] == "accepted",
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as error:
            flash_service_error(request, error)
        else:
            messages.success(request, _("Die Entscheidung über den Einspruch ist gespeichert."))
    else:
        flash_form_errors(request, form)
    return redirect("settlement:statement", label=label, slug=objection.municipality.slug)
