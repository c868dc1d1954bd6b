"""Routes of the account pages and API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.accounts import api, views
from app.accounts.schemas import TokenIn, TokenOut, UserOut
from app.accounts.views import privacy as privacy_views
from app.api import ApiSpec, api_route

GET_POST = ["GET", "POST"]

PAGES: list[BaseRoute] = [
    Route("/signup", views.signup, methods=GET_POST, name="accounts:signup"),
    Route("/login", views.login, methods=GET_POST, name="accounts:login"),
    Route("/logout", views.logout, methods=GET_POST, name="accounts:logout"),
    Route("/verify-email", views.verify_email, name="accounts:verify_email"),
    Route("/verify-email/resend", views.resend_verification, methods=["POST"],
          name="accounts:resend_verification"),
    Route("/password-reset", views.password_reset, methods=GET_POST,
          name="accounts:password_reset"),
    Route("/password-reset/confirm", views.password_reset_confirm, methods=GET_POST,
          name="accounts:password_reset_confirm"),
    Route("/account", views.account, methods=GET_POST, name="accounts:account"),
    Route("/account/export.zip", privacy_views.export_data, name="accounts:export"),
    Route("/account/delete", privacy_views.delete_account, methods=GET_POST,
          name="accounts:delete"),
    Route("/account/tokens", views.create_token, methods=["POST"], name="accounts:create_token"),
    Route("/account/tokens/{token_id:id}/revoke", views.revoke_token, methods=["POST"],
          name="accounts:revoke_token"),
]

API: list[BaseRoute] = [
    api_route("/me", api.me, method="GET", name="api:me",
              spec=ApiSpec("The token's user", response=UserOut)),
    api_route("/me/tokens", api.list_tokens, method="GET", name="api:list_tokens",
              spec=ApiSpec("The user's live API tokens", response=TokenOut, many=True)),
    api_route("/me/tokens", api.create_token, method="POST", name="api:create_token",
              spec=ApiSpec("Create an API token; its secret is in this answer only",
                           body=TokenIn, response=TokenOut, status_code=201)),
    api_route("/me/tokens/{token_id:id}", api.revoke_token, method="DELETE",
              name="api:revoke_token", spec=ApiSpec("Revoke an API token", status_code=204)),
]
