"""Time entries: who gave how many minutes of work, from which municipality to which.

A ``TimeEntry`` is booked by a person on a request (the receiving municipality is the
request's) or on common network work (``receiving_municipality`` is null = "das Netzwerk").
The providing municipality is the person's employer on that date.

A ``ClosedRange`` is written by the settlement app when it closes a period: entries whose
date falls into a closed range of their network can no longer be added, changed or
deleted – the services refuse it, and database triggers (migration 0002) refuse it too.
A correction is a new entry in an open period that references the original (``reverses``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Sum, When
from django.utils.translation import gettext_lazy as _

from amtshilfe.core.models import TimeStampedModel

MAX_MINUTES_PER_ENTRY = 24 * 60


class Activity(models.TextChoices):
    """What the time was spent on (rates of the compensation models are per activity)."""

    SUPPORT = "support", _("Anfragebearbeitung")
    ARTICLE = "article", _("Wissensartikel")
    ONBOARDING = "onboarding", _("Einarbeitung")
    MEETING = "meeting", _("Austauschtreffen / Besprechung")
    TRAINING = "training", _("Schulung")
    COORDINATION = "coordination", _("Koordination")


class TimeEntryQuerySet(models.QuerySet["TimeEntry"]):
    def in_network(self, network_id: int) -> TimeEntryQuerySet:
        return self.filter(network_id=network_id)

    def between(self, start: object, end: object) -> TimeEntryQuerySet:
        """Entries dated ``start`` ≤ date ≤ ``end`` (inclusive)."""
        return self.filter(date__gte=start, date__lte=end)

    def of_person(self, user: Any) -> TimeEntryQuerySet:
        """A person's own entries – the only per-person read there is (staff council)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(person_id=user.pk)

    def in_month(self, month: dt.date) -> TimeEntryQuerySet:
        first = month.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return self.filter(date__gte=first, date__lt=following)

    def signed_minutes(self) -> int:
        """Sum of minutes, reversals counted negatively."""
        total = self.aggregate(
            total=Sum(
                Case(
                    When(is_reversal=True, then=-F("minutes")),
                    default=F("minutes"),
                    output_field=models.IntegerField(),
                )
            )
        )["total"]
        return int(total or 0)


class TimeEntry(TimeStampedModel):
    class Source(models.TextChoices):
        MANUAL = "manual", _("von Hand")
        TIMER = "timer", _("Stoppuhr")
        IMPORT = "import", _("CSV-Import")
        REVERSAL = "reversal", _("Korrektur")

    network = models.ForeignKey(
        "tenancy.Network",
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("Netzwerk"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("Person"),
    )
    providing_municipality = models.ForeignKey(
        "tenancy.Municipality",
        on_delete=models.PROTECT,
        related_name="time_given",
        verbose_name=_("leistende Kommune"),
    )
    # Null = common work for the whole network ("netzwerk").
    receiving_municipality = models.ForeignKey(
        "tenancy.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_received",
        verbose_name=_("empfangende Kommune"),
    )
    request = models.ForeignKey(
        "board.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("Anfrage"),
    )
    # The topic cluster the work belongs to (the request's cluster when booked on a request).
    cluster = models.ForeignKey(
        "experts.TopicCluster",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("Themencluster"),
    )
    date = models.DateField(_("Datum"))
    minutes = models.PositiveIntegerField(_("Minuten"))
    activity = models.CharField(
        _("Tätigkeit"), max_length=20, choices=Activity.choices, default=Activity.SUPPORT
    )
    note = models.CharField(_("Notiz"), max_length=500, blank=True)
    source = models.CharField(
        _("Herkunft"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    # A correction of an entry in a closed period: the same minutes negated are not
    # possible (minutes are positive), so a reversal carries ``is_reversal`` and counts
    # negatively in every sum.
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name=_("korrigiert Eintrag"),
    )
    is_reversal = models.BooleanField(_("Storno"), default=False)
    # Idempotent CSV import: a hash of the normalised line; '' for entries not imported.
    import_key = models.CharField(max_length=64, blank=True, default="")

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zeiteintrag")
        verbose_name_plural = _("Zeiteinträge")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["network", "date"], name="time_network_date"),
            models.Index(
                fields=["network", "providing_municipality", "date"], name="time_network_giver"
            ),
            models.Index(
                fields=["network", "receiving_municipality", "date"], name="time_network_taker"
            ),
            models.Index(fields=["person", "date"], name="time_person_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=MAX_MINUTES_PER_ENTRY),
                name="time_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(is_reversal=False) | Q(reverses__isnull=False),
                name="time_reversal_references_original",
            ),
            models.UniqueConstraint(
                fields=["network", "import_key"],
                condition=~Q(import_key=""),
                name="time_unique_import_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.minutes} min"

    @property
    def signed_minutes(self) -> int:
        return -self.minutes if self.is_reversal else self.minutes


class ClosedRangeQuerySet(models.QuerySet["ClosedRange"]):
    def covering(self, network_id: int, day: object) -> ClosedRangeQuerySet:
        return self.filter(network_id=network_id, starts_on__lte=day, ends_on__gte=day)


class ClosedRange(models.Model):
    """Dates of a network whose time entries are frozen (a closed settlement period).

    Written only by the settlement app's close service, in the same transaction as the
    period's closing; never changed or deleted (triggers in migration 0002).
    """

    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.PROTECT, related_name="closed_time_ranges"
    )
    starts_on = models.DateField(_("von"))
    ends_on = models.DateField(_("bis"))
    label = models.CharField(_("Zeitraum"), max_length=40)
    closed_at = models.DateTimeField(_("abgeschlossen am"), auto_now_add=True)

    objects = ClosedRangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("abgeschlossener Zeitraum")
        verbose_name_plural = _("abgeschlossene Zeiträume")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closed_range_order"
            ),
            models.UniqueConstraint(
                fields=["network", "starts_on"], name="closed_range_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class RunningTimer(TimeStampedModel):
    """A person's running stopwatch ("Stoppuhr"); stopping it books a ``TimeEntry``.

    One per person (not per request): nobody works on two things at once, and a second
    timer started by mistake would double the booked time.
    """

    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.CASCADE, related_name="running_timers"
    )
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="running_timer",
        verbose_name=_("Person"),
    )
    request = models.ForeignKey(
        "board.ServiceRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="running_timers",
        verbose_name=_("Anfrage"),
    )
    # Chosen at the start when the person works for several municipalities.
    providing_municipality = models.ForeignKey(
        "tenancy.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leistende Kommune"),
    )
    activity = models.CharField(
        _("Tätigkeit"), max_length=20, choices=Activity.choices, default=Activity.SUPPORT
    )
    note = models.CharField(_("Notiz"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("gestartet um"))

    class Meta:
        verbose_name = _("laufende Stoppuhr")
        verbose_name_plural = _("laufende Stoppuhren")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.person_id} seit {self.started_at:%H:%M}"
