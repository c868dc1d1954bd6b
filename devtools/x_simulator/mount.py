"""The X simulator mounted inside the app at /x-sim (app/registry.py names this module), so
`make run` shows connecting, pledging and the broadcast offline."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from app.settings import SIMULATOR_CLIENT, Settings
from campaigns.pledges.links import callback_address
from devtools.demo import broadcast as demo_broadcast
from devtools.x_simulator.server import create_simulator, demo_simulator


def routes(settings: Settings) -> list[BaseRoute]:
    assert not settings.production
    sim = demo_simulator({SIMULATOR_CLIENT[0]: SIMULATOR_CLIENT[1]})
    sim.callbacks[SIMULATOR_CLIENT[0]] = frozenset({callback_address(settings, "x")})
    sim.control_token = str(settings.x_simulator_token) if settings.x_simulator_token else None
    demo_broadcast.seed_simulator(sim, settings, SIMULATOR_CLIENT[0])
    return [Mount("/x-sim", app=create_simulator(sim), name="x_simulator")]
