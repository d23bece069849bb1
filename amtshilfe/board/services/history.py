"""Request events (machine-readable from/to) and notifications about a request.

Every reference in ``RequestEvent.data`` carries an id or slug for analysis *and* the text
shown at that time, so the history stays readable after renames.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.board.access import users_who_see, users_who_work
from amtshilfe.board.models import Column, RequestEvent, ServiceRequest
from amtshilfe.experts.models import TopicCluster
from amtshilfe.notifications.services import notify


def column_ref(column: Column) -> dict[str, Any]:
    return {"id": column.pk, "kind": column.kind, "name": column.name, "board": column.board_id}


def status_ref(status: str) -> dict[str, Any]:
    return {"value": status, "label": str(ServiceRequest.Status(status).label)}


def urgency_ref(urgency: str) -> dict[str, Any]:
    return {"value": urgency, "label": str(ServiceRequest.Urgency(urgency).label)}


def cluster_ref(cluster: TopicCluster | None) -> dict[str, Any] | None:
    if cluster is None:
        return None
    return {"id": cluster.pk, "slug": cluster.slug, "name": cluster.name}


def user_ref(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "name": user.full_name}


def record_request_event(
    *,
    request: ServiceRequest,
    actor: User | None,
    kind: str,
    data: dict[str, Any] | None = None,
    internal: bool = False,
) -> RequestEvent:
    """Append one event to the request's history (inside the service's transaction)."""
    return RequestEvent.objects.create(
        request=request,
        network_id=request.network_id,
        actor=actor,
        actor_name=actor.full_name if actor is not None else "",
        kind=kind,
        internal=internal,
        data=data or {},
    )


def record_change(
    *,
    request: ServiceRequest,
    actor: User | None,
    kind: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    **extra: Any,
) -> RequestEvent | None:
    """A from/to event, or nothing if nothing changed."""
    if before == after:
        return None
    return record_request_event(
        request=request, actor=actor, kind=kind, data={"from": before, "to": after, **extra}
    )


def followers(request: ServiceRequest) -> QuerySet[User]:
    """The people who watch the request (the requester and the assignee watch automatically)."""
    return User.objects.filter(watched_requests__request=request)


def notify_about(
    request: ServiceRequest,
    *,
    recipients: QuerySet[User],
    actor: User | None,
    kind: str,
    title: str,
    body: str = "",
    internal: bool = False,
) -> int:
    """Notify ``recipients`` who may see ``request`` (only the IT side when ``internal``).

    The actor never notifies themselves. Returns the number of notifications created.
    """
    audience = users_who_work(request) if internal else users_who_see(request)
    people = recipients.filter(pk__in=audience.values("pk"))
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    created = notify(
        recipients=list(people.distinct()),
        network=request.network,
        kind=kind,
        title=_("#%(number)s %(title)s: %(what)s")
        % {"number": request.number, "title": request.title[:120], "what": title},
        body=body,
        url=request.get_absolute_url(),
    )
    return len(created)
