"""The engine on a small data set computed by hand, one test per compensation model.

Data (``book_example``): alice (Riesa, A) 180 min support for Meißen (B); dora (B) 60 min
support for A; alice 120 min article for the network. Rates: support 60 €/h, article 30 €/h.
Population: A 29,000, B 28,000.
"""

from __future__ import annotations

import datetime as dt

import time_machine

from amtshilfe.settlement.services import close_settlement_period, preview_settlement, start_review
from amtshilfe.settlement.tests.data import book_example, entry, scheme
from amtshilfe.timeaccounting.models import TimeEntry


def balances(personas, label="2026-10"):
    result = preview_settlement(network=personas.network, label=label)
    return {s.name: s.balance_cents for s in result.statements}, result


def test_it_pays_hours_at_the_hourly_rate(personas):
    book_example(personas)
    scheme(personas, kind="stundensatz")
    got, result = balances(personas)
    # A: +180 min × 60 € − 60 min × 60 € = 180 − 60 = 120 €; common work is not paid.
    assert got == {"Riesa": 12000, "Meißen": -12000}
    assert result.transfers == [(personas.b.pk, personas.a.pk, 12000)]


def test_it_counts_reversals_negatively(personas):
    requests = book_example(personas)
    scheme(personas, kind="stundensatz")
    original = TimeEntry.objects.get(minutes=180)
    TimeEntry.objects.bulk_create(
        [
            entry(
                personas,
                person=personas.alice,
                giver=personas.a,
                receiver=personas.b,
                minutes=60,
                request=requests["request_b"],
                reverses=original,
            )
        ]
    )
    got, _result = balances(personas)
    # A gave 180 − 60 = 120 min, received 60 min: 60 min × 60 € = 60 €.
    assert got == {"Riesa": 6000, "Meißen": -6000}


def test_it_carries_the_time_account_and_flags_the_limit(personas):
    book_example(personas)
    scheme(personas, kind="zeitkonto", account_limit_minutes=100)
    got, result = balances(personas)
    assert got == {"Riesa": 0, "Meißen": 0}
    meissen = result.statement_for(personas.b.pk)
    assert meissen.account_minutes == -120 and meissen.over_limit
    assert not result.statement_for(personas.a.pk).over_limit
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)):
        start_review(actor=personas.coordinator, network=personas.network, label="2026-10")
        close_settlement_period(
            actor=personas.coordinator, network=personas.network, label="2026-10"
        )
    TimeEntry.objects.bulk_create(
        [
            entry(
                personas,
                person=personas.dora,
                giver=personas.b,
                receiver=personas.a,
                minutes=30,
                day=dt.date(2026, 11, 3),
            )
        ]
    )
    _got, november = balances(personas, "2026-11")
    # carried −120, then +30 in November.
    assert november.statement_for(personas.b.pk).account_minutes == -90
    assert november.statement_for(personas.b.pk).body["account"]["carried_in_minutes"] == -120


def test_it_shares_common_work_equally(personas):
    book_example(personas)
    scheme(personas, kind="umlage", levy_key="equal", common_rate_cents=4000)
    got, result = balances(personas)
    # 120 min × 40 €/h = 80 € credited to A, each pays 40 €.
    assert got == {"Riesa": 4000, "Meißen": -4000}
    assert result.statement_for(personas.a.pk).body["amounts"]["contribution_cents"] == 4000


def test_it_shares_common_work_by_population_with_exact_rounding(personas):
    book_example(personas)
    scheme(personas, kind="umlage", levy_key="population", common_rate_cents=4000)
    got, _result = balances(personas)
    # A pays 8000 × 29/57 = 4070.18 → balance 8000 − 4070.18 = 3929.82 → 3930.
    assert got == {"Riesa": 3930, "Meißen": -3930}


def test_it_combines_levy_and_hourly_rate_beyond_the_free_quota(personas):
    book_example(personas)
    scheme(
        personas,
        kind="kombination",
        levy_key="mix",
        population_percent=50,
        common_rate_cents=4000,
        free_quota_minutes=60,
    )
    got, result = balances(personas)
    # B received 180 min, 60 free → 2/3 of 180 € = 120 €; A received 60 min, all free.
    # Levy 80 €: A's share ½·29/57 + ½·½ → 40.3509 €; A = 120 + 80 − 40.35 = 159.65 €.
    assert got == {"Riesa": 15965, "Meißen": -15965}
    received = result.statement_for(personas.b.pk).body["received"]
    assert received["billable_minutes"] == 120 and received["free_quota_minutes"] == 60


def test_it_budgets_the_levy_to_the_clearing_account(personas):
    book_example(personas)
    scheme(
        personas,
        kind="umlage",
        levy_key="equal",
        common_rate_cents=0,
        annual_budget_cents=1_200_000,
        clearing_mode="clearing",
        clearing_municipality=personas.a,
    )
    got, result = balances(personas)
    # one month of 12,000 € = 1,000 € to A (holder), each pays 500 €.
    assert got == {"Riesa": 50000, "Meißen": -50000}
    assert result.transfers == [(personas.b.pk, personas.a.pk, 50000)]


def test_it_names_no_person_in_a_statement(personas):
    book_example(personas)
    scheme(personas)
    _got, result = balances(personas)
    text = str(result.as_json())
    for person in (personas.alice, personas.dora):
        assert person.username not in text and person.last_name not in text
    assert "Drucker im Bürgerbüro" in text
