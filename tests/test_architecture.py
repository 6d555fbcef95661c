"""The layout of docs/architecture.md, held against the code: no import cycles (imports
inside functions count), dependencies pointing one way, and app folders that stay small.

Reads the source with ``ast``; needs no database."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("supportdesk", "articles", "tickets")
# The project package's site composition (root URLs, home and search pages, the
# sidebar, the demo loader) assembles the apps; the rest of it is their base layer.
COMPOSITION = {
    "supportdesk.urls",
    "supportdesk.views",
    "supportdesk.context_processors",
    "supportdesk.management.commands.load_demo",
}
MAX_TOP_LEVEL_MODULES = 16


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            modules[".".join(parts).removesuffix(".__init__")] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports anywhere in its body, as module names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            # A module importing its own package's __init__ is not an edge back.
            if target and target != name and not name.startswith(target + "."):
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_module_takes_part_in_an_import_cycle(graph):
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_articles_never_imports_tickets(graph):
    wrong = {m: sorted(t for t in ts if t.startswith("tickets")) for m, ts in graph.items()}
    assert {m: ts for m, ts in wrong.items() if m.startswith("articles") and ts} == {}


def test_the_base_layer_imports_no_app(graph):
    wrong = {
        module: sorted(t for t in targets if t.split(".")[0] in ("articles", "tickets"))
        for module, targets in graph.items()
        if module.startswith("supportdesk") and module not in COMPOSITION
    }
    assert {module: targets for module, targets in wrong.items() if targets} == {}


def test_nothing_the_product_serves_imports_bench_code(graph):
    bench = [m for m in graph if m.startswith("tickets.bench")]
    assert bench, "the benchmark dataset moved: update this test"
    users = {
        module
        for module, targets in graph.items()
        if any(t.startswith("tickets.bench") for t in targets)
        and not module.startswith("tickets.bench")
    }
    assert users == {"tickets.management.commands.bench"}


@pytest.mark.parametrize("app", APPS)
def test_app_folders_stay_small(app):
    top_level = sorted(path.name for path in (ROOT / app).glob("*.py"))
    assert len(top_level) <= MAX_TOP_LEVEL_MODULES, top_level
