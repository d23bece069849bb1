"""Draft → open → decided / withdrawn; frozen text; corrections as new proposals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from amtshilfe.core.models import AuditEvent
from amtshilfe.decisions.models import DecisionReasons, Proposal, ProposalRevision
from amtshilfe.decisions.services import (
    cast_vote,
    create_proposal,
    edit_proposal,
    open_voting,
    record_decision_reasons,
    update_decision_settings,
    withdraw_proposal,
)
from amtshilfe.decisions.tests.proposals import DEADLINE, NOW, draft, opened, reload

pytestmark = pytest.mark.django_db


def edit(personas, proposal, **changes):
    fields = {
        "subject": proposal.subject,
        "background": proposal.background,
        "options": proposal.options,
        "recommendation": proposal.recommendation,
        "costs_amount": proposal.costs_amount,
        "costs_text": proposal.costs_text,
        "result_visibility": proposal.result_visibility,
        "base_version": proposal.version,
    }
    fields.update(changes)
    return edit_proposal(actor=personas.coordinator, proposal=proposal, **fields)


def test_it_numbers_proposals_per_network_and_year(personas):
    first = draft(personas)
    second = draft(personas, subject="Zweite")
    assert (first.number, second.number) == (f"{first.year}/01", f"{first.year}/02")
    assert first.status == Proposal.Status.DRAFT
    assert AuditEvent.objects.filter(action="proposal.created").count() == 2


def test_it_requires_the_coordination_to_write(personas):
    for user in (personas.steering, personas.alice, personas.auditor, personas.olga):
        with pytest.raises(PermissionDenied):
            create_proposal(
                actor=user,
                network=personas.network,
                subject="X",
                recommendation="Y",
                options=["Z"],
            )


def test_it_requires_subject_recommendation_and_an_option(personas):
    with pytest.raises(ValidationError) as caught:
        create_proposal(
            actor=personas.coordinator,
            network=personas.network,
            subject="  ",
            recommendation="",
            options=["", "  "],
        )
    assert set(caught.value.message_dict) == {"subject", "recommendation", "options"}
    assert Proposal.objects.count() == 0


def test_it_refuses_negative_costs(personas):
    with pytest.raises(ValidationError) as caught:
        draft(personas, costs_amount=Decimal("-1"))
    assert "costs_amount" in caught.value.message_dict


def test_it_keeps_a_revision_of_every_saved_draft(personas):
    proposal = draft(personas, costs_amount=Decimal("1200.5"))
    proposal = edit(personas, proposal, subject="Neuer Gegenstand")
    assert proposal.version == 2
    revisions = list(ProposalRevision.objects.filter(proposal=proposal).order_by("number"))
    assert [r.content["subject"] for r in revisions] == [
        "Gemeinsame Lizenz für das Ticketsystem",
        "Neuer Gegenstand",
    ]
    assert revisions[0].content["costs_amount"] == "1200.50"
    event = AuditEvent.objects.get(action="proposal.updated")
    assert event.after == {"subject": "Neuer Gegenstand"}


def test_it_refuses_an_edit_based_on_an_old_version(personas):
    proposal = draft(personas)
    edit(personas, proposal, subject="Erste Änderung")
    with pytest.raises(ValidationError):
        edit(personas, proposal, subject="Zweite Änderung", base_version=1)
    assert reload(proposal).subject == "Erste Änderung"


def test_it_freezes_the_text_when_voting_opens(personas):
    proposal = opened(personas)
    assert proposal.status == Proposal.Status.OPEN
    assert proposal.deadline == DEADLINE
    with pytest.raises(ValidationError):
        edit(personas, proposal, subject="Nachträglich geändert")
    assert reload(proposal).subject == "Gemeinsame Lizenz für das Ticketsystem"


def test_it_copies_the_rules_onto_the_proposal_when_voting_opens(personas):
    update_decision_settings(
        actor=personas.coordinator,
        network=personas.network,
        quorum_kind="count",
        quorum_value=1,
        majority_rule="two_thirds",
        voting_days=7,
        reminder_hours=24,
    )
    proposal = opened(personas)
    update_decision_settings(
        actor=personas.coordinator,
        network=personas.network,
        quorum_kind="share",
        quorum_value=100,
        majority_rule="simple",
        voting_days=7,
        reminder_hours=24,
    )
    proposal = reload(proposal)
    assert (proposal.quorum_kind, proposal.quorum_value, proposal.majority_rule) == (
        "count",
        1,
        "two_thirds",
    )
    assert proposal.eligible_count == 1


def test_it_refuses_a_deadline_in_the_past_or_too_far_ahead(personas):
    proposal = draft(personas)
    for deadline in (NOW - dt.timedelta(minutes=1), NOW + dt.timedelta(days=91)):
        with pytest.raises(ValidationError) as caught:
            open_voting(actor=personas.coordinator, proposal=proposal, deadline=deadline, now=NOW)
        assert "deadline" in caught.value.message_dict
    assert reload(proposal).status == Proposal.Status.DRAFT


def test_it_refuses_to_open_without_a_steering_group(personas):
    from amtshilfe.tenancy.models import NetworkRole

    NetworkRole.objects.filter(role="steering").delete()
    proposal = draft(personas)
    with pytest.raises(ValidationError):
        open_voting(actor=personas.coordinator, proposal=proposal, deadline=DEADLINE, now=NOW)


def test_it_lets_the_coordination_withdraw_before_the_decision(personas):
    proposal = opened(personas)
    with pytest.raises(PermissionDenied):
        withdraw_proposal(actor=personas.steering, proposal=proposal)
    proposal = withdraw_proposal(actor=personas.coordinator, proposal=proposal, reason="Neu")
    assert proposal.status == Proposal.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        withdraw_proposal(actor=personas.coordinator, proposal=proposal)
    with pytest.raises(ValidationError):
        cast_vote(actor=personas.steering, proposal=proposal, choice="accept", now=NOW)


def test_it_changes_nothing_after_the_decision(personas):
    proposal = opened(personas)
    cast_vote(actor=personas.steering, proposal=proposal, choice="accept", now=NOW)
    proposal = reload(proposal)  # the only member voted: decided at once
    assert (proposal.status, proposal.outcome) == ("decided", "accepted")
    with pytest.raises(ValidationError):
        withdraw_proposal(actor=personas.coordinator, proposal=proposal)
    with pytest.raises(ValidationError):
        cast_vote(actor=personas.steering, proposal=proposal, choice="reject", now=NOW)
    with pytest.raises(ValidationError):
        edit(personas, proposal, subject="Doch anders")
    assert reload(proposal).outcome == "accepted"


def test_the_database_refuses_to_change_a_decided_proposal(personas):
    proposal = opened(personas)
    cast_vote(actor=personas.steering, proposal=proposal, choice="accept", now=NOW)
    with pytest.raises(DatabaseError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(subject="Heimlich geändert")
    with pytest.raises(DatabaseError), transaction.atomic():
        proposal.votes.update(choice="reject")
    with pytest.raises(DatabaseError), transaction.atomic():
        proposal.votes.all().delete()
    assert reload(proposal).subject == "Gemeinsame Lizenz für das Ticketsystem"


def test_the_database_refuses_to_change_the_text_of_an_open_proposal(personas):
    proposal = opened(personas)
    with pytest.raises(DatabaseError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(recommendation="Etwas anderes")
    # Bookkeeping of the vote itself stays possible.
    Proposal.objects.filter(pk=proposal.pk).update(reminder_sent_at=NOW)


def test_it_records_the_reasons_once(personas):
    proposal = opened(personas)
    cast_vote(actor=personas.steering, proposal=proposal, choice="accept", now=NOW)
    proposal = reload(proposal)
    with pytest.raises(PermissionDenied):
        record_decision_reasons(actor=personas.steering, proposal=proposal, text="Weil.")
    record_decision_reasons(actor=personas.coordinator, proposal=proposal, text="Weil es spart.")
    with pytest.raises(ValidationError):
        record_decision_reasons(actor=personas.coordinator, proposal=proposal, text="Anders.")
    assert DecisionReasons.objects.get(proposal=proposal).text == "Weil es spart."
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionReasons.objects.filter(proposal=proposal).update(text="Heimlich")


def test_it_refuses_reasons_before_the_decision(personas):
    proposal = opened(personas)
    with pytest.raises(ValidationError):
        record_decision_reasons(actor=personas.coordinator, proposal=proposal, text="Zu früh.")


def test_a_correction_is_a_new_proposal_that_supersedes_the_old_one(personas):
    old = opened(personas)
    cast_vote(actor=personas.steering, proposal=old, choice="accept", now=NOW)
    old = reload(old)
    new = draft(personas, subject="Korrigierte Lizenzfrage", supersedes=old)
    assert new.supersedes == old
    assert list(old.superseded_by.all()) == [new]
    assert reload(old).subject == "Gemeinsame Lizenz für das Ticketsystem"


def test_it_supersedes_only_decided_proposals(personas):
    running = opened(personas)
    with pytest.raises(ValidationError):
        draft(personas, supersedes=running)
