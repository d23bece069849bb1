"""The demo onboarding: templates for clusters with an owner, plans in several states, once."""

from __future__ import annotations

import datetime as dt

from amtshilfe.onboarding import demo
from amtshilfe.onboarding.models import ChecklistTemplateItem, OnboardingPlan, PlanItem
from amtshilfe.onboarding.tests.plans import article

TODAY = dt.date(2026, 5, 4)


def test_it_loads_templates_and_plans_once(personas, monkeypatch):
    monkeypatch.setattr(
        demo,
        "PLANS",
        [
            ("drucker", "dora", "alice", 20, 2, None),
            ("drucker", "bob", "alice", 10, 1, None),  # not an IT specialist: skipped
            ("fehlt", "dora", "alice", 10, 1, None),  # no such cluster: skipped
        ],
    )
    article(personas)
    created = demo.load_demo(personas.network, today=TODAY)
    items = ChecklistTemplateItem.objects.filter(template__cluster=personas.cluster)
    assert [i.kind for i in items.order_by("position")] == ["article", "person", "shadow", "task"]
    plan = OnboardingPlan.objects.get()
    assert (plan.newcomer, plan.mentor, plan.started_on) == (
        personas.dora,
        personas.alice,
        TODAY - dt.timedelta(days=20),
    )
    assert PlanItem.objects.filter(plan=plan, done_at__isnull=False).count() == 2
    assert created == 4 + 1 + 4
    assert demo.load_demo(personas.network, today=TODAY) == 0
    assert OnboardingPlan.objects.count() == 1


def test_it_completes_the_completed_demo_plan(personas, monkeypatch):
    monkeypatch.setattr(demo, "PLANS", [("drucker", "dora", "alice", 70, None, 30)])
    demo.load_demo(personas.network, today=TODAY)
    plan = OnboardingPlan.objects.get()
    assert plan.status == "completed"
    assert plan.completed_on == TODAY - dt.timedelta(days=30)


def _solved(personas, assignee, day: dt.date) -> None:
    from django.utils import timezone

    from amtshilfe.board.models import ServiceRequest
    from amtshilfe.board.tests.requests import file_in_cluster

    request = file_in_cluster(personas)
    solved = timezone.make_aware(dt.datetime.combine(day, dt.time(11)))
    ServiceRequest.objects.filter(pk=request.pk).update(
        assignee=assignee, status="done", solved_at=solved
    )


def test_it_onboards_the_wave_of_first_solvers_once(personas, monkeypatch):
    monkeypatch.setattr(demo, "PLANS", [])
    article(personas)
    _solved(personas, personas.dora, dt.date(2026, 4, 20))
    _solved(personas, personas.dora, dt.date(2026, 3, 30))  # her first one counts
    _solved(personas, personas.alice, dt.date(2026, 4, 1))  # the topic owner: no plan

    created = demo.load_demo(personas.network, today=TODAY)

    plan = OnboardingPlan.objects.get()
    # started 9 days before her first solved request, completed 6 days after it
    assert (plan.newcomer, plan.mentor, plan.cluster) == (
        personas.dora,
        personas.alice,
        personas.cluster,
    )
    assert plan.started_on == dt.date(2026, 3, 30) - dt.timedelta(days=9)
    assert (plan.status, plan.completed_on) == ("completed", dt.date(2026, 4, 5))
    assert PlanItem.objects.filter(plan=plan, done_at__isnull=True).count() == 0
    assert created == 4 + 1 + 4
    assert demo.load_demo(personas.network, today=TODAY) == 0
