"""Every write about steering-group decisions (CONVENTIONS #2): ``proposals`` and ``voting``."""

from amtshilfe.decisions.services.proposals import (
    add_proposal_attachment,
    create_proposal,
    decision_settings,
    edit_proposal,
    open_voting,
    record_decision_reasons,
    remove_proposal_attachment,
    update_decision_settings,
    withdraw_proposal,
)
from amtshilfe.decisions.services.voting import (
    add_proposal_comment,
    cast_vote,
    close_due_proposals,
    close_proposal_if_due,
    send_voting_reminders,
    tally_of,
)

__all__ = [
    "add_proposal_attachment",
    "add_proposal_comment",
    "cast_vote",
    "close_due_proposals",
    "close_proposal_if_due",
    "create_proposal",
    "decision_settings",
    "edit_proposal",
    "open_voting",
    "record_decision_reasons",
    "remove_proposal_attachment",
    "send_voting_reminders",
    "tally_of",
    "update_decision_settings",
    "withdraw_proposal",
]
