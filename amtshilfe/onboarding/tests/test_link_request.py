"""Naming the request to shadow: mentor, owners and coordination; a request of the cluster."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board import classification
from amtshilfe.board.services import file_request, set_request_cluster
from amtshilfe.onboarding.services import link_shadow_request
from amtshilfe.onboarding.tests.plans import items, started


@pytest.fixture(autouse=True)
def no_triage(monkeypatch):
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def request_of(personas, cluster=True):
    request = file_request(
        actor=personas.bob,
        network=personas.network,
        municipality=personas.a,
        title="Scanner speichert nicht im Ordner",
    )
    if cluster:
        request = set_request_cluster(
            actor=personas.coordinator, request=request, cluster=personas.cluster
        )
    return request


def test_it_links_a_request_of_the_cluster_by_number(personas):
    plan = started(personas)
    shadow = items(plan)[2]
    request = request_of(personas)
    response = personas.client(personas.alice).post(
        f"/einarbeitung/plan/{plan.pk}/punkt/{shadow.pk}/anfrage/", {"number": request.number}
    )
    assert response.status_code == 302
    assert items(plan)[2].request == request
    page = personas.client(personas.dora).get(f"/einarbeitung/plan/{plan.pk}/").content.decode()
    assert f"Anfrage {request.number}" in page


def test_it_refuses_requests_of_other_clusters_and_other_kinds(personas):
    plan = started(personas)
    with pytest.raises(ValidationError):
        link_shadow_request(
            actor=personas.alice, item=items(plan)[2], request=request_of(personas, cluster=False)
        )
    with pytest.raises(ValidationError):
        link_shadow_request(actor=personas.alice, item=items(plan)[0], request=None)


def test_it_requires_rw_access(personas):
    plan = started(personas)
    with pytest.raises(PermissionDenied):
        link_shadow_request(actor=personas.dora, item=items(plan)[2], request=None)
    response = personas.client(personas.dora).post(
        f"/einarbeitung/plan/{plan.pk}/punkt/{items(plan)[2].pk}/anfrage/", {"number": ""}
    )
    assert response.status_code == 403


def test_it_hides_from_other_municipality(personas):
    plan = started(personas)
    response = personas.client(personas.charlie).post(
        f"/einarbeitung/plan/{plan.pk}/punkt/{items(plan)[2].pk}/anfrage/", {"number": ""}
    )
    assert response.status_code == 404
