"""Taking and assigning: cluster members take, owners and coordination hand out."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board.models import RequestEvent, Watcher
from amtshilfe.board.services import StaleMove, assign_request, take_request
from amtshilfe.board.tests.requests import add_dora_to_cluster, file, file_in_cluster
from amtshilfe.notifications.models import Notification


def test_it_lets_a_cluster_member_take_a_new_request(personas):
    request = file_in_cluster(personas)
    Notification.objects.all().delete()
    taken = take_request(actor=personas.alice, request=request)
    assert taken.assignee == personas.alice
    assert (taken.status, taken.column.kind, taken.position) == ("in_progress", "in_progress", 0)
    assert Watcher.objects.filter(request=request, user=personas.alice).exists()
    event = RequestEvent.objects.filter(request=request, kind="assignee").get()
    assert event.data["to"]["username"] == "alice" and event.data["from"] is None
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["bob"]


def test_it_refuses_taking_outside_the_cluster_or_twice(personas):
    request = file_in_cluster(personas)
    for person in (personas.dora, personas.bob, personas.coordinator):  # not IT in the cluster
        with pytest.raises(PermissionDenied):
            take_request(actor=person, request=request)
    add_dora_to_cluster(personas)
    take_request(actor=personas.dora, request=request)
    with pytest.raises(ValidationError, match="bearbeitet bereits Dora Test"):
        take_request(actor=personas.alice, request=request)
    with pytest.raises(PermissionDenied):  # triage requests have no cluster to take from
        take_request(actor=personas.alice, request=file(personas))


def test_it_lets_owners_assign_cluster_members_and_notifies_them(personas):
    add_dora_to_cluster(personas)
    request = file_in_cluster(personas)
    assigned = assign_request(actor=personas.alice, request=request, assignee=personas.dora)
    assert assigned.assignee == personas.dora and assigned.status == "new"
    note = Notification.objects.get(kind="request_assigned")
    assert note.user == personas.dora and "Alice Test" in note.body
    with pytest.raises(PermissionDenied):  # a plain member does not hand out work
        assign_request(actor=personas.dora, request=assigned, assignee=personas.alice)
    with pytest.raises(ValidationError, match="keine IT-Fachkraft im Themencluster"):
        assign_request(actor=personas.coordinator, request=assigned, assignee=personas.bob)


def test_it_lets_the_assignee_give_it_back(personas):
    add_dora_to_cluster(personas)
    request = take_request(actor=personas.dora, request=file_in_cluster(personas))
    back = assign_request(actor=personas.dora, request=request, assignee=None)
    assert back.assignee is None
    with pytest.raises(PermissionDenied):
        assign_request(actor=personas.dora, request=back, assignee=personas.dora)


def test_it_refuses_an_assignment_on_a_stale_card(personas):
    add_dora_to_cluster(personas)
    request = file_in_cluster(personas)
    take_request(actor=personas.alice, request=request)
    with pytest.raises(StaleMove, match="von Alice Test geändert"):
        assign_request(
            actor=personas.coordinator,
            request=request,
            assignee=personas.dora,
            expected_version=request.version,
        )
