"""The package's import structure: no module of gql/ imports, at module level, a module
that (directly or not) imports it back, and imports inside functions are kept to the
few places that need them, so a cycle cannot hide behind a function-level import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gql"

# Where an import inside a function is the point: the CLI loads what a command needs
# (a quick `--help`), the tenancy registry imports every model to list the tenant-owned
# tables, and GraphQL types that refer to each other across areas (strawberry.lazy).
DEFERRED_IMPORTS_ALLOWED = {
    "gql/cli.py",
    "gql/tenancy.py",
    "gql/domains/contacts/types.py",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "versions" not in p.parts}


def is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imported(node: ast.AST, known: dict[str, Path]) -> set[str]:
    """The gql modules an import statement imports (a `from a import b` of module b too)."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return {name for name in names if name in known}


def module_level_graph(known: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        edges: set[str] = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.If) and is_type_checking(node):
                continue
            edges |= imported(node, known)
        graph[name] = edges - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def deferred_imports(path: Path, known: dict[str, Path]) -> list[int]:
    """Lines of gql imports inside functions (TYPE_CHECKING blocks are not imports)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if imported(inner, known):
                    lines.append(inner.lineno)
    return sorted(set(lines))


def test_no_module_imports_itself_back():
    assert cycles(module_level_graph(modules())) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_imports_inside_functions_only_where_they_are_the_point():
    known = modules()
    offenders = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in known.values()
        if (lines := deferred_imports(path, known))
        and str(path.relative_to(PACKAGE.parent)) not in DEFERRED_IMPORTS_ALLOWED
    }
    assert offenders == {}


@pytest.mark.parametrize("allowed", sorted(DEFERRED_IMPORTS_ALLOWED))
def test_each_allowed_place_still_needs_it(allowed):
    # An allowance nothing uses any more is one more place a cycle could hide.
    known = modules()
    assert deferred_imports(PACKAGE.parent / allowed, known)
