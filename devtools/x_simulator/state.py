"""The X simulator's state, in memory: apps, accounts, grants, tweets, counters and faults
(the endpoints that speak X's protocol over it are in campaigns/x_simulator.py)."""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

ACCESS_SECONDS = 7200
SCOPES = frozenset({"tweet.read", "tweet.write", "users.read", "offline.access"})
WINDOW_SECONDS = 15 * 60
# per user per 15 minutes, as X documents them; per app: a generous shared ceiling
USER_LIMITS = {"retweet": 50, "me": 75, "tweet": 100, "read": 900}
APP_LIMIT = 100_000


@dataclass
class XUser:
    id: str
    username: str
    name: str
    followers: int
    following: int
    created_at: datetime
    protected: bool = False
    verified: bool = False
    suspended: bool = False
    retweets: dict[str, str] = field(default_factory=dict)  # source tweet id -> repost id


@dataclass
class Grant:
    user_id: str
    client_id: str
    scopes: frozenset[str]
    expires_at: float


@dataclass
class Faults:
    latency_ms: float = 0.0
    error_rate: float = 0.0        # share of API calls answered 503
    throttle_rate: float = 0.0     # share of API calls answered 429
    storm_until: float = 0.0       # every API call is a 429 until then
    hang_after_reposts: int = 0    # the Nth repost is recorded, its answer held until `hung`
                                   # is cleared


@dataclass
class Simulator:
    """The whole simulated X: apps, accounts, grants, tweets, counters and faults."""

    clients: dict[str, str] = field(default_factory=dict)   # client id -> secret
    # client id -> the callback URLs registered for the app (X redirects to no other)
    callbacks: dict[str, frozenset[str]] = field(default_factory=dict)
    control_token: str | None = None   # what /_sim/... asks for; None: no control at all
    users: dict[str, XUser] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    access: dict[str, Grant] = field(default_factory=dict)
    refresh: dict[str, Grant] = field(default_factory=dict)
    used_refresh: set[str] = field(default_factory=set)
    revoked: set[tuple[str, str]] = field(default_factory=set)  # (user, client)
    tweets: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: dict[tuple[str, str, int], int] = field(default_factory=dict)
    faults: Faults = field(default_factory=Faults)
    app_limit: int = APP_LIMIT     # per app per window (the bench raises it)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000_001))
    repost_calls: dict[tuple[str, str], int] = field(default_factory=dict)  # (user, post)
    reposts_made: int = 0
    hung: bool = False             # the answer held back by hang_after_reposts
    hung_on: str = ""              # whose repost it was

    def next_id(self) -> str:
        return str(next(self.counter))

    def record_repost(self, user: XUser, tweet_id: str) -> bool:
        """The user's repost of the tweet, once; whether it is new."""
        if tweet_id in user.retweets:
            return False
        repost = self.next_id()
        user.retweets[tweet_id] = repost
        self.tweets[repost] = {"id": repost, "author_id": user.id, "text": "",
                               "retweet_of": tweet_id}
        self.reposts_made += 1
        return True

    def add_user(self, username: str, followers: int, *, following: int = 100,
                 created_at: datetime | None = None, protected: bool = False,
                 verified: bool = False, user_id: str | None = None) -> XUser:
        user = XUser(id=user_id or self.next_id(), username=username, name=username.title(),
                     followers=followers, following=following,
                     created_at=created_at or datetime(2015, 3, 1, tzinfo=UTC),
                     protected=protected, verified=verified)
        self.users[user.id] = user
        return user

    def issue(self, user_id: str, client_id: str, scopes: frozenset[str],
              access: str | None = None, refresh: str | None = None,
              seconds: int = ACCESS_SECONDS) -> dict[str, Any]:
        """A grant (the tokens given, for seeding many accounts; random otherwise)."""
        access = access or secrets.token_urlsafe(32)
        refresh = refresh or secrets.token_urlsafe(32)
        expires = time.time() + seconds
        self.access[access] = Grant(user_id, client_id, scopes, expires)
        self.refresh[refresh] = Grant(user_id, client_id, scopes, expires)
        return {"token_type": "bearer", "expires_in": seconds, "access_token": access,
                "scope": " ".join(sorted(scopes)), "refresh_token": refresh}


def demo_simulator(clients: dict[str, str] | None = None) -> Simulator:
    """The accounts a developer can sign in as on the authorise page."""
    sim = Simulator(clients=dict(clients or {}))
    for username, followers in (("mama_mboga", 1200), ("kahawa_fan", 48_000),
                                ("cacao_lover", 350), ("chai_time", 9_800)):
        sim.add_user(username, followers)
    sim.add_user("fresh_account", 25_000, following=24_000,
                 created_at=datetime.now(UTC).replace(microsecond=0))
    sim.add_user("quiet_grower", 700, protected=True)
    return sim


def user_json(user: XUser) -> dict[str, Any]:
    """An account as X's API v2 shows it."""
    return {"id": user.id, "name": user.name, "username": user.username,
            "protected": user.protected, "verified": user.verified,
            "created_at": user.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "public_metrics": {"followers_count": user.followers,
                               "following_count": user.following,
                               "tweet_count": 0, "listed_count": 0}}
