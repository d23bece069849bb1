"""The learning-curve feed against a small data set computed by hand, and its suppression.

Seven newcomers n1…n7 start in "Drucker" on 5 January 2026 (one item each):

- n1…n6 complete in Q1 after 10, 20, 30, 40, 50, 60 days → 6 plans, median (30+40)/2 = 35;
- n7 completes in Q2 (after 95 days) → a group of one: suppressed.

First solved requests (of "Drucker", worked on by the newcomer, solved after the start):

- n1 on 12 Jan (7 days), n2 on 14 Jan (9 days; a later second one does not count),
  n3 on 20 Jan (15), n4 on 1 Feb (27), n5 on 5 Feb (31; taken by n5, then reassigned to alice
  who closed it – n5 worked on it) → 5 newcomers, median 15;
- n6 on 10 April (95 days) → a group of one: suppressed.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from amtshilfe.board import classification
from amtshilfe.board.services import (
    assign_request,
    close_request,
    file_request,
    set_request_cluster,
    take_request,
)
from amtshilfe.experts.services import set_cluster_member
from amtshilfe.onboarding.metrics import learning_curve
from amtshilfe.onboarding.models import OnboardingPlan
from amtshilfe.onboarding.services import (
    add_template_item,
    cancel_plan,
    complete_plan_item,
    start_onboarding,
)
from amtshilfe.onboarding.tests.plans import items
from amtshilfe.tenancy.services import create_person

START = dt.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def no_triage(monkeypatch):
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)


def newcomer(personas, n):
    person = create_person(
        actor=None,
        network=personas.network,
        username=f"n{n}",
        first_name=f"N{n}",
        last_name="Neu",
        email=f"n{n}@example.org",
        municipality=personas.a,
        role="it",
        started_on=dt.date(2026, 1, 1),
    )
    set_cluster_member(actor=None, cluster=personas.cluster, person=person, role="member")
    return person


def solve(personas, person, day, *, handed_to=None):
    with time_machine.travel(at(day) - dt.timedelta(hours=2), tick=False):
        request = file_request(
            actor=personas.bob,
            network=personas.network,
            municipality=personas.a,
            title=f"Druckerproblem {person.username}",
        )
        request = set_request_cluster(
            actor=personas.coordinator, request=request, cluster=personas.cluster
        )
        request = take_request(actor=person, request=request)
        closer = person
        if handed_to is not None:
            request = assign_request(actor=personas.alice, request=request, assignee=handed_to)
            closer = handed_to
    with time_machine.travel(at(day), tick=False):
        close_request(actor=closer, request=request)


@pytest.fixture
def data(personas):
    add_template_item(actor=personas.alice, cluster=personas.cluster, kind="task", title="Los")
    people = [newcomer(personas, n) for n in range(1, 8)]
    plans = [
        start_onboarding(
            actor=personas.alice,
            cluster=personas.cluster,
            newcomer=person,
            mentor=personas.alice,
            started_on=START,
        )
        for person in people
    ]
    for plan, days in zip(plans, [10, 20, 30, 40, 50, 60, 95], strict=True):
        complete_plan_item(
            actor=plan.newcomer, item=items(plan)[0], now=at(START + dt.timedelta(days=days))
        )
    for person, days in zip(people[:4], [7, 9, 15, 27], strict=True):
        solve(personas, person, START + dt.timedelta(days=days))
    solve(personas, people[1], START + dt.timedelta(days=40))  # n2's second: not the first
    solve(personas, people[4], START + dt.timedelta(days=31), handed_to=personas.alice)
    solve(personas, people[5], START + dt.timedelta(days=95))
    return people


def test_it_computes_medians_per_cluster_and_quarter(personas, data):
    rows = learning_curve(personas.network)
    q1 = next(r for r in rows if (r["year"], r["quarter"]) == (2026, 1))
    assert q1["cluster"] == "Drucker"
    assert q1["completed_plans"] == {"count": 6, "median_days": 35.0, "suppressed": False}
    assert q1["first_solved_request"] == {"count": 5, "median_days": 15.0, "suppressed": False}


def test_it_suppresses_groups_smaller_than_five(personas, data):
    rows = learning_curve(personas.network)
    q2 = next(r for r in rows if (r["year"], r["quarter"]) == (2026, 2))
    assert q2["completed_plans"] == {"count": None, "median_days": None, "suppressed": True}
    assert q2["first_solved_request"] == {"count": None, "median_days": None, "suppressed": True}


def test_it_follows_the_configured_group_size(personas, data, settings):
    settings.AMTSHILFE_MIN_GROUP_SIZE = 1
    rows = learning_curve(personas.network)
    q2 = next(r for r in rows if (r["year"], r["quarter"]) == (2026, 2))
    assert q2["completed_plans"] == {"count": 1, "median_days": 95.0, "suppressed": False}
    assert q2["first_solved_request"] == {"count": 1, "median_days": 95.0, "suppressed": False}


def test_it_takes_the_middle_row_of_an_odd_group(personas, data):
    settings_rows = learning_curve(personas.network)
    assert len(settings_rows) == 2
    # drop the 60-day plan from Q1: 5 plans remain, median = the 3rd = 30 days
    sixth = OnboardingPlan.objects.get(newcomer=data[5])
    OnboardingPlan.objects.filter(pk=sixth.pk).update(status="cancelled", completed_on=None)
    q1 = learning_curve(personas.network)[0]
    assert q1["completed_plans"] == {"count": 5, "median_days": 30.0, "suppressed": False}


def test_it_ignores_other_networks_and_cancelled_plans(personas, data):
    assert learning_curve(personas.other_network) == []
    person = newcomer(personas, 8)
    plan = start_onboarding(
        actor=personas.alice,
        cluster=personas.cluster,
        newcomer=person,
        mentor=personas.alice,
        started_on=START,
    )
    cancel_plan(actor=personas.alice, plan=plan)
    q1 = learning_curve(personas.network)[0]
    assert q1["completed_plans"]["count"] == 6
