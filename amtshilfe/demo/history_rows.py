"""The rows of the demo's request history, as the board's services would have written them.

Playing the history through the services costs some 40,000 queries (half a minute), so the
demo builds the rows in memory and ``history.py`` inserts them with ``bulk_create``. This
module is the one place that mirrors the services, step by step, for the demo only:

- placing a card (``placement``/``cards.place_card``): dense positions per column, a new
  request at the end of the triage column, "take", "close" and "reopen" to the top of their
  column, moves to the end; status, ``solved_at`` and ``closed_at`` from the column's kind;
  a ``column`` and a ``status`` event with the same ``data`` as the services'; the version
  goes up with every change the board shows;
- the other events (created, cluster ``by: "human"``, assignee, urgency, comment with its
  mentions, watch, rating), watchers (requester, assignee, authors, mentioned), audit events
  with the services' action names, and notifications to the people the services notify
  (``notify_new``, ``notify_status``, comments and mentions, assignment, rating), limited to
  who may see the request (for internal comments: who works on it).

``test_history.py`` plays some requests through the real services and compares the events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.board.models import (
    Column,
    Comment,
    RequestEvent,
    SelfHelpSuccess,
    ServiceRequest,
)
from amtshilfe.board.services.history import (
    cluster_ref,
    column_ref,
    status_ref,
    urgency_ref,
    user_ref,
)
from amtshilfe.core.models import AuditEvent
from amtshilfe.demo.history_plan import HistoryPlan, PlannedRequest, Step
from amtshilfe.experts.models import TopicCluster
from amtshilfe.lib.markdown import plain_text, render
from amtshilfe.notifications.models import Kind as NotificationKind
from amtshilfe.notifications.models import Notification
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.wiki.models import Article

Status = ServiceRequest.Status
READ_AFTER = dt.timedelta(days=3)


@dataclass
class Card:
    """A request while the history is simulated."""

    item: PlannedRequest
    request: ServiceRequest
    watchers: dict[int, dt.datetime] = field(default_factory=dict)


@dataclass
class Rows:
    """Everything to insert; events, audit events and notifications point at their cards."""

    cards: list[Card] = field(default_factory=list)
    comments: list[tuple[Comment, list[User]]] = field(default_factory=list)
    events: list[tuple[Card, RequestEvent]] = field(default_factory=list)
    audit: list[tuple[Card | SelfHelpSuccess, AuditEvent]] = field(default_factory=list)
    notifications: list[tuple[Card, Notification]] = field(default_factory=list)
    self_help: list[SelfHelpSuccess] = field(default_factory=list)


@dataclass
class Cast:
    """The demo network's rows the simulation refers to."""

    network: Network
    columns: dict[str, Column]
    municipalities: dict[str, Municipality]
    clusters: dict[str, TopicCluster]
    people: dict[str, User]
    cluster_members: dict[int, set[int]]  # cluster id → user ids (members and owners)
    owners: set[int]
    coordinators: set[int]
    members_of: dict[int, set[int]]  # municipality id → user ids of current members
    articles: dict[str, Article]
    end: dt.datetime


class Simulation:
    """Plays the plan's steps in time order on in-memory cards (see the module docstring)."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.rows = Rows()
        self.lists: dict[int, list[Card]] = {column.pk: [] for column in cast.columns.values()}
        self.cards: dict[int, Card] = {}
        self.request_type = ContentType.objects.get_for_model(ServiceRequest)
        self.self_help_type = ContentType.objects.get_for_model(SelfHelpSuccess)

    def run(self, plan: HistoryPlan) -> Rows:
        timeline: list[tuple[dt.datetime, int, int, Any]] = []
        for item in sorted(plan.requests, key=lambda r: (r.filed_at, r.key)):
            for number, step in enumerate(item.steps):
                timeline.append((step.at, item.key, number, (item, step)))
        for number, success in enumerate(plan.self_help):
            timeline.append((success.at, -1, number, success))
        timeline.sort(key=lambda entry: entry[:3])
        for at, key, _number, payload in timeline:
            if key == -1:
                self._self_help(at, payload)
            else:
                self._play(at, *payload)
        for cards in self.lists.values():
            for position, card in enumerate(cards):
                card.request.position = position
        return self.rows

    # --- bookkeeping --------------------------------------------------------------------------

    def _event(
        self,
        card: Card,
        at: dt.datetime,
        actor: User | None,
        kind: str,
        data: dict[str, Any],
        internal: bool = False,
    ) -> None:
        event = RequestEvent(
            request=card.request,
            network=self.cast.network,
            actor=actor,
            actor_name=actor.full_name if actor is not None else "",
            kind=kind,
            internal=internal,
            data=data,
            created_at=at,
        )
        self.rows.events.append((card, event))

    def _audit(
        self,
        card: Card,
        at: dt.datetime,
        action: str,
        actor: User,
        *,
        with_municipality: bool = False,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        request = card.request
        event = AuditEvent(
            created_at=at,
            action=action,
            actor=actor,
            actor_name=actor.get_username(),
            network=self.cast.network,
            municipality=request.municipality if with_municipality else None,
            object_type=self.request_type,
            before=before,
            after=after,
        )
        self.rows.audit.append((card, event))

    def _add_watcher(self, card: Card, user: User, at: dt.datetime) -> bool:
        if user.pk in card.watchers:
            return False
        card.watchers[user.pk] = at
        return True

    def _touch(self, card: Card, at: dt.datetime) -> None:
        card.request.version += 1
        card.request.updated_at = at

    # --- who may learn what -------------------------------------------------------------------

    def _workers(self, request: ServiceRequest) -> set[int]:
        cast = self.cast
        workers = set(cast.coordinators)
        if request.assignee_id is not None:
            workers.add(request.assignee_id)
        if request.cluster_id is not None:
            workers |= cast.cluster_members.get(request.cluster_id, set())
        else:
            workers |= cast.owners
        return workers

    def _seers(self, request: ServiceRequest) -> set[int]:
        return self._workers(request) | self.cast.members_of.get(request.municipality_id, set())

    def _notify(
        self,
        card: Card,
        at: dt.datetime,
        recipients: Iterable[int],
        actor: User | None,
        kind: str,
        what: str,
        body: str = "",
        internal: bool = False,
    ) -> None:
        request = card.request
        audience = self._workers(request) if internal else self._seers(request)
        people = {pk for pk in recipients if pk in audience}
        if actor is not None:
            people.discard(actor.pk)
        title = _("#%(number)s %(title)s: %(what)s") % {
            "number": request.number,
            "title": request.title[:120],
            "what": what,
        }
        read_at = at + dt.timedelta(hours=2) if at < self.cast.end - READ_AFTER else None
        for pk in sorted(people):
            notification = Notification(
                user_id=pk,
                network=self.cast.network,
                kind=kind,
                title=title[:200],
                body=body,
                created_at=at,
                read_at=read_at,
                email_state=Notification.EmailState.SENT,
                emailed_at=at,
            )
            self.rows.notifications.append((card, notification))

    def _notify_new(self, card: Card, at: dt.datetime, actor: User | None) -> None:
        request = card.request
        if request.cluster_id is not None:
            recipients = self.cast.cluster_members.get(request.cluster_id, set())
            what = _("Neue Anfrage im Themencluster %(cluster)s") % {"cluster": request.cluster}
        else:
            recipients = self.cast.owners | self.cast.coordinators
            what = _("Neue Anfrage wartet auf Triage")
        body = _("%(municipality)s: %(description)s") % {
            "municipality": request.municipality,
            "description": request.description[:500],
        }
        self._notify(card, at, recipients, actor, NotificationKind.REQUEST_NEW, what, body)

    def _notify_status(self, card: Card, at: dt.datetime, actor: User, old_status: str) -> None:
        request = card.request
        if request.status == old_status:
            return
        bodies: dict[str, str] = {
            Status.DONE: _(
                "Die Anfrage ist erledigt. Bitte sagen Sie uns, wie zufrieden Sie mit der "
                "Hilfe sind."
            ),
            Status.WAITING: _("Die IT-Fachkräfte warten auf Ihre Rückmeldung."),
        }
        self._notify(
            card,
            at,
            card.watchers,
            actor,
            NotificationKind.REQUEST_STATUS,
            _("Status „%(status)s“") % {"status": request.get_status_display()},
            bodies.get(request.status, ""),
        )

    # --- placing a card -----------------------------------------------------------------------

    def _put(self, card: Card, column: Column, position: int | None) -> int:
        cards = self.lists[column.pk]
        position = len(cards) if position is None else min(max(position, 0), len(cards))
        cards.insert(position, card)
        card.request.column = column
        return position

    def _place(
        self, card: Card, at: dt.datetime, actor: User, column: Column, position: int | None
    ) -> str:
        """``cards.place_card``: move, set status from the column, record the events."""
        request = card.request
        old_column, old_status = request.column, request.status
        old_position = self.lists[old_column.pk].index(card)
        self.lists[old_column.pk].remove(card)
        new_position = self._put(card, column, position)
        if column.kind == Column.Kind.DONE:
            request.solved_at = request.solved_at or at
            if request.rating is not None:
                request.status = Status.CLOSED
                request.closed_at = request.closed_at or at
            elif request.status != Status.CLOSED:
                request.status = Status.DONE
        else:
            request.status = ServiceRequest.STATUS_FOR_KIND[column.kind]
            request.solved_at = request.closed_at = None
        if (old_column.pk, old_position) != (column.pk, new_position):
            self._event(
                card,
                at,
                actor,
                RequestEvent.Kind.COLUMN,
                {
                    "from": column_ref(old_column),
                    "to": column_ref(column),
                    "from_position": old_position,
                    "to_position": new_position,
                },
            )
        if old_status != request.status:
            self._event(
                card,
                at,
                actor,
                RequestEvent.Kind.STATUS,
                {"from": status_ref(old_status), "to": status_ref(request.status)},
            )
        return old_status

    # --- the steps ----------------------------------------------------------------------------

    def _play(self, at: dt.datetime, item: PlannedRequest, step: Step) -> None:
        actor = self.cast.people[step.actor]
        if step.action == "file":
            self._file(at, item, actor)
            return
        card = self.cards[item.key]
        getattr(self, f"_{step.action}")(card, at, actor, **step.args)

    def _file(self, at: dt.datetime, item: PlannedRequest, actor: User) -> None:
        cast = self.cast
        municipality = cast.municipalities[item.municipality]
        column = cast.columns[Column.Kind.TRIAGE]
        request = ServiceRequest(
            network=cast.network,
            number=len(self.cards) + 1,
            municipality=municipality,
            requester=actor,
            title=item.title,
            description=item.description.strip(),
            urgency=item.urgency,
            contact_preference=item.contact_preference,
            source=item.source,
            status=Status.TRIAGE,
            version=0,
            self_help_query=item.self_help_query,
            created_at=at,
            updated_at=at,
        )
        card = Card(item=item, request=request)
        self.cards[item.key] = card
        self.rows.cards.append(card)
        self._put(card, column, None)
        self._add_watcher(card, actor, at)
        self._event(
            card,
            at,
            actor,
            RequestEvent.Kind.CREATED,
            {
                "source": item.source,
                "municipality": {
                    "id": municipality.pk,
                    "slug": municipality.slug,
                    "name": municipality.name,
                },
                "urgency": urgency_ref(item.urgency),
                "status": status_ref(Status.TRIAGE),
                "column": column_ref(column),
                "cluster": None,
                "suggested_cluster": None,
                "confidence": None,
            },
        )
        self._audit(
            card,
            at,
            "request.filed",
            actor,
            with_municipality=True,
            after={
                "number": request.number,
                "source": item.source,
                "cluster": None,
                "status": Status.TRIAGE,
            },
        )
        self._notify_new(card, at, actor)

    def _cluster(self, card: Card, at: dt.datetime, actor: User) -> None:
        request = card.request
        cluster = self.cast.clusters[card.item.cluster]
        request.cluster = cluster
        old_status = request.status
        if request.column.kind == Column.Kind.TRIAGE:
            old_status = self._place(card, at, actor, self.cast.columns[Column.Kind.INBOX], None)
        self._touch(card, at)
        self._event(
            card,
            at,
            actor,
            RequestEvent.Kind.CLUSTER,
            {
                "from": None,
                "to": cluster_ref(cluster),
                "suggested": None,
                "confidence": None,
                "by": "human",
            },
        )
        self._audit(
            card,
            at,
            "request.cluster_changed",
            actor,
            before={"cluster": None},
            after={"cluster": cluster.slug},
        )
        self._notify_new(card, at, actor)
        self._notify_status(card, at, actor, old_status)

    def _take(self, card: Card, at: dt.datetime, actor: User) -> None:
        request = card.request
        old_status = request.status
        before = request.assignee
        request.assignee = actor
        if request.status in (Status.NEW, Status.TRIAGE):
            column = self.cast.columns[Column.Kind.IN_PROGRESS]
            old_status = self._place(card, at, actor, column, 0)
        self._touch(card, at)
        if before != actor:
            self._event(
                card,
                at,
                actor,
                RequestEvent.Kind.ASSIGNEE,
                {"from": user_ref(before), "to": user_ref(actor)},
            )
        self._add_watcher(card, actor, at)
        self._audit(
            card,
            at,
            "request.taken",
            actor,
            after={"assignee": actor.username, "status": request.status},
        )
        self._notify_status(card, at, actor, old_status)

    def _assign(self, card: Card, at: dt.datetime, actor: User, assignee: str) -> None:
        request = card.request
        person = self.cast.people[assignee]
        before = request.assignee
        request.assignee = person
        self._touch(card, at)
        self._event(
            card,
            at,
            actor,
            RequestEvent.Kind.ASSIGNEE,
            {"from": user_ref(before), "to": user_ref(person)},
        )
        self._audit(
            card,
            at,
            "request.assigned",
            actor,
            before={"assignee": before.username if before else None},
            after={"assignee": person.username},
        )
        self._add_watcher(card, person, at)
        self._notify(
            card,
            at,
            [person.pk],
            actor,
            NotificationKind.REQUEST_ASSIGNED,
            _("Ihnen zugewiesen"),
            _("%(actor)s hat Ihnen diese Anfrage zugewiesen.") % {"actor": actor.full_name},
        )

    def _move(self, card: Card, at: dt.datetime, actor: User, column: str) -> None:
        target = self.cast.columns[column]
        old_status = self._place(card, at, actor, target, None)
        self._touch(card, at)
        position = self.lists[target.pk].index(card)
        self._audit(
            card,
            at,
            "request.moved",
            actor,
            after={"column": target.pk, "position": position, "status": card.request.status},
        )
        self._notify_status(card, at, actor, old_status)

    def _urgency(self, card: Card, at: dt.datetime, actor: User, urgency: str) -> None:
        request = card.request
        before, request.urgency = request.urgency, urgency
        self._touch(card, at)
        self._event(
            card,
            at,
            actor,
            RequestEvent.Kind.URGENCY,
            {"from": urgency_ref(before), "to": urgency_ref(urgency)},
        )
        self._audit(
            card,
            at,
            "request.urgency_changed",
            actor,
            before={"urgency": before},
            after={"urgency": urgency},
        )

    def _comment(
        self, card: Card, at: dt.datetime, actor: User, body: str, internal: bool = False
    ) -> None:
        request = card.request
        audience = self._workers(request) if internal else self._seers(request)
        named = set(_mentions(body))
        mentioned = [
            user
            for user in self.cast.people.values()
            if user.username in named and user.pk in audience and user.pk != actor.pk
        ]
        comment = Comment(
            request=request,
            author=actor,
            body=body,
            body_html=render(body, resolve_link=self._article_url).html,
            internal=internal,
            created_at=at,
            updated_at=at,
        )
        self.rows.comments.append((comment, mentioned))
        for person in [actor, *mentioned]:
            self._add_watcher(card, person, at)
        self._event(
            card,
            at,
            actor,
            RequestEvent.Kind.COMMENT,
            {"comment": comment, "internal": internal, "mentions": [u.pk for u in mentioned]},
            internal=internal,
        )
        self._audit(
            card,
            at,
            "request.commented",
            actor,
            after={"comment": comment, "internal": internal},
        )
        excerpt = plain_text(body)[:1000]
        label = _("interner Kommentar") if internal else _("Kommentar")
        if mentioned:
            self._notify(
                card,
                at,
                [u.pk for u in mentioned],
                actor,
                NotificationKind.MENTION,
                _("%(name)s hat Sie erwähnt") % {"name": actor.full_name},
                f"{label}: {excerpt}",
                internal,
            )
        self._notify(
            card,
            at,
            set(card.watchers) - {u.pk for u in mentioned},
            actor,
            NotificationKind.REQUEST_COMMENT,
            _("neuer %(label)s von %(name)s") % {"label": label, "name": actor.full_name},
            excerpt,
            internal,
        )

    def _watch(self, card: Card, at: dt.datetime, actor: User) -> None:
        if self._add_watcher(card, actor, at):
            self._event(card, at, actor, RequestEvent.Kind.WATCH, {})
            self._audit(card, at, "request.watched", actor)

    def _close(self, card: Card, at: dt.datetime, actor: User) -> None:
        old_status = self._place(card, at, actor, self.cast.columns[Column.Kind.DONE], 0)
        self._touch(card, at)
        self._audit(card, at, "request.closed", actor)
        self._notify_status(card, at, actor, old_status)

    def _reopen(self, card: Card, at: dt.datetime, actor: User, reason: str) -> None:
        request = card.request
        kind = Column.Kind.IN_PROGRESS if request.assignee_id else Column.Kind.INBOX
        old_status = self._place(card, at, actor, self.cast.columns[kind], 0)
        self._touch(card, at)
        self._audit(card, at, "request.reopened", actor, after={"status": request.status})
        self._comment(card, at, actor, reason)
        self._notify_status(card, at, actor, old_status)

    def _rate(self, card: Card, at: dt.datetime, actor: User, rating: int, comment: str) -> None:
        request = card.request
        request.rating, request.rating_comment, request.rated_at = rating, comment.strip(), at
        request.status, request.closed_at = Status.CLOSED, at
        self._touch(card, at)
        self._event(
            card,
            at,
            actor,
            RequestEvent.Kind.RATING,
            {"rating": rating, "with_comment": bool(comment.strip())},
        )
        self._event(
            card,
            at,
            actor,
            RequestEvent.Kind.STATUS,
            {"from": status_ref(Status.DONE), "to": status_ref(Status.CLOSED)},
        )
        self._audit(
            card, at, "request.rated", actor, with_municipality=True, after={"rating": rating}
        )
        if request.assignee_id is not None:
            self._notify(
                card,
                at,
                [request.assignee_id],
                actor,
                NotificationKind.REQUEST_RATED,
                _("bewertet mit %(rating)s von 5") % {"rating": rating},
                comment.strip()[:1000],
            )

    def _self_help(self, at: dt.datetime, planned: Any) -> None:
        user = self.cast.people[planned.username]
        municipality = self.cast.municipalities[_home(self.cast, user)]
        article = self.cast.articles.get(planned.article)
        success = SelfHelpSuccess(
            network=self.cast.network,
            municipality=municipality,
            user=user,
            query=planned.query[:300],
            article=article,
            created_at=at,
        )
        self.rows.self_help.append(success)
        audit = AuditEvent(
            created_at=at,
            action="self_help.recorded",
            actor=user,
            actor_name=user.get_username(),
            network=self.cast.network,
            municipality=municipality,
            object_type=self.self_help_type,
            after={"article": article.slug if article else None},
        )
        self.rows.audit.append((success, audit))

    def _article_url(self, slug: str) -> str | None:
        if slug not in self.cast.articles:
            return None
        try:
            return reverse("wiki:article", kwargs={"slug": slug})
        except NoReverseMatch:
            return None


def _mentions(body: str) -> list[str]:
    from amtshilfe.board.services.conversation import parse_mentions

    return parse_mentions(body)


def _home(cast: Cast, user: User) -> str:
    """The first current municipality by name, as ``record_self_help`` picks it."""
    names = sorted(
        m.name for m in cast.municipalities.values() if user.pk in cast.members_of.get(m.pk, ())
    )
    return names[0]
