"""The sponsor auction's rules: proxy bidding with increments, a reserve, soft close and "buy
now". Pure: no I/O, no clock; every bid carries its own moment.

Specification
-------------
A lot has a starting price S, an optional reserve R, an optional buy-now price B, an
increment table (bands "from this price on, bid in steps of"), an end time E and a
soft-close window W. Amounts are whole minor units.

The increment at a price p is the step of the last band that starts at or below p (the
steps must not decrease from band to band, so a higher price never has a smaller step).

A sponsor bids by stating a maximum M: the most they will pay. The auction keeps, for the
leader, their maximum; the price P is what the leader would pay now. A bid at moment t:

1. is refused ``not_open`` before the start and ``closed`` at or after the end E (and after
   a buy-now win);
2. from the first bidder: refused ``below_start`` when M < S; otherwise they lead at P = S;
3. from the leader: refused ``cannot_lower`` when M is not above their maximum (a leader may
   not lower it, and the same maximum again changes nothing); otherwise their maximum
   becomes M and the price does not move (a leader does not bid against themselves);
4. from a challenger: refused ``too_low`` when M < P + increment(P). Otherwise, with L the
   leader's maximum:
   - M > L: the challenger leads, at P = min(M, L + increment(L)) — the second-highest
     maximum plus one increment, capped at the new leader's own maximum;
   - M = L: the earlier bid leads; the leader stays, at P = L;
   - M < L: the leader stays, at P = min(L, M + increment(M)); the challenger is outbid;
5. reserve: it is met only when the price reaches R. Whenever the leader's maximum is at or
   above R and the price is below it, the price is lifted to R (the leader said they would
   pay that much, and a sale below the reserve is no sale);
6. buy now: while no accepted bid has reached B, a bid with M >= B wins at once at the
   price B (if B is above what the price would otherwise be): the auction ends at t;
7. soft close: an accepted bid at t > E - W that moves the price or the leader moves the
   end to t + W (the end never moves earlier). A leader raising their own maximum moves
   neither, so it cannot keep an auction open; refused bids change nothing.

Every bid, accepted or refused, gets an outcome (``leading``, ``outbid`` or the refusal's
code) and the state after it. The state is a fold of the bids in the order they were placed:
replaying the recorded history gives the same leader, price and end. Bidder identities are
opaque ints; the public history shows them as "Bidder 1, 2, ..." by order of first bid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import pairwise


class Outcome(StrEnum):
    LEADING = "leading"
    OUTBID = "outbid"
    BELOW_START = "below_start"
    TOO_LOW = "too_low"
    CANNOT_LOWER = "cannot_lower"
    NOT_OPEN = "not_open"
    CLOSED = "closed"
    NO_CARD = "no_card"        # refused by the service before the rules: no card on file


ACCEPTED = frozenset({Outcome.LEADING, Outcome.OUTBID})


@dataclass(frozen=True)
class Lot:
    """What does not change while bids come in (the end does: it lives in the state)."""

    starting_minor: int
    increments: tuple[tuple[int, int], ...]      # (from price, step), by price
    starts_at: datetime
    ends_at: datetime
    soft_close: timedelta
    reserve_minor: int | None = None
    buy_now_minor: int | None = None

    def __post_init__(self) -> None:
        bands = self.increments
        if not bands or bands[0][0] > 0 or any(step <= 0 for _, step in bands):
            raise ValueError("the increment table starts at 0 with positive steps")
        if any(a[0] >= b[0] or a[1] > b[1] for a, b in pairwise(bands)):
            raise ValueError("increment bands rise in price and their steps never decrease")
        if self.starting_minor <= 0 or self.ends_at <= self.starts_at:
            raise ValueError("a positive starting price and an end after the start")

    def increment(self, price_minor: int) -> int:
        step = self.increments[0][1]
        for start, band_step in self.increments:
            if start > price_minor:
                break
            step = band_step
        return step


@dataclass(frozen=True)
class Bid:
    bidder: int
    max_minor: int
    at: datetime


@dataclass(frozen=True)
class State:
    ends_at: datetime
    leader: int | None = None
    leader_max: int = 0
    price_minor: int = 0
    bought_now: bool = False

    def reserve_met(self, lot: Lot) -> bool:
        return self.leader is not None and (
            lot.reserve_minor is None or self.price_minor >= lot.reserve_minor)

    def minimum_next(self, lot: Lot) -> int:
        """The least maximum a challenger may state now."""
        if self.leader is None:
            return lot.starting_minor
        return self.price_minor + lot.increment(self.price_minor)


@dataclass(frozen=True)
class Step:
    bid: Bid
    outcome: Outcome
    state: State                                 # after the bid


def opening(lot: Lot) -> State:
    return State(ends_at=lot.ends_at)


def place(lot: Lot, state: State, bid: Bid) -> Step:
    """One bid against the current state (see the specification above)."""
    if bid.at < lot.starts_at:
        return Step(bid, Outcome.NOT_OPEN, state)
    if bid.at >= state.ends_at or state.bought_now:
        return Step(bid, Outcome.CLOSED, state)
    if state.leader is None:
        if bid.max_minor < lot.starting_minor:
            return Step(bid, Outcome.BELOW_START, state)
        after = replace(state, leader=bid.bidder, leader_max=bid.max_minor,
                        price_minor=lot.starting_minor)
        outcome = Outcome.LEADING
    elif bid.bidder == state.leader:
        if bid.max_minor <= state.leader_max:
            return Step(bid, Outcome.CANNOT_LOWER, state)
        after = replace(state, leader_max=bid.max_minor)
        outcome = Outcome.LEADING
    elif bid.max_minor < state.minimum_next(lot):
        return Step(bid, Outcome.TOO_LOW, state)
    elif bid.max_minor > state.leader_max:
        held = state.leader_max
        after = replace(state, leader=bid.bidder, leader_max=bid.max_minor,
                        price_minor=min(bid.max_minor, held + lot.increment(held)))
        outcome = Outcome.LEADING
    else:
        price = min(state.leader_max, bid.max_minor + lot.increment(bid.max_minor))
        after = replace(state, price_minor=price)
        outcome = Outcome.OUTBID
    after = _reserve(lot, after)
    after = _buy_now(lot, after, bid)
    moved = (after.price_minor, after.leader) != (state.price_minor, state.leader)
    return Step(bid, outcome, _soft_close(lot, after, bid) if moved else after)


def _reserve(lot: Lot, state: State) -> State:
    reserve = lot.reserve_minor
    if reserve is not None and state.leader_max >= reserve > state.price_minor:
        return replace(state, price_minor=reserve)
    return state


def _buy_now(lot: Lot, state: State, bid: Bid) -> State:
    buy_now = lot.buy_now_minor
    if buy_now is not None and state.leader == bid.bidder and bid.max_minor >= buy_now:
        return replace(state, price_minor=max(state.price_minor, buy_now), bought_now=True,
                       ends_at=bid.at)
    return state


def _soft_close(lot: Lot, state: State, bid: Bid) -> State:
    if state.bought_now:
        return state
    if bid.at > state.ends_at - lot.soft_close:
        return replace(state, ends_at=max(state.ends_at, bid.at + lot.soft_close))
    return state


def replay(lot: Lot, bids: Iterable[Bid]) -> list[Step]:
    """Every bid's outcome, in order, from the opening state."""
    state, steps = opening(lot), []
    for bid in bids:
        step = place(lot, state, bid)
        steps.append(step)
        state = step.state
    return steps


def final(lot: Lot, bids: Iterable[Bid]) -> State:
    steps = replay(lot, bids)
    return steps[-1].state if steps else opening(lot)


def labels(bidders: Iterable[int]) -> dict[int, int]:
    """Bidder -> their public number, by order of first bid (names stay private)."""
    numbered: dict[int, int] = {}
    for bidder in bidders:
        numbered.setdefault(bidder, len(numbered) + 1)
    return numbered
