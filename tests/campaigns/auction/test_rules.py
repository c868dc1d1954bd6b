"""The auction's rules (campaigns/auction.py): hand-computed cases, each with its expected
price, leader and end worked out beside it, then the rules against a reference model that
recomputes the leader and the price from all the maxima at every step, on random bids."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from campaigns.auction.rules import ACCEPTED, Bid, Lot, Outcome, State, final, labels, place, replay

NOON = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
END = NOON + timedelta(hours=1)                       # 13:00
STEPS = ((0, 10), (500, 25), (1000, 50))              # +10 below 500, +25 to 1000, then +50
A, B, C = 1, 2, 3


def lot(**changes: object) -> Lot:
    values: dict[str, object] = {
        "starting_minor": 100, "increments": STEPS, "starts_at": NOON, "ends_at": END,
        "soft_close": timedelta(minutes=5)}
    return Lot(**{**values, **changes})  # type: ignore[arg-type]


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return NOON.replace(hour=hour, minute=minute, second=second)


def bid(bidder: int, amount: int, when: datetime | None = None) -> Bid:
    return Bid(bidder, amount, when or at(12, 30))


PLAIN = lot()


@dataclass(frozen=True)
class Case:
    why: str
    bids: tuple[Bid, ...]
    outcomes: tuple[Outcome, ...]
    leader: int | None
    price: int
    ends_at: datetime = END
    lot: Lot = PLAIN


L, OUT = Outcome.LEADING, Outcome.OUTBID
RESERVE_300 = lot(reserve_minor=300)
BUY_NOW_1000 = lot(buy_now_minor=1000)

CASES = (
    # 1. first bid at or above the start: A leads at the start, 100; nothing else moves
    Case("first bid", (bid(A, 150),), (L,), A, 100),
    # 2. 90 < start 100: refused, nobody leads, price 0
    Case("below start", (bid(A, 90),), (Outcome.BELOW_START,), None, 0),
    # 3. B's 120 < A's 150: price min(150, 120 + 10) = 130, A still leads
    Case("outbid by proxy", (bid(A, 150), bid(B, 120)), (L, OUT), A, 130),
    # 4. next must be 100 + 10 = 110; 105 is refused, price stays 100
    Case("too low", (bid(A, 150), bid(B, 105)), (L, Outcome.TOO_LOW), A, 100),
    # 5. exactly the minimum 110: outbid, price min(150, 110 + 10) = 120
    Case("at the minimum", (bid(A, 150), bid(B, 110)), (L, OUT), A, 120),
    # 6. B 200 > A 150: B leads at min(200, 150 + 10) = 160
    Case("new leader", (bid(A, 150), bid(B, 200)), (L, L), B, 160),
    # 7. B 155 > A 150: B leads at min(155, 160) = 155, capped at B's own maximum
    Case("capped at own max", (bid(A, 150), bid(B, 155)), (L, L), B, 155),
    # 8. equal maxima: the earlier (A) leads, at 150
    Case("tie goes to the earlier", (bid(A, 150), bid(B, 150)), (L, OUT), A, 150),
    # 9. A leads with 150 and tries 140: refused, 100 stays
    Case("cannot lower", (bid(A, 150), bid(A, 140)), (L, Outcome.CANNOT_LOWER), A, 100),
    # 10. the same maximum again changes nothing: refused
    Case("same max", (bid(A, 150), bid(A, 150)), (L, Outcome.CANNOT_LOWER), A, 100),
    # 11. B leads at 160 (max 200); A comes back with 300: A leads at min(300, 200+10) = 210
    Case("comes back", (bid(A, 150), bid(B, 200), bid(A, 300)), (L, L, L), A, 210),
    # 12. the leader raises to 400: the price stays at 100 (no bidding against oneself)
    Case("leader raises", (bid(A, 150), bid(A, 400)), (L, L), A, 100),
    # 13. price band: B 520 < A 600, increment at 520 is 25: min(600, 545) = 545
    Case("second band", (bid(A, 600), bid(B, 520)), (L, OUT), A, 545),
    # 14. B 600 > A 490, increment at 490 is 10: B leads at min(600, 500) = 500
    Case("band below", (bid(A, 490), bid(B, 600)), (L, L), B, 500),
    # 15. third band: B 1010 < A 2000, increment at 1010 is 50: price 1060
    Case("third band", (bid(A, 2000), bid(B, 1010)), (L, OUT), A, 1060),
    # 16. reserve 300, A's 150: leads at 100, the reserve is not met
    Case("reserve not met", (bid(A, 150),), (L,), A, 100, lot=RESERVE_300),
    # 17. reserve 300, A's 400: the price is lifted to the reserve, 300
    Case("lifted to reserve", (bid(A, 400),), (L,), A, 300, lot=RESERVE_300),
    # 18. reserve 300: B 350 > A 150 leads at min(350, 160) = 160, lifted to 300
    Case("new leader lifted", (bid(A, 150), bid(B, 350)), (L, L), B, 300, lot=RESERVE_300),
    # 19. reserve 300: A's 400 lifts the price to 300 at once; B's 320 >= 300 + 10 is
    #     outbid, at min(400, 320 + 10) = 330
    Case("above the reserve", (bid(A, 400), bid(B, 320)), (L, OUT), A, 330, lot=RESERVE_300),
    # 19b. reserve 300: A 250, B 200 -> min(250, 200 + 10) = 210; A's 250 < 300: not lifted
    Case("both below the reserve", (bid(A, 250), bid(B, 200)), (L, OUT), A, 210,
         lot=RESERVE_300),
    # 20. a bid at 12:58, within 5 min of 13:00: the end moves to 12:58 + 5 = 13:03
    Case("soft close", (bid(A, 150, at(12, 58)),), (L,), A, 100, at(13, 3)),
    # 21. a bid at 12:50 is outside the window: the end stays 13:00
    Case("outside the window", (bid(A, 150, at(12, 50)),), (L,), A, 100),
    # 22. 12:58 -> 13:03; B at 13:02 (before the new end) -> 13:07; B leads at 160
    Case("chain", (bid(A, 150, at(12, 58)), bid(B, 200, at(13, 2))), (L, L), B, 160,
         at(13, 7)),
    # 23. a bid at 13:00 exactly is at the end: closed
    Case("at the end", (bid(A, 150, at(13, 0)),), (Outcome.CLOSED,), None, 0),
    # 24. 12:58 moved the end to 13:03; a bid at 13:03:00 is closed, A keeps 100
    Case("at the moved end", (bid(A, 150, at(12, 58)), bid(B, 200, at(13, 3))),
         (L, Outcome.CLOSED), A, 100, at(13, 3)),
    # 25. before the start: not open
    Case("not open", (bid(A, 150, at(11, 59)),), (Outcome.NOT_OPEN,), None, 0),
    # 26. a refused bid in the window does not extend: end stays 13:00
    Case("refused, no extension", (bid(A, 150, at(12, 50)), bid(B, 105, at(12, 58))),
         (L, Outcome.TOO_LOW), A, 100),
    # 27. an outbid (accepted) bid in the window extends: 12:57 + 5 = 13:02, price 130
    Case("outbid extends", (bid(A, 150, at(12, 50)), bid(B, 120, at(12, 57))), (L, OUT), A,
         130, at(13, 2)),
    # 28. the leader raising within the window moves neither price nor leader: no
    #     extension, the end stays 13:00 (raising cannot keep an auction open)
    Case("raise does not extend", (bid(A, 150, at(12, 50)), bid(A, 400, at(12, 59))),
         (L, L), A, 100),
    # 28b. but a raise that lifts the price to the reserve (300) moves it: 12:59 + 5
    Case("raise to the reserve extends", (bid(A, 150, at(12, 50)), bid(A, 400, at(12, 59))),
         (L, L), A, 300, at(13, 4), lot=RESERVE_300),
    # 29. buy now 1000: B's 1200 wins at once at 1000 (above min(1200, 160)); ends at 12:30
    Case("buy now", (bid(A, 150), bid(B, 1200)), (L, L), B, 1000, at(12, 30),
         lot=BUY_NOW_1000),
    # 30. after a buy-now win every bid is closed: C's 5000 changes nothing
    Case("after buy now", (bid(A, 1000), bid(C, 5000, at(12, 31))), (L, Outcome.CLOSED), A,
         1000, at(12, 30), lot=BUY_NOW_1000),
    # 31. buy now 1000 but A's 900 is below it: an ordinary lead at 100
    Case("below buy now", (bid(A, 900),), (L,), A, 100, lot=BUY_NOW_1000),
)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.why)
def test_hand_computed_cases(case: Case) -> None:
    steps = replay(case.lot, case.bids)
    assert tuple(step.outcome for step in steps) == case.outcomes
    state = final(case.lot, case.bids)
    assert (state.leader, state.price_minor, state.ends_at) == (
        case.leader, case.price, case.ends_at)


def test_the_reserve_is_met_only_when_the_price_reaches_it() -> None:
    assert not final(RESERVE_300, [bid(A, 150)]).reserve_met(RESERVE_300)
    assert final(RESERVE_300, [bid(A, 150), bid(B, 300)]).reserve_met(RESERVE_300)
    assert final(lot(), [bid(A, 150)]).reserve_met(lot())      # no reserve: met by a bid
    assert not State(ends_at=END).reserve_met(lot())            # no bid: nothing to meet


def test_the_minimum_next_bid_and_public_numbers() -> None:
    assert State(ends_at=END).minimum_next(lot()) == 100
    assert final(lot(), [bid(A, 800), bid(B, 600)]).minimum_next(lot()) == 625 + 25
    assert labels([B, A, B, C, A]) == {B: 1, A: 2, C: 3}


def test_a_lot_refuses_tables_that_would_make_a_price_fall() -> None:
    with pytest.raises(ValueError):
        lot(increments=((0, 10), (500, 5)))
    with pytest.raises(ValueError):
        lot(increments=((100, 10),))
    with pytest.raises(ValueError):
        lot(ends_at=NOON)


# --- against a reference model ----------------------------------------------------------

@dataclass(frozen=True)
class Reference:
    """The same auction, recomputed from scratch after every bid: the leader is the highest
    maximum (the earliest of equal ones), the price the second-highest maximum plus its
    increment, capped at the leader's, or the start when alone — except that a leader
    raising their own maximum leaves the price where it stood; then the reserve and buy
    now. It shares no code with the module but the increment table."""

    lot: Lot

    def run(self, bids: Sequence[Bid]) -> list[tuple[Outcome, int | None, int, datetime]]:
        maxima: dict[int, tuple[int, int]] = {}       # bidder -> (max, order placed)
        ends, bought, seen = self.lot.ends_at, False, []
        leader, price = None, 0
        for order, b in enumerate(bids):
            outcome = self._judge(b, maxima, leader, price, ends, bought)
            if outcome in ACCEPTED:
                before = (leader, price)
                raising = b.bidder == leader      # the price stood; only the reserve may lift
                maxima[b.bidder] = (b.max_minor, order)
                leader, standing = self._standing(maxima)
                price = self._lifted(price, b.max_minor) if raising else standing
                buy_now = self.lot.buy_now_minor
                if buy_now is not None and leader == b.bidder and b.max_minor >= buy_now:
                    price, bought, ends = max(price, buy_now), True, b.at
                elif b.at > ends - self.lot.soft_close and (leader, price) != before:
                    ends = max(ends, b.at + self.lot.soft_close)
            seen.append((outcome, leader, price, ends))
        return seen

    def _judge(self, b: Bid, maxima: dict[int, tuple[int, int]], leader: int | None,
               price: int, ends: datetime, bought: bool) -> Outcome:
        if b.at < self.lot.starts_at:
            return Outcome.NOT_OPEN
        if b.at >= ends or bought:
            return Outcome.CLOSED
        if leader is None:
            return Outcome.LEADING if b.max_minor >= self.lot.starting_minor \
                else Outcome.BELOW_START
        if b.bidder == leader:
            return Outcome.LEADING if b.max_minor > maxima[leader][0] \
                else Outcome.CANNOT_LOWER
        if b.max_minor < price + self.lot.increment(price):
            return Outcome.TOO_LOW
        return Outcome.LEADING if b.max_minor > maxima[leader][0] else Outcome.OUTBID

    def _standing(self, maxima: dict[int, tuple[int, int]]) -> tuple[int, int]:
        ranked = sorted(maxima.items(), key=lambda item: (-item[1][0], item[1][1]))
        leader, (top, _) = ranked[0]
        if len(ranked) == 1:
            price = self.lot.starting_minor
        else:
            second = ranked[1][1][0]
            price = min(top, second + self.lot.increment(second))
        return leader, self._lifted(price, top)

    def _lifted(self, price: int, top: int) -> int:
        reserve = self.lot.reserve_minor
        return reserve if reserve is not None and top >= reserve > price else price


def _random_bids(rng: random.Random, lot_: Lot) -> list[Bid]:
    bids, moment, level = [], lot_.starts_at - timedelta(minutes=1), lot_.starting_minor
    for _ in range(rng.randint(1, 25)):
        moment += timedelta(seconds=rng.choice((5, 30, 90, 240, 600)))
        level = max(50, level + rng.randint(-60, 120))
        bids.append(Bid(rng.randint(1, 4), level + rng.choice((0, 5, 10, 25, 50, 300)),
                        moment))
    return bids


@pytest.mark.parametrize("seed", range(300))
def test_the_rules_match_the_reference_model_on_random_bids(seed: int) -> None:
    rng = random.Random(seed)
    lot_ = lot(reserve_minor=rng.choice((None, 250, 600)),
               buy_now_minor=rng.choice((None, None, 900)),
               ends_at=NOON + timedelta(minutes=rng.choice((20, 40, 60))))
    bids = _random_bids(rng, lot_)
    expected = Reference(lot_).run(bids)
    state = State(ends_at=lot_.ends_at)
    for b, (outcome, leader, price, ends) in zip(bids, expected, strict=True):
        step = place(lot_, state, b)
        state = step.state
        assert (step.outcome, state.leader, state.price_minor, state.ends_at) == (
            outcome, leader, price, ends), (seed, b)
    assert final(lot_, bids) == state        # replaying the history gives the same state
