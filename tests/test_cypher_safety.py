"""No Cypher is built from data: a scan of linkgraph/ and cypher/.

Every f-string, ``%`` or ``.format`` whose text looks like Cypher may
interpolate only ``label_ref(...)`` / ``type_ref(...)`` (which accept nothing
but ``linkgraph.model``'s fixed lists), and every ``.run`` /
``.execute_query`` gets its statement from a literal, a ``.cypher`` file or
``linkgraph.neo4j.statements``.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CYPHER_WORDS = re.compile(r"\b(MATCH|MERGE|CREATE|UNWIND|RETURN|DELETE|DETACH|SET|WHERE|CALL|"
                          r"CONSTRAINT|INDEX)\b")
SAFE_CALLS = {"label_ref", "type_ref"}
RUNNERS = {"run", "execute_query", "execute_write", "execute_read", "stream"}
#: names a statement may come from when it is not a literal
SAFE_SOURCES = re.compile(r"^(st\.\w+|statements\.\w+|query|query\.text|q\.text|statement|"
                          r"make\(.*\)|st\.\w+\(.*\))$")


def _is_cypher(text: str) -> bool:
    return bool(CYPHER_WORDS.search(text))


def _safe_value(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in SAFE_CALLS)


def problems(source: str, filename: str = "<src>") -> list[str]:
    """Places where data could flow into Cypher text."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values
                           if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if _is_cypher(text):
                for v in node.values:
                    if isinstance(v, ast.FormattedValue) and not _safe_value(v.value):
                        found.append(f"{where}: f-string interpolates {ast.unparse(v.value)}")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
            for side in (node.left, node.right):
                if isinstance(side, ast.Constant) and isinstance(side.value, str) \
                        and _is_cypher(side.value):
                    other = node.right if side is node.left else node.left
                    if not (isinstance(other, ast.Constant) or _safe_value(other)
                            or isinstance(other, ast.JoinedStr)):
                        found.append(f"{where}: Cypher text combined with "
                                     f"{ast.unparse(other)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "format" and isinstance(node.func.value, ast.Constant) \
                    and isinstance(node.func.value.value, str) \
                    and _is_cypher(node.func.value.value):
                found.append(f"{where}: str.format on Cypher text")
            receiver = ast.unparse(node.func.value)
            if node.func.attr in RUNNERS and node.args and receiver != "subprocess":
                first = node.args[0]
                if isinstance(first, ast.Constant) or SAFE_SOURCES.match(ast.unparse(first)):
                    continue
                if isinstance(first, ast.JoinedStr):
                    continue  # judged above as an f-string
                found.append(f"{where}: {node.func.attr}() gets {ast.unparse(first)}")
    return found


def sources() -> list[Path]:
    return sorted([*ROOT.joinpath("linkgraph").rglob("*.py"), *ROOT.joinpath("cypher").rglob("*.py")])


def test_no_cypher_is_built_from_data():
    found = [p for path in sources() for p in problems(path.read_text("utf-8"),
                                                        str(path.relative_to(ROOT)))]
    assert found == []


@pytest.mark.parametrize("bad", [
    'session.run(f"MATCH (n:{label}) RETURN n")',
    'tx.run("MATCH (n {name: \'%s\'}) RETURN n" % name)',
    'driver.execute_query("MATCH (n) WHERE n.id = {} RETURN n".format(ident))',
    'session.run("MATCH (n) WHERE n.name = \'" + name + "\' RETURN n")',
    'q = "MATCH (u:Unit {id: \'" + unit + "\'}) RETURN u"',
    'conn.run(text_from_somewhere)',
])
def test_the_scan_catches_cypher_built_from_data(bad):
    assert problems(bad)


@pytest.mark.parametrize("good", [
    'session.run("MATCH (n:Unit {id: $id}) RETURN n", {"id": unit})',
    'text = f"MATCH (n:{label_ref(label)}) RETURN n"',
    'conn.run(st.merge_nodes(label), {"rows": rows})',
    'message = f"pushed {n} nodes"',
])
def test_the_scan_lets_parameters_and_fixed_labels_pass(good):
    assert problems(good) == []


def test_labels_and_types_come_only_from_the_model():
    from linkgraph.neo4j import statements as st

    for bad in ("Unit) DETACH DELETE n //", "unit", "Person`"):
        with pytest.raises(ValueError):
            st.merge_nodes(bad)
    with pytest.raises(ValueError):
        st.merge_relationships("TIE]->() DELETE r //", "Person", "Person")
    assert "MERGE (n:Unit {id: row.id})" in st.merge_nodes("Unit")
