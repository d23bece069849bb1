"""Requests (ServiceRequest), boards, columns, comments and the append-only request history.

Status and column: every column has a ``kind`` (inbox, triage, in progress, waiting, done) and
a request's ``status`` is always the status of its column's kind – the services set both
together (``services.placement``). The one refinement: in a done column a request is
``done`` until the requester rates it (or IT closes it for good), then ``closed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import AppendOnlyModel, AppendOnlyQuerySet, TimeStampedModel
from amtshilfe.experts.models import ClusterMembership
from amtshilfe.tenancy.access import current_memberships, is_coordinator, is_network_member

if TYPE_CHECKING:
    from amtshilfe.tenancy.models import Network


class Board(TimeStampedModel):
    """A Kanban board: the network board (no cluster) or a topic cluster's own board."""

    network = models.ForeignKey(
        "tenancy.Network",
        on_delete=models.PROTECT,
        related_name="boards",
        verbose_name=_("Netzwerk"),
    )
    cluster = models.ForeignKey(
        "experts.TopicCluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="boards",
        verbose_name=_("Themencluster"),
    )
    name = models.CharField(_("Name"), max_length=120)
    triage_threshold = models.FloatField(
        _("Schwelle der automatischen Zuordnung"),
        default=0.6,
        help_text=_(
            "Ab dieser Sicherheit (0 bis 1) wird eine Anfrage ohne Triage einem Cluster zugeordnet."
        ),
    )

    class Meta:
        ordering = ["network", "cluster__name", "name"]
        verbose_name = _("Board")
        verbose_name_plural = _("Boards")
        constraints = [
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(cluster__isnull=True),
                name="board_one_network_board",
            ),
            models.UniqueConstraint(
                fields=["network", "cluster"],
                condition=Q(cluster__isnull=False),
                name="board_one_per_cluster",
            ),
            models.CheckConstraint(
                condition=Q(triage_threshold__gte=0) & Q(triage_threshold__lte=1),
                name="board_threshold_range",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="board_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Column(TimeStampedModel):
    """A column of a board. Its ``kind`` fixes the status of every request in it."""

    class Kind(models.TextChoices):
        INBOX = "inbox", _("Eingang")
        TRIAGE = "triage", _("Triage")
        IN_PROGRESS = "in_progress", _("In Arbeit")
        WAITING = "waiting", _("Wartet auf Rückmeldung")
        DONE = "done", _("Erledigt")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(_("Name"), max_length=80)
    position = models.PositiveIntegerField(_("Reihenfolge"))
    kind = models.CharField(_("Bedeutung"), max_length=20, choices=Kind.choices)
    wip_limit = models.PositiveSmallIntegerField(
        _("WIP-Limit"),
        null=True,
        blank=True,
        help_text=_("Höchstens so viele offene Karten in dieser Spalte (leer = ohne Grenze)."),
    )

    class Meta:
        ordering = ["board", "position"]
        verbose_name = _("Spalte")
        verbose_name_plural = _("Spalten")
        constraints = [
            models.UniqueConstraint(fields=["board", "position"], name="column_unique_position"),
            models.UniqueConstraint(fields=["board", "name"], name="column_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="column_name_not_empty"),
            models.CheckConstraint(
                condition=Q(wip_limit__isnull=True) | Q(wip_limit__gte=1),
                name="column_wip_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def in_network(self, network: Network) -> ServiceRequestQuerySet:
        return self.filter(network=network)

    def open(self) -> ServiceRequestQuerySet:
        return self.exclude(status__in=ServiceRequest.FINISHED)

    def on_board(self, board: Board) -> ServiceRequestQuerySet:
        """The cards of ``board`` in board order (column, then position)."""
        return self.filter(column__board=board).order_by("column__position", "position")

    def visible_to(self, user: Any, network: Network) -> ServiceRequestQuerySet:
        """Requests of ``network`` that ``user`` may open (``access.users_who_see`` mirrors it).

        1. Nobody outside the network sees anything.
        2. The coordination sees every request.
        3. Current members (staff and IT) of the requesting municipality see its requests.
        4. Members and owners of a request's topic cluster see it; so does its assignee.
        5. Requests without a cluster (still in triage) are seen by every topic owner.
        """
        requests = self.in_network(network)
        if not getattr(user, "is_authenticated", False) or not is_network_member(user, network):
            return self.none()
        if is_coordinator(user, network):
            return requests
        municipality_ids = [m.municipality_id for m in current_memberships(user, network)]
        user_clusters = ClusterMembership.objects.filter(user=user, cluster__network=network)
        seen = (
            Q(municipality_id__in=municipality_ids)
            | Q(cluster_id__in=user_clusters.values("cluster_id"))
            | Q(assignee=user)
        )
        if user_clusters.filter(role=ClusterMembership.Role.OWNER).exists():
            seen |= Q(cluster__isnull=True)
        return requests.filter(seen)

    def work_of(self, user: Any) -> ServiceRequestQuerySet:
        """ "Meine Arbeit": assigned to ``user``, plus new requests of the clusters they own
        (in the inbox, or in triage with the triage's suggestion for their cluster)."""
        owned = ClusterMembership.objects.filter(user=user, role=ClusterMembership.Role.OWNER)
        owned_ids = owned.values("cluster_id")
        return self.filter(
            Q(assignee=user)
            | Q(cluster_id__in=owned_ids, column__kind__in=[Column.Kind.INBOX, Column.Kind.TRIAGE])
            | Q(
                cluster__isnull=True,
                suggested_cluster_id__in=owned_ids,
                column__kind=Column.Kind.TRIAGE,
            )
        )

    def with_can_work(self, user: Any, network: Network) -> ServiceRequestQuerySet:
        """Annotate ``can_work``: ``user`` is on the IT side of the request (may move it).

        The same rule as ``access.users_who_work`` for one person, as one SQL expression, so
        that a board of many cards needs no query per card. Chain it after ``visible_to``.
        """
        if not getattr(user, "is_authenticated", False) or not is_network_member(user, network):
            return self.annotate(can_work=models.Value(False))
        if is_coordinator(user, network):
            return self.annotate(can_work=models.Value(True))
        memberships = list(
            ClusterMembership.objects.filter(user=user, cluster__network=network).values_list(
                "cluster_id", "role"
            )
        )
        works = Q(assignee=user)
        if memberships:
            works |= Q(cluster_id__in=[cluster for cluster, _role in memberships])
        if any(role == ClusterMembership.Role.OWNER for _cluster, role in memberships):
            works |= Q(cluster__isnull=True)
        return self.annotate(
            can_work=models.ExpressionWrapper(works, output_field=models.BooleanField())
        )


class ServiceRequest(TimeStampedModel):
    """A request for help from a municipality ("Anfrage"), a card on a board."""

    class Status(models.TextChoices):
        NEW = "new", _("Neu")
        TRIAGE = "triage", _("In Triage")
        IN_PROGRESS = "in_progress", _("In Arbeit")
        WAITING = "waiting", _("Wartet auf Rückmeldung")
        DONE = "done", _("Erledigt")
        CLOSED = "closed", _("Abgeschlossen")

    class Urgency(models.TextChoices):
        LOW = "low", _("niedrig")
        NORMAL = "normal", _("normal")
        HIGH = "high", _("hoch")
        CRITICAL = "critical", _("dringend")

    class ContactPreference(models.TextChoices):
        EMAIL = "email", _("per E-Mail")
        PHONE = "phone", _("per Telefon")
        APP = "app", _("in Amtshilfe")

    class Source(models.TextChoices):
        WEB = "web", _("Webformular")
        API = "api", _("Schnittstelle")
        EMAIL = "email", _("E-Mail")
        ASSISTANT = "assistant", _("Assistent")

    # The status each column kind gives its requests (done columns also hold closed ones).
    STATUS_FOR_KIND: ClassVar[dict[str, str]] = {
        Column.Kind.INBOX: Status.NEW,
        Column.Kind.TRIAGE: Status.TRIAGE,
        Column.Kind.IN_PROGRESS: Status.IN_PROGRESS,
        Column.Kind.WAITING: Status.WAITING,
        Column.Kind.DONE: Status.DONE,
    }
    FINISHED: ClassVar[tuple[str, str]] = (Status.DONE, Status.CLOSED)

    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.PROTECT, related_name="service_requests"
    )
    number = models.PositiveIntegerField(_("Nummer"))
    municipality = models.ForeignKey(
        "tenancy.Municipality",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("Kommune"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="filed_requests",
        verbose_name=_("angefragt von"),
    )
    title = models.CharField(_("Betreff"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    urgency = models.CharField(
        _("Dringlichkeit"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    contact_preference = models.CharField(
        _("Rückmeldung bevorzugt"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.APP,
    )
    source = models.CharField(_("Eingang über"), max_length=10, choices=Source.choices)
    cluster = models.ForeignKey(
        "experts.TopicCluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("Themencluster"),
    )
    suggested_cluster = models.ForeignKey(
        "experts.TopicCluster",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Vorschlag der Triage"),
    )
    triage_confidence = models.FloatField(_("Sicherheit der Triage"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices)
    column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="requests", verbose_name=_("Spalte")
    )
    position = models.PositiveIntegerField(_("Position in der Spalte"))
    version = models.PositiveIntegerField(default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_requests",
        verbose_name=_("bearbeitet von"),
    )
    self_help_query = models.TextField(_("Suche vor der Anfrage"), blank=True)
    solved_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("Bewertung"), null=True, blank=True)
    rating_comment = models.TextField(_("Kommentar zur Bewertung"), blank=True)
    rated_at = models.DateTimeField(_("bewertet am"), null=True, blank=True)
    article_created = models.ForeignKey(
        "wiki.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_requests",
        verbose_name=_("daraus entstandener Artikel"),
    )

    objects: ClassVar[ServiceRequestQuerySet] = ServiceRequestQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Anfrage")
        verbose_name_plural = _("Anfragen")
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="request_unique_number"),
            models.UniqueConstraint(fields=["column", "position"], name="request_unique_position"),
            models.CheckConstraint(condition=~Q(title=""), name="request_title_not_empty"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="request_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rated_at__isnull=False),
                name="request_rating_has_time",
            ),
            models.CheckConstraint(
                condition=Q(triage_confidence__isnull=True)
                | (Q(triage_confidence__gte=0) & Q(triage_confidence__lte=1)),
                name="request_confidence_range",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["done", "closed"]) | Q(solved_at__isnull=False),
                name="request_finished_has_solved_at",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="request_closed_at_iff_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status"]),
            models.Index(fields=["municipality", "status"]),
            models.Index(fields=["cluster", "status"]),
            # The request list: newest/oldest and last change without sorting every row.
            models.Index(
                fields=["network", "created_at", "id"], name="request_network_created_idx"
            ),
            models.Index(
                fields=["network", "updated_at", "id"], name="request_network_updated_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        try:
            return reverse("board:request", kwargs={"pk": self.pk})
        except NoReverseMatch:  # the board's pages are not mounted (yet)
            return f"/anfragen/{self.pk}/"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class RequestEventIsAppendOnly(Exception):
    """Raised when code tries to change or delete a request event."""


class RequestEventQuerySet(AppendOnlyQuerySet["RequestEvent"]):
    def in_network(self, network: Network) -> RequestEventQuerySet:
        return self.filter(network=network)

    def public(self) -> RequestEventQuerySet:
        """Events the administration side may see (no internal comments)."""
        return self.filter(internal=False)


class RequestEvent(AppendOnlyModel):
    """One change to a request: the history shown on the card and the event log for analysis.

    ``data`` is machine-readable: ``{"from": …, "to": …}`` with ids/slugs *and* display
    text, e.g. ``{"from": {"id": 3, "kind": "inbox", "name": "Eingang"}, "to": {…}}``.
    Append-only like the audit log: model guards plus database triggers (migration 0002).
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("angelegt")
        STATUS = "status", _("Status geändert")
        COLUMN = "column", _("verschoben")
        CLUSTER = "cluster", _("Themencluster geändert")
        ASSIGNEE = "assignee", _("Zuständigkeit geändert")
        URGENCY = "urgency", _("Dringlichkeit geändert")
        COMMENT = "comment", _("Kommentar")
        ATTACHMENT = "attachment", _("Anhang")
        TIME = "time", _("Zeit erfasst")
        RATING = "rating", _("bewertet")
        ARTICLE = "article", _("Artikel erstellt")
        WATCH = "watch", _("beobachtet")
        UNWATCH = "unwatch", _("nicht mehr beobachtet")

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="events")
    network = models.ForeignKey("tenancy.Network", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    internal = models.BooleanField(default=False, help_text="only the IT side sees it")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects: ClassVar[RequestEventQuerySet] = RequestEventQuerySet.as_manager()  # type: ignore[assignment]
    append_only_error = RequestEventIsAppendOnly
    append_only_noun = "request events"

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Ereignis einer Anfrage")
        verbose_name_plural = _("Ereignisse von Anfragen")
        indexes = [models.Index(fields=["network", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class CommentQuerySet(models.QuerySet["Comment"]):
    def public(self) -> CommentQuerySet:
        return self.filter(internal=False)

    def visible_to(self, user: Any, request: ServiceRequest) -> CommentQuerySet:
        """Comments on ``request`` that ``user`` may read: internal ones only for the IT side."""
        from amtshilfe.board.access import can_work

        visible = ServiceRequest.objects.visible_to(user, request.network).filter(pk=request.pk)
        comments = self.filter(request__in=visible)
        return comments if can_work(user, request) else comments.public()


class Comment(TimeStampedModel):
    """A comment on a request (Markdown). Internal comments are for the IT side only."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verfasst von"),
    )
    body = models.TextField(_("Text (Markdown)"))
    body_html = models.TextField(blank=True, help_text="sanitised rendering of body")
    internal = models.BooleanField(
        _("intern"), default=False, help_text=_("Nur für IT-Fachkräfte sichtbar.")
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("erwähnt")
    )

    objects: ClassVar[CommentQuerySet] = CommentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.body[:40]}"


class Watcher(models.Model):
    """Someone who follows a request and is notified of its changes."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="watchers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watched_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "created_at"]
        verbose_name = _("Beobachter/in")
        verbose_name_plural = _("Beobachtende")
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="watcher_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.request_id}"


def request_attachment_path(instance: RequestAttachment, filename: str) -> str:
    request = instance.request
    return f"board/{request.network_id}/{request.pk}/{instance.stored_name}"


class RequestAttachment(TimeStampedModel):
    """A file attached to a request (screenshot, error log); checked like wiki attachments."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=request_attachment_path, max_length=300)
    stored_name = models.CharField(max_length=80)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Anhang einer Anfrage")
        verbose_name_plural = _("Anhänge von Anfragen")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class SelfHelpSuccess(models.Model):
    """ "Das hat geholfen": someone solved their problem with an article, no request needed."""

    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.PROTECT, related_name="self_help_successes"
    )
    municipality = models.ForeignKey(
        "tenancy.Municipality", on_delete=models.PROTECT, related_name="self_help_successes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    query = models.CharField(_("Suchanfrage"), max_length=300, blank=True)
    article = models.ForeignKey(
        "wiki.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="self_help_successes",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Erfolgreiche Selbsthilfe")
        verbose_name_plural = _("Erfolgreiche Selbsthilfe")
        indexes = [models.Index(fields=["network", "created_at"])]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.query[:40]}"
