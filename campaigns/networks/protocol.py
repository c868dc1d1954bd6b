"""What a social network must offer a campaign: the `SocialProvider` protocol and its values.

A provider starts an OAuth authorisation (its URL, with a state and a PKCE verifier the app
keeps server-side), exchanges the code for tokens, refreshes them, reads the account's
profile, publishes a post (the campaign's own account), says whether a post still exists,
reposts or undoes a repost, and lists an account's recent posts (a worker recovering a
delivery asks whether the repost exists before trying again; publishing, whether the post
was made before a crash). Failures are the exceptions below, so callers never
see a client library's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Authorization:
    url: str
    state: str
    code_verifier: str


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str | None
    expires_at: datetime
    scopes: tuple[str, ...]

    def __repr__(self) -> str:  # never a secret in a log line or a traceback
        return f"Tokens(expires_at={self.expires_at.isoformat()}, scopes={self.scopes})"


@dataclass(frozen=True)
class Profile:
    id: str
    handle: str
    followers: int
    following: int
    protected: bool
    created_at: datetime | None
    verified: bool


@dataclass(frozen=True)
class Post:
    id: str
    repost_of: str | None      # the post it reposts, if it is a repost


def reposted(posts: list[Post], post_id: str) -> bool:
    return any(post.repost_of == post_id for post in posts)


class ProviderError(Exception):
    """The network failed or answered something unexpected; a later try may work."""


class TokenExpired(ProviderError):
    """The access token is no longer accepted: refresh it (once) and try again."""


class TokenRevoked(ProviderError):
    """The person revoked the app, or the refresh token is dead: the grant is gone."""


class AccountSuspended(ProviderError):
    pass


class PostGone(ProviderError):
    """The post to repost does not exist (any more): deleted by its author, or by the
    network."""


class RateLimited(ProviderError):
    def __init__(self, message: str, *, reset_at: float | None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class AuthorizationRefused(ProviderError):
    """The callback's state, code or verifier did not match: refuse, never retry."""


class SocialProvider(Protocol):
    network: str

    def authorization(self, redirect_uri: str) -> Authorization: ...

    async def exchange(self, redirect_uri: str, *, code: str, state: str, expected_state: str,
                       code_verifier: str) -> Tokens: ...

    async def refresh(self, refresh_token: str) -> Tokens: ...

    async def profile(self, access_token: str) -> Profile: ...

    async def publish(self, access_token: str, text: str, *, paid_partnership: bool
                      ) -> str: ...

    async def post_exists(self, access_token: str, post_id: str) -> bool: ...

    async def repost(self, access_token: str, account_id: str, post_id: str) -> None: ...

    def repost_link(self, post_id: str) -> str:
        """The network's web intent: the person reposts the post with one tap, signed in
        as themselves (assisted mode)."""
        ...

    async def posts_since(self, access_token: str, account_id: str, since_id: str | None
                          ) -> list[Post]:
        """The account's posts after `since_id` (its most recent ones when None), newest
        first, reposts included."""
        ...

    async def undo_repost(self, access_token: str, account_id: str, post_id: str) -> None: ...
