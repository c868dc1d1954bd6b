"""Walking a Starlette route table into (full path, route) pairs, through mounts."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute, Mount, Route


def walk_routes(routes: Sequence[BaseRoute], prefix: str = "") -> list[tuple[str, Route]]:
    found: list[tuple[str, Route]] = []
    for route in routes:
        if isinstance(route, Mount):
            found += walk_routes(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            found.append((prefix + route.path, route))
    return found
