"""Hours exchanged between municipalities, checked against hand-computed values, k-anonymity."""

from __future__ import annotations

import datetime as dt

import pytest

from amtshilfe.accounts.models import User
from amtshilfe.conftest import Personas
from amtshilfe.indicators.figures import Period
from amtshilfe.indicators.metrics.exchange import merge_small_groups
from amtshilfe.indicators.registry import REGISTRY
from amtshilfe.tenancy.models import Municipality
from amtshilfe.tenancy.services import create_municipality
from amtshilfe.timeaccounting.models import TimeEntry

FIRST_QUARTER = Period(
    start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 1), label="Q1", bucket="month"
)


def staff(prefix: str, count: int) -> list[User]:
    """IT people (only their entries matter here, not their memberships)."""
    return [User.objects.create(username=f"{prefix}{n}") for n in range(1, count + 1)]


def book(
    personas: Personas,
    people: list[User],
    *,
    giver: Municipality,
    receiver: Municipality | None,
    day: dt.date,
    minutes: int,
) -> list[TimeEntry]:
    return [
        TimeEntry.objects.create(
            network=personas.network,
            person=person,
            providing_municipality=giver,
            receiving_municipality=receiver,
            date=day,
            minutes=minutes,
        )
        for person in people
    ]


def municipality(personas: Personas, name: str, ags: str) -> Municipality:
    return create_municipality(
        actor=None, network=personas.network, name=name, ags=ags, joined_on=dt.date(2025, 6, 1)
    )


def figure(key: str, personas: Personas, period: Period = FIRST_QUARTER):
    return REGISTRY[key].figure(personas.network, period)


def test_it_sums_exchanged_hours_per_month_with_network_work_and_share(personas: Personas) -> None:
    a_staff, b_staff = staff("a", 5), staff("b", 5)
    # January: five people of A work 60 min each for B → 300 min.
    book(
        personas,
        a_staff,
        giver=personas.a,
        receiver=personas.b,
        day=dt.date(2026, 1, 12),
        minutes=60,
    )
    # February: five people of B work 90 min each for A → 450 min, one reverses 30 min → 420.
    entries = book(
        personas,
        b_staff,
        giver=personas.b,
        receiver=personas.a,
        day=dt.date(2026, 2, 3),
        minutes=90,
    )
    TimeEntry.objects.create(
        network=personas.network,
        person=b_staff[0],
        providing_municipality=personas.b,
        receiving_municipality=personas.a,
        date=dt.date(2026, 2, 20),
        minutes=30,
        is_reversal=True,
        reverses=entries[0],
        source=TimeEntry.Source.REVERSAL,
    )
    # Not exchanged: work for the own municipality (240 min) and network work (3 × 60 min).
    book(
        personas,
        a_staff[:1],
        giver=personas.a,
        receiver=personas.a,
        day=dt.date(2026, 1, 5),
        minutes=240,
    )
    book(
        personas, a_staff[:3], giver=personas.a, receiver=None, day=dt.date(2026, 3, 2), minutes=60
    )
    # Outside the period.
    book(
        personas,
        a_staff,
        giver=personas.a,
        receiver=personas.b,
        day=dt.date(2026, 4, 1),
        minutes=600,
    )

    found = figure("hours_exchanged", personas)
    assert found.category_keys == ["2026-01-01", "2026-02-01", "2026-03-01"]
    # 300 min = 5.0 h, 420 min = 7.0 h, March: no exchange → 0 (no person behind it).
    assert found.series[0].values == [5.0, 7.0, 0.0]
    numbers = {k.label: (k.value, k.display) for k in found.key_numbers}
    # exchanged 720 min = 12 h; network work by 3 people → suppressed;
    # share = 720 / (720 + 240 + 180) = 720 / 1140 = 63.16 %.
    assert numbers == {
        "Stunden zwischen Kommunen": (12.0, "12,0"),
        "Stunden für das ganze Netzwerk": (None, "–"),
        "Anteil an allen gebuchten Stunden": (63.2, "63,2 %"),
    }
    book(
        personas, a_staff[3:], giver=personas.a, receiver=None, day=dt.date(2026, 3, 2), minutes=60
    )
    found = figure("hours_exchanged", personas)
    # network work now by five people: 5 × 60 min = 5 h; share 720 / 1260 = 57.14 %.
    assert [k.value for k in found.key_numbers] == [12.0, 5.0, 57.1]
    assert found.suppressed == 0
    assert REGISTRY["hours_exchanged"].public is True
    assert REGISTRY["hours_by_municipality"].public is False


def test_it_hides_a_month_of_four_people_and_one_more_so_the_total_does_not_reveal_it(
    personas: Personas,
) -> None:
    a_staff, b_staff = staff("a", 5), staff("b", 5)
    book(
        personas,
        a_staff,
        giver=personas.a,
        receiver=personas.b,
        day=dt.date(2026, 1, 12),
        minutes=60,
    )
    book(
        personas,
        a_staff[:4],
        giver=personas.a,
        receiver=personas.b,
        day=dt.date(2026, 2, 2),
        minutes=30,
    )
    found = figure("hours_exchanged", personas)
    # February rests on 4 people → hidden; January (5 people, 300 min) would reveal it as
    # total − January, so January joins the rest, which then rests on 5 people.
    assert found.series[0].values == [None, None, 0.0]
    assert found.key_numbers[0].value == 7.0  # 300 + 120 min
    assert "weniger als 5 Personen" in found.notes[0]

    book(
        personas,
        b_staff,
        giver=personas.b,
        receiver=personas.a,
        day=dt.date(2026, 3, 2),
        minutes=90,
    )
    found = figure("hours_exchanged", personas)
    # The smallest shown month (January: 5 people, 300 min < March 450 min) joins February.
    assert found.series[0].values == [None, None, 7.5]


def test_it_suppresses_everything_below_five_people(personas: Personas) -> None:
    four = staff("a", 4)
    book(
        personas, four, giver=personas.a, receiver=personas.b, day=dt.date(2026, 1, 12), minutes=60
    )
    found = figure("hours_exchanged", personas)
    assert found.series[0].values == [None, 0.0, 0.0]
    assert [k.value for k in found.key_numbers] == [None, 0.0, None]
    by_municipality = figure("hours_by_municipality", personas)
    assert by_municipality.categories == ["Meißen", "Riesa", "weitere Kommunen"]
    assert [s.values for s in by_municipality.series] == [[0.0, None, None], [None, 0.0, None]]


def test_it_shows_given_and_received_hours_and_merges_small_givers(personas: Personas) -> None:
    coswig = municipality(personas, "Coswig", "14627030")
    municipality(personas, "Nünchritz", "14627200")
    a_staff, b_staff, c_staff = staff("a", 5), staff("b", 4), staff("c", 1)
    book(
        personas,
        a_staff,
        giver=personas.a,
        receiver=personas.b,
        day=dt.date(2026, 1, 12),
        minutes=60,
    )
    book(
        personas,
        b_staff,
        giver=personas.b,
        receiver=personas.a,
        day=dt.date(2026, 2, 2),
        minutes=30,
    )
    book(personas, c_staff, giver=coswig, receiver=personas.a, day=dt.date(2026, 3, 2), minutes=60)
    book(
        personas,
        b_staff[:1],
        giver=personas.b,
        receiver=personas.b,
        day=dt.date(2026, 3, 2),
        minutes=300,
    )

    found = figure("hours_by_municipality", personas)
    assert found.chart == "hbar"
    assert found.categories == ["Coswig", "Meißen", "Nünchritz", "Riesa", "weitere Kommunen"]
    assert found.category_keys == ["coswig", "meissen", "nunchritz", "riesa", "weitere"]
    given, received = found.series
    # given: Riesa 5 people × 60 = 5 h; Meißen (4 people, 120 min) and Coswig (1 person,
    # 60 min) each below 5 → merged: 5 people, 180 min = 3 h; Nünchritz gave nothing.
    assert given.values == [None, None, 0.0, 5.0, 3.0]
    # received: Meißen from 5 people 300 min = 5 h; Riesa from 4 + 1 = 5 people, 180 min = 3 h.
    assert received.values == [0.0, 5.0, 0.0, 3.0, 0.0]
    assert "weitere Kommunen" in found.notes[0]


def test_it_merges_a_shown_municipality_when_the_rest_rests_on_too_few_people(
    personas: Personas,
) -> None:
    a_staff, b_staff = staff("a", 5), staff("b", 4)
    book(
        personas,
        a_staff,
        giver=personas.a,
        receiver=personas.b,
        day=dt.date(2026, 1, 12),
        minutes=60,
    )
    book(
        personas,
        b_staff,
        giver=personas.b,
        receiver=personas.a,
        day=dt.date(2026, 2, 2),
        minutes=30,
    )
    found = figure("hours_by_municipality", personas)
    given, received = found.series
    # Meißen gave with 4 people: alone it could be computed as total − Riesa, so Riesa
    # joins the rest: 9 people, 300 + 120 = 420 min = 7 h.
    assert found.categories == ["Meißen", "Riesa", "weitere Kommunen"]
    assert given.values == [None, None, 7.0]
    # received: Meißen from 5 people (5 h), Riesa from 4 → both merged (7 h), the same way.
    assert received.values == [None, None, 7.0]

    staff_b5 = User.objects.create(username="b5")
    book(
        personas,
        [staff_b5],
        giver=personas.b,
        receiver=personas.a,
        day=dt.date(2026, 2, 2),
        minutes=30,
    )
    found = figure("hours_by_municipality", personas)
    # Five people now: both shown, no rest.
    assert found.categories == ["Meißen", "Riesa"]
    assert [s.values for s in found.series] == [[2.5, 5.0], [5.0, 2.5]]
    assert found.notes == [] and found.suppressed == 0


def test_it_ignores_other_networks(personas: Personas) -> None:
    people = staff("o", 5)
    fern = personas.c
    other = create_municipality(
        actor=None,
        network=personas.other_network,
        name="Nahdorf",
        ags="01001001",
        joined_on=dt.date(2025, 1, 1),
    )
    for person in people:
        TimeEntry.objects.create(
            network=personas.other_network,
            person=person,
            providing_municipality=fern,
            receiving_municipality=other,
            date=dt.date(2026, 1, 5),
            minutes=60,
        )
    assert figure("hours_exchanged", personas).key_numbers[0].value == 0.0
    assert figure("hours_by_municipality", personas).categories == ["Meißen", "Riesa"]


def test_merge_rule_matches_the_settlement_rule() -> None:
    persons = {"x": {1, 2, 3, 4, 5, 6}, "y": {1, 2, 3, 4, 5}, "z": {7}, "leer": set()}
    minutes = {"x": 100, "y": 50, "z": 10, "leer": 0}
    merged = merge_small_groups(persons, minutes, 5)
    # z alone rests on 1 person → y (fewest people) joins: {1..5, 7} = 6 people.
    assert merged.shown == {"x", "leer"} and merged.rest == {"y", "z"}
    assert merged.rest_persons == 6 and merged.rest_shown(5)
    assert merge_small_groups({"z": {7}}, {"z": 10}, 5).rest_shown(5) is False


def test_it_computes_in_few_queries(personas: Personas, django_assert_max_num_queries) -> None:
    book(
        personas,
        staff("a", 5),
        giver=personas.a,
        receiver=personas.b,
        day=dt.date(2026, 1, 12),
        minutes=60,
    )
    with django_assert_max_num_queries(3):
        figure("hours_exchanged", personas)
    with django_assert_max_num_queries(3):
        figure("hours_by_municipality", personas)


@pytest.fixture(autouse=True)
def _k_is_five(settings) -> None:
    settings.AMTSHILFE_MIN_GROUP_SIZE = 5
