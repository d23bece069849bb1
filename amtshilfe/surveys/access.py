"""Who may do what with surveys (one helper per object type, CONVENTIONS #4).

- coordination: builds, opens and closes surveys, reads results;
- steering group: reads surveys and results (no writes, 403);
- invited people: see the survey they are invited to (to answer it), nothing else;
- processing register: coordination, steering group and audit (data protection, staff
  council); other members 403; anybody outside the network 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from amtshilfe.surveys.models import Question, Survey, SurveyQuerySet
from amtshilfe.tenancy.access import can_read_network_admin, is_coordinator, network_roles
from amtshilfe.tenancy.models import Network, NetworkRole


def can_manage_surveys(user: Any, network: Network) -> bool:
    return is_coordinator(user, network)


def can_read_results(user: Any, network: Network) -> bool:
    return bool(
        network_roles(user, network) & {NetworkRole.Role.COORDINATOR, NetworkRole.Role.STEERING}
    )


def can_read_register(user: Any, network: Network) -> bool:
    """Coordination, steering group and audit (every network role)."""
    return can_read_network_admin(user, network)


def visible_surveys(user: Any, network: Network) -> SurveyQuerySet:
    """All surveys for coordination and steering group, else those one is invited to."""
    surveys = Survey.objects.in_network(network)
    if can_read_results(user, network):
        return surveys
    if not getattr(user, "is_authenticated", False):
        return surveys.none()
    return surveys.filter(Q(invitations__user=user) & ~Q(status=Survey.Status.DRAFT)).distinct()


def get_survey_for_user(user: Any, network: Network, pk: int) -> tuple[Survey, bool]:
    """The survey ``pk`` if ``user`` may see it (else Http404) and whether they manage it."""
    survey = get_object_or_404(
        visible_surveys(user, network).select_related("network", "municipality"), pk=pk
    )
    return survey, can_manage_surveys(user, network)


def get_survey_for_user_rw(user: Any, network: Network, pk: int) -> Survey:
    survey, can_write = get_survey_for_user(user, network, pk)
    if not can_write:
        raise PermissionDenied
    return survey


def get_question_for_user_rw(user: Any, network: Network, pk: int, question_pk: int) -> Question:
    survey = get_survey_for_user_rw(user, network, pk)
    return get_object_or_404(
        Question.objects.select_related("survey__network"), pk=question_pk, survey=survey
    )
