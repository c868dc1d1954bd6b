"""The practice library anyone may read: what worked, and where."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.templating import render
from grants.impact.service import practices
from grants.shared.web import org_of, page_context


async def practice_library(request: Request) -> Response:
    """What worked for other co-ops, by crop and challenge."""
    org = await org_of(request)
    crop = request.query_params.get("commodity", "")
    challenge = request.query_params.get("category", "")
    found = await practices.library(org, commodities=[crop] if crop else None,
                                    categories=[challenge] if challenge else None)
    return render(request, "grants/impact/practices.html", page_context(
        request, org, practices=found, commodity=crop, category=challenge))
