"""Demo data: fictional organisations and people, so a fresh `make run` has something to show."""

from __future__ import annotations

import importlib

from app.accounts.models import User
from app.commands import add_member, ensure_user
from app.db import atomic, close_db, init_db
from app.orgs.models import Organisation, Role
from app.settings import Settings

DEMO_MODULES = ("devtools.demo.grants", "devtools.demo.campaigns")
DEMO_PASSWORD = "harambee-demo"
DEMO_DOMAIN = "demo.example.org"  # example.org: reserved, and valid to the email validator

PEOPLE = (
    ("owner", "Wanjiru Kamau", "en", "Africa/Nairobi", Role.OWNER),
    ("staff", "Lucía Quispe", "es", "America/Lima", Role.STAFF),
    ("reviewer", "Joseph Okello", "en", "Africa/Kampala", Role.REVIEWER),
)


async def load(settings: Settings) -> None:
    async with atomic():
        fund, _ = await Organisation.get_or_create(slug="mlima-growers-fund", defaults={
            "name": "Mlima Growers Fund", "default_currency": "USD",
            "locales": ["en", "es", "sw", "fr", "pt"], "timezone": "Africa/Nairobi",
        })
        for handle, name, locale, timezone, role in PEOPLE:
            user = await ensure_user(settings, f"{handle}@{DEMO_DOMAIN}", DEMO_PASSWORD, name,
                                     locale, timezone)
            await add_member(fund, user, role)
        # A co-op manager with an account but no membership: applicants are ordinary users.
        await ensure_user(settings, f"coop@{DEMO_DOMAIN}", DEMO_PASSWORD, "Amani Mwangi", "sw",
                          "Africa/Dar_es_Salaam")
        for module in DEMO_MODULES:  # each domain adds its own, by name: app/ imports no domain
            await importlib.import_module(module).load(settings, fund)


async def load_command(settings: Settings, *, only_if_empty: bool) -> int:
    """`harambee demo [--if-empty]`: what `make run` calls on a fresh database."""
    await init_db(settings.database_url)
    try:
        if only_if_empty and await User.exists():
            print("The database already has data: demo data not loaded.")
            return 0
        await load(settings)
        print("Demo data loaded. Sign in as owner@demo.example.org, password "
              "'harambee-demo' (see README).")
        return 0
    finally:
        await close_db()
