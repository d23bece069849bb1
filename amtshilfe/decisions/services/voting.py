"""Voting: votes, comments, the tally at the deadline (or earlier), reminders.

The tally runs from ``amtshilfe close-decisions`` (periodically) and lazily whenever a
proposal page or the list is opened. It is idempotent and atomic: the proposal is locked,
and only a proposal that is still open and due is closed, so two runs at once close it once.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.accounts.models import User
from amtshilfe.core.audit import record_event
from amtshilfe.decisions import access, announcements, rules
from amtshilfe.decisions.models import Proposal, ProposalComment, Vote
from amtshilfe.decisions.services.proposals import decision_settings
from amtshilfe.tenancy.models import Network


def tally_of(proposal: Proposal) -> rules.Tally:
    counts = proposal.votes.aggregate(
        accept=Count("pk", filter=Q(choice=Vote.Choice.ACCEPT)),
        reject=Count("pk", filter=Q(choice=Vote.Choice.REJECT)),
        defer=Count("pk", filter=Q(choice=Vote.Choice.DEFER)),
    )
    return rules.Tally(accept=counts["accept"], reject=counts["reject"], defer=counts["defer"])


def _everybody_voted(proposal: Proposal) -> bool:
    members = {user.pk for user in announcements.steering_members(proposal.network)}
    voted = set(proposal.votes.values_list("voter_id", flat=True))
    return bool(members) and members <= voted


def cast_vote(
    *,
    actor: User,
    proposal: Proposal,
    choice: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Vote:
    """Vote (or change one's vote) until the deadline; steering-group members only.

    When every member has voted, the proposal is decided at once (ADR 0010).
    """
    now = now or timezone.now()
    if choice not in Vote.Choice.values:
        raise ValidationError(
            {"choice": _("Bitte wählen Sie Zustimmung, Ablehnung oder Vertagung.")}
        )
    reason = reason.replace("\r\n", "\n").strip()
    if len(reason) > 5_000:
        raise ValidationError(
            {"reason": _("Die Begründung ist zu lang (höchstens 5.000 Zeichen).")}
        )
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("network")
            .get(pk=proposal.pk)
        )
        if not access.can_vote(actor, proposal):
            if proposal.status == Proposal.Status.OPEN or not access.can_read_governance(
                actor, proposal.network
            ):
                raise PermissionDenied
            raise ValidationError(_("Die Abstimmung über diese Vorlage ist beendet."))
        assert proposal.deadline is not None
        if now >= proposal.deadline:
            raise ValidationError(_("Die Frist für diese Abstimmung ist abgelaufen."))
        vote = Vote.objects.filter(proposal=proposal, voter=actor).first()
        before = {"choice": vote.choice, "reason": vote.reason} if vote else None
        if vote is None:
            vote = Vote.objects.create(proposal=proposal, voter=actor, choice=choice, reason=reason)
        else:
            vote.choice, vote.reason = choice, reason
            vote.save()
        record_event(
            action="proposal.vote_cast" if before is None else "proposal.vote_changed",
            actor=actor,
            network=proposal.network,
            obj=proposal,
            before=before,
            after={"choice": choice, "reason": reason},
        )
        if _everybody_voted(proposal):
            _decide(proposal, now=now)
    return vote


def add_proposal_comment(*, actor: User, proposal: Proposal, body: str) -> ProposalComment:
    """Comment (Markdown) on a proposal that is not decided yet; steering group, coordination."""
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": _("Bitte schreiben Sie einen Kommentar.")})
    if len(body) > 10_000:
        raise ValidationError({"body": _("Der Kommentar ist zu lang (höchstens 10.000 Zeichen).")})
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("network")
            .get(pk=proposal.pk)
        )
        if not access.can_comment(actor, proposal):
            if proposal.is_final and access.can_read_governance(actor, proposal.network):
                raise ValidationError(
                    _("Über die Vorlage ist entschieden; Kommentare sind geschlossen.")
                )
            raise PermissionDenied
        comment = ProposalComment.objects.create(proposal=proposal, author=actor, body=body)
        record_event(
            action="proposal.commented",
            actor=actor,
            network=proposal.network,
            obj=proposal,
            after={"comment": comment.pk},
        )
    return comment


# --- the tally -------------------------------------------------------------------------------


def _decide(proposal: Proposal, *, now: dt.datetime) -> None:
    """Count and record the result of a locked, open proposal; notify everybody."""
    assert proposal.quorum_value is not None and proposal.eligible_count is not None
    tally = tally_of(proposal)
    proposal.outcome = rules.outcome(
        tally,
        quorum_kind=proposal.quorum_kind,
        quorum_value=proposal.quorum_value,
        rule=proposal.majority_rule,
        eligible=proposal.eligible_count,
    )
    proposal.status = Proposal.Status.DECIDED
    proposal.decided_at = now
    proposal.accept_count = tally.accept
    proposal.reject_count = tally.reject
    proposal.defer_count = tally.defer
    proposal.save()
    record_event(
        action="proposal.decided",
        actor=None,
        network=proposal.network,
        obj=proposal,
        before={"status": Proposal.Status.OPEN},
        after={
            "status": proposal.status,
            "outcome": proposal.outcome,
            "accept": tally.accept,
            "reject": tally.reject,
            "defer": tally.defer,
            "eligible": proposal.eligible_count,
        },
    )
    announcements.announce_decision(proposal)


def close_proposal_if_due(*, proposal: Proposal, now: dt.datetime | None = None) -> bool:
    """Decide ``proposal`` if it is open and its deadline has passed; True if it was closed."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("network", "author")
            .filter(pk=proposal.pk, status=Proposal.Status.OPEN, deadline__lte=now)
            .first()
        )
        if locked is None:
            return False
        _decide(locked, now=now)
    return True


def close_due_proposals(*, network: Network | None = None, now: dt.datetime | None = None) -> int:
    """Decide every open proposal whose deadline has passed (one transaction each)."""
    now = now or timezone.now()
    due = Proposal.objects.open_for_voting().filter(deadline__lte=now)
    if network is not None:
        due = due.filter(network=network)
    closed = 0
    for proposal in due.order_by("deadline", "pk"):
        closed += close_proposal_if_due(proposal=proposal, now=now)
    return closed


def send_voting_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind members who have not voted when a deadline is near; once per proposal.

    "Near" is the network's ``reminder_hours``. Returns the number of proposals reminded.
    """
    now = now or timezone.now()
    reminded = 0
    candidates = Proposal.objects.open_for_voting().filter(
        reminder_sent_at__isnull=True, deadline__gt=now
    )
    for candidate in candidates.select_related("network").order_by("deadline", "pk"):
        hours = decision_settings(candidate.network).reminder_hours
        assert candidate.deadline is not None
        if candidate.deadline - now > dt.timedelta(hours=hours):
            continue
        with transaction.atomic():
            proposal = (
                Proposal.objects.select_for_update(of=("self",))
                .select_related("network")
                .filter(pk=candidate.pk, status=Proposal.Status.OPEN, reminder_sent_at__isnull=True)
                .first()
            )
            if proposal is None:
                continue
            voted = set(proposal.votes.values_list("voter_id", flat=True))
            missing = [
                user
                for user in announcements.steering_members(proposal.network)
                if user.pk not in voted
            ]
            proposal.reminder_sent_at = now
            proposal.save(update_fields=["reminder_sent_at", "updated_at"])
            record_event(
                action="proposal.reminder_sent",
                actor=None,
                network=proposal.network,
                obj=proposal,
                after={"recipients": len(missing)},
            )
            if missing:
                announcements.remind_voters(proposal, missing)
            reminded += 1
    return reminded
