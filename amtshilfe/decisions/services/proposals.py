"""Writing proposals: rules, drafts (each save a revision), attachments, opening, withdrawing.

Every service is keyword-only, atomic, locks the proposal it changes, checks the rule again
under the lock, and records one audit event. Nothing changes a proposal once voting has
opened except the vote itself (``voting.py``); migration 0002 enforces it in the database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event, snapshot
from amtshilfe.decisions import access, announcements
from amtshilfe.decisions.models import (
    DecisionReasons,
    DecisionSettings,
    MajorityRule,
    Proposal,
    ProposalAttachment,
    ProposalRevision,
    QuorumKind,
)
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.attachments import check_upload

CONTENT_FIELDS = [
    "subject",
    "background",
    "options",
    "recommendation",
    "costs_amount",
    "costs_text",
    "result_visibility",
]
MAX_OPTIONS = 10
MAX_VOTING_DAYS = 90
MIN_VOTING_HOURS = 1
MAX_COSTS = Decimal("9999999999.99")


def _lock(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("network")
        .get(pk=proposal.pk)
    )


# --- rules of the network -------------------------------------------------------------------


def decision_settings(network: Network) -> DecisionSettings:
    """The network's rules, or the defaults (not saved) while nobody has changed them."""
    found = DecisionSettings.objects.filter(network=network).first()
    return found or DecisionSettings(network=network)


def update_decision_settings(
    *,
    actor: User,
    network: Network,
    quorum_kind: str,
    quorum_value: int,
    majority_rule: str,
    voting_days: int,
    reminder_hours: int,
) -> DecisionSettings:
    """Change quorum, majority rule, usual deadline, reminder (coordination only).

    Running votes keep the rules they opened with.
    """
    if not access.can_write_proposals(actor, network):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if quorum_kind not in QuorumKind.values:
        errors["quorum_kind"] = _("Unbekannte Art des Quorums.")
    if not 1 <= quorum_value <= 100:
        errors["quorum_value"] = _("Das Quorum muss zwischen 1 und 100 liegen.")
    if majority_rule not in MajorityRule.values:
        errors["majority_rule"] = _("Unbekannte Mehrheitsregel.")
    if not 1 <= voting_days <= MAX_VOTING_DAYS:
        errors["voting_days"] = _("Die Frist muss zwischen 1 und 90 Tagen liegen.")
    if not 1 <= reminder_hours <= 720:
        errors["reminder_hours"] = _("Die Erinnerung muss zwischen 1 und 720 Stunden liegen.")
    if errors:
        raise ValidationError(errors)
    fields = ["quorum_kind", "quorum_value", "majority_rule", "voting_days", "reminder_hours"]
    with transaction.atomic():
        current, _created = DecisionSettings.objects.select_for_update().get_or_create(
            network=network
        )
        before = snapshot(current, fields)
        current.quorum_kind = quorum_kind
        current.quorum_value = quorum_value
        current.majority_rule = majority_rule
        current.voting_days = voting_days
        current.reminder_hours = reminder_hours
        current.save()
        record_event(
            action="decision_settings.updated",
            actor=actor,
            network=network,
            obj=current,
            before=before,
            after=snapshot(current, fields),
        )
    return current


# --- content ---------------------------------------------------------------------------------


def clean_options(options: list[str]) -> list[str]:
    return [" ".join(option.split()) for option in options if option.strip()]


def _clean_content(data: dict[str, Any]) -> dict[str, Any]:
    """Validate the editable fields; raises ``ValidationError`` with German messages."""
    errors: dict[str, str] = {}
    subject = " ".join(str(data.get("subject", "")).split())
    if not subject:
        errors["subject"] = _("Bitte nennen Sie den Gegenstand der Vorlage.")
    elif len(subject) > 200:
        errors["subject"] = _("Der Gegenstand darf höchstens 200 Zeichen lang sein.")
    background = str(data.get("background", "")).replace("\r\n", "\n")
    if len(background) > 50_000:
        errors["background"] = _("Der Sachverhalt ist zu lang (höchstens 50.000 Zeichen).")
    options = clean_options(list(data.get("options", [])))
    if not options:
        errors["options"] = _("Bitte nennen Sie mindestens eine Option.")
    elif len(options) > MAX_OPTIONS:
        errors["options"] = _("Höchstens %(n)d Optionen.") % {"n": MAX_OPTIONS}
    elif any(len(option) > 300 for option in options):
        errors["options"] = _("Jede Option darf höchstens 300 Zeichen lang sein.")
    recommendation = str(data.get("recommendation", "")).replace("\r\n", "\n").strip()
    if not recommendation:
        errors["recommendation"] = _("Bitte geben Sie eine Empfehlung an.")
    elif len(recommendation) > 20_000:
        errors["recommendation"] = _("Die Empfehlung ist zu lang (höchstens 20.000 Zeichen).")
    amount = data.get("costs_amount")
    if amount is not None:
        try:
            amount = Decimal(amount).quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError, ValueError):
            errors["costs_amount"] = _("Bitte geben Sie die Kosten als Betrag in Euro an.")
        else:
            if amount < 0 or amount > MAX_COSTS:
                errors["costs_amount"] = _(
                    "Die Kosten müssen zwischen 0 und 9.999.999.999 € liegen."
                )
    costs_text = str(data.get("costs_text", "")).replace("\r\n", "\n").strip()
    if len(costs_text) > 5_000:
        errors["costs_text"] = _("Die Erläuterung der Kosten ist zu lang.")
    visibility = data.get("result_visibility", Proposal.Visibility.MEMBERS)
    if visibility not in Proposal.Visibility.values:
        errors["result_visibility"] = _("Unbekannte Sichtbarkeit.")
    if errors:
        raise ValidationError(errors)
    return {
        "subject": subject,
        "background": background,
        "options": options,
        "recommendation": recommendation,
        "costs_amount": amount,
        "costs_text": costs_text,
        "result_visibility": visibility,
    }


def _save_revision(proposal: Proposal, actor: User | None) -> ProposalRevision:
    return ProposalRevision.objects.create(
        proposal=proposal,
        number=proposal.version,
        author=actor,
        content=snapshot(proposal, CONTENT_FIELDS),
    )


def create_proposal(
    *,
    actor: User,
    network: Network,
    subject: str,
    recommendation: str,
    options: list[str],
    background: str = "",
    costs_amount: Decimal | None = None,
    costs_text: str = "",
    result_visibility: str = Proposal.Visibility.MEMBERS,
    supersedes: Proposal | None = None,
    today: dt.date | None = None,
) -> Proposal:
    """Write a new draft (coordination). It gets the next number of the year in the network.

    ``supersedes``: a decided proposal of the same network that this one corrects.
    """
    if not access.can_write_proposals(actor, network):
        raise PermissionDenied
    content = _clean_content(
        {
            "subject": subject,
            "background": background,
            "options": options,
            "recommendation": recommendation,
            "costs_amount": costs_amount,
            "costs_text": costs_text,
            "result_visibility": result_visibility,
        }
    )
    if supersedes is not None and (
        supersedes.network_id != network.pk or supersedes.status != Proposal.Status.DECIDED
    ):
        raise ValidationError(
            {"supersedes": _("Nur eine entschiedene Vorlage des Netzwerks kann ersetzt werden.")}
        )
    year = (today or timezone.localdate()).year
    with transaction.atomic():
        Network.objects.select_for_update().get(pk=network.pk)  # numbers without gaps or twins
        last = Proposal.objects.filter(network=network, year=year).aggregate(n=Max("sequence"))
        proposal = Proposal.objects.create(
            network=network,
            year=year,
            sequence=(last["n"] or 0) + 1,
            author=actor,
            supersedes=supersedes,
            **content,
        )
        _save_revision(proposal, actor)
        record_event(
            action="proposal.created",
            actor=actor,
            network=network,
            obj=proposal,
            after=snapshot(proposal, [*CONTENT_FIELDS, "supersedes"]),
        )
    return proposal


def edit_proposal(
    *,
    actor: User,
    proposal: Proposal,
    base_version: int,
    subject: str,
    recommendation: str,
    options: list[str],
    background: str = "",
    costs_amount: Decimal | None = None,
    costs_text: str = "",
    result_visibility: str = Proposal.Visibility.MEMBERS,
) -> Proposal:
    """Change a draft; a new revision is kept. Refused once voting has opened.

    ``base_version`` is the version the editor started from: if somebody saved in between,
    nothing is saved and the caller shows the conflict (no silent lost update).
    """
    content = _clean_content(
        {
            "subject": subject,
            "background": background,
            "options": options,
            "recommendation": recommendation,
            "costs_amount": costs_amount,
            "costs_text": costs_text,
            "result_visibility": result_visibility,
        }
    )
    with transaction.atomic():
        proposal = _lock(proposal)
        if not access.can_write_proposals(actor, proposal.network):
            raise PermissionDenied
        if proposal.status != Proposal.Status.DRAFT:
            raise ValidationError(
                _("Die Vorlage ist nicht mehr im Entwurf und kann nicht geändert werden.")
            )
        if proposal.version != base_version:
            raise ValidationError(
                _(
                    "Jemand anders hat die Vorlage inzwischen geändert. Ihr Text ist unten "
                    "erhalten; bitte laden Sie die aktuelle Fassung und übernehmen Sie Ihre "
                    "Änderungen."
                ),
                code="conflict",
            )
        before = snapshot(proposal, CONTENT_FIELDS)
        for name, value in content.items():
            setattr(proposal, name, value)
        after = snapshot(proposal, CONTENT_FIELDS)
        if after == before:
            return proposal
        proposal.version += 1
        proposal.save()
        _save_revision(proposal, actor)
        changed = [name for name in CONTENT_FIELDS if before[name] != after[name]]
        record_event(
            action="proposal.updated",
            actor=actor,
            network=proposal.network,
            obj=proposal,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return proposal


# --- attachments ----------------------------------------------------------------------------


def add_proposal_attachment(
    *, actor: User, proposal: Proposal, file: File, name: str, size: int
) -> ProposalAttachment:
    """Attach a file to a draft; type and size are checked like in the knowledge base."""
    checked = check_upload(file, name=name, size=size)
    with transaction.atomic():
        proposal = _lock(proposal)
        if not access.can_write_proposals(actor, proposal.network):
            raise PermissionDenied
        if proposal.status != Proposal.Status.DRAFT:
            raise ValidationError(_("Anhänge können nur im Entwurf geändert werden."))
        attachment = ProposalAttachment(
            proposal=proposal,
            stored_name=checked.stored_name,
            original_name=checked.display_name,
            content_type=checked.mime,
            size=checked.size,
            uploaded_by=actor,
        )
        attachment.file.save(checked.stored_name, file, save=False)
        stored = attachment.file.name
        try:
            attachment.save()
            record_event(
                action="proposal.attachment_added",
                actor=actor,
                network=proposal.network,
                obj=proposal,
                after={"attachment": attachment.original_name, "size": attachment.size},
            )
        except BaseException:
            attachment.file.storage.delete(stored)
            raise
    return attachment


def remove_proposal_attachment(*, actor: User, attachment: ProposalAttachment) -> None:
    """Remove a file from a draft (coordination)."""
    with transaction.atomic():
        proposal = _lock(attachment.proposal)
        if not access.can_write_proposals(actor, proposal.network):
            raise PermissionDenied
        if proposal.status != Proposal.Status.DRAFT:
            raise ValidationError(_("Anhänge können nur im Entwurf geändert werden."))
        storage, stored = attachment.file.storage, attachment.file.name
        record_event(
            action="proposal.attachment_removed",
            actor=actor,
            network=proposal.network,
            obj=proposal,
            before={"attachment": attachment.original_name},
        )
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(stored))


# --- opening, withdrawing, reasons -----------------------------------------------------------


def open_voting(
    *, actor: User, proposal: Proposal, deadline: dt.datetime, now: dt.datetime | None = None
) -> Proposal:
    """Open the vote until ``deadline``; from now on the text is frozen.

    1. Only a draft, only the coordination, only with at least one steering-group member.
    2. The deadline lies at least an hour and at most 90 days ahead.
    3. The network's quorum and majority rule and the number of eligible members are copied
       onto the proposal; the steering group is notified.
    """
    now = now or timezone.now()
    if deadline < now + dt.timedelta(hours=MIN_VOTING_HOURS):
        raise ValidationError(
            {"deadline": _("Die Frist muss mindestens eine Stunde in der Zukunft liegen.")}
        )
    if deadline > now + dt.timedelta(days=MAX_VOTING_DAYS):
        raise ValidationError(
            {"deadline": _("Die Frist darf höchstens 90 Tage in der Zukunft liegen.")}
        )
    with transaction.atomic():
        proposal = _lock(proposal)
        if not access.can_write_proposals(actor, proposal.network):
            raise PermissionDenied
        if proposal.status != Proposal.Status.DRAFT:
            raise ValidationError(_("Die Abstimmung über diese Vorlage ist bereits eröffnet."))
        eligible = len(announcements.steering_members(proposal.network))
        if eligible == 0:
            raise ValidationError(
                _(
                    "Die Steuerungsgruppe hat noch keine Mitglieder. Bitte vergeben Sie zuerst "
                    "die Rolle „Steuerungsgruppe“."
                )
            )
        rules = decision_settings(proposal.network)
        proposal.status = Proposal.Status.OPEN
        proposal.opened_at = now
        proposal.deadline = deadline
        proposal.quorum_kind = rules.quorum_kind
        proposal.quorum_value = rules.quorum_value
        proposal.majority_rule = rules.majority_rule
        proposal.eligible_count = eligible
        proposal.save()
        record_event(
            action="proposal.voting_opened",
            actor=actor,
            network=proposal.network,
            obj=proposal,
            before={"status": Proposal.Status.DRAFT},
            after=snapshot(
                proposal,
                ["status", "deadline", "quorum_kind", "quorum_value", "majority_rule"],
            )
            | {"eligible_count": eligible},
        )
        announcements.announce_voting_open(proposal)
    return proposal


def withdraw_proposal(*, actor: User, proposal: Proposal, reason: str = "") -> Proposal:
    """Withdraw a draft or a running vote (coordination); votes cast so far stay recorded."""
    reason = reason.strip()
    if len(reason) > 2_000:
        raise ValidationError({"reason": _("Der Grund ist zu lang (höchstens 2.000 Zeichen).")})
    with transaction.atomic():
        proposal = _lock(proposal)
        if not access.can_write_proposals(actor, proposal.network):
            raise PermissionDenied
        if proposal.is_final:
            raise ValidationError(_("Über die Vorlage ist bereits entschieden."))
        before = proposal.status
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.withdrawn_at = timezone.now()
        proposal.withdrawal_reason = reason
        proposal.save()
        record_event(
            action="proposal.withdrawn",
            actor=actor,
            network=proposal.network,
            obj=proposal,
            before={"status": before},
            after={"status": proposal.status, "reason": reason},
        )
    return proposal


def record_decision_reasons(*, actor: User, proposal: Proposal, text: str) -> DecisionReasons:
    """Write down the reasons of a decision, once (coordination). They never change after."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Bitte begründen Sie die Entscheidung.")})
    if len(text) > 20_000:
        raise ValidationError({"text": _("Die Begründung ist zu lang (höchstens 20.000 Zeichen).")})
    with transaction.atomic():
        proposal = _lock(proposal)
        if not access.can_write_proposals(actor, proposal.network):
            raise PermissionDenied
        if proposal.status != Proposal.Status.DECIDED:
            raise ValidationError(_("Eine Begründung gibt es erst nach der Entscheidung."))
        if DecisionReasons.objects.filter(proposal=proposal).exists():
            raise ValidationError(
                _("Die Begründung ist bereits festgehalten und kann nicht geändert werden.")
            )
        reasons = DecisionReasons.objects.create(proposal=proposal, text=text, author=actor)
        record_event(
            action="proposal.reasons_recorded",
            actor=actor,
            network=proposal.network,
            obj=proposal,
            after={"reasons": text},
        )
    return reasons
