"""The start page shows the sections that fit the person's roles."""

from __future__ import annotations

from django.test import Client

from amtshilfe.experts.services import update_expert_profile


def sections(personas, user) -> set[str]:
    import re

    page = personas.client(user).get("/start/").content.decode()
    return set(re.findall(r'data-section="([a-z-]+)"', page))


def test_it_shows_help_and_municipality_requests_to_staff(personas):
    assert sections(personas, personas.bob) == {"staff", "municipality-requests"}
    page = personas.client(personas.bob).get("/start/").content.decode()
    assert "Hilfe finden" in page and "Anfragen aus Riesa" in page and "Drucker" in page


def test_it_shows_clusters_and_profile_to_it_specialists(personas):
    update_expert_profile(
        actor=personas.alice,
        network=personas.network,
        person=personas.alice,
        skills=["Toner"],
        pledged_hours_per_month=8,
    )
    assert sections(personas, personas.alice) == {"it"}
    page = personas.client(personas.alice).get("/start/").content.decode()
    assert "Drucker" in page and "8 Stunden pro Monat" in page


def test_it_shows_the_network_to_the_coordinator(personas):
    assert {"network", "audit"} <= sections(personas, personas.coordinator)
    page = personas.client(personas.coordinator).get("/start/").content.decode()
    assert "Kommunen verwalten" in page


def test_it_shows_the_network_but_not_the_audit_log_to_steering(personas):
    assert "network" in sections(personas, personas.steering)
    assert "audit" not in sections(personas, personas.steering)
    assert "audit" in sections(personas, personas.auditor)


def test_it_explains_when_a_person_belongs_to_no_active_municipality(personas):
    from amtshilfe.tenancy.services import record_municipality_leaving

    record_municipality_leaving(actor=personas.coordinator, municipality=personas.b)
    page = personas.client(personas.charlie).get("/start/").content.decode()
    assert "keiner Mitgliedskommune" in page


def test_it_sends_anonymous_visitors_to_login(personas):
    assert Client().get("/start/").status_code == 302


def test_it_does_not_grow_queries_with_the_network(personas, django_assert_max_num_queries):
    client = personas.client(personas.coordinator)
    with django_assert_max_num_queries(20):
        client.get("/start/")
