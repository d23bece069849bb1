"""In-app notifications and each person's e-mail preferences (immediately or as a daily digest)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel


class Kind(models.TextChoices):
    """What a notification is about; people switch e-mails on and off per kind."""

    REQUEST_NEW = "request_new", _("Neue Anfrage")
    REQUEST_ASSIGNED = "request_assigned", _("Anfrage zugewiesen")
    REQUEST_STATUS = "request_status", _("Status einer Anfrage geändert")
    REQUEST_COMMENT = "request_comment", _("Neuer Kommentar zu einer Anfrage")
    MENTION = "mention", _("Erwähnung")
    REQUEST_RATED = "request_rated", _("Bewertung einer Anfrage")
    DECISION = "decision", _("Entscheidung der Steuerungsgruppe")
    NEWS = "news", _("Neuigkeit im Netzwerk")
    EVENT = "event", _("Termin im Netzwerk")
    ONBOARDING = "onboarding", _("Einarbeitung")
    SETTLEMENT = "settlement", _("Abrechnung zwischen Kommunen")
    TIME = "time", _("Zeiterfassung")
    JOIN_REQUEST = "join_request", _("Beitrittsanfrage einer Kommune")
    SURVEY = "survey", _("Umfrage")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: Any) -> NotificationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def in_network(self, network: Any) -> NotificationQuerySet:
        return self.filter(network=network)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def waiting_for_digest(self) -> NotificationQuerySet:
        return self.filter(email_state=Notification.EmailState.DIGEST)


class Notification(models.Model):
    """One message to one person, shown in the app; possibly also sent by e-mail.

    ``email_state`` says what happens with the e-mail: none wanted, waiting for the daily
    digest (``send-digest``), waiting to be sent right after the transaction, or sent.
    """

    class EmailState(models.TextChoices):
        NONE = "none", _("keine E-Mail")
        PENDING = "pending", _("wird gesendet")
        DIGEST = "digest", _("für die tägliche Zusammenfassung vorgemerkt")
        SENT = "sent", _("gesendet")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("Person"),
    )
    network = models.ForeignKey(
        "tenancy.Network",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("Netzwerk"),
    )
    kind = models.CharField(_("Art"), max_length=40, choices=Kind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(_("Text"), blank=True)
    url = models.CharField(_("Link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("gelesen am"), null=True, blank=True)
    email_state = models.CharField(
        _("E-Mail"), max_length=10, choices=EmailState.choices, default=EmailState.NONE
    )
    emailed_at = models.DateTimeField(_("per E-Mail gesendet am"), null=True, blank=True)

    objects: ClassVar[NotificationQuerySet] = NotificationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email_state"], name="notification_email_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="notification_title_not_empty"),
            models.CheckConstraint(
                condition=Q(email_state="sent", emailed_at__isnull=False)
                | (~Q(email_state="sent") & Q(emailed_at__isnull=True)),
                name="notification_emailed_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def link(self) -> str:
        """``url`` if it is a path on this site (never another host), else ""."""
        return self.url if self.url.startswith("/") and not self.url.startswith("//") else ""


class NotificationPreference(TimeStampedModel):
    """How a person wants to hear about notifications (one row per person; none = defaults).

    By default every kind is also sent by e-mail, immediately. ``email_off_kinds`` lists the
    kinds that stay in the app only; with ``digest`` the e-mails are collected and sent once
    a day by ``amtshilfe send-digest``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("Person"),
    )
    email_off_kinds = models.JSONField(
        _("ohne E-Mail"), default=list, blank=True, help_text=_("Arten nur in der Anwendung")
    )
    digest = models.BooleanField(
        _("tägliche Zusammenfassung"),
        default=False,
        help_text=_("E-Mails einmal täglich gesammelt statt einzeln senden."),
    )

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("Benachrichtigungseinstellung")
        verbose_name_plural = _("Benachrichtigungseinstellungen")

    def __str__(self) -> str:
        return f"{self.user_id}: {'digest' if self.digest else 'sofort'}"

    def wants_email(self, kind: str) -> bool:
        return kind not in (self.email_off_kinds or [])
