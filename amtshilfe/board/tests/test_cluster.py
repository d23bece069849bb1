"""Human classification: the card leaves triage, the change is the training signal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board.models import RequestEvent
from amtshilfe.board.services import (
    create_cluster_board,
    set_request_cluster,
    set_request_urgency,
)
from amtshilfe.board.tests.requests import file, refresh
from amtshilfe.experts.services import create_cluster
from amtshilfe.notifications.models import Notification


def test_it_moves_a_classified_request_from_triage_to_the_inbox(personas, triage):
    triage.answer(personas.cluster, 0.2)
    request = file(personas)
    Notification.objects.all().delete()
    classified = set_request_cluster(
        actor=personas.alice, request=request, cluster=personas.cluster
    )
    assert (classified.cluster, classified.status, classified.column.kind) == (
        personas.cluster,
        "new",
        "inbox",
    )
    event = RequestEvent.objects.get(request=request, kind="cluster")
    assert event.data["from"] is None
    assert event.data["to"]["slug"] == personas.cluster.slug
    assert event.data["suggested"]["slug"] == personas.cluster.slug
    assert event.data["confidence"] == pytest.approx(0.2) and event.data["by"] == "human"
    # The requester learns the new status; alice does not notify herself.
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"bob"}


def test_it_sends_a_request_back_to_triage(personas):
    request = set_request_cluster(
        actor=personas.coordinator, request=file(personas), cluster=personas.cluster
    )
    back = set_request_cluster(actor=personas.alice, request=request, cluster=None)
    assert (back.cluster, back.status) == (None, "triage")


def test_it_moves_the_card_to_the_cluster_board(personas):
    create_cluster_board(actor=personas.coordinator, cluster=personas.cluster)
    request = set_request_cluster(
        actor=personas.coordinator, request=file(personas), cluster=personas.cluster
    )
    assert refresh(request).column.board.cluster == personas.cluster


def test_it_refuses_strangers_and_foreign_clusters(personas):
    request = file(personas)
    with pytest.raises(PermissionDenied):
        set_request_cluster(actor=personas.bob, request=request, cluster=personas.cluster)
    foreign = create_cluster(actor=None, network=personas.other_network, name="Fremd")
    with pytest.raises(ValidationError):
        set_request_cluster(actor=personas.coordinator, request=request, cluster=foreign)


def test_it_changes_urgency_with_an_event(personas):
    request = set_request_urgency(actor=personas.alice, request=file(personas), urgency="critical")
    assert request.urgency == "critical"
    event = RequestEvent.objects.get(request=request, kind="urgency")
    assert event.data["to"] == {"value": "critical", "label": "dringend"}
    with pytest.raises(PermissionDenied):
        set_request_urgency(actor=personas.bob, request=request, urgency="low")
