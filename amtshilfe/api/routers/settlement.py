"""`/api/v1/settlement`: settlement periods and statements, with the pages' visibility.

- coordination, steering group and audit read every statement; IT specialists the
  statements of their own municipalities; everybody else gets 404 (as if missing);
- a preview period is computed on the fly, a period in review or closed is what is stored;
- no person appears anywhere (ADR 0012).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from amtshilfe.settlement import access, reading
from amtshilfe.settlement.models import SettlementPeriod
from amtshilfe.tenancy.current import current_network

router = Router(tags=["settlement"])


class PeriodOut(Schema):
    label: str
    kind: str
    starts_on: str
    ends_on: str
    status: str
    status_label: str
    review_until: str | None = None
    closed_at: str | None = None
    content_hash: str = ""


class TransferOut(Schema):
    from_municipality: str
    to_municipality: str
    amount_cents: int


class PeriodDetailOut(PeriodOut):
    scheme: dict[str, Any]
    statements: list[dict[str, Any]]
    transfers: list[TransferOut]


class StatementOut(Schema):
    period: str
    status: str
    municipality: str
    content_hash: str = ""
    statement: dict[str, Any]


def _view(request: HttpRequest, label: str) -> reading.PeriodView:
    network = access.require_settlement_reader(request.user, current_network(request))
    if reading.period_label_or_none(label) is None:
        raise Http404
    return reading.period_view(user=request.user, network=network, label=label)


def _period_out(period: SettlementPeriod) -> dict[str, Any]:
    return {
        "label": period.label,
        "kind": period.kind,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "status": period.status,
        "status_label": str(period.get_status_display()),
        "review_until": period.review_until.isoformat() if period.review_until else None,
        "closed_at": period.closed_at.isoformat() if period.closed_at else None,
        "content_hash": period.content_hash,
    }


@router.get("/periods", response=list[PeriodOut], summary="Gespeicherte Abrechnungszeiträume")
def list_periods(request: HttpRequest) -> list[dict[str, Any]]:
    """Periods in review or closed (a preview exists for any label without being stored)."""
    network = access.require_settlement_reader(request.user, current_network(request))
    periods = SettlementPeriod.objects.visible_to(request.user, network).order_by("-starts_on")
    return [_period_out(period) for period in periods]


@router.get("/periods/{label}", response=PeriodDetailOut, summary="Ein Zeitraum mit Abrechnungen")
def read_period(request: HttpRequest, label: str) -> dict[str, Any]:
    view = _view(request, label)
    period = view.period
    return {
        "label": view.spec.label,
        "kind": view.spec.kind,
        "starts_on": view.spec.starts_on.isoformat(),
        "ends_on": view.spec.ends_on.isoformat(),
        "status": view.status,
        "status_label": view.status_label,
        "review_until": period.review_until.isoformat() if period and period.review_until else None,
        "closed_at": period.closed_at.isoformat() if period and period.closed_at else None,
        "content_hash": view.content_hash,
        "scheme": view.scheme,
        "statements": view.bodies,
        "transfers": [
            {
                "from_municipality": t["from"],
                "to_municipality": t["to"],
                "amount_cents": t["amount_cents"],
            }
            for t in view.transfers
        ],
    }


@router.get(
    "/periods/{label}/statements/{slug}",
    response=StatementOut,
    summary="Abrechnung einer Kommune",
)
def read_statement(request: HttpRequest, label: str, slug: str) -> dict[str, Any]:
    network = access.require_settlement_reader(request.user, current_network(request))
    access.get_statement_municipality_for_user(request.user, network, slug)
    view = _view(request, label)
    body = view.body_for(slug)
    if body is None:
        raise Http404
    return {
        "period": view.spec.label,
        "status": view.status,
        "municipality": body["municipality"]["name"],
        "content_hash": view.hashes.get(slug, ""),
        "statement": body,
    }
