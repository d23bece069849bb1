"""Steering-group decisions: proposals (Entscheidungsvorlagen), votes, comments, the register.

A proposal is a draft (editable, every save is a revision), then open for voting (text frozen,
deadline set, quorum and majority rule copied from the network's settings), then decided or
withdrawn. A decided or withdrawn proposal never changes again – the services refuse it and
database triggers (migration 0002) refuse it too; a correction is a new proposal that
``supersedes`` the old one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel
from amtshilfe.tenancy.access import is_coordinator, is_network_member, network_roles
from amtshilfe.tenancy.models import Network, NetworkRole

if TYPE_CHECKING:
    from amtshilfe.accounts.models import User


class QuorumKind(models.TextChoices):
    SHARE = "share", _("Anteil der Mitglieder (Prozent)")
    COUNT = "count", _("Mindestzahl abgegebener Stimmen")


class MajorityRule(models.TextChoices):
    SIMPLE = "simple", _("Einfache Mehrheit der abgegebenen Stimmen")
    ABSOLUTE = "absolute", _("Absolute Mehrheit der Mitglieder")
    TWO_THIRDS = "two_thirds", _("Zwei-Drittel-Mehrheit der abgegebenen Stimmen")


class DecisionSettings(TimeStampedModel):
    """How the steering group of a network decides: quorum, majority rule, reminder time.

    Copied onto each proposal when voting opens, so a later change never alters a running
    or finished vote.
    """

    network = models.OneToOneField(
        Network, on_delete=models.PROTECT, related_name="decision_settings"
    )
    quorum_kind = models.CharField(
        _("Art des Quorums"), max_length=10, choices=QuorumKind.choices, default=QuorumKind.SHARE
    )
    quorum_value = models.PositiveSmallIntegerField(
        _("Quorum"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Prozent der Mitglieder der Steuerungsgruppe oder Mindestzahl der Stimmen."),
    )
    majority_rule = models.CharField(
        _("Mehrheitsregel"),
        max_length=12,
        choices=MajorityRule.choices,
        default=MajorityRule.SIMPLE,
    )
    voting_days = models.PositiveSmallIntegerField(
        _("Übliche Abstimmungsfrist (Tage)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("Erinnerung vor Fristende (Stunden)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )

    class Meta:
        ordering = ["network"]
        verbose_name = _("Regeln für Entscheidungen")
        verbose_name_plural = _("Regeln für Entscheidungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_kind="count") | Q(quorum_value__lte=100),
                name="decision_settings_share_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.get_majority_rule_display()}"


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def in_network(self, network: Network) -> ProposalQuerySet:
        return self.filter(network=network)

    def visible_to(self, user: Any, network: Network) -> ProposalQuerySet:
        """Proposals of ``network`` that ``user`` may open.

        Coordination and audit see everything; the steering group everything but drafts;
        other members only decided proposals (the register); nobody outside the network
        anything.
        """
        if not is_network_member(user, network):
            return self.none()
        mine = self.filter(network=network)
        roles = network_roles(user, network)
        if roles & {NetworkRole.Role.COORDINATOR, NetworkRole.Role.AUDITOR}:
            return mine
        if NetworkRole.Role.STEERING in roles:
            return mine.exclude(status=Proposal.Status.DRAFT)
        return mine.decided()

    def decided(self) -> ProposalQuerySet:
        return self.filter(status=Proposal.Status.DECIDED)

    def open_for_voting(self) -> ProposalQuerySet:
        return self.filter(status=Proposal.Status.OPEN)

    def public(self) -> ProposalQuerySet:
        return self.decided().filter(result_visibility=Proposal.Visibility.PUBLIC)


class Proposal(TimeStampedModel):
    """An Entscheidungsvorlage of the coordination for the steering group, and its result."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        OPEN = "open", _("in Abstimmung")
        DECIDED = "decided", _("entschieden")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("angenommen")
        REJECTED = "rejected", _("abgelehnt")
        DEFERRED = "deferred", _("vertagt")
        NO_QUORUM = "no_quorum", _("nicht beschlussfähig")

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("nur Mitglieder des Netzwerks")
        PUBLIC = "public", _("öffentlich")

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="proposals")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    sequence = models.PositiveIntegerField(_("laufende Nummer"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verfasst von"),
    )
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("ersetzt Vorlage"),
    )
    subject = models.CharField(_("Gegenstand"), max_length=200)
    background = models.TextField(_("Sachverhalt"), blank=True)
    options = models.JSONField(_("Optionen"), default=list)
    recommendation = models.TextField(_("Empfehlung"))
    costs_amount = models.DecimalField(
        _("Kosten (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    costs_text = models.TextField(_("Erläuterung der Kosten"), blank=True)
    result_visibility = models.CharField(
        _("Ergebnis sichtbar für"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("Version"), default=1)
    # Set when voting opens: the deadline and the rules in force (copied from the settings).
    opened_at = models.DateTimeField(_("Abstimmung eröffnet am"), null=True, blank=True)
    deadline = models.DateTimeField(_("Frist"), null=True, blank=True)
    quorum_kind = models.CharField(max_length=10, choices=QuorumKind.choices, blank=True)
    quorum_value = models.PositiveSmallIntegerField(null=True, blank=True)
    majority_rule = models.CharField(max_length=12, choices=MajorityRule.choices, blank=True)
    eligible_count = models.PositiveSmallIntegerField(
        _("stimmberechtigte Mitglieder"), null=True, blank=True
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Set when decided: the result and the counts it rests on.
    outcome = models.CharField(_("Ergebnis"), max_length=10, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    accept_count = models.PositiveSmallIntegerField(null=True, blank=True)
    reject_count = models.PositiveSmallIntegerField(null=True, blank=True)
    defer_count = models.PositiveSmallIntegerField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("Grund für das Zurückziehen"), blank=True)

    objects: ClassVar[ProposalQuerySet] = ProposalQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("Entscheidungsvorlage")
        verbose_name_plural = _("Entscheidungsvorlagen")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year", "sequence"], name="proposal_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(costs_amount__isnull=True) | Q(costs_amount__gte=Decimal("0")),
                name="proposal_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="withdrawn") | Q(deadline__isnull=False),
                name="proposal_open_has_deadline",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="decided", decided_at__isnull=False) & ~Q(outcome="")
                    | (~Q(status="decided") & Q(outcome=""))
                ),
                name="proposal_outcome_iff_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def number(self) -> str:
        """The register number, e.g. "2026/07"."""
        return f"{self.year}/{self.sequence:02d}"

    @property
    def is_frozen(self) -> bool:
        """The text can no longer change (voting opened, decided or withdrawn)."""
        return self.status != self.Status.DRAFT

    @property
    def is_final(self) -> bool:
        return self.status in {self.Status.DECIDED, self.Status.WITHDRAWN}

    def can_be_edited_by(self, user: User) -> bool:
        return self.status == self.Status.DRAFT and is_coordinator(user, self.network)


class ProposalRevision(models.Model):
    """A saved state of a draft (append-only): what was written, by whom, when."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("Version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("gespeichert am"), auto_now_add=True)
    content = models.JSONField(_("Inhalt"))

    class Meta:
        ordering = ["proposal", "-number"]
        verbose_name = _("Version einer Vorlage")
        verbose_name_plural = _("Versionen von Vorlagen")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="proposal_revision_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal.number} v{self.number}"


def proposal_attachment_path(instance: ProposalAttachment, filename: str) -> str:
    proposal = instance.proposal
    return f"decisions/{proposal.network_id}/{proposal.pk}/{instance.stored_name}"


class ProposalAttachment(TimeStampedModel):
    """A file belonging to a proposal (added and removed only while it is a draft)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=proposal_attachment_path, max_length=300)
    stored_name = models.CharField(max_length=80)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Anhang einer Vorlage")
        verbose_name_plural = _("Anhänge von Vorlagen")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Vote(TimeStampedModel):
    """One steering-group member's vote on one proposal; changeable until the deadline."""

    class Choice(models.TextChoices):
        ACCEPT = "accept", _("Zustimmung")
        REJECT = "reject", _("Ablehnung")
        DEFER = "defer", _("Vertagung")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("Stimme"), max_length=10, choices=Choice.choices)
    reason = models.TextField(_("Begründung"), blank=True)

    class Meta:
        ordering = ["proposal", "created_at"]
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="vote_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal.number}: {self.get_choice_display()}"


class ProposalComment(models.Model):
    """A comment (Markdown) of a steering-group member or the coordination on a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("Kommentar"))
    created_at = models.DateTimeField(_("geschrieben am"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "created_at", "id"]
        verbose_name = _("Kommentar zu einer Vorlage")
        verbose_name_plural = _("Kommentare zu Vorlagen")

    def __str__(self) -> str:
        return f"{self.proposal.number}: {self.body[:40]}"


class DecisionReasons(models.Model):
    """The reasons of a decision, written once by the coordination after the vote.

    A row of its own (insert-only, migration 0002), because the decided proposal itself
    must never change again.
    """

    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="decision_reasons"
    )
    text = models.TextField(_("Begründung"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("festgehalten am"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Begründung einer Entscheidung")
        verbose_name_plural = _("Begründungen von Entscheidungen")

    def __str__(self) -> str:
        return f"{self.proposal.number}: {self.text[:40]}"
