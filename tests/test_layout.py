"""generator/ reads as the pipeline (docs/ARCHITECTURE.md): four layers, imports flowing one way only.

A module may import from its own layer or a lower one, never a higher one, and no import may close a
cycle. Every import counts: those inside functions and under `if TYPE_CHECKING:` too, since a lazy import
that only dodges a cycle is the same cycle.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

# The one table of layers (lowest first); docs/ARCHITECTURE.md shows it, and a test below keeps the two equal.
# A module belongs to the longest entry that holds it (see layer_of); one that belongs to none fails the test.
LAYERS: dict[str, int] = {
    "generator": 0,  # the package itself (its __init__ imports nothing)
    "generator.base": 0,
    "generator.content": 1,
    "generator.pages": 2,
    "generator.importer": 2,
    "generator.forms": 2,  # the other side entrance: agencies' Excel forms out, their reports in  # a side entrance: a signed decision in, draft content/ out; reads content/ only
    "generator.publish": 3,
    "generator.__main__": 4,  # the command line: the top, above everything it runs
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module
    where: str  # path:line


def _module_name(file: Path, top: Path) -> str:
    return ".".join(file.relative_to(top.parent).with_suffix("").parts).removesuffix(".__init__")


def imports(top: Path) -> list[Import]:
    """Every import between modules of the package at `top`, wherever it sits in a file."""
    package = top.name
    files = sorted(top.rglob("*.py"))
    modules = {_module_name(f, top) for f in files}
    found: list[Import] = []
    for file in files:
        name = _module_name(file, top)
        here = name if file.name == "__init__.py" else name.rpartition(".")[0]
        where = file.relative_to(top.parent).as_posix()
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), str(file))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                # `from package import module` imports that module; `from module import name`, the module.
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module for a in node.names]
            for target in dict.fromkeys(targets):
                if (target == package or target.startswith(package + ".")) and target != name:
                    found.append(Import(name, target, f"{where}:{node.lineno}"))
    return found


def layer_of(module: str, layers: dict[str, int]) -> int | None:
    """The layer of the longest entry that is `module` or a package holding it; the top package (no dot in its
    name) holds nothing but itself, so a new module dropped flat into generator/ belongs to no layer."""
    owners = [prefix for prefix in layers if module == prefix or ("." in prefix and module.startswith(prefix + "."))]
    return layers[max(owners, key=len)] if owners else None


def cycles(edges: list[Import]) -> list[tuple[list[Import], list[str]]]:
    """Each strongly connected group of modules (Tarjan): one cycle through it, as the imports that close
    it, and all its modules (breaking that one cycle may leave another in the group)."""
    graph: dict[str, dict[str, Import]] = {}
    for edge in edges:
        graph.setdefault(edge.source, {}).setdefault(edge.target, edge)
        graph.setdefault(edge.target, {})
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # recursion depth is bounded by the number of modules (tens)
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    found = []
    for group in groups:
        members = set(group)
        # Walk from the group's first module, breadth first inside the group, back to itself.
        start = group[0]
        paths: dict[str, list[Import]] = {start: []}
        queue = [start]
        closing: list[Import] | None = None
        while queue and closing is None:
            node = queue.pop(0)
            for nxt, edge in sorted(graph[node].items()):
                if nxt == start:
                    closing = [*paths[node], edge]
                    break
                if nxt in members and nxt not in paths:
                    paths[nxt] = [*paths[node], edge]
                    queue.append(nxt)
        assert closing is not None
        found.append((closing, group))
    return found


def layout_problems(top: Path, layers: dict[str, int]) -> list[str]:
    """Every module outside the layers, every upward import and every cycle, one line each."""
    edges = imports(top)
    problems = []
    for file in sorted(top.rglob("*.py")):
        module = _module_name(file, top)
        if layer_of(module, layers) is None:
            problems.append(
                f"{file.relative_to(top.parent).as_posix()}: {module} is in no layer: move it into a package"
            )
    for edge in edges:
        source, target = layer_of(edge.source, layers), layer_of(edge.target, layers)
        if source is not None and target is not None and target > source:
            problems.append(
                f"{edge.where}: upward import: {edge.source} (layer {source}) imports {edge.target} (layer {target})"
            )
    for cycle, group in cycles(edges):
        chain = " → ".join([cycle[0].source, *(edge.target for edge in cycle)])
        knot = f"; all of {', '.join(group)} import each other" if len(group) > len(cycle) else ""
        problems.append(f"import cycle {chain} (at {', '.join(edge.where for edge in cycle)}){knot}")
    return problems


def test_generator_imports_flow_one_way() -> None:
    assert layout_problems(ROOT / "generator", LAYERS) == []


def test_the_architecture_note_shows_the_same_layers() -> None:
    note = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d) \| `(generator/[\w/]*?)/?` \|", note, re.MULTILINE)
    packages = [(int(layer), path.replace("/", ".")) for layer, path in rows]
    assert packages == [(layer, name) for name, layer in LAYERS.items() if name.count(".") == 1 and layer < 4]


# The checker itself can fail: a planted package with each kind of mistake.


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    top = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(text, encoding="utf-8")
    return top


PLANTED_LAYERS = {"pkg": 0, "pkg.low": 0, "pkg.high": 1}


def test_an_upward_import_is_reported_at_its_line(tmp_path: Path) -> None:
    top = _package(
        tmp_path,
        {
            "low/__init__.py": "",
            "low/a.py": '"""A low module."""\n\nfrom pkg.high import b\n',
            "high/__init__.py": "",
            "high/b.py": "X = 1\n",
        },
    )
    assert layout_problems(top, PLANTED_LAYERS) == [
        "pkg/low/a.py:3: upward import: pkg.low.a (layer 0) imports pkg.high.b (layer 1)"
    ]


@pytest.mark.parametrize(
    "hidden",
    [
        "def f():\n    from pkg.low import a\n",  # inside a function: lazy, still a cycle
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .a import X\n",  # relative, for types only
    ],
)
def test_a_cycle_is_reported_however_it_is_hidden(tmp_path: Path, hidden: str) -> None:
    top = _package(
        tmp_path,
        {"low/__init__.py": "", "low/a.py": "from pkg.low.c import Y\n\nX = 1\n", "low/c.py": hidden + "\nY = 2\n"},
    )
    (problem,) = layout_problems(top, PLANTED_LAYERS)
    assert problem.startswith("import cycle pkg.low.a → pkg.low.c → pkg.low.a (at pkg/low/a.py:1, pkg/low/c.py:")


def test_a_module_outside_every_layer_is_reported(tmp_path: Path) -> None:
    top = _package(tmp_path, {"stray.py": "from pkg.high import b\n", "high/__init__.py": "", "high/b.py": ""})
    assert layout_problems(top, PLANTED_LAYERS) == ["pkg/stray.py: pkg.stray is in no layer: move it into a package"]
