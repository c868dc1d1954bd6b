"""Which pledged followers a sponsor can trust. Pure functions: no I/O.

Quality-adjusted reach counts an account's followers unless the account is protected (its
reposts reach only approved followers) or shows a sign of inflation:
- young: created less than `YOUNG_DAYS` ago;
- ratio: it follows far more accounts than follow it (follow-for-follow), or almost as
  many as follow it while having many followers;
- duplicate: the same handle pledged from another network (one person counted twice).
Flagged accounts still count in the raw reach; staff see the flags, sponsors a summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

YOUNG_DAYS = 90
FOLLOW_BACK_RATIO = 5.0


@dataclass(frozen=True)
class Account:
    followers: int
    following: int
    protected: bool
    created_at: datetime | None


def flags(account: Account, now: datetime, *, duplicate: bool = False) -> tuple[str, ...]:
    found: list[str] = []
    if account.created_at is not None and now - account.created_at < timedelta(days=YOUNG_DAYS):
        found.append("young")
    if account.following > FOLLOW_BACK_RATIO * max(account.followers, 1) or (
            account.followers >= 10_000 and account.following >= 0.9 * account.followers):
        found.append("ratio")
    if duplicate:
        found.append("duplicate")
    return tuple(found)


def quality_reach(account: Account, now: datetime, *, duplicate: bool = False) -> int:
    if account.protected or flags(account, now, duplicate=duplicate):
        return 0
    return account.followers
