"""Starting an onboarding: who may, what gets copied, who is notified."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.core.models import AuditEvent
from amtshilfe.notifications.models import Notification
from amtshilfe.onboarding.models import ChecklistTemplateItem, OnboardingPlan
from amtshilfe.onboarding.services import start_onboarding, update_template_item
from amtshilfe.onboarding.tests.plans import START, checklist, items, started


def test_it_copies_the_template_in_order(personas):
    plan = started(personas)
    assert [item.title for item in items(plan)] == [
        "Grundlagen lesen",
        "Alice treffen",
        "Erste Druckeranfrage begleiten",
    ]
    assert plan.status == "active" and plan.started_on == START


def test_it_keeps_running_plans_when_the_template_changes(personas):
    plan = started(personas)
    first = ChecklistTemplateItem.objects.get(template__cluster=personas.cluster, position=1)
    update_template_item(
        actor=personas.alice,
        item=first,
        kind="task",
        title="Etwas ganz anderes",
    )
    assert items(plan)[0].title == "Grundlagen lesen"


def test_it_notifies_newcomer_and_mentor(personas):
    plan = started(personas)
    notes = Notification.objects.filter(kind="onboarding")
    assert sorted(n.user.username for n in notes) == ["alice", "dora"]
    assert all(n.url == f"/einarbeitung/plan/{plan.pk}/" for n in notes)


def test_it_records_an_audit_event(personas):
    plan = started(personas)
    event = AuditEvent.objects.get(action="onboarding.started")
    assert event.object_id == str(plan.pk)
    assert event.after["mentor"] == personas.alice.pk


def test_it_lets_only_owners_and_coordination_start(personas):
    checklist(personas)
    with pytest.raises(PermissionDenied):
        start_onboarding(
            actor=personas.dora,
            cluster=personas.cluster,
            newcomer=personas.dora,
            mentor=personas.alice,
        )
    plan = start_onboarding(
        actor=personas.alice,
        cluster=personas.cluster,
        newcomer=personas.dora,
        mentor=personas.alice,
    )
    assert plan.started_by == personas.alice


def test_it_refuses_a_mentor_outside_the_cluster(personas):
    with pytest.raises(ValidationError) as error:
        start_onboarding(
            actor=personas.coordinator,
            cluster=personas.cluster,
            newcomer=personas.alice,
            mentor=personas.dora,
        )
    assert "Themencluster" in error.value.message_dict["mentor"][0]


def test_it_refuses_administration_staff_as_newcomer(personas):
    with pytest.raises(ValidationError) as error:
        start_onboarding(
            actor=personas.coordinator,
            cluster=personas.cluster,
            newcomer=personas.bob,
            mentor=personas.alice,
        )
    assert "IT-Fachkräfte" in error.value.message_dict["newcomer"][0]


def test_it_refuses_a_second_running_plan(personas):
    started(personas)
    with pytest.raises(ValidationError) as error:
        start_onboarding(
            actor=personas.coordinator,
            cluster=personas.cluster,
            newcomer=personas.dora,
            mentor=personas.alice,
        )
    assert "läuft" in error.value.message_dict["newcomer"][0]


def test_it_refuses_a_due_date_before_the_start(personas):
    import datetime as dt

    with pytest.raises(ValidationError) as error:
        started(personas, due_on=START - dt.timedelta(days=1))
    assert "Zieldatum" in error.value.message_dict["due_on"][0]


def test_it_starts_a_plan_for_each_it_person_of_a_new_municipality(personas):
    from amtshilfe.onboarding.services import start_onboarding_for_municipality
    from amtshilfe.tenancy.services import create_person

    for name in ("erik", "frieda"):
        create_person(
            actor=None,
            network=personas.network,
            username=name,
            first_name=name.capitalize(),
            last_name="Neu",
            email=f"{name}@example.org",
            municipality=personas.b,
            role="it",
            started_on=START,
        )
    started(personas)  # dora (IT in B) already has a running plan: skipped
    plans = start_onboarding_for_municipality(
        actor=personas.coordinator,
        cluster=personas.cluster,
        municipality=personas.b,
        mentor=personas.alice,
        started_on=START,
    )
    assert sorted(p.newcomer.username for p in plans) == ["erik", "frieda"]
    assert all(len(items(p)) == 3 for p in plans)
    with pytest.raises(ValidationError) as error:
        start_onboarding_for_municipality(
            actor=personas.coordinator,
            cluster=personas.cluster,
            municipality=personas.b,
            mentor=personas.alice,
        )
    assert "keine IT-Fachkraft" in error.value.message_dict["municipality"][0]
    with pytest.raises(PermissionDenied):
        start_onboarding_for_municipality(
            actor=personas.dora,
            cluster=personas.cluster,
            municipality=personas.a,
            mentor=personas.alice,
        )


def test_it_starts_from_the_form_for_a_municipality(personas):
    checklist(personas)
    response = personas.client(personas.alice).post(
        "/einarbeitung/cluster/drucker/starten/",
        {"municipality": personas.b.pk, "mentor": personas.alice.pk, "started_on": "2026-03-02"},
    )
    assert (
        response.status_code == 302
        and response["Location"]
        == "/einarbeitung/plan/" + str(OnboardingPlan.objects.get(newcomer=personas.dora).pk) + "/"
    )
    both = personas.client(personas.alice).post(
        "/einarbeitung/cluster/drucker/starten/",
        {
            "newcomer": personas.dora.pk,
            "municipality": personas.b.pk,
            "mentor": personas.alice.pk,
            "started_on": "2026-03-02",
        },
    )
    assert both.status_code == 400
    assert "entweder eine Person oder eine Kommune" in both.content.decode()
    neither = personas.client(personas.alice).post(
        "/einarbeitung/cluster/drucker/starten/",
        {"mentor": personas.alice.pk, "started_on": "2026-03-02"},
    )
    assert "Bitte wählen Sie die neue Person oder eine Kommune." in neither.content.decode()
