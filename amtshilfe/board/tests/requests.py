"""Shared set-up for the board tests: requests of the personas' network."""

from __future__ import annotations

from typing import Any

from amtshilfe.board.models import Column, ServiceRequest
from amtshilfe.board.services import ensure_default_board, file_request, set_request_cluster
from amtshilfe.conftest import Personas
from amtshilfe.experts.services import set_cluster_member


def file(personas: Personas, **kwargs: Any) -> ServiceRequest:
    """A request of bob (staff in A) – in triage unless the test's triage says otherwise."""
    values: dict[str, Any] = {
        "actor": personas.bob,
        "network": personas.network,
        "municipality": personas.a,
        "title": "Drucker im Bürgerbüro druckt nicht",
        "description": "Seit heute früh kommt nichts mehr aus dem Drucker.",
    }
    values.update(kwargs)
    return file_request(**values)


def file_in_cluster(personas: Personas, **kwargs: Any) -> ServiceRequest:
    """A request of bob classified to "Drucker" by the coordination (in the inbox)."""
    request = file(personas, **kwargs)
    return set_request_cluster(
        actor=personas.coordinator, request=request, cluster=personas.cluster
    )


def add_dora_to_cluster(personas: Personas) -> None:
    set_cluster_member(actor=None, cluster=personas.cluster, person=personas.dora, role="member")


def column(personas: Personas, kind: str) -> Column:
    board = ensure_default_board(network=personas.network)
    return board.columns.filter(kind=kind).order_by("position").first()  # type: ignore[return-value]


def refresh(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_related("column").get(pk=request.pk)
