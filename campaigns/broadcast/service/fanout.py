"""The fan-out: every pledged account reposts the broadcast's post, once, as fast as the
limits allow, whatever crashes.

Workers claim batches of deliveries in one short transaction (`FOR UPDATE SKIP LOCKED` on
PostgreSQL, so two workers never claim the same row; one worker on SQLite): each becomes
"in flight" under this worker's name with a lease. The repost is then made, and its outcome
recorded by one statement that also releases the claim — and only if the claim is still
this worker's. A worker that dies leaves its claims in flight; when their lease ends any
worker may claim them again, and before reposting it asks the network whether the account
already reposted the post (a crash between the network's answer and our commit): if so the
delivery is recorded delivered, never reposted twice.

Outcomes: delivered; skipped with its reason (the pledge withdrawn, the token revoked,
the account suspended or protected); retried after a backoff with jitter on a network error
or a 5xx, failed with the reason after MAX_ATTEMPTS; put back until the reset on a 429 (the
account's key paused for every worker). An access token the network refuses is refreshed
once, under the account's lock. The post gone (deleted by its author) stops the broadcast:
what is left is cancelled and the report says why. Calls go through the limiter at the
app's ceiling for the network; concurrency only hides the network's latency. In assisted
mode (campaigns.service.assisted) each delivery gives the supporter a one-tap link instead:
"offered", mailed or left on the pledge page; a mail is not idempotent, so a worker killed
between the mail server's answer and our commit may mail that supporter twice (a link, not a
repost: nothing is posted twice).
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F, Q

from app import moves, queue, timefmt
from app.crypto import SecretBox
from app.db import atomic
from app.orgs.models import Organisation
from app.tenancy import scoped
from app.transitions import Refusal
from campaigns.broadcast.lifecycle import BROADCASTS
from campaigns.broadcast.limits import Limiter, backoff
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.service.assisted import MailNotSent, Tell
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from campaigns.campaign.lifecycle import Actor
from campaigns.networks.protocol import (
    AccountSuspended,
    PostGone,
    ProviderError,
    RateLimited,
    SocialProvider,
    TokenExpired,
    TokenRevoked,
    reposted,
)
from campaigns.pledges.models import Pledge, SocialAccount
from campaigns.pledges.service.connect import access_token
from campaigns.pledges.statuses import PledgeStatus

logger = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)       # far above a call's timeout: a live worker keeps it
MAX_ATTEMPTS = 5
OPEN = (DeliveryState.PENDING, DeliveryState.IN_FLIGHT)
ENDED = (BroadcastStatus.STOPPED, BroadcastStatus.ABORTED, BroadcastStatus.COMPLETED)


@dataclass(frozen=True)
class Claimed:
    delivery: Delivery
    recovering: bool      # its lease had ended: ask whether the repost exists first
    pledge_active: bool
    account: SocialAccount


async def claim(org: Organisation, broadcast_id: int, worker: str, size: int,
                lease: timedelta = LEASE) -> list[Claimed]:
    """Up to `size` deliveries for this worker: pending ones that are due, and in-flight
    ones whose lease ended (a worker died); committed before any call is made."""
    now = timefmt.now()
    async with atomic():
        rows = await scoped(Delivery, org).filter(  # the partial index of open ones (0011)
            broadcast_id=broadcast_id, state__in=list(OPEN)).filter(
            Q(state=DeliveryState.PENDING, not_before__isnull=True)
            | Q(state=DeliveryState.PENDING, not_before__lte=now)
            | Q(state=DeliveryState.IN_FLIGHT, lease_until__lt=now)
        ).order_by("id").limit(size).select_for_update(skip_locked=True)
        if rows:
            await scoped(Delivery, org).filter(id__in=[row.id for row in rows]).update(
                state=DeliveryState.IN_FLIGHT, worker=worker, lease_until=now + lease)
    if not rows:
        return []
    # what each delivery needs, read once for the batch
    active_ids: list[int] = await scoped(Pledge, org).filter(  # type: ignore[assignment]
        id__in=[row.pledge_id for row in rows], status=PledgeStatus.ACTIVE
    ).values_list("id", flat=True)
    active = set(active_ids)
    accounts = {account.id: account for account in await scoped(SocialAccount, org).filter(
        id__in=[row.account_id for row in rows])}
    return [Claimed(row, row.state is DeliveryState.IN_FLIGHT, row.pledge_id in active,
                    accounts[row.account_id]) for row in rows]


async def record(org: Organisation, delivery_id: int, worker: str, state: DeliveryState, *,
                 reason: str = "", not_before: datetime | None = None,
                 tried: bool = False) -> bool:
    """The outcome and the claim's release in one statement, only while the claim is this
    worker's (a lease taken over by another worker is theirs to record)."""
    values: dict[str, object] = {"state": state, "reason": reason, "lease_until": None,
                                 "not_before": not_before}
    if state is DeliveryState.DELIVERED:
        values["delivered_at"] = timefmt.now()
    if tried:
        values["attempts"] = F("attempts") + 1
    return bool(await scoped(Delivery, org).filter(
        id=delivery_id, state=DeliveryState.IN_FLIGHT, worker=worker).update(**values))


async def move(org: Organisation, broadcast_id: int, action: str, actor: Actor,
               actor_id: int | None = None, reason: str = "", *,
               tell_sponsor: bool = True) -> Broadcast | None:
    """Move the broadcast by its table (None when the table refuses: it already moved);
    ending early cancels every delivery still open; an end queues the sponsor's report
    (not when the campaign itself was cancelled: they are refunded and told so)."""
    async with atomic():
        row = await scoped(Broadcast, org).select_for_update().get(id=broadcast_id)
        answer = BROADCASTS.decide(row.status, action, actor)
        if isinstance(answer, Refusal):
            return None
        changes: dict[str, object] = {}
        if action == "start":
            changes["started_at"] = timefmt.now()
        if moves.target(row, answer) in ENDED:
            changes.update(finished_at=timefmt.now(), stop_reason=reason or row.stop_reason)
            await scoped(Delivery, org).filter(broadcast_id=row.id, state__in=list(OPEN)
                                               ).update(state=DeliveryState.CANCELLED,
                                                        reason=reason or action,
                                                        lease_until=None)
        await moves.apply(BROADCASTS, row, answer, actor_id, changes=changes,
                          details={"reason": reason} if reason else None)
    if row.finished_at is not None and tell_sponsor:  # ended, once (no second end)
        await queue.enqueue("tell_sponsor_report", row.id,
                            job_id=f"broadcast-report:{row.id}")
    return row


@dataclass
class Engine:
    """One worker's fan-out of one broadcast."""

    org: Organisation
    broadcast: Broadcast
    provider: SocialProvider
    box: SecretBox
    limiter: Limiter
    per_second: float                 # the app's ceiling for reposts on this network
    worker: str
    concurrency: int = 50
    lease: timedelta = LEASE
    check_post_every: float = 10.0    # seconds between checks that the post still exists
    idle_wait: float = 0.2
    backoff_base: float = 0.5         # seconds before the first retry (then doubling)
    mail_backoff_base: float = 30.0   # a mail server's outage lasts minutes, not seconds
    rng: random.Random = field(default_factory=random.Random)
    tell: Tell | None = None          # assisted mode: how a supporter gets the link

    @property
    def app_key(self) -> str:
        return f"{self.broadcast.network}:app"

    async def run(self, seconds: float | None = None) -> BroadcastStatus:
        """Deliver until nothing is left (completed), the broadcast is paused, aborted or
        stopped, or `seconds` have passed (a job's slice: it is running still); returns
        its status then."""
        self.broadcast = await scoped(Broadcast, self.org).get(id=self.broadcast.id)
        running: set[asyncio.Task[None]] = set()
        checked = 0.0
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds if seconds is not None else None
        try:
            while True:
                status = await self._status()
                if status is not BroadcastStatus.RUNNING or (
                        until is not None and loop.time() > until):
                    return status
                if loop.time() - checked > self.check_post_every:
                    checked = loop.time()
                    if not await self._post_exists():
                        await move(self.org, self.broadcast.id, "stop", Actor.SYSTEM,
                                   reason="post_deleted")
                        return BroadcastStatus.STOPPED
                free = self.concurrency - len(running)
                claimed = (await claim(self.org, self.broadcast.id, self.worker, free,
                                       self.lease) if free > 0 else [])
                for item in claimed:
                    task = asyncio.create_task(self._deliver(item))
                    running.add(task)
                    task.add_done_callback(running.discard)
                if claimed and len(running) < self.concurrency:
                    continue
                if running:
                    await asyncio.wait(running, timeout=self.idle_wait,
                                       return_when=asyncio.FIRST_COMPLETED)
                elif not await self._open():
                    await move(self.org, self.broadcast.id, "complete", Actor.SYSTEM)
                    return await self._status()
                else:
                    await asyncio.sleep(self.idle_wait)   # others' claims, or backoffs
        finally:
            if running:   # paused or stopped: let the calls under way record themselves
                await asyncio.gather(*running, return_exceptions=True)

    async def _status(self) -> BroadcastStatus:
        row = await scoped(Broadcast, self.org).get(id=self.broadcast.id)
        return row.status

    async def _open(self) -> bool:
        return await scoped(Delivery, self.org).filter(
            broadcast_id=self.broadcast.id, state__in=list(OPEN)).exists()

    async def _post_exists(self) -> bool:
        publisher = self.broadcast.publisher_id
        if publisher is None or self.broadcast.post_ref is None:
            return True
        try:
            token = await access_token(self.org, publisher, self.provider, self.box)
            await self.limiter.acquire(self.app_key, self.per_second)
            return await self.provider.post_exists(token, self.broadcast.post_ref)
        except ProviderError:
            return True           # unknown: the reposts will say (PostGone) if it is gone

    async def _deliver(self, item: Claimed) -> None:
        delivery, worker = item.delivery, self.worker
        outcome = await self._try(item)
        state, reason, not_before, tried = outcome
        await record(self.org, delivery.id, worker, state, reason=reason,
                     not_before=not_before, tried=tried)
        if reason == "post_deleted":
            await move(self.org, self.broadcast.id, "stop", Actor.SYSTEM,
                       reason="post_deleted")

    async def _try(self, item: Claimed
                   ) -> tuple[DeliveryState, str, datetime | None, bool]:
        """(state, reason, not before, whether it counts as a try) for one delivery."""
        delivery, account = item.delivery, item.account
        if not item.pledge_active:
            return DeliveryState.SKIPPED, "withdrawn", None, False
        if self.broadcast.assisted:
            return await self._offer(delivery)
        if account.revoked_at is not None or account.access_token_enc is None:
            return DeliveryState.SKIPPED, "revoked", None, False
        if account.protected:
            return DeliveryState.SKIPPED, "protected", None, False
        post = self.broadcast.post_ref or ""
        user_key = f"{self.broadcast.network}:user:{account.account_id}"
        try:
            token = await access_token(self.org, account.id, self.provider, self.box, account)
            if item.recovering:
                await self.limiter.acquire(self.app_key, self.per_second)
                if reposted(await self.provider.posts_since(token, account.account_id, post),
                            post):
                    return DeliveryState.DELIVERED, "found_after_lost_lease", None, False
            await self.limiter.acquire(self.app_key, self.per_second)
            try:
                await self.provider.repost(token, account.account_id, post)
            except TokenExpired:          # refused before our clock said so: refresh once
                await scoped(SocialAccount, self.org).filter(id=account.id).update(
                    token_expires_at=None)
                token = await access_token(self.org, account.id, self.provider, self.box)
                await self.limiter.acquire(self.app_key, self.per_second)
                await self.provider.repost(token, account.account_id, post)
        except TokenRevoked:
            return DeliveryState.SKIPPED, "revoked", None, False
        except TokenExpired:
            return DeliveryState.SKIPPED, "token_refused", None, False
        except AccountSuspended:
            return DeliveryState.SKIPPED, "suspended", None, False
        except PostGone:
            return DeliveryState.CANCELLED, "post_deleted", None, False
        except RateLimited as limited:
            reset = limited.reset_at or (timefmt.now().timestamp() + 60)
            await self.limiter.pause(user_key, reset)
            return (DeliveryState.PENDING, "rate_limited",
                    datetime.fromtimestamp(reset, UTC), False)
        except ProviderError:
            return self._retry(delivery, "network_error")
        return DeliveryState.DELIVERED, "", None, False

    async def _offer(self, delivery: Delivery
                     ) -> tuple[DeliveryState, str, datetime | None, bool]:
        """Assisted mode: the supporter's one-tap link, by mail if they left an email."""
        if self.tell is None:
            raise RuntimeError("an assisted broadcast needs a way to tell supporters")
        try:
            mailed = await self.tell(self.org, self.broadcast, delivery.pledge_id)
        except MailNotSent:
            return self._retry(delivery, "mail_error", self.mail_backoff_base)
        except Exception:     # a bug must not keep the delivery in flight for ever
            logger.exception("the link for delivery %s was not sent", delivery.id)
            return self._retry(delivery, "mail_error", self.mail_backoff_base)
        return DeliveryState.OFFERED, "mailed" if mailed else "no_email", None, False

    def _retry(self, delivery: Delivery, reason: str, base: float | None = None
               ) -> tuple[DeliveryState, str, datetime | None, bool]:
        """Again after a backoff with jitter, or failed with the reason after MAX_ATTEMPTS."""
        attempts = delivery.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            return DeliveryState.FAILED, reason, None, True
        wait = backoff(attempts, base=base or self.backoff_base, rng=self.rng)
        return DeliveryState.PENDING, reason, timefmt.now() + timedelta(seconds=wait), True
