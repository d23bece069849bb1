"""Onboarding into topic clusters: checklist templates per cluster, plans per newcomer.

A cluster's topic owners (and the coordination) keep one ``ChecklistTemplate`` with ordered
items. Starting an onboarding copies the items into an ``OnboardingPlan`` of its own
(``PlanItem``), so editing the template never changes a running plan. The newcomer and their
mentor tick items off; when every item is done the plan is completed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel
from amtshilfe.experts.models import ClusterMembership
from amtshilfe.tenancy.access import is_coordinator, is_network_member
from amtshilfe.tenancy.models import Network


class ItemKind(models.TextChoices):
    """What a checklist item asks the newcomer to do."""

    ARTICLE = "article", _("Artikel lesen")
    PERSON = "person", _("Person kennenlernen")
    SHADOW = "shadow", _("Erste Anfrage begleiten")
    TASK = "task", _("Sonstige Aufgabe")


# An item names an article exactly when it is a reading item, a person exactly when it is a
# meeting (the same rule for template items and plan items).
ITEM_REFERENCE_RULES = [
    (Q(kind="article", article__isnull=False) | (~Q(kind="article") & Q(article__isnull=True))),
    (Q(kind="person", person__isnull=False) | (~Q(kind="person") & Q(person__isnull=True))),
]


class ChecklistTemplate(TimeStampedModel):
    """The checklist of a topic cluster that every new onboarding plan starts from."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    cluster = models.OneToOneField(
        "experts.TopicCluster",
        on_delete=models.CASCADE,
        related_name="checklist_template",
        verbose_name=_("Themencluster"),
    )

    class Meta:
        ordering = ["cluster__name"]
        verbose_name = _("Checklisten-Vorlage")
        verbose_name_plural = _("Checklisten-Vorlagen")

    def __str__(self) -> str:
        return f"{self.cluster}"


class ChecklistItemFields(TimeStampedModel):
    """Fields shared by template items and plan items (abstract)."""

    position = models.PositiveIntegerField(_("Position"))
    kind = models.CharField(_("Art"), max_length=10, choices=ItemKind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=5000)
    article = models.ForeignKey(
        "wiki.Article",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Artikel"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Person"),
    )

    class Meta:
        abstract = True


class ChecklistTemplateItem(ChecklistItemFields):
    """One step of a cluster's checklist template."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")

    class Meta:
        ordering = ["template", "position"]
        verbose_name = _("Punkt einer Checklisten-Vorlage")
        verbose_name_plural = _("Punkte von Checklisten-Vorlagen")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="onboarding_template_item_position"
            ),
            models.CheckConstraint(
                condition=ITEM_REFERENCE_RULES[0], name="onboarding_template_item_article"
            ),
            models.CheckConstraint(
                condition=ITEM_REFERENCE_RULES[1], name="onboarding_template_item_person"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="onboarding_template_item_title"),
        ]

    def __str__(self) -> str:
        return self.title


class OnboardingPlanQuerySet(models.QuerySet["OnboardingPlan"]):
    def in_network(self, network: Network) -> OnboardingPlanQuerySet:
        return self.filter(network=network)

    def active(self) -> OnboardingPlanQuerySet:
        return self.filter(status=OnboardingPlan.Status.ACTIVE)

    def visible_to(self, user: Any, network: Network) -> OnboardingPlanQuerySet:
        """Plans of ``network`` whose progress ``user`` may see.

        1. Nobody outside the network sees anything.
        2. The coordination sees every plan of the network.
        3. The newcomer and the mentor see their plan.
        4. The topic owners of the plan's cluster see it.
        """
        if not getattr(user, "is_authenticated", False) or not is_network_member(user, network):
            return self.none()
        plans = self.in_network(network)
        if is_coordinator(user, network):
            return plans
        owned = ClusterMembership.objects.filter(
            user=user, role=ClusterMembership.Role.OWNER, cluster__network=network
        ).values("cluster_id")
        return plans.filter(Q(newcomer=user) | Q(mentor=user) | Q(cluster_id__in=owned))


class OnboardingPlan(TimeStampedModel):
    """The onboarding of one newcomer into one topic cluster, with a mentor from the cluster."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("läuft")
        COMPLETED = "completed", _("abgeschlossen")
        CANCELLED = "cancelled", _("abgebrochen")

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    cluster = models.ForeignKey(
        "experts.TopicCluster",
        on_delete=models.PROTECT,
        related_name="onboarding_plans",
        verbose_name=_("Themencluster"),
    )
    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="onboarding_plans",
        verbose_name=_("neue Person"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentored_plans",
        verbose_name=_("Mentor/in"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_on = models.DateField(_("begonnen am"))
    due_on = models.DateField(_("abschließen bis"), null=True, blank=True)
    completed_on = models.DateField(_("abgeschlossen am"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    objects: ClassVar[OnboardingPlanQuerySet] = OnboardingPlanQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("Einarbeitungsplan")
        verbose_name_plural = _("Einarbeitungspläne")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "newcomer"],
                condition=Q(status="active"),
                name="onboarding_one_active_plan_per_cluster",
            ),
            models.CheckConstraint(
                condition=~Q(newcomer=models.F("mentor")), name="onboarding_mentor_not_newcomer"
            ),
            models.CheckConstraint(
                condition=Q(status="completed", completed_on__isnull=False)
                | (~Q(status="completed") & Q(completed_on__isnull=True)),
                name="onboarding_completed_on_iff_completed",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("started_on")),
                name="onboarding_due_after_start",
            ),
        ]
        indexes = [models.Index(fields=["network", "status", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.newcomer} – {self.cluster}"


class PlanItem(ChecklistItemFields):
    """One step of a running plan (copied from the template or added by an owner)."""

    plan = models.ForeignKey(OnboardingPlan, on_delete=models.CASCADE, related_name="items")
    request = models.ForeignKey(
        "board.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Anfrage"),
    )
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("erledigt von"),
    )
    note = models.TextField(_("Notiz"), blank=True, max_length=2000)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("Punkt eines Einarbeitungsplans")
        verbose_name_plural = _("Punkte von Einarbeitungsplänen")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="onboarding_plan_item_position"
            ),
            models.CheckConstraint(
                condition=ITEM_REFERENCE_RULES[0], name="onboarding_plan_item_article"
            ),
            models.CheckConstraint(
                condition=ITEM_REFERENCE_RULES[1], name="onboarding_plan_item_person"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="onboarding_plan_item_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
