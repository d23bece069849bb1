"""The life of a request up to the work: filing, triage, moving, assignment, cluster, urgency.

Every service here is keyword-only, atomic, records ``RequestEvent``s for each change and one
audit event, and notifies through ``notifications.notify`` (e-mails after commit). Closing,
rating and reopening are in ``closing.py``; locking and placing in ``cards.py``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.board import access, classification
from amtshilfe.board.models import Board, Column, RequestEvent, ServiceRequest
from amtshilfe.board.services import placement
from amtshilfe.board.services.cards import (
    StaleMove,
    Status,
    add_watcher,
    lock_card,
    lock_card_with_columns,
    notify_new,
    notify_status,
    place_card,
    save_card,
)
from amtshilfe.board.services.history import (
    cluster_ref,
    column_ref,
    notify_about,
    record_change,
    record_request_event,
    status_ref,
    urgency_ref,
    user_ref,
)
from amtshilfe.core.audit import record_event
from amtshilfe.experts.models import TopicCluster
from amtshilfe.notifications.models import Kind as NotificationKind
from amtshilfe.tenancy.access import current_memberships
from amtshilfe.tenancy.models import Municipality, Network

__all__ = [
    "StaleMove",
    "assign_request",
    "file_request",
    "move_request",
    "set_request_cluster",
    "set_request_urgency",
    "take_request",
]

# --- filing ------------------------------------------------------------------------------


def _validate_request(title: str, description: str, urgency: str, contact: str) -> str:
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Bitte beschreiben Sie Ihr Anliegen in einem kurzen Betreff.")
    elif len(title) > 200:
        errors["title"] = _("Der Betreff darf höchstens 200 Zeichen lang sein.")
    if len(description) > 20_000:
        errors["description"] = _("Die Beschreibung ist zu lang (höchstens 20.000 Zeichen).")
    if urgency not in ServiceRequest.Urgency.values:
        errors["urgency"] = _("Unbekannte Dringlichkeit.")
    if contact not in ServiceRequest.ContactPreference.values:
        errors["contact_preference"] = _("Unbekannter Weg für Rückmeldungen.")
    if errors:
        raise ValidationError(errors)
    return title


def _usable_cluster(network: Network, cluster: TopicCluster | None) -> TopicCluster | None:
    if cluster is None or cluster.network_id != network.pk or not cluster.is_active:
        return None
    return cluster


def file_request(
    *,
    actor: User | None,
    network: Network,
    municipality: Municipality,
    title: str,
    description: str = "",
    urgency: str = ServiceRequest.Urgency.NORMAL,
    contact_preference: str = ServiceRequest.ContactPreference.APP,
    source: str = ServiceRequest.Source.WEB,
    self_help_query: str = "",
) -> ServiceRequest:
    """File a request for ``municipality``; triage decides the column.

    1. Validate; the actor must be a current member of the municipality.
    2. Ask the classifier (outside the transaction: it may take a moment).
    3. Confident enough (``Board.triage_threshold`` of the network board) → inbox column of
       the cluster's board with the cluster set; otherwise → triage column without cluster.
    4. Number it (per network, under the network board's lock), put it at the end of the
       column, let the requester watch it, record events, notify the cluster (or triage).
    """
    title = _validate_request(title, description, urgency, contact_preference)
    if source not in ServiceRequest.Source.values:
        raise ValidationError({"source": _("Unbekannter Eingangsweg.")})
    if municipality.network_id != network.pk or not municipality.is_active:
        raise ValidationError({"municipality": _("Die Kommune ist kein Mitglied des Netzwerks.")})
    if actor is not None and not any(
        m.municipality_id == municipality.pk for m in current_memberships(actor, network)
    ):
        raise PermissionDenied
    result = classification.classify_request(network=network, title=title, description=description)
    suggested = _usable_cluster(network, result.cluster) if result is not None else None
    confidence = result.confidence if result is not None else None
    main_board = placement.network_board(network)
    with transaction.atomic():
        main_board = Board.objects.select_for_update().get(pk=main_board.pk)
        confident = (
            suggested is not None
            and confidence is not None
            and confidence >= main_board.triage_threshold
        )
        cluster = suggested if confident else None
        board = placement.board_for(network, cluster)
        column = placement.first_column(
            board, Column.Kind.INBOX if confident else Column.Kind.TRIAGE
        )
        column = placement.lock_columns([column])[column.pk]
        number = (
            ServiceRequest.objects.filter(network=network).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        request = ServiceRequest(
            network=network,
            number=number,
            municipality=municipality,
            requester=actor,
            title=title,
            description=description.strip(),
            urgency=urgency,
            contact_preference=contact_preference,
            source=source,
            cluster=cluster,
            suggested_cluster=suggested,
            triage_confidence=confidence,
            self_help_query=self_help_query.strip()[:2000],
        )
        placement.put_in(request, column, None)
        placement.apply_column_status(request, column)
        request.save()
        add_watcher(request, actor)
        record_request_event(
            request=request,
            actor=actor,
            kind=RequestEvent.Kind.CREATED,
            data={
                "source": source,
                "municipality": {
                    "id": municipality.pk,
                    "slug": municipality.slug,
                    "name": municipality.name,
                },
                "urgency": urgency_ref(urgency),
                "status": status_ref(request.status),
                "column": column_ref(column),
                "cluster": cluster_ref(cluster),
                "suggested_cluster": cluster_ref(suggested),
                "confidence": confidence,
            },
        )
        record_event(
            action="request.filed",
            actor=actor,
            network=network,
            municipality=municipality,
            obj=request,
            after={
                "number": number,
                "source": source,
                "cluster": cluster.slug if cluster else None,
                "status": request.status,
            },
        )
        notify_new(request, actor)
    return request


# --- moving ------------------------------------------------------------------------------


def move_request(
    *,
    actor: User,
    request: ServiceRequest,
    column: Column,
    position: int | None,
    expected_version: int,
) -> ServiceRequest:
    """Drag a card (or move it by keyboard) to ``column`` at ``position`` on its board.

    Refused with ``StaleMove`` when the card changed since the caller saw ``expected_version``;
    ``position`` is clamped into the column (None = at the end).
    """
    if not access.can_work(actor, request):
        raise PermissionDenied
    with transaction.atomic():
        locked = lock_card_with_columns(request, expected_version, lambda current: [column])
        target = Column.objects.get(pk=column.pk)
        if target.board_id != locked.column.board_id:
            raise ValidationError(_("Die Spalte gehört zu einem anderen Board."))
        old_status = place_card(locked, target, position, actor)
        save_card(locked)
        record_event(
            action="request.moved",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"column": target.pk, "position": locked.position, "status": locked.status},
        )
        notify_status(locked, actor, old_status)
    return locked


# --- who, which cluster, how urgent --------------------------------------------------------


def assign_request(
    *,
    actor: User,
    request: ServiceRequest,
    assignee: User | None,
    expected_version: int | None = None,
) -> ServiceRequest:
    """Hand the request to a member of its cluster (or take it back: ``assignee=None``).

    The coordination and the cluster's owners assign; the assignee may give it back.
    """
    giving_back = assignee is None and request.assignee_id == actor.pk
    if not (access.can_assign(actor, request) or giving_back):
        raise PermissionDenied
    if assignee is not None and not access.may_be_assigned(assignee, request):
        raise ValidationError(
            {
                "assignee": _("%(name)s ist keine IT-Fachkraft im Themencluster dieser Anfrage.")
                % {"name": assignee.full_name}
            }
        )
    with transaction.atomic():
        locked = lock_card(request, expected_version)
        before = locked.assignee
        if (before.pk if before else None) == (assignee.pk if assignee else None):
            return locked
        locked.assignee = assignee
        save_card(locked)
        record_change(
            request=locked,
            actor=actor,
            kind=RequestEvent.Kind.ASSIGNEE,
            before=user_ref(before),
            after=user_ref(assignee),
        )
        record_event(
            action="request.assigned",
            actor=actor,
            network=locked.network,
            obj=locked,
            before={"assignee": before.username if before else None},
            after={"assignee": assignee.username if assignee else None},
        )
        if assignee is not None:
            add_watcher(locked, assignee)
            notify_about(
                locked,
                recipients=User.objects.filter(pk=assignee.pk),
                actor=actor,
                kind=NotificationKind.REQUEST_ASSIGNED,
                title=_("Ihnen zugewiesen"),
                body=_("%(actor)s hat Ihnen diese Anfrage zugewiesen.")
                % {"actor": actor.full_name},
            )
    return locked


def take_request(
    *, actor: User, request: ServiceRequest, expected_version: int | None = None
) -> ServiceRequest:
    """ "Ich übernehme": assign it to oneself; a new card moves to the top of "in progress"."""
    if not access.can_take(actor, request):
        raise PermissionDenied
    starting = (Status.NEW, Status.TRIAGE)

    def targets(current: ServiceRequest) -> list[Column]:
        if current.status in starting:
            return [placement.first_column(current.column.board, Column.Kind.IN_PROGRESS)]
        return []

    with transaction.atomic():
        locked = lock_card_with_columns(request, expected_version, targets)
        if locked.assignee_id not in (None, actor.pk):
            raise ValidationError(
                _("Diese Anfrage bearbeitet bereits %(name)s.")
                % {"name": locked.assignee.full_name if locked.assignee else ""}
            )
        old_status = locked.status
        before = locked.assignee
        locked.assignee = actor
        if locked.status in starting:
            target = placement.first_column(locked.column.board, Column.Kind.IN_PROGRESS)
            old_status = place_card(locked, target, 0, actor)
        save_card(locked)
        record_change(
            request=locked,
            actor=actor,
            kind=RequestEvent.Kind.ASSIGNEE,
            before=user_ref(before),
            after=user_ref(actor),
        )
        add_watcher(locked, actor)
        record_event(
            action="request.taken",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"assignee": actor.username, "status": locked.status},
        )
        notify_status(locked, actor, old_status)
    return locked


def set_request_cluster(
    *,
    actor: User,
    request: ServiceRequest,
    cluster: TopicCluster | None,
    expected_version: int | None = None,
) -> ServiceRequest:
    """A person decides the topic cluster (also the training signal for triage).

    From the triage column the card moves to the inbox; ``cluster=None`` sends it back to
    triage. If the cluster has its own board, the card moves there (same kind of column).
    """
    if not access.can_work(actor, request):
        raise PermissionDenied
    if cluster is not None and _usable_cluster(request.network, cluster) is None:
        raise ValidationError({"cluster": _("Dieses Themencluster gibt es im Netzwerk nicht.")})

    def target_of(current: ServiceRequest) -> Column:
        board = placement.board_for(current.network, cluster)
        kind = current.column.kind
        if cluster is None:
            kind = Column.Kind.TRIAGE
        elif kind == Column.Kind.TRIAGE:
            kind = Column.Kind.INBOX
        if board.pk == current.column.board_id and kind == current.column.kind:
            return current.column
        return placement.first_column(board, kind)

    with transaction.atomic():
        locked = lock_card_with_columns(request, expected_version, lambda c: [target_of(c)])
        before = locked.cluster
        if (before.pk if before else None) == (cluster.pk if cluster else None):
            return locked
        locked.cluster = cluster
        target = target_of(locked)
        old_status = locked.status
        if target.pk != locked.column_id:
            old_status = place_card(locked, target, None, actor)
        save_card(locked)
        record_change(
            request=locked,
            actor=actor,
            kind=RequestEvent.Kind.CLUSTER,
            before=cluster_ref(before),
            after=cluster_ref(cluster),
            suggested=cluster_ref(locked.suggested_cluster),
            confidence=locked.triage_confidence,
            by="human",
        )
        record_event(
            action="request.cluster_changed",
            actor=actor,
            network=locked.network,
            obj=locked,
            before={"cluster": before.slug if before else None},
            after={"cluster": cluster.slug if cluster else None},
        )
        notify_new(locked, actor)
        notify_status(locked, actor, old_status)
    return locked


def set_request_urgency(
    *,
    actor: User,
    request: ServiceRequest,
    urgency: str,
    expected_version: int | None = None,
) -> ServiceRequest:
    if not access.can_work(actor, request):
        raise PermissionDenied
    if urgency not in ServiceRequest.Urgency.values:
        raise ValidationError({"urgency": _("Unbekannte Dringlichkeit.")})
    with transaction.atomic():
        locked = lock_card(request, expected_version)
        before = locked.urgency
        if before == urgency:
            return locked
        locked.urgency = urgency
        save_card(locked)
        record_change(
            request=locked,
            actor=actor,
            kind=RequestEvent.Kind.URGENCY,
            before=urgency_ref(before),
            after=urgency_ref(urgency),
        )
        record_event(
            action="request.urgency_changed",
            actor=actor,
            network=locked.network,
            obj=locked,
            before={"urgency": before},
            after={"urgency": urgency},
        )
    return locked
