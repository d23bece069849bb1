"""Reading screens: the periods list, one period, one municipality's statement, downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.settlement import access, exports, reading
from amtshilfe.settlement.forms import CloseForm, ObjectionForm, PeriodPickForm, ResolveForm
from amtshilfe.settlement.models import SettlementPeriod
from amtshilfe.settlement.periods import month_label, previous_month
from amtshilfe.settlement.services import may_object
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Network


def _network(request: AuthenticatedRequest) -> Network:
    return access.require_settlement_reader(request.user, current_network(request))


def _view(request: AuthenticatedRequest, network: Network, label: str) -> reading.PeriodView:
    if reading.period_label_or_none(label) is None:
        raise Http404
    access.get_period_for_user(request.user, network, label)
    return reading.period_view(user=request.user, network=network, label=label)


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    network = _network(request)
    if "zeitraum" in request.GET:
        pick = PeriodPickForm(request.GET)
        if pick.is_valid():
            return redirect("settlement:period", label=pick.cleaned_data["zeitraum"])
    else:
        pick = PeriodPickForm()
    stored = {p.label: p for p in SettlementPeriod.objects.visible_to(request.user, network)}
    month = timezone.localdate().replace(day=1)
    recent = []
    for _step in range(6):
        month = previous_month(month)
        label = month_label(month)
        recent.append({"label": label, "period": stored.pop(label, None), "starts_on": month})
    context = {
        "recent": recent,
        "others": sorted(stored.values(), key=lambda p: p.starts_on, reverse=True),
        "pick": pick,
        "can_manage": access.can_manage_settlement(request.user, network),
    }
    return render(request, "settlement/index.html", context)


def period_context(
    request: AuthenticatedRequest, network: Network, view: reading.PeriodView, **extra: Any
) -> dict[str, Any]:
    can_manage = access.can_manage_settlement(request.user, network)
    today = timezone.localdate()
    period = view.period
    in_review = view.status == SettlementPeriod.Status.IN_REVIEW
    deadline_over = bool(period and period.review_until and period.review_until <= timezone.now())
    return {
        "view": view,
        "can_manage": can_manage,
        "can_start_review": can_manage
        and view.status != SettlementPeriod.Status.CLOSED
        and view.spec.ends_on < today,
        "can_close": can_manage and in_review and deadline_over,
        "in_review": in_review,
        "resolve_form": ResolveForm(auto_id="resolve_%s"),
        **extra,
    }


@login_required
def period(request: AuthenticatedRequest, label: str) -> HttpResponse:
    network = _network(request)
    view = _view(request, network, label)
    return render(request, "settlement/period.html", period_context(request, network, view))


@login_required
def close_confirm(request: AuthenticatedRequest, label: str) -> HttpResponse:
    network = access.require_settlement_manager(request.user, current_network(request))
    view = _view(request, network, label)
    form = CloseForm(auto_id="close_%s")
    context = period_context(request, network, view, close_form=form)
    return render(request, "settlement/close.html", context)


def statement_context(
    request: AuthenticatedRequest, network: Network, label: str, slug: str, **extra: Any
) -> dict[str, Any]:
    municipality, can_manage = access.get_statement_municipality_for_user(
        request.user, network, slug
    )
    view = _view(request, network, label)
    body = view.body_for(slug)
    period = view.period
    open_for_objections = bool(
        period
        and period.status == SettlementPeriod.Status.IN_REVIEW
        and (period.review_until is None or timezone.now() < period.review_until)
    )
    return {
        "view": view,
        "municipality": municipality,
        "body": body,
        "statement_hash": view.hashes.get(slug, ""),
        "can_manage": can_manage,
        "can_object": open_for_objections and may_object(request.user, municipality),
        "objection_form": extra.pop("objection_form", None)
        or ObjectionForm(auto_id="objection_%s"),
        "objections": [o for o in view.objections if o.municipality_id == municipality.pk],
        "resolve_form": ResolveForm(auto_id="resolve_%s"),
        **extra,
    }


@login_required
def statement(request: AuthenticatedRequest, label: str, slug: str) -> HttpResponse:
    network = _network(request)
    context = statement_context(request, network, label, slug)
    return render(request, "settlement/statement.html", context)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _status_text(view: reading.PeriodView) -> str:
    return view.status_label


@login_required
def period_download(request: AuthenticatedRequest, label: str, fmt: str) -> HttpResponse:
    network = _network(request)
    view = _view(request, network, label)
    if not view.sees_all:
        raise Http404  # the whole network's list is for coordination, steering, audit
    args = (view.spec.label, _status_text(view), view.content_hash, view.bodies, view.transfers)
    stamp = dt.date.today().isoformat() if not view.content_hash else view.spec.label
    name = f"abrechnung-{network.slug}-{view.spec.label}-{stamp}"
    if fmt == "csv":
        return _download(exports.period_csv(*args), f"{name}.csv", "text/csv; charset=utf-8")
    return _download(exports.period_pdf(*args), f"{name}.pdf", "application/pdf")


@login_required
def statement_download(
    request: AuthenticatedRequest, label: str, slug: str, fmt: str
) -> HttpResponse:
    network = _network(request)
    context = statement_context(request, network, label, slug)
    body = context["body"]
    if body is None:
        raise Http404
    name = f"abrechnung-{slug}-{context['view'].spec.label}"
    if fmt == "csv":
        return _download(exports.statement_csv(body), f"{name}.csv", "text/csv; charset=utf-8")
    pdf = exports.statement_pdf(
        body, status=_status_text(context["view"]), content_hash=context["statement_hash"]
    )
    return _download(pdf, f"{name}.pdf", "application/pdf")
