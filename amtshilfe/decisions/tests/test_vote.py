"""Voting, changing a vote, the tally at the deadline (command and lazily), reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from amtshilfe.core.models import AuditEvent
from amtshilfe.decisions.models import Vote
from amtshilfe.decisions.services import (
    cast_vote,
    close_due_proposals,
    send_voting_reminders,
    update_decision_settings,
)
from amtshilfe.decisions.tests.proposals import DEADLINE, NOW, more_steering, opened, reload
from amtshilfe.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(personas):
    """A steering group of four: steering, dora, charlie, alice."""
    more_steering(personas, personas.dora, personas.charlie, personas.alice)
    return personas


def rules(personas, *, kind="share", value=50, rule="simple"):
    update_decision_settings(
        actor=personas.coordinator,
        network=personas.network,
        quorum_kind=kind,
        quorum_value=value,
        majority_rule=rule,
        voting_days=7,
        reminder_hours=48,
    )


def test_it_lets_a_member_change_the_vote_until_the_deadline(board):
    proposal = opened(board)
    cast_vote(actor=board.steering, proposal=proposal, choice="reject", reason="Zu teuer", now=NOW)
    cast_vote(actor=board.steering, proposal=proposal, choice="accept", now=NOW)
    vote = Vote.objects.get(proposal=proposal, voter=board.steering)
    assert (vote.choice, vote.reason) == ("accept", "")
    assert Vote.objects.filter(proposal=proposal).count() == 1
    actions = list(
        AuditEvent.objects.filter(action__startswith="proposal.vote")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions == ["proposal.vote_cast", "proposal.vote_changed"]


def test_it_keeps_one_vote_per_member_in_the_database(board):
    proposal = opened(board)
    cast_vote(actor=board.steering, proposal=proposal, choice="accept", now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(proposal=proposal, voter=board.steering, choice="reject")


def test_only_steering_members_vote(board):
    proposal = opened(board)
    for user in (board.coordinator, board.bob, board.auditor, board.olga):
        with pytest.raises(PermissionDenied):
            cast_vote(actor=user, proposal=proposal, choice="accept", now=NOW)
    assert not Vote.objects.exists()


def test_it_refuses_an_unknown_choice(board):
    proposal = opened(board)
    with pytest.raises(ValidationError):
        cast_vote(actor=board.steering, proposal=proposal, choice="maybe", now=NOW)


def test_it_refuses_votes_after_the_deadline(board):
    proposal = opened(board)
    with pytest.raises(ValidationError):
        cast_vote(actor=board.steering, proposal=proposal, choice="accept", now=DEADLINE)


def test_it_decides_at_the_deadline_and_only_once(board):
    proposal = opened(board)
    cast_vote(actor=board.steering, proposal=proposal, choice="accept", now=NOW)
    cast_vote(actor=board.dora, proposal=proposal, choice="accept", now=NOW)
    cast_vote(actor=board.charlie, proposal=proposal, choice="reject", now=NOW)
    assert close_due_proposals(now=DEADLINE - dt.timedelta(seconds=1)) == 0
    assert reload(proposal).status == "open"
    assert close_due_proposals(now=DEADLINE) == 1
    assert close_due_proposals(now=DEADLINE) == 0
    proposal = reload(proposal)
    assert (proposal.status, proposal.outcome) == ("decided", "accepted")
    assert (proposal.accept_count, proposal.reject_count, proposal.defer_count) == (2, 1, 0)
    assert AuditEvent.objects.filter(action="proposal.decided").count() == 1


def test_a_tie_is_rejected(board):
    proposal = opened(board)
    cast_vote(actor=board.steering, proposal=proposal, choice="accept", now=NOW)
    cast_vote(actor=board.dora, proposal=proposal, choice="reject", now=NOW)
    close_due_proposals(now=DEADLINE)
    assert reload(proposal).outcome == "rejected"


def test_it_is_not_quorate_when_too_few_voted(board):
    rules(board, kind="share", value=75)
    proposal = opened(board)
    cast_vote(actor=board.steering, proposal=proposal, choice="accept", now=NOW)
    cast_vote(actor=board.dora, proposal=proposal, choice="accept", now=NOW)
    close_due_proposals(now=DEADLINE)
    assert reload(proposal).outcome == "no_quorum"


def test_it_applies_the_absolute_majority_of_members(board):
    rules(board, kind="count", value=1, rule="absolute")
    proposal = opened(board)
    cast_vote(actor=board.steering, proposal=proposal, choice="accept", now=NOW)
    cast_vote(actor=board.dora, proposal=proposal, choice="accept", now=NOW)
    close_due_proposals(now=DEADLINE)
    # 2 of 2 votes cast, but not more than half of the 4 members.
    assert reload(proposal).outcome == "rejected"


def test_it_applies_two_thirds(board):
    rules(board, kind="count", value=1, rule="two_thirds")
    proposal = opened(board)
    for user, choice in (
        (board.steering, "accept"),
        (board.dora, "accept"),
        (board.charlie, "defer"),
    ):
        cast_vote(actor=user, proposal=proposal, choice=choice, now=NOW)
    close_due_proposals(now=DEADLINE)
    assert reload(proposal).outcome == "accepted"


def test_it_decides_early_when_everybody_has_voted(board):
    proposal = opened(board)
    for user in (board.steering, board.dora, board.charlie):
        cast_vote(actor=user, proposal=proposal, choice="defer", now=NOW)
    assert reload(proposal).status == "open"
    cast_vote(actor=board.alice, proposal=proposal, choice="accept", now=NOW)
    proposal = reload(proposal)
    assert (proposal.status, proposal.outcome, proposal.decided_at) == ("decided", "deferred", NOW)


def test_the_command_decides_what_is_due(board):
    proposal = opened(board)
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=5), tick=False):
        call_command("close_decisions")
    proposal = reload(proposal)
    assert (proposal.status, proposal.outcome) == ("decided", "no_quorum")


def test_it_notifies_the_steering_group_when_voting_opens_and_everybody_when_decided(board):
    proposal = opened(board)
    opened_for = set(Notification.objects.values_list("user__username", flat=True))
    assert opened_for == {"steering", "dora", "charlie", "alice"}
    Notification.objects.all().delete()
    close_due_proposals(now=DEADLINE)
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"bob", "coordinator", "auditor", "steering", "charlie"} <= told
    assert "olga" not in told
    assert all(n.url == f"/entscheidungen/{proposal.pk}/" for n in Notification.objects.all())


def test_it_reminds_those_who_have_not_voted_once(board):
    proposal = opened(board)
    cast_vote(actor=board.steering, proposal=proposal, choice="accept", now=NOW)
    Notification.objects.all().delete()
    mail.outbox.clear()
    assert send_voting_reminders(now=DEADLINE - dt.timedelta(hours=49)) == 0
    assert send_voting_reminders(now=DEADLINE - dt.timedelta(hours=47)) == 1
    reminded = set(Notification.objects.values_list("user__username", flat=True))
    assert reminded == {"dora", "charlie", "alice"}
    assert send_voting_reminders(now=DEADLINE - dt.timedelta(hours=1)) == 0
    assert Notification.objects.count() == 3
    assert reload(proposal).reminder_sent_at is not None
