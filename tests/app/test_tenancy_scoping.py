"""Every query on a tenant-owned model goes through `scoped(Model, org)` or names its
organisation; anything else must say why on the line (`# unscoped: <reason>`)."""

from __future__ import annotations

import ast
from pathlib import Path

from tortoise import Tortoise

from app.orgs.models import TenantModel

ROOT = Path(__file__).resolve().parents[2]
QUERY_METHODS = {"filter", "get", "get_or_none", "all", "exists", "first", "exclude",
                 "get_or_create", "update_or_create", "select_for_update", "annotate", "count"}
SCOPING_KEYWORDS = ("organisation", "organisation_id")
EXEMPT_FILES = {"app/tenancy.py"}


def tenant_model_names() -> set[str]:
    return {name for name, model in Tortoise.apps["models"].items()
            if issubclass(model, TenantModel)}


def unscoped_calls(path: Path, models: set[str]) -> list[str]:
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        target = node.func.value
        if not (isinstance(target, ast.Name) and target.id in models
                and node.func.attr in QUERY_METHODS):
            continue
        scoped = any(k.arg and k.arg.startswith(SCOPING_KEYWORDS) for k in node.keywords)
        if not scoped and "# unscoped:" not in lines[node.lineno - 1]:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {target.id}.{node.func.attr}")
    return found


async def test_tenant_queries_are_scoped(database_url: str) -> None:
    models = tenant_model_names()
    assert {"Membership", "Invitation"} <= models
    files = [p for package in ("app", "grants", "campaigns") for p in (ROOT / package).rglob("*.py")
             if str(p.relative_to(ROOT)) not in EXEMPT_FILES]
    problems = [problem for path in files for problem in unscoped_calls(path, models)]
    assert not problems, "use scoped(Model, org), or say why:\n" + "\n".join(problems)
