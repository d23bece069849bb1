"""People who log in, and their API tokens."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel


class UserQuerySet(models.QuerySet["User"]):
    def in_network(self, network_id: int) -> UserQuerySet:
        """People who belong (or belonged) to a municipality of the network or hold a role in it."""
        return self.filter(
            models.Q(memberships__municipality__network_id=network_id)
            | models.Q(network_roles__network_id=network_id)
        ).distinct()


class AmtshilfeUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person. Memberships (tenancy) say where they work and in which role."""

    display_name = models.CharField(_("Anzeigename"), max_length=150, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    language = models.CharField(
        _("Sprache"), max_length=5, choices=settings.LANGUAGES, default="de"
    )

    objects: ClassVar[AmtshilfeUserManager] = AmtshilfeUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = self.display_name or f"{self.first_name} {self.last_name}".strip()
        return name or self.username


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(TimeStampedModel):
    """A bearer token for the API. Only the SHA-256 of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("Bezeichnung"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ApiTokenQuerySet] = ApiTokenQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-Token")
        verbose_name_plural = _("API-Tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
