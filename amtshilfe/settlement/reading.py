"""What the pages, exports, CLI and API show of a period – stored or previewed.

A preview period is computed on the fly; a period in review or closed shows its stored
statements (and, when closed, its stored transfers). Visibility is applied here once:
``statement_municipality_ids`` decides which statements a user gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from amtshilfe.settlement import engine, money
from amtshilfe.settlement.models import (
    ClearingMode,
    Objection,
    SettlementPeriod,
    Statement,
    Transfer,
    statement_municipality_ids,
)
from amtshilfe.settlement.periods import PeriodSpec, parse_period
from amtshilfe.settlement.services import scheme_for
from amtshilfe.tenancy.models import Municipality, Network


@dataclass
class PeriodView:
    spec: PeriodSpec
    period: SettlementPeriod | None
    status: str
    status_label: str
    scheme: dict[str, Any]
    bodies: list[dict[str, Any]]
    hashes: dict[str, str]  # municipality slug → statement hash (stored statements)
    transfers: list[dict[str, Any]]
    sees_all: bool
    content_hash: str = ""
    objections: list[Objection] = field(default_factory=list)

    def body_for(self, slug: str) -> dict[str, Any] | None:
        return next((b for b in self.bodies if b["municipality"]["slug"] == slug), None)

    @property
    def total_balance(self) -> int:
        return sum(body["balance_cents"] for body in self.bodies)


def _transfer_dicts(
    transfers: list[tuple[int, int, int]], names: dict[int, str], visible: set[int] | None
) -> list[dict[str, Any]]:
    return [
        {"from": names.get(payer, "?"), "to": names.get(payee, "?"), "amount_cents": amount}
        for payer, payee, amount in transfers
        if visible is None or payer in visible or payee in visible
    ]


def period_view(*, user: Any, network: Network, label: str) -> PeriodView:
    """The period ``label`` as ``user`` may see it (call the access helper first);
    ``user=None`` is the system (CLI): everything."""
    spec = parse_period(label)
    visible = None if user is None else statement_municipality_ids(user, network)
    period = SettlementPeriod.objects.filter(network=network, label=spec.label).first()
    if period is None or period.status == SettlementPeriod.Status.PREVIEW:
        result = engine.settle(network=network, spec=spec, scheme=scheme_for(network, spec))
        statements = [
            s for s in result.statements if visible is None or s.municipality_id in visible
        ]
        return PeriodView(
            spec=spec,
            period=period,
            status=SettlementPeriod.Status.PREVIEW,
            status_label=str(SettlementPeriod.Status.PREVIEW.label),
            scheme=result.scheme,
            bodies=[s.body for s in statements],
            hashes={},
            transfers=_transfer_dicts(result.transfers, result.names, visible),
            sees_all=visible is None,
        )
    stored = Statement.objects.filter(period=period).select_related("municipality")
    if visible is not None:
        stored = stored.filter(municipality_id__in=visible)
    rows = list(stored.order_by("municipality__name"))
    names = dict(Municipality.objects.in_network(network).values_list("pk", "name"))
    if period.is_closed:
        transfers = [
            (t.payer_id, t.payee_id, t.amount_cents)
            for t in Transfer.objects.filter(period=period).order_by("position")
        ]
    else:
        balances = dict(
            Statement.objects.filter(period=period).values_list("municipality_id", "balance_cents")
        )
        scheme = period.scheme
        if scheme is not None and scheme.clearing_mode == ClearingMode.CLEARING:
            assert scheme.clearing_municipality_id is not None
            transfers = money.clearing_transfers(balances, scheme.clearing_municipality_id)
        else:
            transfers = money.direct_transfers(balances)
    objections = period.objections.select_related("municipality").order_by("created_at")
    if visible is not None:
        objections = objections.filter(municipality_id__in=visible)
    return PeriodView(
        spec=spec,
        period=period,
        status=period.status,
        status_label=str(period.get_status_display()),
        scheme=engine.scheme_summary(period.scheme),
        bodies=[row.body for row in rows],
        hashes={row.municipality.slug: row.content_hash for row in rows},
        transfers=_transfer_dicts(transfers, names, visible),
        sees_all=visible is None,
        content_hash=period.content_hash,
        objections=list(objections),
    )


def period_label_or_none(label: str) -> PeriodSpec | None:
    try:
        return parse_period(label)
    except Exception:
        return None
