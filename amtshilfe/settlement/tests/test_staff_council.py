"""Staff council: no person's hours, and per-cluster hours a municipality gave only where
at least AMTSHILFE_MIN_GROUP_SIZE (5) of its people booked – else "weitere Themen"."""

from __future__ import annotations

from amtshilfe.experts.services import create_cluster
from amtshilfe.settlement.services import preview_settlement
from amtshilfe.settlement.tests.data import entry, scheme
from amtshilfe.tenancy.services import create_person
from amtshilfe.timeaccounting.models import TimeEntry


def people_of_a(personas, count):
    return [
        create_person(
            actor=None,
            network=personas.network,
            username=f"it{index}",
            first_name=f"Person{index}",
            last_name="Geheim",
            email=f"it{index}@example.org",
            municipality=personas.a,
            role="it",
            started_on=personas.a.joined_on,
        )
        for index in range(count)
    ]


def given_clusters(personas):
    result = preview_settlement(network=personas.network, label="2026-10")
    return result.statement_for(personas.a.pk).body["given"]["by_cluster"], result


def test_it_shows_a_cluster_only_with_five_people(personas, settings):
    settings.AMTSHILFE_MIN_GROUP_SIZE = 5
    scheme(personas)
    network_cluster = create_cluster(
        actor=None, network=personas.network, name="Netzwerke", description="LAN", keywords=[]
    )
    people = people_of_a(personas, 6)
    rows = [
        entry(
            personas,
            person=p,
            giver=personas.a,
            receiver=personas.b,
            minutes=60,
            cluster=personas.cluster,
        )
        for p in people[:5]
    ]
    rows += [
        entry(
            personas,
            person=people[5],
            giver=personas.a,
            receiver=personas.b,
            minutes=77,
            cluster=network_cluster,
        ),
        entry(
            personas,
            person=people[0],
            giver=personas.a,
            receiver=personas.b,
            minutes=1,
            cluster=network_cluster,
        ),
    ]
    TimeEntry.objects.bulk_create(rows)
    lines, result = given_clusters(personas)
    # "Netzwerke" rests on 2 people: merged; the rest (2 people) is still < 5, so
    # "Drucker" must join it too – otherwise 78 min could be recovered by subtraction.
    assert lines == [{"cluster": "weitere Themen", "minutes": 378, "merged": True}]
    text = str(result.as_json())
    assert "Geheim" not in text and "it5" not in text


def test_it_keeps_a_big_cluster_when_the_rest_rests_on_enough_people(personas, settings):
    settings.AMTSHILFE_MIN_GROUP_SIZE = 5
    scheme(personas)
    people = people_of_a(personas, 10)
    rows = [
        entry(
            personas,
            person=p,
            giver=personas.a,
            receiver=personas.b,
            minutes=60,
            cluster=personas.cluster,
        )
        for p in people[:5]
    ]
    rows += [
        entry(personas, person=p, giver=personas.a, receiver=personas.b, minutes=30, cluster=None)
        for p in people[5:]
    ]
    TimeEntry.objects.bulk_create(rows)
    lines, _result = given_clusters(personas)
    assert lines == [
        {"cluster": "Drucker", "minutes": 300},
        {"cluster": "weitere Themen", "minutes": 150, "merged": True},
    ]


def test_it_never_shows_one_persons_cluster_hours(personas, settings):
    settings.AMTSHILFE_MIN_GROUP_SIZE = 5
    scheme(personas)
    TimeEntry.objects.bulk_create(
        [
            entry(
                personas,
                person=personas.alice,
                giver=personas.a,
                receiver=personas.b,
                minutes=95,
                cluster=personas.cluster,
            )
        ]
    )
    lines, _result = given_clusters(personas)
    assert all(line["cluster"] != "Drucker" for line in lines)
