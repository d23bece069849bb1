"""Communication in a network: news with revisions, events with registration, the directory.

Visibility is encoded in the QuerySets (CONVENTIONS #3):

- anonymous visitors (and anybody outside the network) see only *public*, *published* news
  and *public* events – on pages, in feeds, in counts;
- members see, in addition, internal items for their audience: the whole network, or a topic
  cluster they belong to;
- writers (coordination for everything, topic owners for their cluster, the author) also see
  drafts and scheduled news.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel
from amtshilfe.tenancy.access import is_coordinator, is_network_member
from amtshilfe.tenancy.models import Network

if TYPE_CHECKING:
    from amtshilfe.accounts.models import User


def member_cluster_ids(user: Any, network: Network) -> set[int]:
    """Ids of the topic clusters of ``network`` that ``user`` belongs to (owner or member)."""
    from amtshilfe.experts.models import ClusterMembership

    if not getattr(user, "is_authenticated", False):
        return set()
    cache: dict[int, set[int]] = user.__dict__.setdefault("_communication_clusters", {})
    if network.pk not in cache:
        cache[network.pk] = set(
            ClusterMembership.objects.filter(
                user=user, cluster__network=network, cluster__is_active=True
            ).values_list("cluster_id", flat=True)
        )
    return cache[network.pk]


def owned_cluster_ids(user: Any, network: Network) -> set[int]:
    """Ids of the topic clusters of ``network`` that ``user`` owns (Themen-Zuständige)."""
    from amtshilfe.experts.models import ClusterMembership

    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        ClusterMembership.objects.filter(
            user=user,
            cluster__network=network,
            cluster__is_active=True,
            role=ClusterMembership.Role.OWNER,
        ).values_list("cluster_id", flat=True)
    )


def _audience_q(user: Any, network: Network) -> Q:
    """Internal items a member receives: network-wide ones and those of their clusters."""
    return Q(cluster__isnull=True) | Q(cluster_id__in=member_cluster_ids(user, network))


class NewsQuerySet(models.QuerySet["News"]):
    def in_network(self, network: Network) -> NewsQuerySet:
        return self.filter(network=network)

    def published(self, now: dt.datetime | None = None) -> NewsQuerySet:
        return self.filter(published_at__isnull=False, published_at__lte=now or timezone.now())

    def unpublished(self, now: dt.datetime | None = None) -> NewsQuerySet:
        """Drafts and scheduled items."""
        return self.filter(Q(published_at__isnull=True) | Q(published_at__gt=now or timezone.now()))

    def public(self, network: Network, now: dt.datetime | None = None) -> NewsQuerySet:
        """What the public website shows: published, public news of ``network``."""
        return self.in_network(network).published(now).filter(is_public=True)

    def visible_to(
        self, user: Any, network: Network, now: dt.datetime | None = None
    ) -> NewsQuerySet:
        """News of ``network`` that ``user`` may read (see the module docstring)."""
        if not is_network_member(user, network):
            return self.public(network, now)
        mine = self.in_network(network)
        if is_coordinator(user, network):
            return mine
        readable = mine.published(now).filter(Q(is_public=True) | _audience_q(user, network))
        writable = mine.filter(Q(author=user) | Q(cluster_id__in=owned_cluster_ids(user, network)))
        return mine.filter(Q(pk__in=readable.values("pk")) | Q(pk__in=writable.values("pk")))


class News(TimeStampedModel):
    """A news item or announcement to the whole network or one topic cluster.

    ``published_at`` empty = draft; in the future = scheduled (becomes visible by itself,
    ``amtshilfe publish-news`` sends the notifications); ``notified_at`` records that the
    audience was told, so nobody is notified twice.
    """

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="news")
    cluster = models.ForeignKey(
        "experts.TopicCluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="news",
        verbose_name=_("Themencluster"),
        help_text=_("Leer: an das ganze Netzwerk."),
    )
    slug = models.SlugField(_("Kürzel"), max_length=80)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(_("Text"), help_text=_("Markdown"))
    is_public = models.BooleanField(
        _("öffentlich"), default=False, help_text=_("Auch auf der öffentlichen Website zeigen.")
    )
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    notified_at = models.DateTimeField(_("benachrichtigt am"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verfasst von"),
    )
    version = models.PositiveIntegerField(_("Version"), default=1)

    objects: ClassVar[NewsQuerySet] = NewsQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("Neuigkeit")
        verbose_name_plural = _("Neuigkeiten")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="news_unique_slug"),
            models.CheckConstraint(condition=~Q(title=""), name="news_title_not_empty"),
        ]
        indexes = [models.Index(fields=["network", "is_public", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def is_published(self, now: dt.datetime | None = None) -> bool:
        return self.published_at is not None and self.published_at <= (now or timezone.now())

    @property
    def status_label(self) -> str:
        if self.published_at is None:
            return str(_("Entwurf"))
        if self.published_at > timezone.now():
            return str(_("geplant"))
        return str(_("veröffentlicht"))


class NewsRevision(models.Model):
    """A saved state of a news item (append-only): what was written, by whom, when, why."""

    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("Version"))
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(_("Text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geändert von"),
    )
    message = models.CharField(_("Änderungsnotiz"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("gespeichert am"), default=timezone.now)

    class Meta:
        ordering = ["news", "-number"]
        verbose_name = _("Version einer Neuigkeit")
        verbose_name_plural = _("Versionen von Neuigkeiten")
        constraints = [
            models.UniqueConstraint(fields=["news", "number"], name="news_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.news_id} v{self.number}"


class EventQuerySet(models.QuerySet["Event"]):
    def in_network(self, network: Network) -> EventQuerySet:
        return self.filter(network=network)

    def public(self, network: Network) -> EventQuerySet:
        return self.in_network(network).filter(is_public=True)

    def visible_to(self, user: Any, network: Network) -> EventQuerySet:
        """Public events for everybody; members also internal events for their audience."""
        if not is_network_member(user, network):
            return self.public(network)
        mine = self.in_network(network)
        if is_coordinator(user, network):
            return mine
        return mine.filter(
            Q(is_public=True)
            | _audience_q(user, network)
            | Q(organiser=user)
            | Q(cluster_id__in=owned_cluster_ids(user, network))
        )

    def upcoming(self, now: dt.datetime | None = None) -> EventQuerySet:
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now: dt.datetime | None = None) -> EventQuerySet:
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")


class Event(TimeStampedModel):
    """An Austauschtreffen, a training or another date of the network, with registration.

    Times are stored in UTC and shown in Europe/Berlin (``TIME_ZONE``). A cancelled event
    stays visible (marked), so nobody travels to it in vain.
    """

    class Kind(models.TextChoices):
        EXCHANGE = "exchange", _("Austauschtreffen")
        TRAINING = "training", _("Schulung")
        WORKSHOP = "workshop", _("Workshop")
        CONSULTATION = "consultation", _("Sprechstunde")
        OTHER = "other", _("Sonstiges")

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="events")
    cluster = models.ForeignKey(
        "experts.TopicCluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("Themencluster"),
        help_text=_("Leer: für das ganze Netzwerk."),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.EXCHANGE)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown"))
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    location = models.CharField(_("Ort"), max_length=200, blank=True)
    online_url = models.URLField(_("Online-Zugang"), max_length=300, blank=True)
    is_public = models.BooleanField(
        _("öffentlich"), default=False, help_text=_("Auch auf der öffentlichen Website zeigen.")
    )
    capacity = models.PositiveIntegerField(
        _("Plätze"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leer: unbegrenzt."),
    )
    registration_deadline = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True)
    is_cancelled = models.BooleanField(_("abgesagt"), default=False)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Organisation"),
    )

    objects: ClassVar[EventQuerySet] = EventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(online_url=""), name="event_has_place"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="event_title_not_empty"),
        ]
        indexes = [models.Index(fields=["network", "is_public", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def registration_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.is_cancelled or self.starts_at <= now:
            return False
        return self.registration_deadline is None or now <= self.registration_deadline

    def registration_counts(self) -> tuple[int, int]:
        """How many are registered and how many wait (one query)."""
        status = EventRegistration.Status
        counts = self.registrations.aggregate(
            registered=models.Count("pk", filter=Q(status=status.REGISTERED)),
            waiting=models.Count("pk", filter=Q(status=status.WAITING)),
        )
        return int(counts["registered"]), int(counts["waiting"])

    def is_past(self, now: dt.datetime | None = None) -> bool:
        return self.ends_at < (now or timezone.now())


class EventRegistration(TimeStampedModel):
    """A member's registration for an event: registered, on the waiting list, or cancelled.

    One row per person and event; cancelling keeps the row (status ``cancelled``), registering
    again reuses it. The waiting list is ordered by ``queued_at``.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("angemeldet")
        WAITING = "waiting", _("auf der Warteliste")
        CANCELLED = "cancelled", _("abgemeldet")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations"
    )
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices)
    queued_at = models.DateTimeField(_("angemeldet am"), default=timezone.now)

    class Meta:
        ordering = ["event", "queued_at", "pk"]
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="event_registration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event} ({self.get_status_display()})"


class DirectoryEntryQuerySet(models.QuerySet["DirectoryEntry"]):
    def in_network(self, network: Network) -> DirectoryEntryQuerySet:
        return self.filter(network=network)


class DirectoryEntry(TimeStampedModel):
    """What a person chose to show about themselves in the member directory of a network.

    Without a row the defaults apply: listed with name, municipality and clusters; no e-mail,
    no phone (data minimisation – DSGVO Art. 5 (1) c).
    """

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="directory_entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_entries"
    )
    show_in_directory = models.BooleanField(_("im Verzeichnis zeigen"), default=True)
    show_email = models.BooleanField(_("E-Mail-Adresse zeigen"), default=False)
    show_phone = models.BooleanField(_("Telefonnummer zeigen"), default=False)
    note = models.CharField(
        _("Kurze Notiz"),
        max_length=300,
        blank=True,
        help_text=_("Zum Beispiel: Wofür man Sie ansprechen kann, wann Sie erreichbar sind."),
    )

    objects: ClassVar[DirectoryEntryQuerySet] = DirectoryEntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["network", "user"]
        verbose_name = _("Verzeichniseintrag")
        verbose_name_plural = _("Verzeichniseinträge")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="directory_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.network})"


def directory_defaults(*, user: User, network: Network) -> DirectoryEntry:
    """The unsaved entry with the defaults for someone who has not chosen anything yet."""
    return DirectoryEntry(network=network, user=user)
