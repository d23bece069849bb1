"""Building blocks of the request services: locking a card, placing it, notifying.

Changes of what the board shows (column, position, status, cluster, assignee, urgency) bump
``ServiceRequest.version``; a caller that passes ``expected_version`` gets ``StaleMove``
when somebody else changed the card in between.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.board.models import Column, RequestEvent, ServiceRequest, Watcher
from amtshilfe.board.services import placement
from amtshilfe.board.services.history import (
    column_ref,
    followers,
    notify_about,
    record_change,
    record_request_event,
    status_ref,
)
from amtshilfe.experts.models import ClusterMembership
from amtshilfe.notifications.models import Kind as NotificationKind
from amtshilfe.tenancy.models import NetworkRole

Status = ServiceRequest.Status

# Kinds of events that bump the card's version (used to name who changed it).
_BOARD_CHANGES = [
    RequestEvent.Kind.COLUMN,
    RequestEvent.Kind.STATUS,
    RequestEvent.Kind.CLUSTER,
    RequestEvent.Kind.ASSIGNEE,
    RequestEvent.Kind.URGENCY,
    RequestEvent.Kind.RATING,
]


class StaleMove(ValidationError):
    """The card changed since the caller loaded it; their move or change is refused."""

    def __init__(self, request: ServiceRequest) -> None:
        last = (
            RequestEvent.objects.filter(request=request, kind__in=_BOARD_CHANGES)
            .order_by("-created_at", "-id")
            .first()
        )
        name = (last.actor_name if last is not None else "") or _("jemand anderem")
        if last is None or last.kind in (RequestEvent.Kind.COLUMN, RequestEvent.Kind.STATUS):
            message = _(
                "Die Karte wurde inzwischen von %(name)s verschoben. Die Ansicht wurde aktualisiert."
            )
        else:
            message = _(
                "Die Karte wurde inzwischen von %(name)s geändert. Die Ansicht wurde aktualisiert."
            )
        super().__init__(message % {"name": name}, code="stale")
        self.request = request


# --- locking -----------------------------------------------------------------------------


def lock_card(request: ServiceRequest, expected_version: int | None) -> ServiceRequest:
    """Lock the request row (no column changes); refuse a stale version."""
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleMove(locked)
    return locked


def lock_card_with_columns(
    request: ServiceRequest,
    expected_version: int | None,
    targets: Callable[[ServiceRequest], list[Column]],
) -> ServiceRequest:
    """Lock the card's column and the target columns (id order), then the card.

    The targets depend on where the card is; if it moved between reading and locking, try
    again (the columns already locked stay locked until the transaction ends).
    """
    for _attempt in range(3):
        current = ServiceRequest.objects.select_related("column__board").get(pk=request.pk)
        columns = placement.lock_columns([current.column, *targets(current)])
        locked = lock_card(request, expected_version)
        if locked.column_id == current.column_id:
            locked.column = columns[locked.column_id]
            return locked
    raise StaleMove(request)


def place_card(
    locked: ServiceRequest, target: Column, position: int | None, actor: User | None
) -> str:
    """Move the locked card into ``target`` and record the events; returns the old status."""
    old_column, old_position, old_status = locked.column, locked.position, locked.status
    placement.take_out(locked)
    placement.put_in(locked, target, position)
    placement.apply_column_status(locked, target)
    if (old_column.pk, old_position) != (target.pk, locked.position):
        record_request_event(
            request=locked,
            actor=actor,
            kind=RequestEvent.Kind.COLUMN,
            data={
                "from": column_ref(old_column),
                "to": column_ref(target),
                "from_position": old_position,
                "to_position": locked.position,
            },
        )
    record_change(
        request=locked,
        actor=actor,
        kind=RequestEvent.Kind.STATUS,
        before=status_ref(old_status),
        after=status_ref(locked.status),
    )
    return old_status


def save_card(locked: ServiceRequest) -> None:
    locked.version += 1
    locked.save()


def notify_status(locked: ServiceRequest, actor: User | None, old_status: str) -> None:
    if locked.status == old_status:
        return
    bodies: dict[str, str] = {
        Status.DONE: _(
            "Die Anfrage ist erledigt. Bitte sagen Sie uns, wie zufrieden Sie mit der Hilfe sind."
        ),
        Status.WAITING: _("Die IT-Fachkräfte warten auf Ihre Rückmeldung."),
    }
    body = bodies.get(locked.status, "")
    notify_about(
        locked,
        recipients=followers(locked),
        actor=actor,
        kind=NotificationKind.REQUEST_STATUS,
        title=_("Status „%(status)s“") % {"status": locked.get_status_display()},
        body=body,
    )


def notify_new(locked: ServiceRequest, actor: User | None) -> None:
    """Tell the cluster's members – or, in triage, the topic owners and the coordination."""
    if locked.cluster_id is not None:
        recipients = User.objects.filter(cluster_memberships__cluster_id=locked.cluster_id)
        title = _("Neue Anfrage im Themencluster %(cluster)s") % {"cluster": locked.cluster}
    else:
        recipients = User.objects.filter(
            Q(
                cluster_memberships__cluster__network_id=locked.network_id,
                cluster_memberships__role=ClusterMembership.Role.OWNER,
            )
            | Q(
                network_roles__network_id=locked.network_id,
                network_roles__role=NetworkRole.Role.COORDINATOR,
            )
        )
        title = _("Neue Anfrage wartet auf Triage")
    notify_about(
        locked,
        recipients=recipients,
        actor=actor,
        kind=NotificationKind.REQUEST_NEW,
        title=title,
        body=_("%(municipality)s: %(description)s")
        % {"municipality": locked.municipality, "description": locked.description[:500]},
    )


def add_watcher(request: ServiceRequest, user: User | None) -> None:
    if user is not None:
        Watcher.objects.get_or_create(request=request, user=user)
