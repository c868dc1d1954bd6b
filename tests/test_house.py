"""The house's rules that import contracts cannot see (pyproject.toml's [tool.importlinter]
holds the others; `make test` runs both): handlers run no queries of their own, each domain's
top stays small, no module grows past 400 lines, and the door contract stays whole."""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ("grants", "campaigns")
PRODUCT = ("app", *DOMAINS)

# What reads or writes rows: a model's query methods, an instance's own, and app's helpers.
QUERY_METHODS = frozenset({
    "filter", "get", "get_or_none", "get_or_create", "update_or_create", "create", "all",
    "exists", "count", "exclude", "select_for_update", "bulk_create", "bulk_update", "raw",
    "values", "values_list", "first", "annotate", "in_bulk", "update", "delete"})
INSTANCE_METHODS = frozenset({"save", "delete", "fetch_related", "refresh_from_db"})
QUERY_HELPERS = frozenset({"scoped", "get_scoped", "raw_rows", "atomic", "in_transaction"})


def queries_in(source: str) -> list[str]:
    """Where a module runs a query itself: `Model.filter(...)` on a name imported from a
    models module, `row.save()` on a name it did not import, or `scoped(...)`, `atomic()`."""
    tree = ast.parse(source)
    models: set[str] = set()
    helpers: set[str] = set()
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                name = alias.asname or alias.name
                imported.add(name)
                if node.module.endswith(".models") or node.module == "app.audit":
                    models.add(name)
                if alias.name in QUERY_HELPERS:
                    helpers.add(name)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in helpers:
            found.append(f"line {node.lineno}: {func.id}()")
        elif isinstance(func, ast.Attribute):
            receiver = func.value.id if isinstance(func.value, ast.Name) else None
            if receiver in models and func.attr in QUERY_METHODS:
                found.append(f"line {node.lineno}: {receiver}.{func.attr}()")
            elif func.attr in INSTANCE_METHODS and receiver not in imported:
                found.append(f"line {node.lineno}: {ast.unparse(func.value)}.{func.attr}()")
    return found


def handler_modules() -> Iterator[Path]:
    """Views and API modules, and what the handlers share (`web.py`)."""
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name in ("views.py", "api.py", "web.py") or path.parent.name == "views":
                yield path


def test_views_and_api_modules_run_no_queries_of_their_own() -> None:
    problems = [f"{path.relative_to(ROOT)} {where}" for path in handler_modules()
                for where in queries_in(path.read_text())]
    assert not problems, ("a handler reads or writes rows itself: move it into the package's "
                          "service (one use case per request):\n" + "\n".join(problems))


def test_the_check_finds_a_query_planted_in_a_handler() -> None:
    planted = '''
from app.tenancy import get_scoped
from grants.calls.models import Call
from grants.calls import service as calls

async def page(request, org):
    await calls.staff_call(org, 1)          # a service call: fine
    call = await Call.get_or_none(id=1)
    other = await get_scoped(Call, org, id=2)
    other.title = "x"
    await other.save()
'''
    assert queries_in(planted) == ["line 8: Call.get_or_none()", "line 9: get_scoped()",
                                   "line 11: other.save()"]


def test_each_domain_top_holds_at_most_ten_entries() -> None:
    """Sub-domain packages and the few modules the registries name: a newcomer sees the
    domain's parts, not its files."""
    for domain in DOMAINS:
        entries = sorted(p.name for p in (ROOT / domain).iterdir()
                         if p.name not in ("__init__.py", "__pycache__")
                         and (p.suffix == ".py" or (p / "__init__.py").exists()))
        assert len(entries) <= 10, f"{domain}/ holds {len(entries)}: {entries}"


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for package in (*PRODUCT, "devtools")
            for p in (ROOT / package).rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 400}
    assert not long, long


def test_views_live_in_a_views_role() -> None:
    stray = [str(p.relative_to(ROOT)) for package in PRODUCT
             for p in (ROOT / package).rglob("*_views.py")]
    assert not stray, stray


def test_the_door_contract_forbids_every_grants_module_but_the_door() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [door] = [c for c in config["contracts"] if c["name"].startswith("campaigns uses grants")]
    children = {f"grants.{p.stem}" for p in (ROOT / "grants").glob("*.py")
                if p.name != "__init__.py"}
    children |= {f"grants.{p.parent.name}" for p in (ROOT / "grants").glob("*/__init__.py")}
    expected = (children - {"grants.funds"}) | {"grants.funds.*"}
    assert set(door["forbidden_modules"]) == expected


def test_statuses_move_only_through_app_moves() -> None:
    """No status is set by hand under a type: ignore: app/moves.py sets it, typed."""
    by_hand = [f"{p.relative_to(ROOT)}:{n}" for package in PRODUCT
               for p in (ROOT / package).rglob("*.py")
               for n, line in enumerate(p.read_text().splitlines(), 1)
               if ".status = " in line and "type: ignore" in line]
    assert not by_hand, by_hand


# Internal addresses are built from route names (app/urls.py): a path written by hand in a
# template or in Python outside the route tables is found here.
PATH_START = re.compile(r"""^/(o|orgs|login|logout|signup|account|home|calls|campaigns|pledges|
    password|coop-invitations|webhooks|static|api|healthz|readyz)(/|$|\?)""", re.VERBOSE)
TEMPLATE_PATH = re.compile(r"""(href|action|src|formaction)=["']/|["']/(o|orgs|login|logout|
    signup|account|home|calls|campaigns|pledges|static|api)/""", re.VERBOSE)


# Other services' APIs: their paths are theirs, not routes of ours.
EXTERNAL_CLIENTS = ("campaigns/networks/",)


def _declared(tree: ast.Module) -> set[int]:
    """Strings in module-level CONSTANTS: a route's prefix or an exemption's pattern declares
    a shape of address, it does not link to one."""
    return {id(node) for statement in tree.body
            if isinstance(statement, (ast.Assign, ast.AnnAssign))
            and all(isinstance(t, ast.Name) and t.id.isupper() for t in (
                statement.targets if isinstance(statement, ast.Assign) else [statement.target]))
            for node in ast.walk(statement)}


def hand_built_paths(source: str) -> list[str]:
    """f-strings that start with "/" and literals that start like one of our addresses."""
    found = []
    tree = ast.parse(source)
    nodes = list(ast.walk(tree))
    parts = {id(part) for node in nodes if isinstance(node, ast.JoinedStr)
             for part in node.values} | _declared(tree)
    for node in nodes:
        if id(node) in parts:
            continue
        if (isinstance(node, ast.JoinedStr) and node.values
                and isinstance(node.values[0], ast.Constant)
                and str(node.values[0].value).startswith("/")):
            found.append(f"line {node.lineno}: {ast.unparse(node)[:60]}")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and PATH_START.match(node.value)):
            found.append(f"line {node.lineno}: {node.value[:60]!r}")
    return found


def test_python_builds_no_internal_path_by_hand() -> None:
    problems = [f"{path.relative_to(ROOT)} {where}" for package in PRODUCT
                for path in sorted((ROOT / package).rglob("*.py"))
                if path.name not in ("routes.py", "routing.py")
                and not str(path.relative_to(ROOT)).startswith(EXTERNAL_CLIENTS)
                for where in hand_built_paths(path.read_text())]
    assert not problems, ("build it with app.urls.url(name, **params):\n"
                          + "\n".join(problems))


def test_the_path_check_finds_a_planted_path() -> None:
    planted = ('ORG = "/o/{org:slug}"\n'
               'def go(org, n):\n    return redirect(f"/o/{org.slug}/calls/{n}"), "/home"\n')
    assert sorted(hand_built_paths(planted)) == ["line 3: '/home'",
                                                 "line 3: f'/o/{org.slug}/calls/{n}'"]


def test_templates_build_no_internal_path_by_hand() -> None:
    problems = [f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}"
                for path in sorted((ROOT / "templates").rglob("*.html"))
                for number, line in enumerate(path.read_text().splitlines(), 1)
                if TEMPLATE_PATH.search(line)]
    assert not problems, ("build it with {{ url(name, ...) }}:\n" + "\n".join(problems))
