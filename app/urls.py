"""Internal addresses by route name: `url("grants:call", org="mlima", call_id=3)` gives
"/o/mlima/calls/3", and `query=` adds the query string. Python and templates (the `url`
global) build every internal link with it, so an address is written once, in its route.

The table of names is built once, on the first call, from the same `app.routing.routes()`
the app serves (without the development routes, which nothing links to): a name finds its
route in a dictionary, not by trying every route in turn, and fills in its parameters
with the route's own convertors (about a microsecond a link)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from starlette.convertors import Convertor
from starlette.routing import BaseRoute, Mount, NoMatchFound, Route, Router

API_PREFIX = "/api/"  # every JSON endpoint lives under it (app/routing.py mounts /api/v1)


@dataclass(frozen=True)
class _Address:
    """A route's whole path with `{name}` for each parameter, and how each is written."""

    template: str
    convertors: dict[str, Convertor[Any]]


def _named(routes: Sequence[BaseRoute], prefix: str = "", space: str = ""
           ) -> dict[str, _Address]:
    """Each route by its full name (a named mount's routes are `<mount>:<name>`), with the
    path of the mounts above it."""
    found: dict[str, _Address] = {}
    for route in routes:
        if isinstance(route, Mount) and route.routes:
            inner = f"{space}{route.name}:" if route.name else space
            found |= _named(route.routes, prefix + route.path, inner)
        elif isinstance(route, Route) and route.name:
            found[space + route.name] = _Address(prefix + route.path_format,
                                                 route.param_convertors)
    return found


@cache
def _table() -> tuple[dict[str, _Address], Router]:
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
    elif params.keys() != found.convertors.keys():
        raise NoMatchFound(name, params)
    else:
        path = found.template.format_map({key: convertor.to_string(params[key])
                                          for key, convertor in found.convertors.items()})
    kept = {key: value for key, value in (query or {}).items() if value is not None}
    return f"{path}?{urlencode(kept, doseq=True, safe='/')}" if kept else path
