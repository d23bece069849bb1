"""Topic clusters with their owners and members, and the expertise directory."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel

if TYPE_CHECKING:
    import datetime as dt

    from amtshilfe.tenancy.models import Network


class TopicClusterQuerySet(models.QuerySet["TopicCluster"]):
    def in_network(self, network: Network) -> TopicClusterQuerySet:
        return self.filter(network=network)

    def active(self) -> TopicClusterQuerySet:
        return self.filter(is_active=True)


class TopicCluster(TimeStampedModel):
    """A topic (e.g. "Arbeitsplatz & Drucker") with named owners who keep it right."""

    network = models.ForeignKey(
        "tenancy.Network",
        on_delete=models.PROTECT,
        related_name="clusters",
        verbose_name=_("Netzwerk"),
    )
    slug = models.SlugField(_("Kürzel"), max_length=60)
    name = models.CharField(_("Name"), max_length=120)
    description = models.TextField(_("Beschreibung"), blank=True)
    keywords = models.JSONField(_("Schlagwörter"), default=list, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects: ClassVar[TopicClusterQuerySet] = TopicClusterQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        verbose_name = _("Themencluster")
        verbose_name_plural = _("Themencluster")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="cluster_unique_slug"),
            models.UniqueConstraint(fields=["network", "name"], name="cluster_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="cluster_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class ClusterMembership(TimeStampedModel):
    """A person in a topic cluster, as topic owner (Themen-Zuständige) or member."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Themen-Zuständige/r")
        MEMBER = "member", _("Mitglied")

    cluster = models.ForeignKey(
        TopicCluster,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("Themencluster"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cluster_memberships",
        verbose_name=_("Person"),
    )
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["cluster__name", "role", "user__last_name"]
        verbose_name = _("Cluster-Mitgliedschaft")
        verbose_name_plural = _("Cluster-Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "user"], name="cluster_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.cluster} ({self.get_role_display()})"


class Skill(models.Model):
    """A skill named by people in their profiles ("Scan-to-Folder", "VPN-Client")."""

    network = models.ForeignKey("tenancy.Network", on_delete=models.PROTECT, related_name="skills")
    name = models.CharField(_("Name"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Fähigkeit")
        verbose_name_plural = _("Fähigkeiten")
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="skill_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ExpertProfileQuerySet(models.QuerySet["ExpertProfile"]):
    def in_network(self, network: Network) -> ExpertProfileQuerySet:
        return self.filter(network=network)

    def available_on(self, day: dt.date) -> ExpertProfileQuerySet:
        absent = Q(absent_until__gte=day) & (Q(absent_from__isnull=True) | Q(absent_from__lte=day))
        return self.exclude(absent)


class ExpertProfile(TimeStampedModel):
    """What an IT specialist knows and how much time they give the network."""

    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.PROTECT, related_name="expert_profiles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_profiles"
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="profiles", verbose_name=_("Fähigkeiten")
    )
    pledged_hours_per_month = models.PositiveSmallIntegerField(
        _("zugesagte Stunden pro Monat"),
        default=0,
        validators=[MaxValueValidator(200)],
        help_text=_("Wie viele Stunden im Monat Sie dem Netzwerk zur Verfügung stellen."),
    )
    absent_from = models.DateField(_("abwesend ab"), null=True, blank=True)
    absent_until = models.DateField(_("abwesend bis"), null=True, blank=True)
    availability_note = models.CharField(
        _("Hinweis zur Erreichbarkeit"), max_length=200, blank=True
    )
    bio = models.TextField(_("Über mich"), blank=True, max_length=2000)

    objects: ClassVar[ExpertProfileQuerySet] = ExpertProfileQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("Expertenprofil")
        verbose_name_plural = _("Expertenprofile")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="expert_profile_unique"),
            models.CheckConstraint(
                condition=Q(pledged_hours_per_month__lte=200),
                name="expert_profile_pledge_plausible",
            ),
            models.CheckConstraint(
                condition=Q(absent_from__isnull=True)
                | Q(absent_until__isnull=True)
                | Q(absent_until__gte=models.F("absent_from")),
                name="expert_profile_absence_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}"

    def is_absent_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        if self.absent_until is None or self.absent_until < day:
            return False
        return self.absent_from is None or self.absent_from <= day
