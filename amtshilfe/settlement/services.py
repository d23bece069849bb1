"""Writes of settlement: the scheme, review, objections, closing (CONVENTIONS #2).

Lifecycle of a period (ADR 0012): preview (computed by ``preview_settlement``, nothing
stored) → ``start_review`` (statements stored, municipalities notified, objection
deadline) → ``close_settlement_period`` (statements recomputed and frozen with a content
hash, transfers stored, ``ClosedRange`` inserted – all in one transaction on the locked
period row, so two simultaneous closes yield one closed period).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event
from amtshilfe.notifications.services import notify
from amtshilfe.settlement import engine
from amtshilfe.settlement.models import (
    ClearingMode,
    CompensationScheme,
    LevyKey,
    Objection,
    SchemeKind,
    SettlementPeriod,
    Statement,
    Transfer,
)
from amtshilfe.settlement.periods import PeriodSpec, parse_period
from amtshilfe.tenancy.access import current_memberships, is_coordinator
from amtshilfe.tenancy.models import Membership, Municipality, Network
from amtshilfe.timeaccounting.models import Activity, ClosedRange

MAX_RATE_CENTS = 100_000  # 1,000 € per hour is certainly a typo
MAX_COMMENT = 5_000


def _require_coordinator(actor: User | None, network: Network) -> None:
    if actor is not None and not is_coordinator(actor, network):
        raise PermissionDenied


# --- scheme ------------------------------------------------------------------------------


def save_compensation_scheme(
    *,
    actor: User | None,
    network: Network,
    valid_from: str | dt.date,
    kind: str,
    rates: dict[str, int],
    free_quota_minutes: int = 0,
    levy_key: str = LevyKey.MIX,
    population_percent: int = 50,
    common_rate_cents: int = 0,
    annual_budget_cents: int | None = None,
    account_limit_minutes: int = 0,
    clearing_mode: str = ClearingMode.DIRECT,
    clearing_municipality: Municipality | None = None,
    objection_days: int = 14,
) -> CompensationScheme:
    """Set the scheme in force from a period start on (a new row, or the same start edited).

    ``valid_from`` is a period label (``2026-10``) or the first day of a month. A scheme
    cannot start inside a closed or reviewed period – that would change its money.
    """
    _require_coordinator(actor, network)
    if isinstance(valid_from, str):
        valid_from = parse_period(valid_from).starts_on
    errors: dict[str, str] = {}
    if valid_from.day != 1:
        errors["valid_from"] = _("Ein Modell gilt immer ab dem Ersten eines Monats.")
    if kind not in SchemeKind.values:
        errors["kind"] = _("Bitte wählen Sie ein Vergütungsmodell.")
    if levy_key not in LevyKey.values:
        errors["levy_key"] = _("Bitte wählen Sie einen Umlageschlüssel.")
    if not 0 <= population_percent <= 100:
        errors["population_percent"] = _("Der Anteil liegt zwischen 0 und 100 Prozent.")
    clean_rates: dict[str, int] = {}
    for activity, cents in rates.items():
        if activity not in Activity.values:
            errors["rates"] = _("Unbekannte Tätigkeit: %(activity)s") % {"activity": activity}
        elif not 0 <= int(cents) <= MAX_RATE_CENTS:
            errors["rates"] = _("Stundensätze liegen zwischen 0 und 1.000 Euro.")
        else:
            clean_rates[activity] = int(cents)
    if not 0 <= common_rate_cents <= MAX_RATE_CENTS:
        errors["common_rate_cents"] = _("Der Stundensatz liegt zwischen 0 und 1.000 Euro.")
    if clearing_mode not in ClearingMode.values:
        errors["clearing_mode"] = _("Bitte wählen Sie den Zahlungsweg.")
    if clearing_municipality is not None and clearing_municipality.network_id != network.pk:
        errors["clearing_municipality"] = _("Diese Kommune gehört nicht zum Netzwerk.")
    if clearing_mode == ClearingMode.CLEARING and clearing_municipality is None:
        errors["clearing_municipality"] = _(
            "Für ein Verrechnungskonto wählen Sie die Kommune, die es führt."
        )
    if annual_budget_cents and clearing_municipality is None:
        errors["clearing_municipality"] = _(
            "Ein Budget braucht eine Kommune, die es verwaltet (Verrechnungskonto)."
        )
    if not 0 <= objection_days <= 90:
        errors["objection_days"] = _("Die Einspruchsfrist liegt zwischen 0 und 90 Tagen.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fixed = (
            SettlementPeriod.objects.select_for_update()
            .filter(network=network, ends_on__gte=valid_from)
            .exclude(status=SettlementPeriod.Status.PREVIEW)
        )
        if fixed.exists():
            raise ValidationError(
                {
                    "valid_from": _(
                        "Ab diesem Datum ist bereits ein Zeitraum in Prüfung oder "
                        "abgeschlossen. Wählen Sie einen späteren Beginn."
                    )
                }
            )
        values: dict[str, Any] = {
            "kind": kind,
            "rates": clean_rates,
            "free_quota_minutes": free_quota_minutes,
            "levy_key": levy_key,
            "population_percent": population_percent,
            "common_rate_cents": common_rate_cents,
            "annual_budget_cents": annual_budget_cents or None,
            "account_limit_minutes": account_limit_minutes,
            "clearing_mode": clearing_mode,
            "clearing_municipality": clearing_municipality,
            "objection_days": objection_days,
            "changed_by": actor,
        }
        scheme, created = CompensationScheme.objects.select_for_update().update_or_create(
            network=network, valid_from=valid_from, defaults=values
        )
        record_event(
            action="settlement.scheme_saved",
            actor=actor,
            network=network,
            obj=scheme,
            after=engine.scheme_summary(scheme) | {"created": created},
        )
    return scheme


# --- reading (no writes) -----------------------------------------------------------------


def scheme_for(network: Network, spec: PeriodSpec) -> CompensationScheme | None:
    return CompensationScheme.objects.effective_on(network, spec.starts_on)


def preview_settlement(*, network: Network, label: str) -> engine.Settlement:
    """The settlement as it would be now (computed; nothing is stored)."""
    spec = parse_period(label)
    return engine.settle(network=network, spec=spec, scheme=scheme_for(network, spec))


# --- review ------------------------------------------------------------------------------


def _check_no_overlap(network: Network, spec: PeriodSpec) -> None:
    overlapping = (
        SettlementPeriod.objects.in_network(network)
        .filter(starts_on__lte=spec.ends_on, ends_on__gte=spec.starts_on)
        .exclude(label=spec.label)
        .exclude(status=SettlementPeriod.Status.PREVIEW)
    )
    if overlapping.exists():
        raise ValidationError(
            _(
                "Der Zeitraum überschneidet sich mit %(other)s, der bereits geprüft oder "
                "abgeschlossen wird. Jeder Tag wird nur einmal abgerechnet."
            )
            % {"other": overlapping.first()}
        )


def _store_statements(period: SettlementPeriod, result: engine.Settlement) -> None:
    Statement.objects.filter(period=period).delete()
    Statement.objects.bulk_create(
        [
            Statement(
                period=period,
                municipality_id=data.municipality_id,
                minutes_given=data.minutes_given,
                minutes_received=data.minutes_received,
                net_minutes=data.net_minutes,
                account_minutes=data.account_minutes,
                over_limit=data.over_limit,
                earned_cents=data.earned_cents,
                owed_cents=data.owed_cents,
                contribution_cents=data.contribution_cents,
                balance_cents=data.balance_cents,
                body=data.body,
                content_hash=data.content_hash,
            )
            for data in result.statements
        ],
        batch_size=500,
    )


def _lock_period(network: Network, spec: PeriodSpec) -> SettlementPeriod:
    """The period row, created as a preview if missing, locked for this transaction."""
    SettlementPeriod.objects.get_or_create(
        network=network,
        label=spec.label,
        defaults={"kind": spec.kind, "starts_on": spec.starts_on, "ends_on": spec.ends_on},
    )
    return SettlementPeriod.objects.select_for_update().get(network=network, label=spec.label)


def start_review(
    *, actor: User | None, network: Network, label: str, now: dt.datetime | None = None
) -> SettlementPeriod:
    """Store the statements, open the objection window and tell the municipalities.

    Also used again while in review (after a correction) to recompute the statements;
    the deadline then stays as it was.
    """
    _require_coordinator(actor, network)
    now = now or timezone.now()
    spec = parse_period(label)
    if spec.ends_on >= timezone.localdate(now):
        raise ValidationError(_("Ein Zeitraum kann erst nach seinem letzten Tag geprüft werden."))
    with transaction.atomic():
        period = _lock_period(network, spec)
        if period.is_closed:
            raise ValidationError(_("Der Zeitraum ist abgeschlossen und ändert sich nicht mehr."))
        _check_no_overlap(network, spec)
        scheme = scheme_for(network, spec)
        result = engine.settle(network=network, spec=spec, scheme=scheme)
        _store_statements(period, result)
        first_time = period.status == SettlementPeriod.Status.PREVIEW
        period.scheme = scheme
        if first_time:
            days = scheme.objection_days if scheme is not None else 14
            period.status = SettlementPeriod.Status.IN_REVIEW
            period.review_started_at = now
            period.review_until = now + dt.timedelta(days=days)
        period.save()
        record_event(
            action="settlement.review_started" if first_time else "settlement.recomputed",
            actor=actor,
            network=network,
            obj=period,
            after={"statements": len(result.statements), "review_until": period.review_until},
        )
        if first_time:
            ids = [data.municipality_id for data in result.statements]
            transaction.on_commit(lambda: _announce_review(period, ids))
    return period


def _announce_review(period: SettlementPeriod, municipality_ids: list[int]) -> None:
    recipients = list(
        User.objects.filter(
            memberships__municipality_id__in=municipality_ids,
            memberships__role=Membership.Role.IT,
            memberships__ended_on__isnull=True,
            is_active=True,
        ).distinct()
    )
    if not recipients:
        return
    until = timezone.localtime(period.review_until) if period.review_until else None
    notify(
        recipients=recipients,
        network=period.network,
        kind="settlement",
        title=_("Abrechnung %(label)s zur Prüfung") % {"label": period.label},
        body=_(
            "Die Abrechnung Ihrer Kommune für %(label)s liegt zur Prüfung vor. "
            "Einspruch ist bis %(until)s möglich."
        )
        % {"label": period.label, "until": f"{until:%d.%m.%Y %H:%M}" if until else "–"},
        url=reverse("settlement:period", args=[period.label]),
    )


# --- objections --------------------------------------------------------------------------


def may_object(user: Any, municipality: Municipality) -> bool:
    """IT staff of that municipality, and the coordination on its behalf."""
    if is_coordinator(user, municipality.network):
        return True
    return any(
        m.municipality_id == municipality.pk and m.role == Membership.Role.IT
        for m in current_memberships(user, municipality.network)
    )


def object_to_statement(
    *,
    actor: User,
    period: SettlementPeriod,
    municipality: Municipality,
    comment: str,
    now: dt.datetime | None = None,
) -> Objection:
    """Record a municipality's objection to its statement, within the deadline."""
    now = now or timezone.now()
    comment = comment.replace("\r\n", "\n").strip()
    if not comment:
        raise ValidationError({"comment": _("Bitte begründen Sie den Einspruch.")})
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            {"comment": _("Der Einspruch ist zu lang (höchstens 5.000 Zeichen).")}
        )
    if not may_object(actor, municipality):
        raise PermissionDenied
    with transaction.atomic():
        period = SettlementPeriod.objects.select_for_update().get(pk=period.pk)
        if period.status != SettlementPeriod.Status.IN_REVIEW:
            raise ValidationError(
                _("Einsprüche sind nur möglich, solange der Zeitraum in Prüfung ist.")
            )
        if period.review_until is not None and now >= period.review_until:
            raise ValidationError(_("Die Einspruchsfrist ist abgelaufen."))
        objection = Objection.objects.create(
            period=period, municipality=municipality, author=actor, comment=comment
        )
        record_event(
            action="settlement.objection_filed",
            actor=actor,
            network=period.network,
            municipality=municipality,
            obj=objection,
            after={"comment": comment},
        )
    return objection


def resolve_objection(
    *, actor: User | None, objection: Objection, accepted: bool, resolution: str
) -> Objection:
    """The coordination answers an objection (a correction itself is a reversal entry)."""
    resolution = resolution.replace("\r\n", "\n").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Bitte begründen Sie die Entscheidung.")})
    if len(resolution) > MAX_COMMENT:
        raise ValidationError(
            {"resolution": _("Die Begründung ist zu lang (höchstens 5.000 Zeichen).")}
        )
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update()
            .select_related("period__network")
            .get(pk=objection.pk)
        )
        _require_coordinator(actor, objection.period.network)
        if objection.period.is_closed:
            raise ValidationError(_("Der Zeitraum ist abgeschlossen und ändert sich nicht mehr."))
        if objection.status != Objection.Status.OPEN:
            raise ValidationError(_("Über diesen Einspruch ist bereits entschieden."))
        objection.status = Objection.Status.ACCEPTED if accepted else Objection.Status.REJECTED
        objection.resolution = resolution
        objection.resolved_by = actor
        objection.resolved_at = timezone.now()
        objection.save()
        record_event(
            action="settlement.objection_resolved",
            actor=actor,
            network=objection.period.network,
            municipality=objection.municipality,
            obj=objection,
            after={"status": objection.status, "resolution": resolution},
        )
    return objection


# --- closing -----------------------------------------------------------------------------


def _freeze_time_entries() -> None:
    """On PostgreSQL, keep new time entries out until this transaction commits.

    SHARE mode conflicts with every INSERT/UPDATE/DELETE, so no entry can slip into the
    period between computing the statements and inserting the ``ClosedRange``. SQLite
    transactions are IMMEDIATE (one writer at a time) and need nothing more.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE timeaccounting_timeentry IN SHARE MODE")


def close_settlement_period(
    *, actor: User | None, network: Network, label: str, now: dt.datetime | None = None
) -> SettlementPeriod:
    """Freeze the period: final statements with hashes, transfers, a ``ClosedRange``.

    1. Lock the period row (``select_for_update``); a second caller waits and then finds
       it closed → ``ValidationError``; exactly one closed period results.
    2. Refuse while objections are open or the objection deadline runs.
    3. Recompute (entries may have been corrected during review) and store statements,
       transfers and the period's hash over all statement hashes and transfers.
    4. Insert the ``ClosedRange`` so the time entries of these dates are frozen too.
    """
    _require_coordinator(actor, network)
    now = now or timezone.now()
    spec = parse_period(label)
    with transaction.atomic():
        period = _lock_period(network, spec)
        if period.is_closed:
            raise ValidationError(_("Der Zeitraum ist bereits abgeschlossen."))
        if period.status != SettlementPeriod.Status.IN_REVIEW:
            raise ValidationError(_("Bitte geben Sie die Abrechnung zuerst zur Prüfung frei."))
        if period.review_until is not None and now < period.review_until:
            raise ValidationError(
                _("Die Einspruchsfrist läuft noch bis %(until)s.")
                % {"until": f"{timezone.localtime(period.review_until):%d.%m.%Y %H:%M}"}
            )
        if period.objections.filter(status=Objection.Status.OPEN).exists():
            raise ValidationError(_("Bitte entscheiden Sie zuerst über die offenen Einsprüche."))
        _freeze_time_entries()
        scheme = scheme_for(network, spec)
        result = engine.settle(network=network, spec=spec, scheme=scheme)
        _store_statements(period, result)
        Transfer.objects.bulk_create(
            [
                Transfer(
                    period=period,
                    position=index,
                    payer_id=payer,
                    payee_id=payee,
                    amount_cents=amount,
                )
                for index, (payer, payee, amount) in enumerate(result.transfers, start=1)
            ],
            batch_size=500,
        )
        period.content_hash = engine.content_hash(
            {
                "period": spec.label,
                "statements": [s.content_hash for s in result.statements],
                "transfers": result.transfers,
            }
        )
        period.scheme = scheme
        period.status = SettlementPeriod.Status.CLOSED
        period.closed_at = now
        period.closed_by = actor
        period.save()
        ClosedRange.objects.create(
            network=network, starts_on=spec.starts_on, ends_on=spec.ends_on, label=spec.label
        )
        record_event(
            action="settlement.closed",
            actor=actor,
            network=network,
            obj=period,
            after={
                "content_hash": period.content_hash,
                "statements": len(result.statements),
                "transfers": len(result.transfers),
            },
        )
    return period
