"""Ticking items off: newcomer and mentor only; the last item completes the plan."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.experts.services import set_cluster_member
from amtshilfe.notifications.models import Notification
from amtshilfe.onboarding.services import (
    add_plan_item,
    cancel_plan,
    change_mentor,
    complete_plan_item,
    reopen_plan_item,
)
from amtshilfe.onboarding.tests.plans import items, reload, started

DAY = dt.datetime(2026, 4, 10, 9, 0, tzinfo=dt.UTC)


def test_it_completes_the_plan_with_the_last_item(personas):
    plan = started(personas)
    first, second, third = items(plan)
    complete_plan_item(actor=personas.dora, item=first, note="gelesen")
    complete_plan_item(actor=personas.alice, item=second)
    assert reload(plan).status == "active" and reload(plan).completed_on is None
    with time_machine.travel(DAY, tick=False):
        complete_plan_item(actor=personas.dora, item=third)
    plan = reload(plan)
    assert plan.status == "completed"
    assert plan.completed_on == dt.date(2026, 4, 10)
    done = items(plan)[0]
    assert done.done_by == personas.dora and done.note == "gelesen"


def test_it_notifies_the_other_side_on_completion(personas):
    plan = started(personas)
    Notification.objects.all().delete()
    for item in items(plan):
        complete_plan_item(actor=personas.dora, item=item)
    assert [n.user for n in Notification.objects.all()] == [personas.alice]


def test_it_reopens_a_completed_plan(personas):
    plan = started(personas)
    for item in items(plan):
        complete_plan_item(actor=personas.dora, item=item)
    reopen_plan_item(actor=personas.alice, item=items(plan)[1])
    plan = reload(plan)
    assert plan.status == "active" and plan.completed_on is None
    assert items(plan)[1].done_at is None and items(plan)[1].done_by is None


@pytest.mark.parametrize("who", ["coordinator", "bob", "charlie", "steering", "olga"])
def test_it_requires_newcomer_or_mentor_to_tick(personas, who):
    plan = started(personas)
    with pytest.raises(PermissionDenied):
        complete_plan_item(actor=getattr(personas, who), item=items(plan)[0])
    assert items(plan)[0].done_at is None


def test_it_refuses_ticking_twice(personas):
    plan = started(personas)
    complete_plan_item(actor=personas.dora, item=items(plan)[0])
    with pytest.raises(ValidationError):
        complete_plan_item(actor=personas.dora, item=items(plan)[0])


def test_it_refuses_ticking_in_a_cancelled_plan(personas):
    plan = started(personas)
    cancel_plan(actor=personas.alice, plan=plan)
    with pytest.raises(ValidationError) as error:
        complete_plan_item(actor=personas.dora, item=items(plan)[0])
    assert "abgebrochen" in error.value.messages[0]


def test_it_adds_an_item_to_one_plan_only(personas):
    plan = started(personas)
    other = add_plan_item(actor=personas.alice, plan=plan, kind="task", title="Extra")
    assert other.position == 4
    with pytest.raises(PermissionDenied):
        add_plan_item(actor=personas.dora, plan=plan, kind="task", title="Selbst")


def test_it_changes_the_mentor_and_notifies(personas):
    plan = started(personas)
    set_cluster_member(actor=None, cluster=personas.cluster, person=personas.bob, role="member")
    Notification.objects.all().delete()
    change_mentor(actor=personas.coordinator, plan=plan, mentor=personas.bob)
    assert reload(plan).mentor == personas.bob
    assert sorted(n.user.username for n in Notification.objects.all()) == ["bob", "dora"]
    # the old mentor may no longer tick
    with pytest.raises(PermissionDenied):
        complete_plan_item(actor=personas.alice, item=items(plan)[0])


def test_it_refuses_the_newcomer_as_mentor(personas):
    plan = started(personas)
    set_cluster_member(actor=None, cluster=personas.cluster, person=personas.dora, role="member")
    with pytest.raises(ValidationError):
        change_mentor(actor=personas.coordinator, plan=plan, mentor=personas.dora)
