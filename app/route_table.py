"""Walking a Starlette route table into (full path, route) pairs, through mounts."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import BaseRoute, Mount, Route


class IdConvertor(Convertor[int]):
    """`{name:id}`: a row id. Too many digits for a database integer is simply not found."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


class SlugConvertor(Convertor[str]):
    """`{name:slug}`: an organisation's address; anything else is not found before a query."""

    regex = "[a-z0-9][a-z0-9-]{1,46}[a-z0-9]"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("id", IdConvertor())
register_url_convertor("slug", SlugConvertor())


def walk_routes(routes: Sequence[BaseRoute], prefix: str = "") -> list[tuple[str, Route]]:
    found: list[tuple[str, Route]] = []
    for route in routes:
        if isinstance(route, Mount):
            found += walk_routes(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            found.append((prefix + route.path, route))
    return found
