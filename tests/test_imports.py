"""The import graph of ``linkgraph`` and ``loaders`` has no cycles.

Every ``import`` counts, including those inside functions (a lazy import
hides a cycle, it does not remove it).  A module imports the modules it
names: ``from a.b import c`` is an import of ``a.b.c`` when that is a
module, else of ``a.b``; a package's ``__init__`` is not counted as
imported by its submodules, and ``if TYPE_CHECKING:`` imports (which never
run) are not counted.  ``loaders`` uses the contract modules of
``linkgraph`` (errors, schema, vocab, normalize) and ``linkgraph.dataset``
uses the readers of ``loaders``; no cycle means no module on that path
imports back.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("linkgraph", "loaders", "cypher")


def module_files() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` (at ``path``) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                       for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` except those under ``if TYPE_CHECKING:``."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                todo.extend(child.orelse)
            else:
                todo.append(child)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def import_graph() -> nx.DiGraph:
    modules = module_files()
    g = nx.DiGraph()
    g.add_nodes_from(modules)
    for name, path in modules.items():
        g.add_edges_from((name, dep) for dep in imported(name, path, modules))
    return g


@pytest.fixture(scope="module")
def tree_graph():
    """The import graph of this tree, walked once for the tests that read it."""
    return import_graph()


def test_the_walk_sees_lazy_and_package_imports(tree_graph):
    g = tree_graph
    # a function-level import (the session imports each analysis when asked for it)
    assert g.has_edge("linkgraph.session", "linkgraph.analysis.clusters")
    # "from package import module" is an import of the module
    assert g.has_edge("linkgraph.analysis.conflicts.find", "linkgraph.analysis.conflicts.rules")
    assert g.number_of_nodes() > 100
    # the generator's type-only import of build from realism does not count
    assert not g.has_edge("loaders.generator.realism", "loaders.generator.build")
    assert g.has_edge("loaders.generator.build", "loaders.generator.realism")


def test_a_cycle_is_found(tmp_path, monkeypatch):
    """The check itself: two modules importing each other (one lazily) are a cycle."""
    pkg = tmp_path / "linkgraph"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from linkgraph import b\n")
    (pkg / "b.py").write_text("def f():\n    from linkgraph.a import x\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    g = import_graph()
    assert {"linkgraph.a", "linkgraph.b"} in [c for c in nx.strongly_connected_components(g)]


def test_no_import_cycles(tree_graph):
    g = tree_graph
    cycles = [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]
    assert not cycles, "import cycles:\n" + "\n".join(
        " <-> ".join(c) for c in sorted(cycles))
