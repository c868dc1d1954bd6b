"""Login throttling is shared by every web process through Redis (two real processes)."""

from __future__ import annotations

import pytest

from app.settings import Settings
from tests.helpers import PASSWORD, csrf_token, make_user
from tests.servers import serving

pytestmark = pytest.mark.postgres_only


async def test_two_web_processes_share_the_login_throttle(settings: Settings) -> None:
    import httpx

    await make_user(email="joseph@example.org")
    env = {"HARAMBEE_ENV": "test", "HARAMBEE_VAR": str(settings.var_dir),
           "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url or "",
           "REDIS_PREFIX": settings.redis_prefix}
    logs = settings.var_dir.parent
    async with serving(env, logs / "first.log") as first, \
            serving(env, logs / "second.log") as second:
        clients = [httpx.AsyncClient(base_url=url) for url in (first, second)]
        try:
            async def attempt(client: httpx.AsyncClient, password: str) -> int:
                token = await csrf_token(client)
                response = await client.post("/login", data={
                    "email": "joseph@example.org", "password": password, "csrf_token": token})
                return response.status_code

            # Three wrong passwords on each process: six in all, over the limit of five.
            for _ in range(3):
                assert {await attempt(c, "wrong") for c in clients} <= {422, 429}
            # Each process alone saw only three, yet both now refuse the right password.
            assert [await attempt(c, PASSWORD) for c in clients] == [429, 429]
        finally:
            for client in clients:
                await client.aclose()
