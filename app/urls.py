"""Internal addresses by route name: `url("grants:call", org="mlima", call_id=3)` gives
"/o/mlima/calls/3", and `query=` adds the query string. Python and templates (the `url`
global) build every internal link with it, so an address is written once, in its route.

The table of names is built once, on the first call, from the same `app.routing.routes()`
the app serves (without the development routes, which nothing links to): a name finds its
route in a dictionary, not by trying every route in turn, so a page of a hundred links
costs a hundred lookups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from urllib.parse import urlencode

from starlette.routing import BaseRoute, Mount, Route, Router

API_PREFIX = "/api/"  # every JSON endpoint lives under it (app/routing.py mounts /api/v1)


def _named(routes: Sequence[BaseRoute], prefix: str = "", space: str = ""
           ) -> dict[str, tuple[str, Route]]:
    """Each route by its full name (a named mount's routes are `<mount>:<name>`), with the
    path of the mounts above it."""
    found: dict[str, tuple[str, Route]] = {}
    for route in routes:
        if isinstance(route, Mount) and route.routes:
            inner = f"{space}{route.name}:" if route.name else space
            found |= _named(route.routes, prefix + route.path, inner)
        elif isinstance(route, Route) and route.name:
            found[space + route.name] = (prefix, route)
    return found


@cache
def _table() -> tuple[dict[str, tuple[str, Route]], Router]:
    from app.routing import routes  # the domains' routes import this module: built lazily

    table = routes()
    return _named(table), Router(routes=table)


def url(name: str, /, *, query: Mapping[str, object] | None = None, **params: object) -> str:
    """The path of the route `name` with its parameters (NoMatchFound when there is no
    such route or a parameter is missing), and the query string when given."""
    named, router = _table()
    found = named.get(name)
    if found is None:               # a mount's own name, such as "static"
        path = str(router.url_path_for(name, **params))
    else:
        prefix, route = found
        path = prefix + str(route.url_path_for(route.name, **params))
    kept = {key: value for key, value in (query or {}).items() if value is not None}
    return f"{path}?{urlencode(kept, doseq=True, safe='/')}" if kept else path
