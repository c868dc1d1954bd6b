"""The only place app/ names the domains: each registry is a tuple of module names, imported
by name where it is used, so nothing else in app/ imports a domain (a test checks it)."""

from __future__ import annotations

# Tortoise's model modules (one app label, `models`, covers them all).
MODEL_MODULES: tuple[str, ...] = (
    "app.accounts.models",
    "app.orgs.models",
    "app.audit",
    "app.queue_models",
    "grants.funds.models",
    "grants.calls.models",
    "grants.coops.models",
    "grants.applications.models",
    "grants.review.models",
    "grants.projects.models",
    "grants.impact.models",
    "campaigns.campaign.models",
    "campaigns.pledges.models",
    "campaigns.auction.models",
    "campaigns.broadcast.models",
)

# Each lists its jobs in JOBS and its schedules in PERIODIC (app/queue.py).
TASK_MODULES: tuple[str, ...] = (
    "app.tasks",
    "grants.calls.tasks",
    "grants.coops.tasks",
    "grants.applications.tasks",
    "grants.review.tasks",
    "grants.projects.tasks",
    "campaigns.pledges.tasks",
    "campaigns.auction.tasks",
    "campaigns.broadcast.tasks",
)

# Each holds PAGES and API (route lists) and CACHEABLE (public paths served from a short
# cache to anonymous visitors), mounted in this order (app/routing.py).
ROUTE_MODULES: tuple[str, ...] = ("grants.routes", "campaigns.routes")

# Which stored files each domain's rows point to: `async def kept(keys) -> set[str]`
# (app/tasks.py removes the others once they are a day old).
FILE_MODULES: tuple[str, ...] = ("grants.applications.files", "campaigns.files")

# What each domain holds about a user (app/privacy.py).
PRIVACY_MODULES: tuple[str, ...] = ("grants.privacy", "campaigns.privacy")

# Each adds `harambee` subcommands with `add_commands(subparsers)` (app/cli.py).
COMMAND_MODULES: tuple[str, ...] = ("campaigns.broadcast.commands",)

# Where the message catalogs' Python strings are found (app/i18n_catalogs.py).
CATALOG_DIRECTORIES: tuple[str, ...] = ("app", "grants", "campaigns")

# Development only, never imported in production: the demo data `harambee demo` loads,
# and the routes mounted when the X simulator stands in for X (settings.x_simulator).
DEMO_MODULE = "devtools.demo"
DEVELOPMENT_ROUTE_MODULES: tuple[str, ...] = ("devtools.x_simulator.mount",)
