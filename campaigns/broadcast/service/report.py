"""What a broadcast has done: the counts by state, the failures and skips by reason, the
followers of the accounts that reposted, the rate and the time left while it runs, and the
start, end and duration once it is over — for the staff's live page, the API and, in
summary, the sponsor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.functions import Count, Sum

from app import timefmt
from app.i18n import lazy_gettext as _l
from app.orgs.models import Organisation
from app.tenancy import scoped
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState

RATE_WINDOW = timedelta(seconds=60)
REASONS = {                                  # what each recorded reason means, for people
    "withdrawn": _l("the supporter withdrew"),
    "revoked": _l("the account's access was revoked"),
    "token_refused": _l("the network refused the account's access"),
    "protected": _l("the account is protected"),
    "suspended": _l("the account is suspended"),
    "network_error": _l("the network kept failing"),
    "post_deleted": _l("the post was deleted"),
    "no_publisher": _l("no account to publish the post"),
    "aborted_by_staff": _l("stopped by the foundation"),
    "campaign_cancelled": _l("the campaign was cancelled"),
    "mailed": _l("sent by email"),
    "no_email": _l("on the pledge page only (no email)"),
    "mail_error": _l("the email could not be sent"),
}
FINAL = (DeliveryState.DELIVERED, DeliveryState.FAILED, DeliveryState.SKIPPED,
         DeliveryState.CANCELLED, DeliveryState.OFFERED)
EXPLAINED = (DeliveryState.FAILED, DeliveryState.SKIPPED, DeliveryState.CANCELLED,
             DeliveryState.OFFERED)      # counted by reason too


@dataclass(frozen=True)
class Report:
    broadcast: Broadcast
    counts: dict[str, int]                  # by delivery state, every state present
    reasons: dict[str, dict[str, int]]      # failed / skipped / cancelled: by reason
    delivered_followers: int
    links_opened: int                       # assisted mode: one-tap links used
    per_second: float                       # final states recorded over the last minute
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def explained(self) -> list[tuple[str, str, int]]:
        """(state, reason in words, count) for every delivery not simply delivered."""
        return [(state, str(REASONS.get(reason, reason)), count)
                for state, by_reason in self.reasons.items()
                for reason, count in by_reason.items()]

    @property
    def stop_reason(self) -> str:
        """Why it ended early, in words ("" when it did not)."""
        reason = self.broadcast.stop_reason
        return str(REASONS.get(reason, reason))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def left(self) -> int:
        return self.counts[DeliveryState.PENDING] + self.counts[DeliveryState.IN_FLIGHT]

    @property
    def seconds_left(self) -> float | None:
        if self.broadcast.status is not BroadcastStatus.RUNNING or not self.per_second:
            return None
        return self.left / self.per_second

    @property
    def time_left(self) -> timedelta | None:
        left = self.seconds_left
        return None if left is None else timedelta(seconds=left)

    @property
    def duration(self) -> timedelta | None:
        if self.started_at is None:
            return None
        return (self.finished_at or timefmt.now()) - self.started_at


async def report(org: Organisation, broadcast_id: int) -> Report:
    row = await scoped(Broadcast, org).get(id=broadcast_id)
    mine = scoped(Delivery, org).filter(broadcast_id=row.id)
    counts = {state.value: 0 for state in DeliveryState}
    for found in await mine.annotate(n=Count("id")).group_by("state").values("state", "n"):
        counts[str(found["state"])] = int(found["n"])
    reasons: dict[str, dict[str, int]] = {}
    for found in await mine.filter(state__in=list(EXPLAINED)).annotate(
            n=Count("id")).group_by("state", "reason").values("state", "reason", "n"):
        reasons.setdefault(str(found["state"]), {})[str(found["reason"]) or "-"] = int(
            found["n"])
    followers = await mine.filter(state=DeliveryState.DELIVERED).annotate(
        f=Sum("followers")).values("f")
    recent = await mine.filter(state__in=list(FINAL),
                               updated_at__gte=timefmt.now() - RATE_WINDOW).count()
    return Report(
        broadcast=row, counts=counts, reasons=reasons,
        delivered_followers=int((followers[0]["f"] if followers else 0) or 0),
        links_opened=await mine.filter(link_opened_at__not_isnull=True).count(),
        per_second=recent / RATE_WINDOW.total_seconds(),
        started_at=row.started_at, finished_at=row.finished_at)


async def of_campaign(org: Organisation, campaign_id: int) -> list[Report]:
    """The reports of the campaign's broadcasts that have begun or ended (its sponsor's)."""
    begun = scoped(Broadcast, org).filter(
        Q(started_at__not_isnull=True) | Q(finished_at__not_isnull=True),
        campaign_id=campaign_id).order_by("id")
    ids: list[int] = await begun.values_list("id", flat=True)  # type: ignore[assignment]
    return [await report(org, row_id) for row_id in ids]
