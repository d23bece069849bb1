"""Networks, their member municipalities, and who works where in which role."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel

if TYPE_CHECKING:
    from amtshilfe.accounts.models import User

ags_validator = RegexValidator(
    r"^\d{8}$", _("Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern.")
)


class NetworkQuerySet(models.QuerySet["Network"]):
    def visible_to(self, user: User) -> NetworkQuerySet:
        """Networks in which ``user`` has a network role or an active membership."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(roles__user=user)
            | Q(
                municipalities__memberships__user=user,
                municipalities__memberships__ended_on__isnull=True,
                municipalities__status="active",
            )
        ).distinct()


class Network(TimeStampedModel):
    """An inter-municipal network, usually all towns and municipalities of one Landkreis."""

    slug = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=150)
    region = models.CharField(_("Region"), max_length=150, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)

    objects: ClassVar[NetworkQuerySet] = NetworkQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def active(self) -> MunicipalityQuerySet:
        return self.filter(status=Municipality.Status.ACTIVE)

    def in_network(self, network: Network) -> MunicipalityQuerySet:
        return self.filter(network=network)

    def visible_to(self, user: User) -> MunicipalityQuerySet:
        """Municipalities whose internal page ``user`` may open.

        Its own members (active membership) and the network roles (coordination,
        steering group, audit) see a municipality; nobody else does.
        """
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(network__roles__user=user)
            | Q(memberships__user=user, memberships__ended_on__isnull=True)
        ).distinct()


class Municipality(TimeStampedModel):
    """A town or municipality (or the Landkreis itself) that is a member of one network.

    A municipality that leaves keeps all its rows: status becomes ``left`` and ``left_on``
    is set; nothing is deleted.
    """

    class Kind(models.TextChoices):
        LANDKREIS = "landkreis", _("Landkreis")
        GROSSE_KREISSTADT = "grosse_kreisstadt", _("Große Kreisstadt")
        STADT = "stadt", _("Stadt")
        GEMEINDE = "gemeinde", _("Gemeinde")
        VERBAND = "verband", _("Verwaltungsverband")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Mitglied")
        LEFT = "left", _("ausgetreten")

    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("Netzwerk"),
    )
    slug = models.SlugField(_("Kürzel"), max_length=80)
    name = models.CharField(_("Name"), max_length=150)
    official_name = models.CharField(_("Amtlicher Name"), max_length=200, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.GEMEINDE)
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"), max_length=8, blank=True, validators=[ags_validator]
    )
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    population_date = models.DateField(_("Stichtag der Einwohnerzahl"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField(_("beigetreten am"))
    left_on = models.DateField(_("ausgetreten am"), null=True, blank=True)
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    contact_phone = models.CharField(_("Kontakt-Telefon"), max_length=50, blank=True)

    objects: ClassVar[MunicipalityQuerySet] = MunicipalityQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="municipality_unique_slug"),
            models.UniqueConstraint(fields=["network", "name"], name="municipality_unique_name"),
            models.UniqueConstraint(
                fields=["network", "ags"], condition=~Q(ags=""), name="municipality_unique_ags"
            ),
            models.CheckConstraint(
                condition=Q(ags="") | Q(ags__regex=r"^[0-9]{8}$"), name="municipality_ags_format"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="active", left_on__isnull=True)
                    | Q(status="left", left_on__isnull=False)
                ),
                name="municipality_left_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        return self.filter(ended_on__isnull=True)

    def for_user(self, user: User) -> MembershipQuerySet:
        return self.filter(user=user)


class Membership(TimeStampedModel):
    """A person works for a municipality in a role. Ending it keeps the row (history)."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Verwaltung")
        IT = "it", _("IT-Fachkraft")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("Person"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("Kommune"),
    )
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices)
    started_on = models.DateField(_("seit"))
    ended_on = models.DateField(_("bis"), null=True, blank=True)

    objects: ClassVar[MembershipQuerySet] = MembershipQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["municipality__name", "user__last_name", "user__username"]
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_current_per_municipality",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality} ({self.get_role_display()})"


class NetworkRole(TimeStampedModel):
    """A role for the whole network: coordination, steering group, audit (read only)."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Netzwerk-Koordination")
        STEERING = "steering", _("Steuerungsgruppe")
        AUDITOR = "auditor", _("Prüfung (Datenschutz/Personalrat)")

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="roles", verbose_name=_("Netzwerk")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="network_roles",
        verbose_name=_("Person"),
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["network", "role", "user__username"]
        verbose_name = _("Netzwerkrolle")
        verbose_name_plural = _("Netzwerkrollen")
        constraints = [
            models.UniqueConstraint(fields=["network", "user", "role"], name="network_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"
