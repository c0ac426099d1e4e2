"""Columns the contract does not know are kept (reported once) as text
properties: load → tables → graph → Neo4j rows and files → tables again."""
from __future__ import annotations

import csv
import shutil

import pytest

from linkgraph.dataset import load_dataset
from linkgraph.graph import build_graph, tables_from_graph
from tests.conftest import DATA


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """tests/data/tiny with two unknown units columns (备注, 联系电话), a
    headerless column and a header that repeats 备注."""
    out = tmp_path_factory.mktemp("extras") / "tiny"
    shutil.copytree(DATA / "tiny", out)
    path = out / "units.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[0] += ["备注", " 联系电话 ", "", "备注"]
    for i, r in enumerate(rows[1:]):
        r += ["重点单位" if i == 0 else "", f"028-{i}", "x" if i == 0 else "", "重复"]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return out


@pytest.fixture(scope="module")
def dataset(folder):
    return load_dataset(folder)


def test_unknown_columns_are_kept_and_reported_once(dataset):
    units = dataset.tables["units"]
    assert list(units.columns[-2:]) == ["备注", "联系电话"]
    assert units["备注"].tolist() == ["重点单位", None, None, None]
    assert units["联系电话"].tolist() == ["028-0", "028-1", "028-2", "028-3"]
    kept = [v for v in dataset.warnings if v.table == "units" and "附加属性" in v.reason]
    assert sorted(v.value for v in kept) == ["备注", "联系电话"]
    ignored = [v for v in dataset.warnings if v.table == "units" and "已忽略" in v.reason]
    assert len(ignored) == 2   # the headerless column and the second 备注
    assert len(units) == 4 and dataset.rows_rejected == 0


def test_unknown_columns_are_node_properties_and_come_back(dataset):
    G = build_graph(dataset)
    assert G.nodes["Unit:U1"]["备注"] == "重点单位"
    assert G.nodes["Unit:U2"]["联系电话"] == "028-1" and "备注" not in G.nodes["Unit:U2"]
    back = tables_from_graph(G)["units"]
    assert back["备注"].tolist() == dataset.tables["units"]["备注"].tolist()
    assert back["联系电话"].tolist() == dataset.tables["units"]["联系电话"].tolist()


def test_unknown_columns_in_neo4j_rows_and_import_files(dataset, tmp_path):
    from linkgraph.neo4j.bulk import export
    from linkgraph.neo4j.pull import write_tables
    from linkgraph.neo4j.rows import node_rows

    units = next(r for r in node_rows(dataset.tables) if r.label == "Unit")
    assert units.rows[0]["备注"] == "重点单位" and "备注" not in units.rows[1]
    export(dataset.tables, tmp_path / "bulk")
    header = (tmp_path / "bulk" / "nodes_Unit.csv").read_text("utf-8").splitlines()[0]
    assert header.endswith(",备注,联系电话")
    write_tables(dataset.tables, tmp_path / "copy")
    again = load_dataset(tmp_path / "copy").tables["units"]
    assert again["备注"].tolist() == dataset.tables["units"]["备注"].tolist()


def test_pseudonymize_scrubs_unknown_columns(folder, tmp_path):
    from linkgraph.privacy import make_pseudonyms, pseudonymize_tables

    tables = dict(load_dataset(folder).tables)
    units = tables["units"].copy()
    units.loc[units.index[0], "备注"] = "联系人陈明"
    tables["units"] = units
    pseudo = make_pseudonyms(tables["people"], salt=b"s")
    out, _ = pseudonymize_tables(tables, pseudo)
    assert out["units"]["备注"].tolist()[0] == "联系人" + pseudo.names["P1"]
