"""`python -m bench.seed_calls`: bring the demo organisation to 50 open calls, so the public
list of calls is measured at a full page (the environment names the database)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from app.db import close_db, init_db
from app.orgs.models import Organisation
from app.settings import load_settings
from app.timefmt import now
from grants.calls.models import Call
from grants.calls.statuses import CallStatus

OPEN_CALLS = 50
DEMO_ORG = "mlima-growers-fund"


async def seed() -> None:
    await init_db(load_settings().database_url)
    try:
        org = await Organisation.get(slug=DEMO_ORG)
        template = await Call.filter(organisation_id=org.id,  # unscoped: the demo's own
                                     status=CallStatus.OPEN).order_by("id").first()
        assert template is not None, "the demo has open calls"
        missing = OPEN_CALLS - await Call.filter(organisation_id=org.id,  # unscoped: ditto
                                                 status=CallStatus.OPEN).count()
        for number in range(missing):
            await Call.create(
                organisation=org, fund_id=template.fund_id, status=CallStatus.OPEN,
                title={code: f"{text} · {number + 1}" for code, text in template.title.items()},
                description=template.description, opens_at=template.opens_at,
                closes_at=now() + timedelta(days=10 + number), currency=template.currency,
                budget_minor=template.budget_minor, min_request_minor=template.min_request_minor,
                max_request_minor=template.max_request_minor, categories=template.categories,
                eligibility=template.eligibility, form=template.form)
    finally:
        await close_db()


if __name__ == "__main__":
    asyncio.run(seed())
