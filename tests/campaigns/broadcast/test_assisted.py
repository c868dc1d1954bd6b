"""Assisted mode against the X simulator: no automatic repost is made; each supporter is
given the one-tap link (by mail if they left an email, on the pledge page in any case); the
link is counted once when opened and leads to the network's repost intent; a mail server
that refuses is retried, then the delivery fails with its reason; the mode is decided at the
moment, so an approval recorded after the post's approval counts."""

from __future__ import annotations

import re
from email.message import EmailMessage

import httpx
import pytest

from app.mail import OutboxMailer
from app.settings import Settings
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.service import assisted, fanout, publishing
from campaigns.broadcast.service import report as broadcast_report
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from campaigns.campaign.models import NetworkApproval
from campaigns.pledges.links import repost_path
from campaigns.pledges.models import Pledge
from campaigns.pledges.statuses import PledgeStatus
from tests.campaigns.broadcast.test_fanout import Scene, engine, scene, states
from tests.campaigns.conftest import XWorld
from tests.helpers import mail_texts, post_form

pytestmark = pytest.mark.usefixtures("queued")  # a broadcast's end queues its report


def told(settings: Settings, s: Scene, x: XWorld, **options: object) -> fanout.Engine:
    ctx = {"settings": settings, "mailer": options.pop("mailer", None)
           or OutboxMailer(settings.outbox_dir)}
    return engine(s, x, tell=assisted.teller(ctx), **{"mail_backoff_base": 0.01, **options})


async def assisted_scene(settings: Settings, x: XWorld) -> Scene:
    s = await scene(settings, x, ["mailed", "no_email", "withdrawn"], assisted=True)
    await Pledge.filter(account__handle="mailed").update(email="fan@example.org", locale="sw")
    await Pledge.filter(account__handle="withdrawn").update(email="gone@example.org",
                                                            status=PledgeStatus.WITHDRAWN)
    return s


async def test_each_supporter_gets_the_link_and_nothing_is_reposted_for_them(
        x: XWorld, x_client: httpx.AsyncClient, settings: Settings) -> None:
    s = await assisted_scene(settings, x)
    assert s.broadcast.assisted
    assert await told(settings, s, x).run() is BroadcastStatus.COMPLETED
    assert await states(s) == {"mailed": (DeliveryState.OFFERED, "mailed"),
                               "no_email": (DeliveryState.OFFERED, "no_email"),
                               "withdrawn": (DeliveryState.SKIPPED, "withdrawn")}
    assert x.sim.repost_calls == {} and x.sim.reposts_made == 0     # nothing automatic
    assert mail_texts(settings, "gone@example.org") == []
    [mail] = mail_texts(settings, "fan@example.org")
    assert "Kahawa Bora pays co-ops fairly" in mail and "@mailed" in mail
    assert "Habari" in mail                                          # in their language
    link = re.search(r"http://testserver(/pledges/\S+/repost)", mail)
    assert link is not None
    report = await broadcast_report.report(s.org, s.broadcast.id)
    assert (report.counts["offered"], report.links_opened, report.counts["delivered"]) == (
        2, 0, 0)
    assert report.reasons["offered"] == {"mailed": 1, "no_email": 1}

    manage = link.group(1).removesuffix("/repost")
    followed = await x_client.get(link.group(1))                     # a mail scanner too
    assert followed.status_code == 303 and followed.headers["location"] == f"{manage}#repost"
    assert (await broadcast_report.report(s.org, s.broadcast.id)).links_opened == 0
    page = await x_client.get(manage)                                # the pledge's page
    assert "Repost as @mailed" in page.text and "Kahawa Bora" in page.text
    tapped = await post_form(x_client, link.group(1), {}, token_from=manage)
    intent = f"{x.base_url}/intent/retweet?tweet_id={s.broadcast.post_ref}"
    assert tapped.status_code == 200 and f'content="0;url={intent}"' in tapped.text
    await post_form(x_client, link.group(1), {}, token_from=manage)  # twice: counted once
    assert (await broadcast_report.report(s.org, s.broadcast.id)).links_opened == 1

    async with httpx.AsyncClient() as web:                           # the network's side
        shown = await web.get(intent)
        assert "Kahawa Bora pays co-ops fairly" in shown.text
        done = await web.post(intent, data={"user_id": s.users["mailed"].id})
    assert done.status_code == 200 and s.broadcast.post_ref in s.users["mailed"].retweets


async def test_a_withdrawn_supporter_has_no_link(
        x: XWorld, x_client: httpx.AsyncClient, settings: Settings) -> None:
    s = await assisted_scene(settings, x)
    await told(settings, s, x).run()
    pledge = await Pledge.get(account__handle="withdrawn")
    path = repost_path(settings, pledge)
    answer = await x_client.get(path)
    assert answer.status_code == 303 and answer.headers["location"].endswith(
        path.removesuffix("/repost"))                                # back to the pledge
    assert "Repost as" not in (await x_client.get(answer.headers["location"])).text
    tapped = await post_form(x_client, path, {})
    assert tapped.status_code == 303                                 # a tap: nothing either
    assert not await Delivery.filter(pledge_id=pledge.id, link_opened_at__not_isnull=True
                                     ).exists()


class Refusing:
    """A mail server that refuses the first `times` messages."""

    def __init__(self, times: int) -> None:
        self.times, self.sent = times, 0

    async def send(self, message: EmailMessage) -> None:
        if self.times > 0:
            self.times -= 1
            raise ConnectionRefusedError("mail server down")
        self.sent += 1


@pytest.mark.parametrize(("refusals", "outcome"), [
    (2, (DeliveryState.OFFERED, "mailed")),
    (fanout.MAX_ATTEMPTS, (DeliveryState.FAILED, "mail_error"))])
async def test_a_refusing_mail_server_is_retried_then_fails(
        x: XWorld, settings: Settings, refusals: int,
        outcome: tuple[DeliveryState, str]) -> None:
    s = await assisted_scene(settings, x)
    mailer = Refusing(refusals)
    assert await told(settings, s, x, mailer=mailer).run() is BroadcastStatus.COMPLETED
    found = await states(s)
    assert found["mailed"] == outcome and found["no_email"] == (DeliveryState.OFFERED,
                                                                "no_email")
    assert mailer.sent == (1 if outcome[0] is DeliveryState.OFFERED else 0)


async def test_the_mode_is_decided_at_the_moment(x: XWorld, settings: Settings) -> None:
    s = await scene(settings, x, ["fan0"], published=False, assisted=True)
    assert s.broadcast.assisted                                      # no approval yet
    await NetworkApproval.filter(organisation_id=s.org.id).update(approved=True)
    status = await publishing.publish(s.org, s.broadcast.id, x.provider, s.box)
    assert status is BroadcastStatus.RUNNING
    assert not (await Broadcast.get(id=s.broadcast.id)).assisted     # reposts, automated
