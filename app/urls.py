"""Internal addresses by route name: `url("grants:call", org="mlima", call_id=3)` gives
"/o/mlima/calls/3", and `query=` adds the query string. Python and templates (the `url`
global) build every internal link with it, so an address is written once, in its route.

The route table is built once, on the first call, from the same `app.routing.routes()` the
app serves (without the development routes, which nothing links to)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from urllib.parse import urlencode

from starlette.routing import Router


@cache
def _router() -> Router:
    from app.routing import routes  # the domains' routes import this module: built lazily

    return Router(routes=routes())


def url(name: str, /, *, query: Mapping[str, object] | None = None, **params: object) -> str:
    """The path of the route `name` with its parameters (NoMatchFound when there is no
    such route or a parameter is missing), and the query string when given."""
    path = str(_router().url_path_for(name, **params))
    kept = {key: value for key, value in (query or {}).items() if value is not None}
    return f"{path}?{urlencode(kept, doseq=True, safe='/')}" if kept else path
