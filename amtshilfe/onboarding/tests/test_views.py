"""The onboarding pages: who sees what (404), who may change what (403), plain POST forms."""

from __future__ import annotations

import pytest

from amtshilfe.onboarding.models import ChecklistTemplateItem, OnboardingPlan
from amtshilfe.onboarding.tests.plans import checklist, items, reload, started


def plan_url(plan):
    return f"/einarbeitung/plan/{plan.pk}/"


@pytest.mark.parametrize("who", ["dora", "alice", "coordinator"])
def test_it_shows_the_plan_to_newcomer_mentor_owner_coordination(personas, who):
    plan = started(personas)
    response = personas.client(getattr(personas, who)).get(plan_url(plan))
    assert response.status_code == 200
    assert "0 von 3 Punkten erledigt" in response.content.decode()
    assert "<progress" in response.content.decode()


@pytest.mark.parametrize("who", ["bob", "charlie", "steering", "auditor"])
def test_it_hides_from_other_municipality(personas, who):
    plan = started(personas)
    assert personas.client(getattr(personas, who)).get(plan_url(plan)).status_code == 404


def test_it_hides_from_other_network(personas):
    plan = started(personas)
    olga = personas.client(personas.olga)
    assert olga.get(plan_url(plan)).status_code == 404
    assert olga.get("/einarbeitung/cluster/drucker/vorlage/").status_code == 404
    item = items(plan)[0]
    assert olga.post(f"{plan_url(plan)}punkt/{item.pk}/erledigt/").status_code == 404


def test_it_ticks_an_item_with_a_plain_post(personas):
    plan = started(personas)
    item = items(plan)[0]
    response = personas.client(personas.dora).post(
        f"{plan_url(plan)}punkt/{item.pk}/erledigt/", {"note": "erledigt am Morgen"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{plan_url(plan)}#item-{item.pk}"
    assert items(plan)[0].note == "erledigt am Morgen"
    page = personas.client(personas.dora).get(plan_url(plan)).content.decode()
    assert "1 von 3 Punkten erledigt" in page


def test_it_returns_to_the_welcome_page(personas):
    plan = started(personas)
    item = items(plan)[0]
    response = personas.client(personas.dora).post(
        f"{plan_url(plan)}punkt/{item.pk}/erledigt/", {"next": "welcome"}
    )
    assert response["Location"] == f"/einarbeitung/willkommen/#item-{item.pk}"


def test_it_requires_rw_access(personas):
    """The coordinator sees the plan but only newcomer and mentor tick: 403."""
    plan = started(personas)
    item = items(plan)[0]
    response = personas.client(personas.coordinator).post(
        f"{plan_url(plan)}punkt/{item.pk}/erledigt/"
    )
    assert response.status_code == 403
    assert items(plan)[0].done_at is None
    # the newcomer may tick but not manage the plan
    dora = personas.client(personas.dora)
    assert dora.post(f"{plan_url(plan)}abbrechen/").status_code == 403
    assert dora.post(f"{plan_url(plan)}punkt/", {"kind": "task", "title": "x"}).status_code == 403
    assert reload(plan).status == "active"


def test_it_shows_the_welcome_page_with_mentor_contact(personas):
    started(personas)
    page = personas.client(personas.dora).get("/einarbeitung/willkommen/").content.decode()
    assert "Willkommen, Dora Test!" in page
    assert "alice@example.org" in page
    assert "Grundlagen lesen" in page
    assert 'value="0"' in page


def test_it_lists_mentees(personas):
    started(personas)
    page = personas.client(personas.alice).get("/einarbeitung/meine-mentees/").content.decode()
    assert "Dora Test" in page
    empty = personas.client(personas.dora).get("/einarbeitung/meine-mentees/").content.decode()
    assert "Sie begleiten zurzeit niemanden." in empty


def test_it_shows_the_overview_by_cluster_without_ranking(personas):
    started(personas)
    page = personas.client(personas.coordinator).get("/einarbeitung/").content.decode()
    assert "Drucker" in page and "läuft: 1" in page and "Dora Test" in page
    bob = personas.client(personas.bob).get("/einarbeitung/").content.decode()
    assert "Dora Test" not in bob


def test_it_lets_owners_edit_the_template(personas):
    alice = personas.client(personas.alice)
    response = alice.post(
        "/einarbeitung/cluster/drucker/vorlage/", {"kind": "task", "title": "Zugänge beantragen"}
    )
    assert response.status_code == 302
    item = ChecklistTemplateItem.objects.get()
    response = alice.post(
        f"/einarbeitung/cluster/drucker/vorlage/{item.pk}/",
        {"kind": "task", "title": "Zugänge beantragen (VPN)"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Zugänge beantragen (VPN)"


def test_it_refuses_template_edits_of_non_owners(personas):
    checklist(personas)
    item = ChecklistTemplateItem.objects.first()
    dora = personas.client(personas.dora)
    assert dora.get("/einarbeitung/cluster/drucker/vorlage/").status_code == 200
    post = dora.post("/einarbeitung/cluster/drucker/vorlage/", {"kind": "task", "title": "x"})
    assert post.status_code == 403
    assert dora.get(f"/einarbeitung/cluster/drucker/vorlage/{item.pk}/").status_code == 403
    assert (
        dora.post(f"/einarbeitung/cluster/drucker/vorlage/{item.pk}/entfernen/").status_code == 403
    )
    assert dora.get("/einarbeitung/cluster/drucker/starten/").status_code == 403
    assert ChecklistTemplateItem.objects.count() == 3


def test_it_shows_german_errors_and_keeps_input(personas):
    alice = personas.client(personas.alice)
    response = alice.post(
        "/einarbeitung/cluster/drucker/vorlage/",
        {"kind": "person", "title": "Jemanden treffen"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte wählen Sie eine Person." in page
    assert 'value="Jemanden treffen"' in page


def test_it_starts_an_onboarding_from_the_form(personas):
    checklist(personas)
    response = personas.client(personas.alice).post(
        "/einarbeitung/cluster/drucker/starten/",
        {
            "newcomer": personas.dora.pk,
            "mentor": personas.alice.pk,
            "started_on": "2026-03-02",
            "due_on": "",
        },
    )
    plan = OnboardingPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan_url(plan)
    assert len(items(plan)) == 3


def test_it_offers_only_it_specialists_as_newcomers(personas):
    page = personas.client(personas.alice).get("/einarbeitung/cluster/drucker/starten/")
    html = page.content.decode()
    assert "Dora Test" in html and "Bob Test" not in html


def test_it_offers_htmx_ticking_that_swaps_checklist_and_progress(personas):
    """The forms work as plain POSTs; htmx (when loaded) swaps the checklist, progress, status."""
    plan = started(personas)
    page = personas.client(personas.dora).get(plan_url(plan)).content.decode()
    assert 'id="plan-checklist"' in page and 'id="plan-progress"' in page
    assert 'hx-select-oob="#plan-progress:innerHTML,#plan-meta"' in page
    item = items(plan)[0]
    response = personas.client(personas.dora).post(
        f"{plan_url(plan)}punkt/{item.pk}/erledigt/", HTTP_HX_REQUEST="true", follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200 and "1 von 3 Punkten erledigt" in html
    assert "ist erledigt." in html  # the flash message that onboarding.js reads out
