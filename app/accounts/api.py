"""Account endpoints of the JSON API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.accounts import service
from app.accounts.models import ApiToken, User
from app.accounts.schemas import TokenIn, TokenOut, UserOut
from app.api import api_user, json_body, respond


def user_out(user: User) -> UserOut:
    return UserOut(id=user.id, email=user.email, display_name=user.display_name,
                   locale=user.locale, timezone=user.timezone, verified=user.is_verified)


def token_out(token: ApiToken, secret: str | None = None) -> TokenOut:
    return TokenOut(id=token.id, name=token.name, prefix=token.prefix, token=secret)


async def me(request: Request) -> Response:
    return respond(user_out(api_user(request)))


async def list_tokens(request: Request) -> Response:
    return respond([token_out(t) for t in await service.list_api_tokens(api_user(request))])


async def create_token(request: Request) -> Response:
    user = api_user(request)
    data = await json_body(request, TokenIn)
    token, secret = await service.create_api_token(user, data.name)
    return respond(token_out(token, secret), status_code=201)


async def revoke_token(request: Request) -> Response:
    await service.revoke_api_token(api_user(request), request.path_params["token_id"])
    return Response(status_code=204)
