"""Knowledge-base articles, their revisions, attachments, feedback, and the search index."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel
from amtshilfe.tenancy.access import current_memberships, is_coordinator, is_network_member

if TYPE_CHECKING:
    from amtshilfe.tenancy.models import Network


class ArticleQuerySet(models.QuerySet["Article"]):
    def in_network(self, network: Network) -> ArticleQuerySet:
        return self.filter(network=network)

    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED)

    def public(self) -> ArticleQuerySet:
        """What anonymous visitors of the public website may read."""
        return self.published().filter(visibility=Article.Visibility.PUBLIC)

    def readable_by(self, user: Any, network: Network) -> ArticleQuerySet:
        """Published articles of ``network`` that ``user`` may read (search uses exactly this).

        public and network articles: every member of the network; municipality articles:
        current members of that municipality, and the coordination.
        """
        articles = self.in_network(network).published()
        if not getattr(user, "is_authenticated", False) or not is_network_member(user, network):
            return articles.filter(visibility=Article.Visibility.PUBLIC)
        if is_coordinator(user, network):
            return articles
        municipality_ids = [m.municipality_id for m in current_memberships(user, network)]
        return articles.filter(
            ~Q(visibility=Article.Visibility.MUNICIPALITY) | Q(municipality_id__in=municipality_ids)
        )

    def visible_to(self, user: Any, network: Network) -> ArticleQuerySet:
        """Everything ``user`` may open: readable articles plus unpublished ones they work on.

        Drafts and articles in review are seen by their author, the cluster's topic owners
        and the coordination; archived articles by topic owners and the coordination.
        """
        readable = self.readable_by(user, network)
        if not getattr(user, "is_authenticated", False) or not is_network_member(user, network):
            return readable
        if is_coordinator(user, network):
            return self.in_network(network)
        own_work = self.in_network(network).filter(
            Q(created_by=user)
            | Q(cluster__memberships__user=user, cluster__memberships__role="owner")
        )
        return (readable | own_work).distinct()


class Article(TimeStampedModel):
    """A knowledge-base article. Its title/body/tags are those of the current revision."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("öffentlich (auch auf der Website)")
        NETWORK = "network", _("im Netzwerk")
        MUNICIPALITY = "municipality", _("nur eine Kommune")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        REVIEW = "review", _("in Prüfung")
        PUBLISHED = "published", _("veröffentlicht")
        ARCHIVED = "archived", _("archiviert")

    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.PROTECT, related_name="articles"
    )
    cluster = models.ForeignKey(
        "experts.TopicCluster",
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("Themencluster"),
    )
    slug = models.SlugField(_("Kürzel"), max_length=120)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(_("Text (Markdown)"), blank=True)
    tags = models.JSONField(_("Schlagwörter"), default=list, blank=True)
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=20, choices=Visibility.choices, default=Visibility.NETWORK
    )
    municipality = models.ForeignKey(
        "tenancy.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("Kommune"),
    )
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    current_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_reviewed_at = models.DateTimeField(_("zuletzt geprüft"), null=True, blank=True)
    source_updated = models.DateField(_("Stand laut Quelle"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar[ArticleQuerySet] = ArticleQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["title"]
        verbose_name = _("Artikel")
        verbose_name_plural = _("Artikel")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="article_unique_slug"),
            models.CheckConstraint(
                condition=(
                    Q(visibility="municipality", municipality__isnull=False)
                    | (~Q(visibility="municipality") & Q(municipality__isnull=True))
                ),
                name="article_municipality_iff_scoped",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
        ]
        indexes = [models.Index(fields=["network", "status", "visibility"])]

    def __str__(self) -> str:
        return self.title


class Revision(models.Model):
    """One saved state of an article: who, when, why. Pending ones wait for a topic owner."""

    class State(models.TextChoices):
        PUBLISHED = "published", _("veröffentlicht")
        PENDING = "pending", _("wartet auf Prüfung")
        REJECTED = "rejected", _("zurückgegeben")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    message = models.CharField(_("Änderungsnotiz"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PUBLISHED)
    base_version = models.PositiveIntegerField(
        help_text="article.version the author started from (detects conflicting edits)"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("Kommentar der Prüfung"), blank=True)

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("Version")
        verbose_name_plural = _("Versionen")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.article} v{self.number}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"wiki/{instance.article.network_id}/{instance.article_id}/{instance.stored_name}"


class Attachment(TimeStampedModel):
    """A file attached to an article; its type is taken from its content, not its name."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    stored_name = models.CharField(max_length=80)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["original_name"]
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Feedback(TimeStampedModel):
    """ "War dieser Artikel hilfreich?" – one answer per person and article (changeable)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="feedback_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.article}: {'ja' if self.helpful else 'nein'}"


class Passage(models.Model):
    """A section of a published article (split at headings) as indexed for search."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveSmallIntegerField()
    anchor = models.CharField(max_length=120, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    # Analysed (normalised, stemmed, decompounded) tokens, fed to the database's full-text
    # index: title_terms from title and tags, terms from heading and text.
    title_terms = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    # Distinct surface words (lowercase), the vocabulary for compound splitting and typos.
    words = models.TextField(blank=True)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="passage_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}#{self.anchor}"


class EmbeddingCache(models.Model):
    """Embeddings by model and text hash, so that nothing is embedded twice."""

    model = models.CharField(max_length=100)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "text_hash"], name="embedding_cache_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.model}:{self.text_hash[:12]}"


class SearchIndexState(models.Model):
    """Bumped whenever a network's index changes, so that serving processes reload."""

    network = models.OneToOneField(
        "tenancy.Network", on_delete=models.CASCADE, related_name="search_index_state"
    )
    version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.network_id}: v{self.version}"


class SearchQueryLog(models.Model):
    """Questions asked in search, kept without the person (for "unanswered searches")."""

    network = models.ForeignKey("tenancy.Network", on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=300)
    result_count = models.PositiveIntegerField()
    top_score = models.FloatField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.query
