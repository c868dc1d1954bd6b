"""Every package the code imports is declared in pyproject.toml, so the lock holds it on purpose."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from app.settings import ROOT

SOURCES = ("app", "grants", "campaigns", "tests", "bench", "devtools")
OURS = {"app", "grants", "campaigns", "tests", "bench", "devtools", "migrations"}


def _imported_modules() -> set[str]:
    found: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return found - OURS - set(sys.stdlib_module_names)


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"],
                    *(r for extra in project["optional-dependencies"].values() for r in extra)]
    return {_normal(re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0])
            for requirement in requirements}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_package_is_declared() -> None:
    distributions = packages_distributions()
    imported = _imported_modules()
    assert {"starlette", "tortoise", "redis", "requests", "oauthlib", "aiohttp",
            "markupsafe"} <= imported  # the walk sees the code
    undeclared = sorted(
        f"{module} (from {', '.join(distributions.get(module, ['?']))})"
        for module in imported
        if not {_normal(d) for d in distributions.get(module, [module])} & _declared())
    assert not undeclared, "imported but not declared in pyproject.toml: " + ", ".join(undeclared)
