"""The end of a request: IT closes it, the municipality rates it (once) or reopens it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.board import access
from amtshilfe.board.models import Column, RequestEvent, ServiceRequest
from amtshilfe.board.services import placement
from amtshilfe.board.services.cards import (
    Status,
    lock_card,
    lock_card_with_columns,
    notify_status,
    place_card,
    save_card,
)
from amtshilfe.board.services.conversation import add_comment
from amtshilfe.board.services.history import (
    notify_about,
    record_change,
    record_request_event,
    status_ref,
)
from amtshilfe.core.audit import record_event
from amtshilfe.notifications.models import Kind as NotificationKind


def close_request(
    *, actor: User, request: ServiceRequest, expected_version: int | None = None
) -> ServiceRequest:
    """IT marks the request as solved: to the top of the board's first done column."""
    if not access.can_work(actor, request):
        raise PermissionDenied

    def done_column(current: ServiceRequest) -> list[Column]:
        return [placement.first_column(current.column.board, Column.Kind.DONE)]

    with transaction.atomic():
        locked = lock_card_with_columns(request, expected_version, done_column)
        if locked.is_finished:
            raise ValidationError(_("Diese Anfrage ist bereits erledigt."))
        target = placement.first_column(locked.column.board, Column.Kind.DONE)
        old_status = place_card(locked, target, 0, actor)
        save_card(locked)
        record_event(action="request.closed", actor=actor, network=locked.network, obj=locked)
        notify_status(locked, actor, old_status)
        # Ask the requester for a rating (surveys imports board, hence the late import).
        from amtshilfe.surveys.services import invite_requester_after_close

        invite_requester_after_close(service_request=locked)
    return locked


def reopen_request(
    *,
    actor: User,
    request: ServiceRequest,
    reason: str = "",
    expected_version: int | None = None,
) -> ServiceRequest:
    """Back into work: by the requesting municipality (not solved after all) or by IT.

    The card goes to the top of "in progress" if someone is assigned, else to the inbox
    (or to triage without a cluster). A rating given before stays (one rating per request).
    """
    if not (access.is_requesting_side(actor, request) or access.can_work(actor, request)):
        raise PermissionDenied

    def target_kind(current: ServiceRequest) -> str:
        if current.assignee_id is not None:
            return Column.Kind.IN_PROGRESS
        return Column.Kind.INBOX if current.cluster_id is not None else Column.Kind.TRIAGE

    def targets(current: ServiceRequest) -> list[Column]:
        return [placement.first_column(current.column.board, target_kind(current))]

    with transaction.atomic():
        locked = lock_card_with_columns(request, expected_version, targets)
        if not locked.is_finished:
            raise ValidationError(_("Diese Anfrage ist nicht abgeschlossen."))
        target = placement.first_column(locked.column.board, target_kind(locked))
        old_status = place_card(locked, target, 0, actor)
        save_card(locked)
        record_event(
            action="request.reopened",
            actor=actor,
            network=locked.network,
            obj=locked,
            after={"status": locked.status},
        )
        if reason.strip():
            add_comment(actor=actor, request=locked, body=reason)
        notify_status(locked, actor, old_status)
    return locked


def rate_request(
    *, actor: User, request: ServiceRequest, rating: int, comment: str = ""
) -> ServiceRequest:
    """The requesting municipality rates the help (1–5), once; the request is then closed."""
    if not access.can_rate(actor, request):
        raise PermissionDenied
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Bitte vergeben Sie 1 bis 5 Sterne.")})
    if len(comment) > 5000:
        raise ValidationError(
            {"comment": _("Der Kommentar ist zu lang (höchstens 5.000 Zeichen).")}
        )
    with transaction.atomic():
        locked = lock_card(request, None)
        if locked.rating is not None:
            raise ValidationError(_("Diese Anfrage wurde bereits bewertet."))
        if locked.status != Status.DONE:
            raise ValidationError(
                _("Sie können die Hilfe bewerten, sobald die Anfrage erledigt ist.")
            )
        now = timezone.now()
        locked.rating, locked.rating_comment, locked.rated_at = rating, comment.strip(), now
        locked.status, locked.closed_at = Status.CLOSED, now
        save_card(locked)
        record_request_event(
            request=locked,
            actor=actor,
            kind=RequestEvent.Kind.RATING,
            data={"rating": rating, "with_comment": bool(comment.strip())},
        )
        record_change(
            request=locked,
            actor=actor,
            kind=RequestEvent.Kind.STATUS,
            before=status_ref(Status.DONE),
            after=status_ref(Status.CLOSED),
        )
        record_event(
            action="request.rated",
            actor=actor,
            network=locked.network,
            municipality=locked.municipality,
            obj=locked,
            after={"rating": rating},
        )
        if locked.assignee_id is not None:
            notify_about(
                locked,
                recipients=User.objects.filter(pk=locked.assignee_id),
                actor=actor,
                kind=NotificationKind.REQUEST_RATED,
                title=_("bewertet mit %(rating)s von 5") % {"rating": rating},
                body=comment.strip()[:1000],
            )
    return locked
