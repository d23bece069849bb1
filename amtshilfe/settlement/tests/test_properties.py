"""Invariants on generated data (hypothesis): balances sum to zero in every model, each
request's hours appear in exactly one statement's received side, transfers settle exactly."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amtshilfe.board.tests.requests import file
from amtshilfe.settlement import engine, money
from amtshilfe.settlement.models import CompensationScheme
from amtshilfe.settlement.periods import parse_period
from amtshilfe.settlement.tests.data import RATES, entry
from amtshilfe.tenancy.services import create_municipality
from amtshilfe.timeaccounting.models import TimeEntry

SPEC = parse_period("2026-10")
KINDS = ["stundensatz", "zeitkonto", "umlage", "kombination"]

balances_strategy = st.lists(st.integers(-(10**7), 10**7), min_size=0, max_size=20).map(
    lambda values: [*values, -sum(values)]
)


@given(balances_strategy)
@settings(max_examples=200, deadline=None)
def test_it_settles_balances_with_few_direct_transfers(values):
    balances = dict(enumerate(values, start=1))
    transfers = money.direct_transfers(balances)
    left = dict(balances)
    for payer, payee, amount in transfers:
        assert amount > 0 and payer != payee
        left[payer] += amount
        left[payee] -= amount
    assert all(value == 0 for value in left.values())
    nonzero = sum(1 for value in values if value)
    assert len(transfers) <= max(0, nonzero - 1)


@given(balances_strategy, st.integers(1, 21))
@settings(max_examples=100, deadline=None)
def test_it_settles_through_the_clearing_account(values, holder):
    balances = dict(enumerate(values, start=1))
    holder = min(holder, len(values))
    transfers = money.clearing_transfers(balances, holder)
    left = dict(balances)
    for payer, payee, amount in transfers:
        assert holder in (payer, payee)
        left[payer] += amount
        left[payee] -= amount
    assert all(value == 0 for value in left.values())


def test_it_finds_the_minimum_for_pairs_that_cancel():
    # {1: +5, 2: −5, 3: +7, 4: −7}: greedy over all would need 3, the minimum is 2.
    assert len(money.direct_transfers({1: 5, 2: -5, 3: 7, 4: -7})) == 2


@given(
    st.lists(
        st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=997),
        min_size=1,
        max_size=30,
    )
)
@settings(max_examples=200, deadline=None)
def test_it_rounds_to_an_exact_zero_sum(values):
    exact = dict(enumerate(values, start=1))
    exact[0] = -sum(values, Fraction(0))
    rounded = money.round_to_zero_sum(exact)
    assert sum(rounded.values()) == 0
    assert all(abs(rounded[key] - exact[key]) < 2 for key in exact)


entries_strategy = st.lists(
    st.tuples(
        st.integers(0, 2),  # giver
        st.integers(-1, 3),  # receiver: -1 network, 3 = via a request of A
        st.integers(1, 600),  # minutes
        st.sampled_from(["support", "article", "meeting", "coordination", "training"]),
        st.booleans(),  # reversal of the first entry
    ),
    min_size=1,
    max_size=25,
)


@given(entries=entries_strategy, kind=st.sampled_from(KINDS), quota=st.integers(0, 300))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_it_keeps_the_invariants_on_generated_entries(personas, entries, kind, quota):
    network = personas.network
    extra = network.municipalities.filter(slug="strehla").first() or create_municipality(
        actor=None,
        network=network,
        name="Strehla",
        ags="14627250",
        population=3500,
        joined_on=personas.a.joined_on,
    )
    municipalities = [personas.a, personas.b, extra]
    requests = getattr(personas, "_requests", None)
    if requests is None:
        requests = [file(personas), file(personas, actor=personas.charlie, municipality=personas.b)]
        personas._requests = requests  # type: ignore[attr-defined]
    TimeEntry.objects.filter(is_reversal=True).delete()
    TimeEntry.objects.all().delete()
    CompensationScheme.objects.all().delete()
    CompensationScheme.objects.create(
        network=network,
        valid_from=SPEC.starts_on,
        kind=kind,
        rates=RATES,
        free_quota_minutes=quota,
        levy_key="mix",
        population_percent=37,
        common_rate_cents=4321,
        annual_budget_cents=1_000_001,
        clearing_mode="clearing",
        clearing_municipality=extra,
    )
    rows = []
    for giver, receiver, minutes, activity, _reversal in entries:
        request = None
        if receiver == 3:
            request = requests[giver % 2]
            target = request.municipality
        else:
            target = municipalities[receiver] if receiver >= 0 else None
        rows.append(
            entry(
                personas,
                person=personas.alice,
                giver=municipalities[giver],
                receiver=target,
                minutes=minutes,
                activity=activity,
                request=request,
            )
        )
    first, *rest = rows
    first.save()
    for row, spec in zip(rest, entries[1:], strict=True):
        if spec[4]:
            row.reverses, row.is_reversal = first, True
    TimeEntry.objects.bulk_create(rest)
    scheme = CompensationScheme.objects.get()
    result = engine.settle(network=network, spec=SPEC, scheme=scheme)
    assert sum(s.balance_cents for s in result.statements) == 0
    for statement in result.statements:
        amounts = statement.body["amounts"]
        assert (
            amounts["earned_cents"]
            - amounts["owed_cents"]
            + amounts["common_work_credit_cents"]
            + amounts["budget_credit_cents"]
            - amounts["contribution_cents"]
            + amounts["rounding_cents"]
        ) == statement.balance_cents
        assert abs(amounts["rounding_cents"]) <= 5
    # Each request's hours (from other municipalities) appear in exactly one statement.
    seen: dict[int, list[str]] = defaultdict(list)
    for statement in result.statements:
        for line in statement.body["received"]["by_request"]:
            seen[line["number"]].append(statement.slug)
    for request in requests:
        expected = sum(
            -e.minutes if e.is_reversal else e.minutes
            for e in TimeEntry.objects.filter(request=request).exclude(
                providing_municipality=request.municipality
            )
        )
        appearances = seen.get(request.number, [])
        if (
            expected
            or TimeEntry.objects.filter(request=request)
            .exclude(providing_municipality=request.municipality)
            .exists()
        ):
            assert appearances == [request.municipality.slug]
            line = next(
                line
                for s in result.statements
                for line in s.body["received"]["by_request"]
                if line["number"] == request.number
            )
            assert line["minutes"] == expected
        else:
            assert appearances == []
