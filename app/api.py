"""The JSON API's plumbing: declared endpoints (the source of the OpenAPI document) and auth."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.accounts.models import User
from app.errors import BadRequest, NotAuthenticated
from app.forms import validate
from app.i18n import lazy_gettext as _l
from app.pagination import Page

Schema = TypeVar("Schema", bound=BaseModel)
Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class ApiSpec:
    summary: str
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    many: bool = False
    public: bool = False
    status_code: int = 200


def api_route(path: str, endpoint: Endpoint, *, method: str, name: str, spec: ApiSpec) -> Route:
    route = Route(path, endpoint, methods=[method], name=name)
    route.api_spec = spec  # type: ignore[attr-defined]
    return route


def api_user(request: Request) -> User:
    user = request.scope.get("user")
    if not isinstance(user, User):
        raise NotAuthenticated(_l("Send a valid API token as 'Authorization: Bearer <token>'."))
    return user


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object, or a 400 that says what is wrong with it."""
    try:
        data = await request.json()
    except (ValueError, RecursionError) as exc:  # RecursionError: deeply nested arrays
        raise BadRequest(_l("The body is not valid JSON."), code="malformed_json") from exc
    if not isinstance(data, dict):
        raise BadRequest(_l("The body must be a JSON object."), code="malformed_json")
    return data


async def json_body(request: Request, schema: type[Schema]) -> Schema:
    return validate(schema, await json_object(request))


def respond_page(request: Request, items: list[Any], page: Page[Any]) -> JSONResponse:
    """A page of a list: the items, with the total and the next page's link in headers."""
    response = respond(items)
    response.headers["x-total-count"] = str(page.total)
    if page.has_next:
        next_url = request.url.include_query_params(page=page.number + 1)
        response.headers["link"] = f'<{next_url}>; rel="next"'
    return response


def respond(payload: BaseModel | list[Any], status_code: int = 200) -> JSONResponse:
    if isinstance(payload, list):
        return JSONResponse([item.model_dump(mode="json") for item in payload],
                            status_code=status_code)
    return JSONResponse(payload.model_dump(mode="json"), status_code=status_code)
