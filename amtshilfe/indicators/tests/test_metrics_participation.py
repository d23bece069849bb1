"""Member municipalities and active IT specialists over time, against hand-computed numbers.

Period: January to March 2026, one bucket per month.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from amtshilfe.board.models import RequestEvent
from amtshilfe.conftest import Personas
from amtshilfe.indicators.metrics.participation import (
    active_it_over_time,
    municipalities_over_time,
)
from amtshilfe.indicators.registry import REGISTRY
from amtshilfe.indicators.tests.factories_a import (
    article,
    book,
    event,
    it_people,
    key_numbers,
    period,
    request,
    revision,
    values,
)
from amtshilfe.tenancy.models import Membership, Municipality

Q1 = period(dt.date(2026, 1, 1), dt.date(2026, 4, 1))


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def municipality(personas: Personas, name: str, joined: dt.date, left: dt.date | None = None):
    return Municipality.objects.create(
        network=personas.network,
        slug=name.lower(),
        name=name,
        joined_on=joined,
        status="left" if left else "active",
        left_on=left,
    )


def test_it_counts_members_at_the_end_of_each_bucket(personas, django_assert_max_num_queries):
    # Riesa and Meißen joined on 1 January 2026 (personas); Fernstadt is in another network.
    municipality(personas, "Diera", dt.date(2026, 2, 10))
    municipality(personas, "Ebersbach", dt.date(2025, 6, 1), left=dt.date(2026, 3, 1))
    municipality(personas, "Glaubitz", dt.date(2025, 1, 1), left=dt.date(2025, 12, 1))
    municipality(personas, "Hirschstein", dt.date(2026, 4, 15))
    with django_assert_max_num_queries(1):
        figure = municipalities_over_time(personas.network, Q1)
    assert figure.categories == ["Jan 2026", "Feb 2026", "Mär 2026"]
    assert figure.category_keys == ["2026-01-31", "2026-02-28", "2026-03-31"]
    # 31 Jan: Riesa, Meißen, Ebersbach; 28 Feb: + Diera; 31 Mar: Ebersbach left on 1 Mar.
    assert values(figure, "members") == [3, 4, 3]
    # now 3; joined in the period: Riesa, Meißen, Diera; left: Ebersbach
    assert key_numbers(figure) == [3, 3, 1]
    assert figure.chart == "line" and figure.suppressed == 0


def test_it_registers_the_municipalities_figure_as_public():
    registered = REGISTRY["municipalities_over_time"]
    assert registered.section == "participation" and registered.public
    assert not REGISTRY["active_it_over_time"].public


@pytest.fixture
def activity(personas):
    """p1…p5 active in January and March, p1…p4 in February (see the test)."""
    people = it_people(personas, 5)
    late = it_people_from(personas, 6, dt.date(2026, 3, 15))
    card = request(personas, created=dt.date(2025, 12, 1))
    page = article(personas, personas.cluster, "drucker")
    p1, p2, p3, p4, p5 = people
    # January: an event, a booking, a revision, an event + a booking (one person), an event.
    event(card, p1, dt.date(2026, 1, 5))
    book(card, p2, 30, day=dt.date(2026, 1, 6))
    revision(page, p3, dt.date(2026, 1, 7), number=2)
    event(card, p4, dt.date(2026, 1, 8))
    book(card, p4, 15, day=dt.date(2026, 1, 8))
    event(card, p5, dt.date(2026, 1, 9), kind=RequestEvent.Kind.ASSIGNEE)
    # Not counted: staff (bob), merely watching (alice), before the IT membership (late).
    event(card, personas.bob, dt.date(2026, 1, 10))
    event(card, personas.alice, dt.date(2026, 1, 11), kind=RequestEvent.Kind.WATCH)
    event(card, late, dt.date(2026, 3, 10))
    # February: four people – p1 twice.
    for person, day in [(p1, 2), (p1, 3), (p2, 4), (p3, 5), (p4, 6)]:
        event(card, person, dt.date(2026, 2, day))
    # March: five people.
    for index, person in enumerate(people):
        book(card, person, 10, day=dt.date(2026, 3, 2 + index))
    return people


def it_people_from(personas, number, started_on):
    from amtshilfe.tenancy.services import create_person

    return create_person(
        actor=None,
        network=personas.network,
        username=f"p{number}",
        first_name=f"P{number}",
        last_name="Test",
        municipality=personas.a,
        role="it",
        started_on=started_on,
    )


def test_it_counts_active_it_people_per_bucket_and_suppresses_four(
    personas, activity, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        figure = active_it_over_time(personas.network, Q1)
    assert values(figure, "active") == [5, None, 5]  # February: 4 people → suppressed
    # alice, dora, p1…p6 hold an IT membership on 31 March
    assert key_numbers(figure) == [8]
    assert figure.suppressed == 1


def test_it_shows_a_bucket_of_four_with_a_smaller_group_size(personas, activity, settings):
    settings.AMTSHILFE_MIN_GROUP_SIZE = 4
    figure = active_it_over_time(personas.network, Q1)
    assert values(figure, "active") == [5, 4, 5]


def test_it_ignores_ended_memberships_and_other_networks(personas, activity):
    p1 = activity[0]
    # p1 stops being an IT specialist on 31 January: no longer counted in March.
    Membership.objects.filter(user=p1).update(ended_on=dt.date(2026, 1, 31))
    figure = active_it_over_time(personas.network, Q1)
    assert values(figure, "active") == [5, None, None]
    assert key_numbers(figure) == [7]
    other = active_it_over_time(personas.other_network, Q1)
    assert values(other, "active") == [None, None, None]
    assert key_numbers(other) == [None]
