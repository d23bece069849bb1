"""Quorum and majority rules, including ties (a tie rejects)."""

from __future__ import annotations

import pytest

from amtshilfe.decisions.rules import Tally, outcome, quorum_needed

SHARE, COUNT = "share", "count"


def decide(
    accept: int,
    reject: int,
    defer: int,
    *,
    rule: str = "simple",
    eligible: int = 5,
    quorum: tuple[str, int] = (SHARE, 50),
) -> str:
    return outcome(
        Tally(accept, reject, defer),
        quorum_kind=quorum[0],
        quorum_value=quorum[1],
        rule=rule,
        eligible=eligible,
    )


def test_it_accepts_with_a_simple_majority_of_votes_cast():
    assert decide(2, 1, 0) == "accepted"


def test_it_rejects_a_tie():
    assert decide(2, 2, 0, eligible=4) == "rejected"
    assert decide(1, 1, 0, eligible=2) == "rejected"


def test_it_rejects_when_nothing_has_a_majority():
    assert decide(2, 1, 1, eligible=4) == "rejected"


def test_it_defers_when_deferring_has_the_majority():
    assert decide(1, 0, 2) == "deferred"


def test_it_is_not_quorate_below_the_share():
    assert decide(2, 0, 0, eligible=5, quorum=(SHARE, 50)) == "no_quorum"
    assert decide(3, 0, 0, eligible=5, quorum=(SHARE, 50)) == "accepted"


def test_it_counts_the_share_exactly_at_the_limit():
    assert decide(2, 0, 0, eligible=4, quorum=(SHARE, 50)) == "accepted"


def test_it_is_not_quorate_without_any_vote():
    assert decide(0, 0, 0, quorum=(SHARE, 1)) == "no_quorum"


def test_it_uses_a_minimum_number_of_votes():
    assert decide(1, 0, 0, quorum=(COUNT, 2)) == "no_quorum"
    assert decide(1, 1, 0, quorum=(COUNT, 2)) == "rejected"
    assert decide(2, 0, 0, quorum=(COUNT, 2)) == "accepted"


def test_it_needs_more_than_half_of_all_members_for_an_absolute_majority():
    # 3 of 4 votes cast, but 3 is not more than half of 6 members.
    assert decide(3, 1, 0, rule="absolute", eligible=6) == "rejected"
    assert decide(4, 0, 0, rule="absolute", eligible=6) == "accepted"


def test_it_needs_two_thirds_of_the_votes_cast():
    assert decide(2, 1, 0, rule="two_thirds") == "accepted"
    assert decide(3, 2, 0, rule="two_thirds") == "rejected"
    assert decide(4, 2, 0, rule="two_thirds", eligible=6) == "accepted"


@pytest.mark.parametrize(
    ("kind", "value", "eligible", "needed"),
    [
        (SHARE, 50, 5, 3),
        (SHARE, 50, 4, 2),
        (SHARE, 100, 3, 3),
        (COUNT, 2, 9, 2),
        (SHARE, 1, 1, 1),
    ],
)
def test_it_says_how_many_votes_the_quorum_needs(kind, value, eligible, needed):
    assert quorum_needed(kind=kind, value=value, eligible=eligible) == needed
