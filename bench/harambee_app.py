"""The uvicorn factory for Harambee under benchmark: settings from the harness's environment."""

from __future__ import annotations

from starlette.applications import Starlette

from app.main import create_app
from app.settings import load_settings


def app() -> Starlette:
    return create_app(load_settings())
