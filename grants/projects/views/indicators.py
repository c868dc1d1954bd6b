"""Staff's page of the organisation's indicator catalogue: the measures its projects report,
and a form to add one of its own."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.errors import Invalid
from app.templating import render
from app.urls import url
from app.web import form_dict, redirect
from grants.projects import outcomes
from grants.projects.service import indicators
from grants.shared.web import page_context, staff_of


async def catalogue_page(request: Request) -> Response:
    membership = await staff_of(request)
    org = membership.organisation
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        async with request.form() as form:
            values = {key: str(value) for key, value in form_dict(form).items()}
        try:
            await indicators.add_indicator(
                membership, key=values.get("key", "").strip(), name=values.get("name", ""),
                unit=values.get("unit", ""), direction=values.get("direction", ""))
        except Invalid as error:
            errors = error.fields
        else:
            return redirect(url("grants:indicators", org=org.slug, query={"added": 1}))
    return render(request, "grants/projects/indicators.html", page_context(
        request, org, is_staff=True, rows=await indicators.catalogue(org), values=values,
        errors=errors, units=outcomes.UNITS),
        status_code=422 if errors else 200)
