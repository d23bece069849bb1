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
