"""Compensation between municipalities: schemes, settlement periods, frozen statements.

- ``CompensationScheme``: how a network settles (Stundensatz, Zeitkonto, Umlage,
  Kombination), effective from the first day of a period on; a change is a new row.
- ``SettlementPeriod``: a month, quarter or year of a network; preview (computed on the
  fly, stored only when review starts) → in review (statements stored, objections) →
  closed (statements frozen with a SHA-256 content hash, transfers listed). A closed
  period never changes: the services refuse it, database triggers refuse it too
  (migration 0002), and its dates become a ``timeaccounting.ClosedRange``.
- ``Statement`` per municipality, ``Transfer`` between municipalities, ``Objection``.

Money is always integer euro cents; minutes are integers (ADR 0012).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel
from amtshilfe.tenancy.access import current_memberships, network_roles
from amtshilfe.tenancy.models import Membership, Municipality, Network, NetworkRole

if TYPE_CHECKING:
    pass

READER_ROLES = {NetworkRole.Role.COORDINATOR, NetworkRole.Role.STEERING, NetworkRole.Role.AUDITOR}


class SchemeKind(models.TextChoices):
    HOURLY = "stundensatz", _("Stundensatz")
    ACCOUNT = "zeitkonto", _("Zeitkonto")
    LEVY = "umlage", _("Umlage")
    COMBINED = "kombination", _("Kombination")


class LevyKey(models.TextChoices):
    POPULATION = "population", _("nach Einwohnerzahl")
    EQUAL = "equal", _("zu gleichen Teilen")
    MIX = "mix", _("Mischung aus Einwohnerzahl und gleichen Teilen")


class ClearingMode(models.TextChoices):
    CLEARING = "clearing", _("über ein Verrechnungskonto")
    DIRECT = "direct", _("direkte Überweisungen zwischen den Kommunen")


class CompensationSchemeQuerySet(models.QuerySet["CompensationScheme"]):
    def in_network(self, network: Network) -> CompensationSchemeQuerySet:
        return self.filter(network=network)

    def effective_on(self, network: Network, day: object) -> CompensationScheme | None:
        """The scheme in force on ``day``: the latest one that started on or before it."""
        return self.filter(network=network, valid_from__lte=day).order_by("-valid_from").first()


class CompensationScheme(TimeStampedModel):
    """How a network settles its work, from ``valid_from`` (a period start) on.

    Rates are in cents per hour per activity (``rates`` = {activity: cents}); a pay-group
    dimension is deliberately absent (ADR 0012: it would need a personal attribute).
    """

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="compensation_schemes"
    )
    valid_from = models.DateField(_("gilt ab"))
    kind = models.CharField(
        _("Modell"), max_length=12, choices=SchemeKind.choices, default=SchemeKind.COMBINED
    )
    rates = models.JSONField(_("Stundensätze je Tätigkeit (Cent)"), default=dict, blank=True)
    free_quota_minutes = models.PositiveIntegerField(
        _("Freikontingent je Kommune und Monat (Minuten)"), default=0
    )
    levy_key = models.CharField(
        _("Umlageschlüssel"), max_length=12, choices=LevyKey.choices, default=LevyKey.MIX
    )
    population_percent = models.PositiveSmallIntegerField(
        _("Anteil nach Einwohnerzahl (Prozent)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    common_rate_cents = models.PositiveIntegerField(
        _("Bewertung gemeinsamer Arbeit (Cent je Stunde)"), default=0
    )
    annual_budget_cents = models.PositiveBigIntegerField(
        _("Jahresbudget (Cent)"), null=True, blank=True
    )
    account_limit_minutes = models.PositiveIntegerField(
        _("Grenze des Zeitkontos (Minuten)"), default=0
    )
    clearing_mode = models.CharField(
        _("Zahlungsweg"), max_length=10, choices=ClearingMode.choices, default=ClearingMode.DIRECT
    )
    clearing_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Verrechnungskonto bei"),
    )
    objection_days = models.PositiveSmallIntegerField(
        _("Einspruchsfrist (Tage)"), default=14, validators=[MaxValueValidator(90)]
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[CompensationSchemeQuerySet] = CompensationSchemeQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["network", "-valid_from"]
        verbose_name = _("Vergütungsmodell")
        verbose_name_plural = _("Vergütungsmodelle")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "valid_from"], name="settlement_scheme_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(population_percent__lte=100), name="settlement_scheme_percent"
            ),
            models.CheckConstraint(
                condition=~Q(clearing_mode="clearing") | Q(clearing_municipality__isnull=False),
                name="settlement_scheme_clearing_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ab {self.valid_from:%d.%m.%Y}"

    def rate_for(self, activity: str) -> int:
        return int(self.rates.get(activity, 0) or 0)


class SettlementPeriodQuerySet(models.QuerySet["SettlementPeriod"]):
    def in_network(self, network: Network) -> SettlementPeriodQuerySet:
        return self.filter(network=network)

    def visible_to(self, user: Any, network: Network) -> SettlementPeriodQuerySet:
        """Stored periods of ``network`` for whoever may read any statement of it."""
        if can_read_settlement(user, network):
            return self.filter(network=network)
        return self.none()

    def closed(self) -> SettlementPeriodQuerySet:
        return self.filter(status=SettlementPeriod.Status.CLOSED)


def statement_municipality_ids(user: Any, network: Network) -> set[int] | None:
    """Municipalities whose statements ``user`` may read; ``None`` = all of the network.

    Coordination, steering group and audit read every statement; IT specialists read the
    statements of the municipalities they currently work for; everybody else none.
    """
    if network_roles(user, network) & READER_ROLES:
        return None
    return {
        m.municipality_id
        for m in current_memberships(user, network)
        if m.role == Membership.Role.IT
    }


def can_read_settlement(user: Any, network: Network) -> bool:
    ids = statement_municipality_ids(user, network)
    return ids is None or bool(ids)


class SettlementPeriod(TimeStampedModel):
    """One month, quarter or year of a network, and where its settlement stands."""

    class Kind(models.TextChoices):
        MONTH = "month", _("Monat")
        QUARTER = "quarter", _("Quartal")
        YEAR = "year", _("Jahr")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Vorschau")
        IN_REVIEW = "in_review", _("in Prüfung")
        CLOSED = "closed", _("abgeschlossen")

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="settlement_periods"
    )
    kind = models.CharField(_("Art"), max_length=8, choices=Kind.choices)
    label = models.CharField(_("Zeitraum"), max_length=10)
    starts_on = models.DateField(_("von"))
    ends_on = models.DateField(_("bis"))
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    scheme = models.ForeignKey(
        CompensationScheme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="periods",
        verbose_name=_("Vergütungsmodell"),
    )
    review_started_at = models.DateTimeField(_("Prüfung begonnen am"), null=True, blank=True)
    review_until = models.DateTimeField(_("Einspruchsfrist bis"), null=True, blank=True)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("abgeschlossen von"),
    )
    content_hash = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64, blank=True)

    objects: ClassVar[SettlementPeriodQuerySet] = SettlementPeriodQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["network", "-starts_on", "kind"]
        verbose_name = _("Abrechnungszeitraum")
        verbose_name_plural = _("Abrechnungszeiträume")
        constraints = [
            models.UniqueConstraint(fields=["network", "label"], name="settlement_period_label"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="settlement_period_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(content_hash="")),
                name="settlement_period_closed_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class StatementQuerySet(models.QuerySet["Statement"]):
    def visible_to(self, user: Any, network: Network) -> StatementQuerySet:
        """Statements of ``network`` that ``user`` may read (see ``statement_municipality_ids``)."""
        ids = statement_municipality_ids(user, network)
        mine = self.filter(period__network=network)
        return mine if ids is None else mine.filter(municipality_id__in=ids)


class Statement(TimeStampedModel):
    """The stored statement of one municipality for a period (frozen once it is closed).

    ``body`` holds everything shown (hours per cluster and per request, amounts); the
    columns repeat the figures that lists and sums need. No person appears in it.
    """

    period = models.ForeignKey(
        SettlementPeriod, on_delete=models.PROTECT, related_name="statements"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="settlement_statements"
    )
    minutes_given = models.BigIntegerField(_("geleistete Minuten"), default=0)
    minutes_received = models.BigIntegerField(_("empfangene Minuten"), default=0)
    net_minutes = models.BigIntegerField(_("Saldo Minuten"), default=0)
    account_minutes = models.BigIntegerField(_("Zeitkonto Minuten"), default=0)
    over_limit = models.BooleanField(_("über der Grenze"), default=False)
    earned_cents = models.BigIntegerField(_("Vergütung erhalten (Cent)"), default=0)
    owed_cents = models.BigIntegerField(_("Vergütung zu zahlen (Cent)"), default=0)
    contribution_cents = models.BigIntegerField(_("Umlagebeitrag (Cent)"), default=0)
    balance_cents = models.BigIntegerField(_("Saldo (Cent)"), default=0)
    body = models.JSONField(_("Inhalt"), default=dict)
    content_hash = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64)

    objects: ClassVar[StatementQuerySet] = StatementQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["period", "municipality__name"]
        verbose_name = _("Abrechnung einer Kommune")
        verbose_name_plural = _("Abrechnungen der Kommunen")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "municipality"], name="settlement_statement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.municipality}"


class Transfer(TimeStampedModel):
    """A payment that settles a closed period: ``payer`` pays ``payee`` ``amount_cents``."""

    period = models.ForeignKey(SettlementPeriod, on_delete=models.PROTECT, related_name="transfers")
    position = models.PositiveIntegerField()
    payer = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    amount_cents = models.BigIntegerField(_("Betrag (Cent)"))

    class Meta:
        ordering = ["period", "position"]
        verbose_name = _("Überweisung")
        verbose_name_plural = _("Überweisungen")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "position"], name="settlement_transfer_position"
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="settlement_transfer_positive"
            ),
            models.CheckConstraint(
                condition=~Q(payer=models.F("payee")), name="settlement_transfer_two_sides"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payer} → {self.payee}: {self.amount_cents} ct"


class Objection(TimeStampedModel):
    """A municipality's objection to its statement while the period is in review."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        ACCEPTED = "accepted", _("berücksichtigt")
        REJECTED = "rejected", _("zurückgewiesen")

    period = models.ForeignKey(
        SettlementPeriod, on_delete=models.PROTECT, related_name="objections"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("Einspruch"))
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("Entscheidung"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)

    class Meta:
        ordering = ["period", "created_at", "id"]
        verbose_name = _("Einspruch")
        verbose_name_plural = _("Einsprüche")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="settlement_objection_resolved_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.municipality}"
