"""Quorum and majority: what a set of votes decides (pure functions, no database).

The rules (ADR 0010):

1. **Quorum** – the vote counts only if enough members took part (a vote "Vertagung" is
   taking part): either a share of the members eligible when voting opened (``share``,
   percent, reached when ``voters * 100 >= share * eligible``) or a minimum number of votes
   (``count``). Not reached by the deadline → "nicht beschlussfähig".
2. **Majority** – the threshold a choice must pass:
   - ``simple``: more than half of the votes cast;
   - ``absolute``: more than half of the eligible members;
   - ``two_thirds``: at least two thirds of the votes cast.
3. **Result** – "vertagt" if the votes for deferring pass the threshold; otherwise
   "angenommen" if the votes to accept pass it; otherwise "abgelehnt". A tie (e.g. 2 : 2)
   passes no threshold, so **a tie rejects** – a proposal needs a real majority.
"""

from __future__ import annotations

from dataclasses import dataclass

from amtshilfe.decisions.models import MajorityRule, Proposal, QuorumKind

Outcome = Proposal.Outcome


@dataclass(frozen=True)
class Tally:
    accept: int
    reject: int
    defer: int

    @property
    def cast(self) -> int:
        return self.accept + self.reject + self.defer


def quorum_reached(tally: Tally, *, kind: str, value: int, eligible: int) -> bool:
    if kind == QuorumKind.COUNT:
        return tally.cast >= value
    return tally.cast > 0 and tally.cast * 100 >= value * eligible


def passes(votes: int, tally: Tally, *, rule: str, eligible: int) -> bool:
    """Whether ``votes`` (for one choice) pass the threshold of ``rule``."""
    if rule == MajorityRule.ABSOLUTE:
        return votes * 2 > max(eligible, tally.cast)
    if rule == MajorityRule.TWO_THIRDS:
        return tally.cast > 0 and votes * 3 >= tally.cast * 2
    return votes * 2 > tally.cast


def outcome(tally: Tally, *, quorum_kind: str, quorum_value: int, rule: str, eligible: int) -> str:
    """The result of ``tally`` under the rules (see the module docstring)."""
    if not quorum_reached(tally, kind=quorum_kind, value=quorum_value, eligible=eligible):
        return Outcome.NO_QUORUM
    if passes(tally.defer, tally, rule=rule, eligible=eligible):
        return Outcome.DEFERRED
    if passes(tally.accept, tally, rule=rule, eligible=eligible):
        return Outcome.ACCEPTED
    return Outcome.REJECTED


def quorum_needed(*, kind: str, value: int, eligible: int) -> int:
    """How many votes the quorum asks for (for display)."""
    if kind == QuorumKind.COUNT:
        return value
    return max(1, -(-value * eligible // 100))
