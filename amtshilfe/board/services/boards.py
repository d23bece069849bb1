"""Boards and their columns, configured by the coordination. Atomic and audited.

Rules that keep every request's status derivable from its column:

- every board keeps at least one column of every kind (a kind's last column cannot be
  deleted or change its kind);
- a column with cards cannot be deleted or change its kind (its cards' status would change
  without an event);
- column positions are dense per board, shifted like card positions (``placement.shift``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.board.access import can_configure_board
from amtshilfe.board.models import Board, Column, RequestEvent, ServiceRequest
from amtshilfe.board.services import placement
from amtshilfe.board.services.history import column_ref, record_request_event
from amtshilfe.core.audit import record_event
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Network

DEFAULT_COLUMNS: list[tuple[str, str]] = [
    (Column.Kind.INBOX, "Eingang"),
    (Column.Kind.TRIAGE, "Triage"),
    (Column.Kind.IN_PROGRESS, "In Arbeit"),
    (Column.Kind.WAITING, "Wartet auf Rückmeldung"),
    (Column.Kind.DONE, "Erledigt"),
]


def _require_coordinator(actor: User | None, network: Network) -> None:
    if actor is not None and not can_configure_board(actor, network):
        raise PermissionDenied


def ensure_default_board(*, network: Network, cluster: TopicCluster | None = None) -> Board:
    """The network board (or ``cluster``'s board) with the five default columns; idempotent."""
    existing = Board.objects.filter(network=network, cluster=cluster).first()
    if existing is not None:
        return existing
    name = _("Anfragen") if cluster is None else _("Anfragen %(cluster)s") % {"cluster": cluster}
    try:
        with transaction.atomic():
            board = Board.objects.create(network=network, cluster=cluster, name=name)
            Column.objects.bulk_create(
                Column(board=board, name=str(Column.Kind(kind).label), kind=kind, position=index)
                for index, (kind, _name) in enumerate(DEFAULT_COLUMNS)
            )
            record_event(
                action="board.created",
                actor=None,
                network=network,
                obj=board,
                after={"name": name, "cluster": cluster.slug if cluster else None},
            )
    except IntegrityError:  # created concurrently by another request
        return Board.objects.get(network=network, cluster=cluster)
    return board


def create_cluster_board(*, actor: User, cluster: TopicCluster) -> Board:
    """Give a cluster its own board and move the cluster's cards there (same kind of column)."""
    _require_coordinator(actor, cluster.network)
    if Board.objects.filter(network=cluster.network, cluster=cluster).exists():
        raise ValidationError(_("Dieses Themencluster hat bereits ein eigenes Board."))
    with transaction.atomic():
        board = ensure_default_board(network=cluster.network, cluster=cluster)
        source = placement.network_board(cluster.network)
        placement.lock_columns([*source.columns.all(), *board.columns.all()])
        cards = ServiceRequest.objects.filter(column__board=source, cluster=cluster).order_by(
            "column__position", "position"
        )
        # One by one, each freshly loaded: every move shifts the positions of the others.
        for pk in list(cards.values_list("pk", flat=True)):
            relocate(ServiceRequest.objects.select_related("column").get(pk=pk), board, actor=actor)
        record_event(
            action="board.cluster_board_created", actor=actor, network=board.network, obj=board
        )
    return board


def relocate(request: ServiceRequest, board: Board, *, actor: User | None) -> None:
    """Move a card to the first column of the same kind on ``board`` (columns locked)."""
    old = request.column
    target = placement.first_column(board, old.kind)
    placement.take_out(request)
    placement.put_in(request, target, None)
    request.version += 1
    request.save(update_fields=["column", "position", "version", "updated_at"])
    record_request_event(
        request=request,
        actor=actor,
        kind=RequestEvent.Kind.COLUMN,
        data={"from": column_ref(old), "to": column_ref(target), "position": request.position},
    )


def update_board(
    *, actor: User, board: Board, name: str | None = None, triage_threshold: float | None = None
) -> Board:
    """Rename a board or set the confidence from which triage assigns a cluster by itself."""
    _require_coordinator(actor, board.network)
    with transaction.atomic():
        locked = Board.objects.select_for_update().get(pk=board.pk)
        before = {"name": locked.name, "triage_threshold": locked.triage_threshold}
        if name is not None:
            if not name.strip():
                raise ValidationError({"name": _("Bitte geben Sie dem Board einen Namen.")})
            locked.name = name.strip()[:120]
        if triage_threshold is not None:
            if not 0 <= triage_threshold <= 1:
                raise ValidationError(
                    {"triage_threshold": _("Die Schwelle liegt zwischen 0 und 1.")}
                )
            locked.triage_threshold = triage_threshold
        locked.save()
        after = {"name": locked.name, "triage_threshold": locked.triage_threshold}
        if before != after:
            record_event(
                action="board.updated",
                actor=actor,
                network=locked.network,
                obj=locked,
                before=before,
                after=after,
            )
    return locked


def _validate_column(board: Board, name: str, wip_limit: int | None, exclude_pk: int = 0) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Bitte geben Sie der Spalte einen Namen.")})
    if len(name) > 80:
        raise ValidationError({"name": _("Der Name darf höchstens 80 Zeichen lang sein.")})
    if board.columns.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError(
            {"name": _("Es gibt bereits eine Spalte „%(name)s“.") % {"name": name}}
        )
    if wip_limit is not None and not 1 <= wip_limit <= 999:
        raise ValidationError({"wip_limit": _("Das WIP-Limit liegt zwischen 1 und 999.")})
    return name


def _shift_columns(board: Board, start: int, delta: int) -> None:
    columns = Column.objects.filter(board=board)
    moved = columns.filter(position__gte=start, position__lt=placement.SHIFT).update(
        position=F("position") + placement.SHIFT
    )
    if moved:
        columns.filter(position__gte=placement.SHIFT, position__lt=placement.PARKED).update(
            position=F("position") - placement.SHIFT + delta
        )


def create_column(
    *,
    actor: User,
    board: Board,
    name: str,
    kind: str,
    position: int | None = None,
    wip_limit: int | None = None,
) -> Column:
    """Add a column (at ``position``, default: before the first done column)."""
    _require_coordinator(actor, board.network)
    if kind not in Column.Kind.values:
        raise ValidationError({"kind": _("Unbekannte Bedeutung der Spalte.")})
    with transaction.atomic():
        board = Board.objects.select_for_update().get(pk=board.pk)
        name = _validate_column(board, name, wip_limit)
        count = board.columns.count()
        if position is None:
            done = board.columns.filter(kind=Column.Kind.DONE).order_by("position").first()
            position = done.position if done is not None else count
        position = min(max(position, 0), count)
        _shift_columns(board, position, +1)
        column = Column.objects.create(
            board=board, name=name, kind=kind, position=position, wip_limit=wip_limit
        )
        record_event(
            action="column.created",
            actor=actor,
            network=board.network,
            obj=column,
            after={"board": board.pk, "name": name, "kind": kind, "position": position},
        )
    return column


def update_column(
    *,
    actor: User,
    column: Column,
    name: str,
    wip_limit: int | None,
    kind: str | None = None,
) -> Column:
    """Rename a column, set its WIP limit, or (only while empty) change its kind."""
    board = column.board
    _require_coordinator(actor, board.network)
    with transaction.atomic():
        Board.objects.select_for_update().get(pk=board.pk)
        locked = Column.objects.select_for_update().get(pk=column.pk)
        name = _validate_column(board, name, wip_limit, exclude_pk=locked.pk)
        before = {"name": locked.name, "wip_limit": locked.wip_limit, "kind": locked.kind}
        if kind is not None and kind != locked.kind:
            if kind not in Column.Kind.values:
                raise ValidationError({"kind": _("Unbekannte Bedeutung der Spalte.")})
            if locked.requests.exists():
                raise ValidationError(
                    {"kind": _("Die Bedeutung einer Spalte mit Karten lässt sich nicht ändern.")}
                )
            _ensure_not_last_of_kind(locked)
            locked.kind = kind
        locked.name, locked.wip_limit = name, wip_limit
        locked.save()
        after = {"name": locked.name, "wip_limit": locked.wip_limit, "kind": locked.kind}
        if before != after:
            record_event(
                action="column.updated",
                actor=actor,
                network=board.network,
                obj=locked,
                before=before,
                after=after,
            )
    return locked


def move_column(*, actor: User, column: Column, position: int) -> Column:
    """Put a column at another place on its board; the others close ranks."""
    board = column.board
    _require_coordinator(actor, board.network)
    with transaction.atomic():
        Board.objects.select_for_update().get(pk=board.pk)
        locked = Column.objects.select_for_update().get(pk=column.pk)
        old = locked.position
        position = min(max(position, 0), board.columns.count() - 1)
        if position == old:
            return locked
        Column.objects.filter(pk=locked.pk).update(position=placement.PARKED)
        _shift_columns(board, old + 1, -1)
        _shift_columns(board, position, +1)
        locked.position = position
        locked.save(update_fields=["position", "updated_at"])
        record_event(
            action="column.moved",
            actor=actor,
            network=board.network,
            obj=locked,
            before={"position": old},
            after={"position": position},
        )
    return locked


def _ensure_not_last_of_kind(column: Column) -> None:
    if (
        not Column.objects.filter(board_id=column.board_id, kind=column.kind)
        .exclude(pk=column.pk)
        .exists()
    ):
        raise ValidationError(
            _(
                "„%(name)s“ ist die letzte Spalte mit der Bedeutung „%(kind)s“. "
                "Jedes Board braucht mindestens eine solche Spalte."
            )
            % {"name": column.name, "kind": Column.Kind(column.kind).label}
        )


def delete_column(*, actor: User, column: Column) -> None:
    """Delete an empty column that is not the last of its kind."""
    board = column.board
    _require_coordinator(actor, board.network)
    with transaction.atomic():
        Board.objects.select_for_update().get(pk=board.pk)
        locked = Column.objects.select_for_update().get(pk=column.pk)
        if locked.requests.exists():
            raise ValidationError(
                _("Die Spalte „%(name)s“ enthält noch Karten. Verschieben Sie diese zuerst.")
                % {"name": locked.name}
            )
        _ensure_not_last_of_kind(locked)
        record_event(
            action="column.deleted",
            actor=actor,
            network=board.network,
            obj=locked,
            before={"name": locked.name, "kind": locked.kind, "position": locked.position},
        )
        position = locked.position
        locked.delete()
        _shift_columns(board, position + 1, -1)
