"""Base model and the append-only audit log."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base: every row knows when it was created and last changed."""

    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyModel(models.Model):
    """Abstract base of a history that is only ever added to (audit log, request events).

    ``save()`` of an existing row and ``delete()`` raise ``append_only_error``; the QuerySet
    (``AppendOnlyQuerySet``) refuses bulk updates and deletes. Database triggers in each
    app's migrations refuse them as well, so not even raw SQL from the app changes history.
    """

    append_only_error: ClassVar[type[Exception]]
    append_only_noun: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise self.append_only_error(f"{self.append_only_noun} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise self.append_only_error(f"{self.append_only_noun} cannot be deleted")


_AppendOnly = TypeVar("_AppendOnly", bound=AppendOnlyModel)


class AppendOnlyQuerySet(models.QuerySet[_AppendOnly]):
    def update(self, **kwargs: Any) -> int:
        raise self.model.append_only_error(f"{self.model.append_only_noun} cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise self.model.append_only_error(f"{self.model.append_only_noun} cannot be deleted")


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(AppendOnlyQuerySet["AuditEvent"]):
    def in_network(self, network_id: int) -> AuditEventQuerySet:
        return self.filter(network_id=network_id)


class AuditEvent(AppendOnlyModel):
    """One change to domain state: who, when, what, on which object, before/after, from where.

    Append-only: the model refuses updates and deletes, and database triggers
    (migration 0002) refuse them too, so not even raw SQL from the app changes history.
    """

    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    network = models.ForeignKey(
        "tenancy.Network",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("Netzwerk"),
    )
    municipality = models.ForeignKey(
        "tenancy.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("Kommune"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("Person"),
        db_constraint=False,
    )
    actor_name = models.CharField(_("Benutzername"), max_length=150, blank=True)
    action = models.CharField(_("Aktion"), max_length=80, db_index=True)
    object_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("Objekt"), max_length=300, blank=True)
    before = models.JSONField(_("vorher"), null=True, blank=True)
    after = models.JSONField(_("nachher"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)
    request_id = models.CharField(max_length=36, blank=True)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]
    append_only_error = AuditLogIsAppendOnly
    append_only_noun = "audit events"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        indexes = [models.Index(fields=["network", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
