"""Suggested helpers: the cluster's people ranked by skill, free hours, work, absence, fairness.

alice (IT in Riesa) owns the cluster "Drucker", dora (IT in Meißen) is a member. Each test
makes them equal except for the one fact it is about.
"""

from __future__ import annotations

import datetime as dt

import pytest

from amtshilfe.board.services import assign_request, close_request, take_request
from amtshilfe.board.tests.requests import add_dora_to_cluster, file_in_cluster
from amtshilfe.board.triage import suggest_experts, workload
from amtshilfe.experts.services import create_cluster, set_cluster_member, update_expert_profile
from amtshilfe.tenancy.services import create_person

TODAY = dt.date(2026, 11, 20)
TEXT = "Scan-to-Folder geht nicht mehr, der Scan landet nicht im Ordner."


def profile(personas, person, *, skills=(), hours=6, absent_until=None):
    update_expert_profile(
        actor=person,
        network=personas.network,
        person=person,
        skills=skills,
        pledged_hours_per_month=hours,
        absent_from=absent_until and TODAY - dt.timedelta(days=3),
        absent_until=absent_until,
    )


@pytest.fixture
def team(personas):
    add_dora_to_cluster(personas)
    profile(personas, personas.alice)
    profile(personas, personas.dora)
    return personas


def suggest(personas, text=TEXT, **kwargs):
    return suggest_experts(
        network=personas.network, cluster=personas.cluster, text=text, today=TODAY, **kwargs
    )


def names(suggestions):
    return [s.user.username for s in suggestions]


def test_it_prefers_the_person_who_knows_the_topic(team):
    profile(team, team.dora, skills=["Scan-to-Folder", "Netzwerkdrucker"])
    profile(team, team.alice, skills=["Toner"])
    first, second = suggest(team)
    assert (first.user, second.user) == (team.dora, team.alice)
    assert first.matched_skills == ("Scan-to-Folder",)
    assert first.explanation == "kennt sich mit Scan-to-Folder aus, noch 6 h frei"
    assert second.explanation == "noch 6 h frei"
    assert first.municipality == team.b and first.role == "member"
    both = suggest(team, text="Der Netzwerkdrucker kann kein Scan-to-Folder")[0]
    assert both.explanation.startswith("kennt sich mit Scan-to-Folder und Netzwerkdrucker aus")


def test_it_matches_skills_through_compounds_and_synonyms(team):
    profile(team, team.dora, skills=["Netzwerkdrucker"])
    profile(team, team.alice, skills=["Passwort"])
    assert names(suggest(team, text="Der Drucker im Netzwerk druckt nicht")) == ["dora", "alice"]
    assert names(suggest(team, text="Kennwort vergessen")) == ["alice", "dora"]
    plain = suggest(team, text="Der Drucker druckt nicht")  # half of "Netzwerkdrucker": no
    assert [s.matched_skills for s in plain] == [(), ()]


def test_it_prefers_free_hours_of_the_month(team):
    profile(team, team.alice, hours=2)
    profile(team, team.dora, hours=8)
    assert names(suggest(team)) == ["dora", "alice"]
    alice, dora = suggest(team, hours_used={team.dora.pk: 8.0, team.alice.pk: 0.5})
    assert (alice.user, dora.user) == (team.alice, team.dora)
    assert alice.explanation == "noch 1,5 h frei" and alice.free_hours == 1.5
    assert dora.explanation == "zugesagte Stunden für diesen Monat ausgeschöpft"
    profile(team, team.dora, hours=0)
    assert suggest(team)[1].explanation == "keine Stunden zugesagt"


def test_it_prefers_people_with_less_work_in_progress(team):
    dora, alice = suggest(team, open_work={team.alice.pk: 3})
    assert (dora.user, alice.user) == (team.dora, team.alice)
    assert alice.explanation == "noch 6 h frei, bearbeitet gerade 3 Anfragen"
    assert alice.open_work == 3
    one = suggest(team, open_work={team.alice.pk: 1, team.dora.pk: 2})
    assert names(one) == ["alice", "dora"]
    assert one[0].explanation.endswith("bearbeitet gerade 1 Anfrage")


def test_it_puts_absent_people_last_and_says_until_when(team):
    profile(
        team, team.dora, skills=["Scan-to-Folder"], absent_until=dt.date(2026, 11, 30), hours=20
    )
    alice, dora = suggest(team)
    assert (alice.user, dora.user) == (team.alice, team.dora)
    assert dora.is_absent and dora.score > alice.score  # best match, but away
    assert dora.explanation.startswith("abwesend bis 30.11., kennt sich mit Scan-to-Folder aus")
    back = suggest_experts(
        network=team.network, cluster=team.cluster, text=TEXT, today=dt.date(2026, 12, 1)
    )
    assert names(back) == ["dora", "alice"] and not back[0].is_absent


def test_it_spreads_work_across_municipalities(team):
    profile(team, team.alice, hours=8)  # alice would be first ...
    assert names(suggest(team)) == ["alice", "dora"]
    loaded = suggest(team, municipality_load={team.a.pk: 5, team.b.pk: 1})
    assert names(loaded) == ["dora", "alice"]  # ... but Riesa already carries most open work
    assert loaded[1].explanation == "noch 8 h frei, Riesa trägt schon 83 % der offenen Arbeit"
    assert "Meißen" not in loaded[0].explanation
    few = suggest(team, municipality_load={team.a.pk: 2})  # too little work to judge
    assert names(few) == ["alice", "dora"]


def test_it_suggests_only_current_people_of_the_cluster(team, personas):
    other = create_cluster(actor=None, network=personas.network, name="VPN")
    emil = create_person(
        actor=None,
        network=personas.network,
        username="emil",
        first_name="Emil",
        last_name="Test",
        email="emil@example.org",
        municipality=personas.a,
        role="it",
        started_on=dt.date(2026, 1, 1),
        password="test-passwort-123",
    )
    set_cluster_member(actor=None, cluster=other, person=emil, role="owner")
    assert names(suggest(team)) == ["alice", "dora"]
    set_cluster_member(actor=None, cluster=personas.cluster, person=emil, role="member")
    assert names(suggest(team, limit=5)) == ["alice", "dora", "emil"]
    assert suggest(team, limit=5)[2].explanation == "keine Stunden zugesagt"  # no profile
    assert len(suggest(team, limit=2)) == 2
    emil.is_active = False
    emil.save()
    assert names(suggest(team)) == ["alice", "dora"]


def test_it_computes_open_work_per_person_and_municipality(team):
    add_dora_to_cluster(team)
    take_request(actor=team.alice, request=file_in_cluster(team))
    take_request(actor=team.alice, request=file_in_cluster(team))
    assign_request(actor=team.alice, request=file_in_cluster(team), assignee=team.dora)
    done = take_request(actor=team.dora, request=file_in_cluster(team))
    close_request(actor=team.dora, request=done)
    file_in_cluster(team)  # nobody works on it yet
    open_work, municipality_load = workload(team.network)
    assert open_work == {team.alice.pk: 2, team.dora.pk: 1}
    assert municipality_load == {team.a.pk: 2, team.b.pk: 1}
    assert workload(team.other_network) == ({}, {})
    ranked = suggest(team, open_work=open_work, municipality_load=municipality_load)
    assert names(ranked) == ["dora", "alice"]
    assert ranked[1].explanation == (
        "noch 6 h frei, bearbeitet gerade 2 Anfragen, Riesa trägt schon 67 % der offenen Arbeit"
    )


def test_it_describes_a_suggestion_as_json(team):
    profile(team, team.dora, skills=["Scan-to-Folder"], absent_until=dt.date(2026, 11, 30))
    data = suggest(team)[1].as_dict()
    assert data == {
        "username": "dora",
        "name": "Dora Test",
        "municipality": "Meißen",
        "role": "member",
        "score": data["score"],
        "explanation": "abwesend bis 30.11., kennt sich mit Scan-to-Folder aus, noch 6 h frei",
        "matched_skills": ["Scan-to-Folder"],
        "free_hours": 6.0,
        "open_work": 0,
        "absent_until": "2026-11-30",
    }
