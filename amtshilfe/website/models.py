"""Content of the public website that the coordination edits, and join requests.

- ``SitePage`` + ``SitePageRevision``: the legal pages (Impressum, Datenschutzerklärung,
  Erklärung zur Barrierefreiheit) and the home page intro, Markdown with every saved version.
- ``PublicContact``: the contact point a municipality shows on the website (none by default).
- ``JoinRequest``: a municipality asks to join the network through "Mitmachen".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel
from amtshilfe.tenancy.models import Municipality

if TYPE_CHECKING:
    from amtshilfe.tenancy.models import Network


class SitePage(TimeStampedModel):
    """One editable page of the public website; title and body are the current revision's."""

    class Key(models.TextChoices):
        HOME = "start", _("Startseite (Einleitung)")
        IMPRINT = "impressum", _("Impressum")
        PRIVACY = "datenschutz", _("Datenschutzerklärung")
        ACCESSIBILITY = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")

    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.PROTECT, related_name="site_pages"
    )
    key = models.CharField(_("Seite"), max_length=20, choices=Key.choices)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(_("Text (Markdown)"), blank=True)
    # Optimistic locking: an edit based on an older version is refused, nothing is lost.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["network", "key"]
        verbose_name = _("Website-Seite")
        verbose_name_plural = _("Website-Seiten")
        constraints = [
            models.UniqueConstraint(fields=["network", "key"], name="site_page_unique_key"),
            models.CheckConstraint(condition=~Q(title=""), name="site_page_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} ({self.network_id})"


class SitePageRevision(models.Model):
    """A saved version of a site page; never changed, a restore adds a new one."""

    page = models.ForeignKey(SitePage, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("Version"))
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(_("Text (Markdown)"), blank=True)
    message = models.CharField(_("Änderungsnotiz"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geändert von"),
    )
    restored_from = models.PositiveIntegerField(_("wiederhergestellt aus"), null=True, blank=True)
    created_at = models.DateTimeField(_("gespeichert am"), auto_now_add=True)

    class Meta:
        ordering = ["page", "-number"]
        verbose_name = _("Version einer Website-Seite")
        verbose_name_plural = _("Versionen von Website-Seiten")
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="site_page_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.page} v{self.number}"


class PublicContactQuerySet(models.QuerySet["PublicContact"]):
    def in_network(self, network: Network) -> PublicContactQuerySet:
        return self.filter(municipality__network=network)

    def shown(self) -> PublicContactQuerySet:
        """Contacts of current members only: a municipality that left shows nothing."""
        return self.filter(municipality__status="active")


class PublicContact(TimeStampedModel):
    """The contact point of a municipality on the public website (chosen by the coordination).

    A municipality without a row shows no contact at all: nothing is published by default.
    """

    municipality = models.OneToOneField(
        "tenancy.Municipality",
        on_delete=models.CASCADE,
        related_name="public_contact",
        verbose_name=_("Kommune"),
    )
    label = models.CharField(
        _("Bezeichnung"), max_length=150, help_text=_("z. B. „IT-Stelle im Hauptamt“")
    )
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)

    objects: ClassVar[PublicContactQuerySet] = PublicContactQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = _("öffentlicher Kontakt")
        verbose_name_plural = _("öffentliche Kontakte")
        constraints = [
            models.CheckConstraint(condition=~Q(label=""), name="public_contact_label_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.municipality_id})"


class JoinRequestQuerySet(models.QuerySet["JoinRequest"]):
    def in_network(self, network: Network) -> JoinRequestQuerySet:
        return self.filter(network=network)

    def pending(self) -> JoinRequestQuerySet:
        return self.filter(status=JoinRequest.Status.PENDING)


class JoinRequest(TimeStampedModel):
    """A municipality's request to join the network ("Mitmachen"), decided by the coordination."""

    class Status(models.TextChoices):
        PENDING = "pending", _("offen")
        ACCEPTED = "accepted", _("angenommen")
        DECLINED = "declined", _("abgelehnt")

    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.PROTECT, related_name="join_requests"
    )
    municipality_name = models.CharField(_("Name der Kommune"), max_length=150)
    kind = models.CharField(
        _("Art"),
        max_length=20,
        choices=Municipality.Kind.choices,
        default=Municipality.Kind.GEMEINDE,
    )
    ags = models.CharField(_("Amtlicher Gemeindeschlüssel"), max_length=8, blank=True)
    population = models.PositiveIntegerField(_("Einwohnerzahl"))
    contact_name = models.CharField(_("Ansprechperson"), max_length=150)
    email = models.EmailField(_("E-Mail"))
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    clusters = models.ManyToManyField(
        "experts.TopicCluster",
        blank=True,
        related_name="+",
        verbose_name=_("Themencluster, in denen die Kommune mitarbeiten kann"),
    )
    contribution = models.TextField(_("Was die Kommune beitragen kann"), blank=True)
    consent_at = models.DateTimeField(_("Einwilligung erteilt am"))
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    decision_message = models.TextField(_("Nachricht an die Kommune"), blank=True)
    municipality = models.ForeignKey(
        "tenancy.Municipality",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("angelegte Kommune"),
    )

    objects: ClassVar[JoinRequestQuerySet] = JoinRequestQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Beitrittsanfrage")
        verbose_name_plural = _("Beitrittsanfragen")
        constraints = [
            models.CheckConstraint(
                condition=~Q(municipality_name=""), name="join_request_name_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="join_request_decided_iff_not_pending",
            ),
        ]
        indexes = [models.Index(fields=["network", "status", "created_at"])]

    def __str__(self) -> str:
        return self.municipality_name
