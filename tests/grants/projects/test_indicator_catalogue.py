"""Staff's indicator catalogue page: the seeded measures listed, one of the organisation's own
added (named in the staff member's language), bad input named by field and nothing saved,
and the page closed to anyone but staff."""

from __future__ import annotations

import httpx
import pytest

from grants.projects.models import Indicator
from grants.projects.statuses import Direction
from tests.grants.factories import make_staff
from tests.helpers import login, make_org, make_user, post_form

pytestmark = pytest.mark.usefixtures("app")
PAGE = "/o/mlima-fund/manage/indicators"


async def test_staff_add_an_indicator_of_their_own(client: httpx.AsyncClient) -> None:
    org = await make_org()
    await make_staff(org, "ana@fund.example")
    await login(client, "ana@fund.example")
    shown = await client.get(PAGE)
    assert shown.status_code == 200 and "Cost of production" in shown.text
    bad = await post_form(client, PAGE, {"key": "Water use!", "name": "", "unit": "litres",
                                         "direction": "sideways"}, token_from=PAGE)
    assert bad.status_code == 422
    for message in ("Use lowercase letters", "Give it a name.", "Choose one of the options."):
        assert message in bad.text
    assert await Indicator.filter(organisation_id=org.id).count() == 9
    again = await post_form(client, PAGE, {"key": "yield_per_ha", "name": "Yield",
                                           "unit": "kg_per_ha", "direction": "up"},
                            token_from=PAGE)
    assert again.status_code == 422 and "already has this key" in again.text
    added = await post_form(client, PAGE, {"key": "water_use", "name": "Water per kg of coffee",
                                           "unit": "per_kg", "direction": "down"},
                            token_from=PAGE)
    assert added.status_code == 303
    row = await Indicator.get(organisation_id=org.id, key="water_use")
    assert row.direction is Direction.DOWN and row.name == {"en": "Water per kg of coffee"}
    assert "Water per kg of coffee" in (await client.get(PAGE)).text


async def test_the_catalogue_is_for_staff(client: httpx.AsyncClient) -> None:
    await make_org()
    await make_user(email="coop@coops.example")
    await login(client, "coop@coops.example")
    assert (await client.get(PAGE)).status_code == 404
