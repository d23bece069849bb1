"""The settlement engine: statements and transfers of one network for one period.

The database aggregates (GROUP BY giver, receiver, activity, cluster, request – reversals
counted negative with ``CASE``); Python only walks the aggregate rows, never the entries.
Nothing is written here: ``services`` stores what ``settle()`` returns (ADR 0012).

Steps of ``settle()``:

1. Members: the municipalities that belonged to the network during the period (the
   Umlage key is theirs) plus any municipality that booked or received time in it.
2. Four aggregate queries over the period's entries (work for one's own municipality
   is left out – it is not exchanged):
   pairs (giver, receiver|network, activity) → minutes;
   given (giver, cluster, person) → minutes, only for the staff-council rule below;
   received (receiver, request, giver) → minutes with the request's number and title;
   received per cluster (receiver, cluster) → minutes.
3. Exact amounts as ``Fraction``s of cents per model (Stundensatz, Zeitkonto, Umlage,
   Kombination), balances summing to exactly 0.
4. Balances rounded to cents with the largest-remainder method (``money.round_to_zero_sum``),
   transfers via the clearing account or as few direct transfers as ``money`` guarantees.
5. A statement body per municipality. Staff council: the hours a municipality *gave* are
   broken down by cluster only where at least ``AMTSHILFE_MIN_GROUP_SIZE`` of its people
   booked; smaller clusters – and, if the rest would still rest on fewer people, the next
   smallest shown ones – are merged into "weitere Themen". No person is ever named.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import BigIntegerField, Case, F, Q, Sum, When
from django.utils.translation import gettext as _

from amtshilfe.experts.models import TopicCluster
from amtshilfe.settlement import money
from amtshilfe.settlement.models import (
    ClearingMode,
    CompensationScheme,
    LevyKey,
    SchemeKind,
    SettlementPeriod,
    Statement,
)
from amtshilfe.settlement.periods import PeriodSpec
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.timeaccounting.models import TimeEntry

NETWORK = "netzwerk"


@dataclass
class StatementData:
    """One municipality's figures and body (what a ``Statement`` row stores)."""

    municipality_id: int
    name: str
    slug: str
    minutes_given: int = 0
    minutes_received: int = 0
    net_minutes: int = 0
    account_minutes: int = 0
    over_limit: bool = False
    earned_cents: int = 0
    owed_cents: int = 0
    contribution_cents: int = 0
    balance_cents: int = 0
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return content_hash(self.body)


@dataclass
class Settlement:
    """Everything a period's settlement shows: statements, transfers, totals."""

    network_id: int
    spec: PeriodSpec
    scheme: dict[str, Any]
    statements: list[StatementData]
    transfers: list[tuple[int, int, int]]
    names: dict[int, str]
    total_minutes: int
    common_minutes: int

    def statement_for(self, municipality_id: int) -> StatementData | None:
        return next((s for s in self.statements if s.municipality_id == municipality_id), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "period": {
                "label": self.spec.label,
                "kind": self.spec.kind,
                "starts_on": self.spec.starts_on.isoformat(),
                "ends_on": self.spec.ends_on.isoformat(),
            },
            "scheme": self.scheme,
            "total_minutes": self.total_minutes,
            "common_minutes": self.common_minutes,
            "statements": [s.body for s in self.statements],
            "transfers": [
                {
                    "from": self.names[payer],
                    "to": self.names[payee],
                    "amount_cents": amount,
                }
                for payer, payee, amount in self.transfers
            ],
        }


def content_hash(data: Any) -> str:
    """SHA-256 of the canonical JSON of ``data`` (sorted keys, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def scheme_summary(scheme: CompensationScheme | None) -> dict[str, Any]:
    if scheme is None:
        return {"kind": SchemeKind.ACCOUNT.value, "label": _("kein Modell – nur Zeitkonto")}
    return {
        "kind": scheme.kind,
        "label": str(scheme.get_kind_display()),
        "valid_from": scheme.valid_from.isoformat(),
        "rates_cents": {key: int(value) for key, value in sorted(scheme.rates.items())},
        "free_quota_minutes_per_month": scheme.free_quota_minutes,
        "levy_key": scheme.levy_key,
        "population_percent": scheme.population_percent,
        "common_rate_cents": scheme.common_rate_cents,
        "annual_budget_cents": scheme.annual_budget_cents,
        "account_limit_minutes": scheme.account_limit_minutes,
        "clearing_mode": scheme.clearing_mode,
        "clearing_municipality_id": scheme.clearing_municipality_id,
    }


SIGNED = Sum(
    Case(
        When(is_reversal=True, then=F("minutes") * -1),
        default=F("minutes"),
        output_field=BigIntegerField(),
    )
)


def _entries(network: Network, spec: PeriodSpec) -> Any:
    return (
        TimeEntry.objects.in_network(network.pk)
        .between(spec.starts_on, spec.ends_on)
        .exclude(
            Q(receiving_municipality__isnull=False)
            & Q(providing_municipality=F("receiving_municipality"))
        )
        .order_by()
    )


def _members(network: Network, spec: PeriodSpec, extra: set[int]) -> list[Municipality]:
    during = Q(joined_on__lte=spec.ends_on) & (
        Q(left_on__isnull=True) | Q(left_on__gte=spec.starts_on)
    )
    return list(
        Municipality.objects.in_network(network)
        .filter(during | Q(pk__in=extra))
        .only("pk", "name", "slug", "population", "joined_on", "left_on")
        .order_by("name", "pk")
    )


def _levy_shares(members: list[Municipality], scheme: CompensationScheme) -> dict[int, Fraction]:
    """Each member's share of the common costs (the shares sum to exactly 1)."""
    if not members:
        return {}
    equal = {m.pk: Fraction(1, len(members)) for m in members}
    total_population = sum(m.population or 0 for m in members)
    if total_population == 0 or scheme.levy_key == LevyKey.EQUAL:
        return equal
    by_population = {m.pk: Fraction(m.population or 0, total_population) for m in members}
    if scheme.levy_key == LevyKey.POPULATION:
        return by_population
    weight = Fraction(scheme.population_percent, 100)
    return {m.pk: weight * by_population[m.pk] + (1 - weight) * equal[m.pk] for m in members}


def _previous_accounts(network: Network, spec: PeriodSpec) -> dict[int, int]:
    """Zeitkonto carried in: the account of the last closed period before this one."""
    previous = (
        SettlementPeriod.objects.in_network(network)
        .closed()
        .filter(ends_on__lt=spec.starts_on)
        .order_by("-ends_on")
        .first()
    )
    if previous is None:
        return {}
    return dict(
        Statement.objects.filter(period=previous).values_list("municipality_id", "account_minutes")
    )


def _suppressed_clusters(
    clusters: dict[int | None, tuple[int, set[int]]], names: dict[int, str], minimum: int
) -> list[dict[str, Any]]:
    """Per-cluster lines of the hours one municipality gave, with the staff-council rule.

    A cluster is shown only when ≥ ``minimum`` distinct people booked in it; the rest is
    one "weitere Themen" line, and while that rest rests on fewer than ``minimum`` people
    (but is not empty) the smallest shown cluster joins it – otherwise the rest could be
    recovered by subtraction and would show few people's hours.
    """
    shown = sorted(
        (
            (key, minutes, persons)
            for key, (minutes, persons) in clusters.items()
            if key is not None and len(persons) >= minimum
        ),
        key=lambda row: (-len(row[2]), -row[1], names.get(row[0] or 0, "")),
    )
    rest_minutes = sum(minutes for minutes, _persons in clusters.values())
    rest_persons: set[int] = set()
    for key, (_minutes, persons) in clusters.items():
        if key is None or len(persons) < minimum:
            rest_persons |= persons
    rest_minutes -= sum(row[1] for row in shown)
    while shown and rest_persons and len(rest_persons) < minimum:
        key, minutes, persons = shown.pop()
        rest_minutes += minutes
        rest_persons |= persons
    lines = [{"cluster": names.get(key or 0, ""), "minutes": m} for key, m, _p in shown]
    if rest_minutes or rest_persons:
        lines.append({"cluster": _("weitere Themen"), "minutes": rest_minutes, "merged": True})
    return lines


def settle(*, network: Network, spec: PeriodSpec, scheme: CompensationScheme | None) -> Settlement:
    """Compute (not store) the settlement of ``network`` for ``spec`` under ``scheme``."""
    minimum = int(settings.AMTSHILFE_MIN_GROUP_SIZE)
    entries = _entries(network, spec)
    # 2. Aggregates in the database.
    pairs = list(
        entries.values_list("providing_municipality_id", "receiving_municipality_id", "activity")
        .annotate(minutes=SIGNED)
        .order_by()
    )
    given_rows = list(
        entries.values_list("providing_municipality_id", "cluster_id", "person_id")
        .annotate(minutes=SIGNED)
        .order_by()
    )
    request_rows = list(
        entries.filter(request__isnull=False, receiving_municipality__isnull=False)
        .values_list(
            "receiving_municipality_id",
            "request_id",
            "request__number",
            "request__title",
            "providing_municipality_id",
        )
        .annotate(minutes=SIGNED)
        .order_by()
    )
    received_cluster_rows = list(
        entries.filter(receiving_municipality__isnull=False)
        .values_list("receiving_municipality_id", "cluster_id")
        .annotate(minutes=SIGNED)
        .order_by()
    )
    # 1. Members.
    involved = {row[0] for row in pairs} | {row[1] for row in pairs if row[1] is not None}
    members = _members(network, spec, involved)
    names = {m.pk: m.name for m in members}
    slugs = {m.pk: m.slug for m in members}
    cluster_names = dict(TopicCluster.objects.filter(network=network).values_list("pk", "name"))
    kind = scheme.kind if scheme is not None else SchemeKind.ACCOUNT
    months = spec.months

    # 3. Exact amounts.
    received_minutes: dict[int, int] = defaultdict(int)
    given_minutes: dict[int, int] = defaultdict(int)
    common_minutes: dict[int, int] = defaultdict(int)
    for giver, receiver, _activity, minutes in pairs:
        if receiver is None:
            common_minutes[giver] += minutes
        else:
            given_minutes[giver] += minutes
            received_minutes[receiver] += minutes

    paid_share: dict[int, Fraction] = {}
    if kind in (SchemeKind.HOURLY, SchemeKind.COMBINED):
        assert scheme is not None
        quota = scheme.free_quota_minutes * months if kind == SchemeKind.COMBINED else 0
        for receiver, minutes in received_minutes.items():
            billable = max(0, minutes - quota)
            paid_share[receiver] = Fraction(billable, minutes) if minutes > 0 else Fraction(0)

    earned: dict[int, Fraction] = defaultdict(Fraction)
    owed: dict[int, Fraction] = defaultdict(Fraction)
    pair_amount: dict[tuple[int, int | None], Fraction] = defaultdict(Fraction)
    pair_minutes: dict[tuple[int, int | None], int] = defaultdict(int)
    for giver, receiver, activity, minutes in pairs:
        pair_minutes[(giver, receiver)] += minutes
        if receiver is None or not paid_share:
            continue
        assert scheme is not None
        amount = Fraction(minutes * scheme.rate_for(activity), 60) * paid_share.get(
            receiver, Fraction(0)
        )
        earned[giver] += amount
        owed[receiver] += amount
        pair_amount[(giver, receiver)] += amount

    common_credit: dict[int, Fraction] = defaultdict(Fraction)
    budget_credit: dict[int, Fraction] = defaultdict(Fraction)
    contribution: dict[int, Fraction] = defaultdict(Fraction)
    if kind in (SchemeKind.LEVY, SchemeKind.COMBINED):
        assert scheme is not None
        for giver, minutes in common_minutes.items():
            value = Fraction(minutes * scheme.common_rate_cents, 60)
            common_credit[giver] += value
            pair_amount[(giver, None)] += value
        budget = Fraction((scheme.annual_budget_cents or 0) * months, 12)
        holder = scheme.clearing_municipality_id
        if budget and holder is not None:
            budget_credit[holder] += budget
            if holder not in names:
                budget = Fraction(0)
                budget_credit.pop(holder)
        total_cost = sum(common_credit.values(), Fraction(0)) + budget
        # Only members share the costs; a giver outside them still gets its credit.
        levy_members = [m for m in members if m.pk in names]
        for key, share in _levy_shares(levy_members, scheme).items():
            contribution[key] = total_cost * share

    ids = sorted(names, key=lambda pk: (names[pk], pk))
    exact = {
        pk: earned[pk] - owed[pk] + common_credit[pk] + budget_credit[pk] - contribution[pk]
        for pk in ids
    }
    balances = money.round_to_zero_sum(exact)

    # 4. Transfers.
    if scheme is not None and scheme.clearing_mode == ClearingMode.CLEARING:
        holder_id = scheme.clearing_municipality_id
        assert holder_id is not None
        transfers = money.clearing_transfers(balances, holder_id)
    else:
        transfers = money.direct_transfers(balances)

    # 5. Bodies.
    given_clusters: dict[int, dict[int | None, tuple[int, set[int]]]] = defaultdict(dict)
    for giver, cluster, person, minutes in given_rows:
        old_minutes, persons = given_clusters[giver].get(cluster, (0, set()))
        persons.add(person)
        given_clusters[giver][cluster] = (old_minutes + minutes, persons)
    requests_of: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for receiver, request_id, number, title, giver, minutes in request_rows:
        line = requests_of[receiver].setdefault(
            request_id, {"number": number, "title": title, "minutes": 0, "from": {}}
        )
        line["minutes"] += minutes
        line["from"][names.get(giver, "?")] = line["from"].get(names.get(giver, "?"), 0) + minutes
    received_clusters: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for receiver, cluster, minutes in sorted(
        received_cluster_rows, key=lambda row: (row[0], cluster_names.get(row[1] or 0, "~"))
    ):
        label = cluster_names.get(cluster or 0) or _("ohne Themencluster")
        received_clusters[receiver].append({"cluster": label, "minutes": minutes})
    carried = _previous_accounts(network, spec) if kind == SchemeKind.ACCOUNT else {}
    limit = scheme.account_limit_minutes if scheme is not None else 0
    quota_minutes = (
        scheme.free_quota_minutes * months
        if scheme is not None and kind == SchemeKind.COMBINED
        else 0
    )

    # Each municipality's counterparts, grouped once (not a scan of all pairs per municipality).
    pairs_given: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
    pairs_received: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (giver, receiver), minutes in pair_minutes.items():
        pairs_given[giver].append((receiver, minutes))
        if receiver is not None:
            pairs_received[receiver].append((giver, minutes))

    statements: list[StatementData] = []
    for pk in ids:
        net = given_minutes[pk] - received_minutes[pk]
        account = carried.get(pk, 0) + net if kind == SchemeKind.ACCOUNT else net
        over = kind == SchemeKind.ACCOUNT and limit > 0 and account < -limit
        earned_c = money.round_half_away(earned[pk])
        owed_c = money.round_half_away(owed[pk])
        credit_c = money.round_half_away(common_credit[pk])
        budget_c = money.round_half_away(budget_credit[pk])
        contribution_c = money.round_half_away(contribution[pk])
        components = earned_c - owed_c + credit_c + budget_c - contribution_c
        by_receiver = [
            {
                "municipality": names.get(receiver, "?") if receiver else _("Netzwerk"),
                "minutes": minutes,
                "amount_cents": money.round_half_away(pair_amount[(pk, receiver)]),
            }
            for receiver, minutes in sorted(
                pairs_given[pk], key=lambda item: names.get(item[0] or 0, "~")
            )
        ]
        by_giver = [
            {
                "municipality": names.get(giver, "?"),
                "minutes": minutes,
                "amount_cents": money.round_half_away(pair_amount[(giver, pk)]),
            }
            for giver, minutes in sorted(
                pairs_received[pk], key=lambda item: names.get(item[0], "~")
            )
        ]
        requests = sorted(requests_of[pk].values(), key=lambda line: line["number"])
        body = {
            "municipality": {"name": names[pk], "slug": slugs[pk]},
            "period": spec.label,
            "model": kind,
            "given": {
                "minutes": given_minutes[pk],
                "common_minutes": common_minutes[pk],
                "by_municipality": by_receiver,
                "by_cluster": _suppressed_clusters(
                    given_clusters.get(pk, {}), cluster_names, minimum
                ),
            },
            "received": {
                "minutes": received_minutes[pk],
                "free_quota_minutes": quota_minutes,
                "billable_minutes": max(0, received_minutes[pk] - quota_minutes)
                if paid_share
                else 0,
                "by_municipality": by_giver,
                "by_cluster": received_clusters.get(pk, []),
                "by_request": [
                    {
                        "number": line["number"],
                        "title": line["title"],
                        "minutes": line["minutes"],
                        "from": [
                            {"municipality": name, "minutes": minutes}
                            for name, minutes in sorted(line["from"].items())
                        ],
                    }
                    for line in requests
                ],
            },
            "net_minutes": net,
            "account": {
                "carried_in_minutes": carried.get(pk, 0),
                "minutes": account,
                "limit_minutes": limit,
                "over_limit": over,
            },
            "amounts": {
                "earned_cents": earned_c,
                "owed_cents": owed_c,
                "common_work_credit_cents": credit_c,
                "budget_credit_cents": budget_c,
                "contribution_cents": contribution_c,
                "rounding_cents": balances[pk] - components,
            },
            "balance_cents": balances[pk],
        }
        statements.append(
            StatementData(
                municipality_id=pk,
                name=names[pk],
                slug=slugs[pk],
                minutes_given=given_minutes[pk] + common_minutes[pk],
                minutes_received=received_minutes[pk],
                net_minutes=net,
                account_minutes=account,
                over_limit=over,
                earned_cents=earned_c + credit_c + budget_c,
                owed_cents=owed_c,
                contribution_cents=contribution_c,
                balance_cents=balances[pk],
                body=body,
            )
        )
    return Settlement(
        network_id=network.pk,
        spec=spec,
        scheme=scheme_summary(scheme),
        statements=statements,
        transfers=transfers,
        names=names,
        total_minutes=sum(given_minutes.values()) + sum(common_minutes.values()),
        common_minutes=sum(common_minutes.values()),
    )
