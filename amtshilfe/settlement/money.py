"""Exact money: rounding balances to cents so they sum to zero, and the transfers.

Pure functions over integers and ``Fraction``s; no models, no database (ADR 0012).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=int)

EXACT_TRANSFER_LIMIT = 14


def round_half_away(value: Fraction) -> int:
    """Commercial rounding of an exact amount of cents (0.5 away from zero)."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole = int(magnitude)
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    return sign * whole


def round_to_zero_sum(exact: Mapping[K, Fraction]) -> dict[K, int]:
    """Cents per key whose sum is exactly the rounded sum of ``exact`` (0 for balances).

    1. Round every exact amount commercially.
    2. The difference ``target - sum(rounded)`` (a few cents at most, |d| ≤ n/2) is
       distributed one cent at a time to the keys whose rounding moved them furthest in
       the other direction (largest remainder); ties go to the smaller key, so the
       result is deterministic.
    """
    rounded = {key: round_half_away(value) for key, value in exact.items()}
    target = round_half_away(sum(exact.values(), Fraction(0)))
    difference = target - sum(rounded.values())
    if difference:
        step = 1 if difference > 0 else -1
        # How much each key would like to move in the direction of ``step``.
        wish = sorted(exact, key=lambda key: (-(exact[key] - rounded[key]) * step, key))
        for key in wish[: abs(difference)]:
            rounded[key] += step
    return rounded


def clearing_transfers(balances: Mapping[K, int], holder: K) -> list[tuple[K, K, int]]:
    """One transfer per municipality to or from the clearing account ``holder``.

    A positive balance is money a municipality receives. The holder's own balance is
    settled by being the other side of every transfer.
    """
    transfers: list[tuple[K, K, int]] = []
    for key in sorted(balances):
        amount = balances[key]
        if key == holder or amount == 0:
            continue
        if amount < 0:
            transfers.append((key, holder, -amount))
        else:
            transfers.append((holder, key, amount))
    return transfers


def _settle_group(balances: Mapping[K, int], members: list[K]) -> list[tuple[K, K, int]]:
    """Greedy: the largest debtor pays the largest creditor until the group is settled.

    Every step settles at least one side completely, so a group of ``m`` members with a
    zero sum needs at most ``m - 1`` transfers.
    """
    left = {key: balances[key] for key in members if balances[key] != 0}
    transfers: list[tuple[K, K, int]] = []
    while left:
        debtor = min(left, key=lambda key: (left[key], key))
        creditor = max(left, key=lambda key: (left[key], -key))
        amount = min(-left[debtor], left[creditor])
        transfers.append((debtor, creditor, amount))
        left[debtor] += amount
        left[creditor] -= amount
        for key in (debtor, creditor):
            if left[key] == 0:
                del left[key]
    return transfers


def _zero_sum_groups(keys: list[K], values: list[int]) -> list[list[K]]:
    """The largest number of disjoint zero-sum groups covering ``keys`` (exact, 2^n).

    ``best[mask]`` = most complete zero-sum groups in an order of the members of ``mask``;
    a mask whose sum is 0 closes one more group. Walking back from the full mask yields an
    order whose zero-sum prefixes are the groups.
    """
    n = len(keys)
    full = (1 << n) - 1
    sums = [0] * (1 << n)
    for mask in range(1, 1 << n):
        low = (mask & -mask).bit_length() - 1
        sums[mask] = sums[mask & (mask - 1)] + values[low]
    best = [0] * (1 << n)
    for mask in range(1, 1 << n):
        value = 0
        rest = mask
        while rest:
            bit = rest & -rest
            value = max(value, best[mask ^ bit])
            rest ^= bit
        best[mask] = value + (1 if sums[mask] == 0 else 0)
    order: list[int] = []
    mask = full
    while mask:
        target = best[mask] - (1 if sums[mask] == 0 else 0)
        rest = mask
        while rest:
            bit = rest & -rest
            if best[mask ^ bit] == target:
                order.append(bit.bit_length() - 1)
                mask ^= bit
                break
            rest ^= bit
    order.reverse()
    groups: list[list[K]] = []
    current: list[K] = []
    running = 0
    for index in order:
        current.append(keys[index])
        running += values[index]
        if running == 0:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def direct_transfers(balances: Mapping[K, int]) -> list[tuple[K, K, int]]:
    """Few direct transfers that settle ``balances`` (which must sum to 0).

    - Up to ``EXACT_TRANSFER_LIMIT`` non-zero balances: the minimum number of transfers,
      ``k - g`` for ``k`` balances split into the most (``g``) zero-sum groups, each group
      settled greedily with ``size - 1`` transfers.
    - More: greedy over all of them, at most ``k - 1`` transfers (ADR 0012).
    """
    if sum(balances.values()) != 0:
        raise ValueError("balances must sum to zero")
    keys = sorted(key for key, value in balances.items() if value != 0)
    if len(keys) <= EXACT_TRANSFER_LIMIT:
        groups = _zero_sum_groups(keys, [balances[key] for key in keys])
    else:
        groups = [keys]
    transfers: list[tuple[K, K, int]] = []
    for group in groups:
        transfers.extend(_settle_group(balances, group))
    return transfers
