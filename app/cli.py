"""The `harambee` command: serve, worker, migrate, demo, create-org, create-user, token, and
the domains' own commands (app/registry.py: COMMAND_MODULES)."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from app.db import DatabaseUnavailable
from app.registry import COMMAND_MODULES, DEMO_MODULE
from app.settings import Settings, SettingsError, load_settings


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app.main import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, access_log=args.access_log,
                proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips)
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from app.worker import run_worker

    if not settings.redis_url:
        print("harambee worker needs REDIS_URL; without it jobs run inside `harambee serve`.",
              file=sys.stderr)
        return 2
    run_worker(settings)
    return 0


Command = Callable[[Settings, argparse.Namespace], int]


def run_async(command: Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]
              ) -> Command:
    """A command written as a coroutine, run on its own event loop (domains' commands too)."""
    def run(settings: Settings, args: argparse.Namespace) -> int:
        return asyncio.run(command(settings, args))
    return run


async def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from app.db import migrate

    await migrate(settings.database_url)
    print("Migrations applied.")
    return 0


def _makemigrations(settings: Settings, args: argparse.Namespace) -> int:
    from tortoise.cli.cli import run_cli_async

    extra = ["--name", args.name] if args.name else []
    return asyncio.run(run_cli_async(["-c", "app.db.MIGRATIONS_CONFIG", "makemigrations",
                                      *extra]))


async def _demo(settings: Settings, args: argparse.Namespace) -> int:
    demo = importlib.import_module(DEMO_MODULE)  # development data, never imported otherwise
    result: int = await demo.load_command(settings, only_if_empty=args.if_empty)
    return result


async def _create_org(settings: Settings, args: argparse.Namespace) -> int:
    from app import commands

    return await commands.create_org(settings, args.slug, args.name)


async def _create_user(settings: Settings, args: argparse.Namespace) -> int:
    from app import commands

    password = sys.stdin.readline().rstrip("\n")
    return await commands.create_user(settings, args.email, password, args.org, args.role,
                                      args.name)


async def _token_create(settings: Settings, args: argparse.Namespace) -> int:
    from app import commands

    return await commands.create_token(settings, args.email, args.name)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harambee", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--access-log", action="store_true")
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    serve.set_defaults(run=_serve)
    sub.add_parser("worker", help="run the arq worker (needs REDIS_URL)").set_defaults(run=_worker)
    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(run=run_async(_migrate))
    make = sub.add_parser("makemigrations", help="write a migration for model changes")
    make.add_argument("--name")
    make.set_defaults(run=_makemigrations)
    demo = sub.add_parser("demo", help="load demo organisations and people")
    demo.add_argument("--if-empty", action="store_true", help="only when there are no users")
    demo.set_defaults(run=run_async(_demo))
    org = sub.add_parser("create-org", help="create an organisation")
    org.add_argument("slug")
    org.add_argument("name")
    org.set_defaults(run=run_async(_create_org))
    user = sub.add_parser("create-user", help="create a verified user; password read from stdin")
    user.add_argument("email")
    user.add_argument("--org", required=True)
    user.add_argument("--role", required=True, choices=["owner", "staff", "reviewer"])
    user.add_argument("--name")
    user.set_defaults(run=run_async(_create_user))
    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create an API token and print it once")
    create.add_argument("email")
    create.add_argument("--name", default="cli")
    create.set_defaults(run=run_async(_token_create))
    for name in COMMAND_MODULES:  # each domain adds its own, by name
        importlib.import_module(name).add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        result: int = args.run(settings, args)
    except DatabaseUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    raise SystemExit(main())
