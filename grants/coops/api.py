"""Co-ops in the JSON API: create a profile, the caller becoming its owner."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.api import api_user, json_body, respond
from grants.coops import service as coops
from grants.coops.models import Cooperative
from grants.coops.schemas import CertificationIn, CooperativeIn, CooperativeOut
from grants.shared.web import api_caller


async def coop_out(coop: Cooperative) -> CooperativeOut:
    return CooperativeOut(
        id=coop.id, legal_name=coop.legal_name, country=coop.country, region=coop.region,
        legal_form=coop.legal_form, commodities=coop.commodities,
        members_total=coop.members_total, members_women=coop.members_women,
        members_youth=coop.members_youth,
        certifications=[CertificationIn(**c) for c in coop.certifications],
        year_founded=coop.year_founded, network=await coops.network_name(coop) or None)


async def create_cooperative(request: Request) -> Response:
    org, _staff = await api_caller(request)
    coop = await coops.create_cooperative(api_user(request), org,
                                          await json_body(request, CooperativeIn))
    return respond(await coop_out(coop), status_code=201)
