"""Who sees a request, who works on it – the QuerySet and the per-request rule agree."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from amtshilfe.board.access import (
    can_work,
    get_request_for_user,
    get_request_for_user_rw,
    users_who_see,
    users_who_work,
)
from amtshilfe.board.models import ServiceRequest
from amtshilfe.board.services import assign_request
from amtshilfe.board.tests.requests import add_dora_to_cluster, file, file_in_cluster
from amtshilfe.experts.models import ClusterMembership
from amtshilfe.experts.services import remove_cluster_member

PEOPLE = ["alice", "bob", "charlie", "dora", "coordinator", "steering", "auditor", "olga"]


def seen_by(personas, request):
    return {
        name
        for name in PEOPLE
        if ServiceRequest.objects.visible_to(getattr(personas, name), personas.network)
        .filter(pk=request.pk)
        .exists()
    }


def assert_rules_agree(personas, request):
    """visible_to (list pages) and users_who_see (notifications) give the same people."""
    assert seen_by(personas, request) == set(
        users_who_see(request).filter(username__in=PEOPLE).values_list("username", flat=True)
    )


def test_it_shows_a_triage_request_to_its_municipality_topic_owners_and_coordination(personas):
    request = file(personas)  # bob, municipality A, no cluster yet
    # auditor and coordinator also work in A; alice is IT in A and a topic owner.
    assert seen_by(personas, request) == {"alice", "bob", "coordinator", "auditor"}
    assert_rules_agree(personas, request)
    # Alice sees Meißen's triage request as a topic owner (not as a member of Riesa).
    elsewhere = file(personas, actor=personas.charlie, municipality=personas.b)
    assert seen_by(personas, elsewhere) == {"alice", "charlie", "dora", "steering", "coordinator"}
    assert_rules_agree(personas, elsewhere)


def test_it_shows_a_classified_request_to_its_cluster_but_not_other_it(personas):
    request = file_in_cluster(personas, actor=personas.charlie, municipality=personas.b)
    assert seen_by(personas, request) == {"alice", "charlie", "dora", "coordinator", "steering"}
    other = file_in_cluster(personas)
    assert "dora" not in seen_by(personas, other)  # IT specialist, but not in "Drucker"
    add_dora_to_cluster(personas)
    assert "dora" in seen_by(personas, other)
    assert "charlie" not in seen_by(personas, other)  # staff of another municipality: never
    assert_rules_agree(personas, other)


def test_it_keeps_showing_a_request_to_its_assignee(personas):
    add_dora_to_cluster(personas)
    request = file_in_cluster(personas)
    request = assign_request(actor=personas.alice, request=request, assignee=personas.dora)
    membership = ClusterMembership.objects.get(cluster=personas.cluster, user=personas.dora)
    remove_cluster_member(actor=personas.alice, membership=membership)
    assert "dora" in seen_by(personas, request)
    assert can_work(personas.dora, request)
    assert_rules_agree(personas, request)


def test_it_never_shows_requests_to_another_network(personas):
    file(personas)
    assert not ServiceRequest.objects.visible_to(personas.olga, personas.network).exists()
    assert not ServiceRequest.objects.visible_to(personas.olga, personas.other_network).exists()
    assert ServiceRequest.objects.visible_to(personas.coordinator, personas.network).count() == 1


def test_it_gives_the_it_side_work_and_the_requesting_side_reading(personas):
    request = file_in_cluster(personas)
    workers = set(users_who_work(request).values_list("username", flat=True))
    assert workers == {"alice", "coordinator"}
    found, writable = get_request_for_user(personas.bob, personas.network, request.pk)
    assert found == request and writable is False
    assert get_request_for_user(personas.alice, personas.network, request.pk)[1] is True
    with pytest.raises(PermissionDenied):
        get_request_for_user_rw(personas.bob, personas.network, request.pk)


@pytest.mark.parametrize("name", ["charlie", "dora", "steering", "olga"])
def test_it_answers_404_to_those_who_may_not_see(personas, name):
    request = file_in_cluster(personas)
    with pytest.raises(Http404):
        get_request_for_user(getattr(personas, name), personas.network, request.pk)
