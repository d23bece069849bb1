"""Filing a request: triage decides the column, the requester watches, the right people hear of it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board import classification
from amtshilfe.board.models import Column, RequestEvent, ServiceRequest, Watcher
from amtshilfe.board.services import ensure_default_board, update_board
from amtshilfe.board.tests.requests import add_dora_to_cluster, file
from amtshilfe.core.models import AuditEvent
from amtshilfe.notifications.models import Notification


def test_it_sends_unsure_requests_to_triage(personas, triage):
    triage.answer(personas.cluster, 0.3)
    request = file(personas)
    assert request.column.kind == Column.Kind.TRIAGE
    assert request.status == ServiceRequest.Status.TRIAGE
    assert request.cluster is None
    assert request.suggested_cluster == personas.cluster
    assert request.triage_confidence == pytest.approx(0.3)
    assert triage.calls[0]["title"] == "Drucker im Bürgerbüro druckt nicht"


def test_it_puts_confident_requests_into_the_inbox_of_their_cluster(personas, triage):
    triage.answer(personas.cluster, 0.8)
    request = file(personas)
    assert (request.column.kind, request.status) == (Column.Kind.INBOX, ServiceRequest.Status.NEW)
    assert request.cluster == personas.cluster


def test_it_takes_the_threshold_from_the_network_board(personas, triage):
    board = ensure_default_board(network=personas.network)
    update_board(actor=personas.coordinator, board=board, triage_threshold=0.9)
    triage.answer(personas.cluster, 0.8)
    assert file(personas).cluster is None
    update_board(actor=personas.coordinator, board=board, triage_threshold=0.8)
    assert file(personas).cluster == personas.cluster


def test_it_ignores_clusters_of_another_network(personas, triage):
    from amtshilfe.experts.services import create_cluster

    foreign = create_cluster(actor=None, network=personas.other_network, name="Fremd")
    triage.answer(foreign, 0.99)
    request = file(personas)
    assert request.cluster is None and request.suggested_cluster is None


def test_it_numbers_requests_per_network_and_appends_them(personas):
    first, second = file(personas), file(personas, title="Zweite Anfrage")
    assert (first.number, second.number) == (1, 2)
    assert (first.position, second.position) == (0, 1)
    assert first.column == second.column


def test_it_lets_the_requester_watch_and_records_the_start(personas, triage):
    triage.answer(personas.cluster, 0.7)
    request = file(personas, source="api", urgency="high")
    assert Watcher.objects.filter(request=request, user=personas.bob).exists()
    event = RequestEvent.objects.get(request=request)
    assert event.kind == RequestEvent.Kind.CREATED
    assert event.data["status"] == {"value": "new", "label": "Neu"}
    assert event.data["cluster"]["slug"] == personas.cluster.slug
    assert event.data["municipality"]["slug"] == personas.a.slug
    assert event.data["urgency"]["value"] == "high" and event.data["source"] == "api"
    assert AuditEvent.objects.filter(action="request.filed", object_id=str(request.pk)).exists()


def test_it_notifies_the_cluster_or_the_triage(personas, triage):
    add_dora_to_cluster(personas)
    triage.answer(personas.cluster, 0.9)
    file(personas)
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"alice", "dora"}
    Notification.objects.all().delete()
    triage.answer(None, 0.1)
    file(personas)
    # Triage: topic owners and the coordination, not the cluster's plain members.
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "alice",
        "coordinator",
    }


def test_it_requires_a_membership_in_the_municipality(personas):
    with pytest.raises(PermissionDenied):
        file(personas, actor=personas.charlie)  # charlie works in B, files for A
    with pytest.raises(PermissionDenied):
        file(personas, actor=personas.olga)
    with pytest.raises(ValidationError):
        file(personas, actor=personas.olga, municipality=personas.c)  # C is in another network


def test_it_explains_what_is_missing(personas):
    with pytest.raises(ValidationError) as error:
        file(personas, title="  ", urgency="sofort", contact_preference="brieftaube")
    assert set(error.value.message_dict) == {"title", "urgency", "contact_preference"}
    assert "Betreff" in error.value.message_dict["title"][0]
    assert not ServiceRequest.objects.exists()


def test_it_survives_a_missing_or_broken_classifier(personas, monkeypatch):
    monkeypatch.undo()  # the real seam, not the test's fake
    import importlib

    def broken(name):
        raise ImportError(name)

    monkeypatch.setattr(importlib, "import_module", broken)
    assert (
        classification.classify_request(network=personas.network, title="x", description="") is None
    )
    monkeypatch.undo()

    class Triage:
        @staticmethod
        def classify(**kwargs):
            raise RuntimeError("model missing")

    monkeypatch.setattr(importlib, "import_module", lambda name: Triage)
    assert (
        classification.classify_request(network=personas.network, title="x", description="") is None
    )

    class Sure:
        @staticmethod
        def classify(**kwargs):
            return classification.Classification(cluster=personas.cluster, confidence=1.7)

    monkeypatch.setattr(importlib, "import_module", lambda name: Sure)
    result = classification.classify_request(network=personas.network, title="x", description="")
    assert result == classification.Classification(cluster=personas.cluster, confidence=1.0)
