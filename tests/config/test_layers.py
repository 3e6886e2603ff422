"""The layers hold: no function-local import of a project module hides a dependency.

import-linter (`lint-imports`, run by CI and `make lint`) checks which app may import which;
it sees function-local imports as well, but a reader does not. So every project import sits at
the top of its module, where readers, linters and the contracts all see it. TYPE_CHECKING blocks
are fine: they cost nothing at run time and say what a signature means. So is an app's
`AppConfig.ready()`, the one place Django lets an app import its models and hook itself in.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = (
    "config",
    "demo",
    "netwerken",
    "leden",
    "bijeenkomsten",
    "deelname",
    "themas",
    "bevragingen",
    "actieplannen",
    "meldpunt",
    "berichten",
    "portal",
    "nieuwsbrief",
    "contact",
)

# Function-local imports that must stay, with the reason. Keep this short.
ALLOWED: dict[tuple[str, str], str] = {}


def _project_modules() -> list[Path]:
    return sorted(
        path
        for package in PROJECT
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _imported(node: ast.Import | ast.ImportFrom, module: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: resolve against the importing module's package
        base = module.split(".")[: -node.level]
        return [".".join([*base, node.module] if node.module else base)]
    return [node.module or ""]


def local_project_imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for each project import inside a function or class body."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if nested and isinstance(child, ast.Import | ast.ImportFrom):
                for name in _imported(child, module):
                    if name.split(".")[0] in PROJECT:
                        found.append((child.lineno, name))
            is_ready = isinstance(child, ast.FunctionDef) and child.name == "ready"
            if is_ready and path.name == "apps.py":
                continue
            inner = nested or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            )
            visit(child, inner)

    visit(tree, False)
    return found


def test_no_function_local_import_of_a_project_module():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _project_modules()
        for line, name in local_project_imports(path)
        if (str(path.relative_to(ROOT)), name) not in ALLOWED
    ]
    assert offenders == [], "move these imports to the top of their module:\n" + "\n".join(
        offenders
    )


def test_the_check_finds_a_function_local_import(tmp_path):
    """Negative control: the checker is not blind to what it looks for."""
    sample = ROOT / "portal" / "_layer_probe.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from leden.models import Lid\n"
        "def f():\n    from leden.models import Lid\n    from . import cache\n    import json\n"
    )
    try:
        assert local_project_imports(sample) == [(5, "leden.models"), (6, "portal")]
    finally:
        sample.unlink()
