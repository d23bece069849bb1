"""The list pages need a fixed number of queries, however many items there are (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from amtshilfe.communication.services import register_for_event, update_directory_entry
from amtshilfe.communication.tests.helpers import NOW, event, news

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def fill(personas, count: int) -> None:
    for index in range(count):
        news(
            personas,
            title=f"Meldung {index}",
            cluster=personas.cluster if index % 2 else None,
            is_public=index % 3 == 0,
            announce=False,
        )
        evt = event(
            personas,
            title=f"Termin {index}",
            starts_at=NOW + dt.timedelta(days=index - count // 2),
            ends_at=NOW + dt.timedelta(days=index - count // 2, hours=1),
            cluster=personas.cluster if index % 2 else None,
        )
        if index > count // 2:
            register_for_event(actor=personas.bob, event=evt)


def queries(django_assert_max_num_queries, client, url: str, limit: int) -> None:
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [3, 12])
def test_it_reads_lists_in_a_fixed_number_of_queries(
    personas, count, django_assert_max_num_queries
):
    fill(personas, count)
    update_directory_entry(
        actor=personas.alice,
        network=personas.network,
        show_in_directory=True,
        show_email=True,
        show_phone=False,
    )
    member = personas.client(personas.alice)
    coordinator = personas.client(personas.coordinator)
    anonymous = personas.client(None)
    # The limits hold for 3 and for 12 items of each kind.
    queries(django_assert_max_num_queries, anonymous, "/aktuelles/", 8)
    queries(django_assert_max_num_queries, member, "/aktuelles/", 16)
    queries(django_assert_max_num_queries, coordinator, "/aktuelles/", 16)
    queries(django_assert_max_num_queries, anonymous, "/termine/", 8)
    queries(django_assert_max_num_queries, member, "/termine/", 16)
    queries(django_assert_max_num_queries, member, "/verzeichnis/", 16)
    queries(django_assert_max_num_queries, anonymous, "/aktuelles/feed.atom", 4)
    queries(django_assert_max_num_queries, anonymous, "/termine/feed.ics", 4)
