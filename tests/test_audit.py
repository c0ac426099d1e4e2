"""巡审 linkage on a hand-built ledger (as of 2024-06-30)."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from linkgraph.analysis import ngrams
from linkgraph.analysis.audit import audit_report, match_findings
from linkgraph.dataset import load_dataset
from linkgraph.graph import build_graph, graph_counts
from linkgraph.rules import load_rules
from tests.conftest import write_tables

AS_OF = "2024-06-30"

LEDGER = {
    "units.csv": "unit_id,name,region_id,sector\nU1,甲局,,财政\nU2,乙局,,住建\nU3,丙局,,教育\n"
                 "U4,丁局,,教育\n",
    "rounds.csv": "round_id,name,start,end\nX1,2023年第一轮,2023-03-01,2023-05-31\n"
                  "X2,2024年第二轮,2024-09-01,2024-11-30\n",
    "teams.csv": "team_id,round_id\nT1,X1\nT2,X2\n",
    # U4 is assigned only in X2, which starts after --as-of: not yet inspected
    "assignments.csv": "round_id,team_id,unit_id\nX1,T1,U1\nX1,T1,U2\nX2,T2,U4\n",
    "problems.csv": (
        "problem_id,unit_id,round_id,category,description,found_date\n"
        "Q1,U1,X1,财务管理不规范,违规发放津补贴,2023-04-01\n"
        "Q2,U1,X1,财务管理不规范,公务卡使用不规范,2023-04-02\n"
        "Q3,U1,X1,违反中央八项规定精神,公务接待超标准,2023-04-03\n"
        "Q4,U2,X1,工程项目管理不规范,工程项目未批先建,2023-04-04\n"),
    "audits.csv": (
        "finding_id,unit_id,category,description,amount,audit_date\n"
        # same category as Q1 and Q2, so both match; it shares 违规/发放/补贴
        # n-grams with Q1 only, so Q1 scores higher and best_only keeps Q1
        "A1,U1,财务管理不规范,违规发放补贴,125000,2023-02-01\n"
        # no category: its description holds all of Q3's (公务接待超标准) and
        # is alike enough to match on its own
        "A2,U1,,公务接待超标准问题,,2023-02-02\n"
        # no description: the category alone; Q1 and Q2 tie (both kept)
        "A3,U1,财务管理不规范,,5000,2023-02-03\n"
        # neither category nor words like Q4 in an inspected unit: the inspection missed it
        "A4,U2,违反中央八项规定精神,违规收受礼品,2000,2023-02-04\n"
        # U3 never inspected: a red flag (2 findings, 301000)
        "A5,U3,工程项目管理不规范,工程款超付,300000,2024-01-15\n"
        "A6,U3,财务管理不规范,违规发放补贴,1000,2024-02-01\n"
        # U4 (inspection only after --as-of)
        "A7,U4,财务管理不规范,账外设账,800,2024-03-01\n"
        # dated after --as-of: not yet known
        "A8,U2,工程项目管理不规范,工程项目未批先建,100,2024-08-01\n"),
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("audit"), LEDGER)


@pytest.fixture(scope="module")
def tables(ledger):
    return load_dataset(ledger).tables


def test_ngram_cosine_by_hand():
    # "abc": ab bc abc; "abd": ab bd abd; "a": none.  3 texts, so idf =
    # ln((1+3)/(1+df)) + 1: ab (df 2) -> a = 1 + ln(4/3), the others (df 1)
    # -> b = 1 + ln 2.  cos = a² / (a² + 2b²) = 1.658 / (1.658 + 5.733) = 0.2243
    x = ngrams.tfidf(["ABC", "ABD", "A"])
    got = ngrams.pair_cosine(x, np.array([0, 0, 2]), np.array([1, 0, 2]))
    a, b = 1 + math.log(4 / 3), 1 + math.log(2)
    want = a * a / (a * a + 2 * b * b)
    assert got[0] == pytest.approx(want)
    assert got[1] == pytest.approx(1.0)
    assert got[2] == 0.0  # too short for any 2-gram


def test_ngram_cleaning_ignores_punctuation_and_case():
    x = ngrams.tfidf(["违规，发放 补贴。", "违规发放补贴", "AbC", "abc"])
    assert ngrams.pair_cosine(x, np.array([0, 2]), np.array([1, 3])) == pytest.approx([1, 1])


def test_matches(tables):
    m = match_findings(tables, load_rules())
    # A8 is after nothing here: match_findings has no date; A8 matches Q4 exactly
    assert list(zip(m["finding_id"], m["problem_id"])) == [
        ("A1", "Q1"), ("A2", "Q3"), ("A3", "Q1"), ("A3", "Q2"), ("A8", "Q4")]
    a3 = m[m["finding_id"] == "A3"]
    # score = 0.5 × [same category] + 0.5 × similarity (none without a description)
    assert a3["score"].tolist() == [0.5, 0.5]
    assert m.set_index("finding_id").loc["A2", "same_category"] == False  # noqa: E712


def test_scores(tables):
    from linkgraph.analysis.audit import MatchRule, candidate_scores

    s = candidate_scores(tables, MatchRule()).set_index(["finding_id", "problem_id"])
    # A1 vs Q2: same category, no shared 2- or 3-gram
    assert s.loc[("A1", "Q2"), ["similarity", "score"]].tolist() == [0.0, 0.5]
    # A8 vs Q4: the same words and category
    assert s.loc[("A8", "Q4"), ["similarity", "score"]].tolist() == [1.0, 1.0]


@pytest.mark.parametrize("text, added, dropped", [
    # every matching problem, not just the best: A1 also matches Q2
    ("best_only = false", {("A1", "Q2")}, set()),
    # the same category no longer enough: A3 has no words and A1-Q1's are only
    # 0.50 alike (< 0.6); A2-Q3 (0.81) and A8-Q4 (1.0) stay
    ("same_category_matches = false", set(), {("A1", "Q1"), ("A3", "Q1"), ("A3", "Q2")}),
    # A2-Q3 (similarity about 0.81) is not alike enough at 0.9
    ("text_threshold = 0.9", set(), {("A2", "Q3")}),
])
def test_match_rule_comes_from_the_rules(tables, tmp_path, text, added, dropped):
    base = {("A1", "Q1"), ("A2", "Q3"), ("A3", "Q1"), ("A3", "Q2"), ("A8", "Q4")}
    f = tmp_path / "rules.toml"
    f.write_text(f"[audit]\n{text}\n", "utf-8")
    m = match_findings(tables, load_rules(f))
    assert set(zip(m["finding_id"], m["problem_id"])) == (base | added) - dropped


@pytest.mark.parametrize("text, match", [("text_threshold = 2", "text_threshold"),
                                         ("best_only = 1", "best_only"),
                                         ("threshold = 0.5", "threshold")])
def test_bad_audit_rules_are_a_config_error(tables, tmp_path, text, match):
    from linkgraph.errors import ConfigError

    f = tmp_path / "rules.toml"
    f.write_text(f"[audit]\n{text}\n", "utf-8")
    with pytest.raises(ConfigError, match=match):
        match_findings(tables, load_rules(f))


def test_report(tables):
    r = audit_report(tables, load_rules(), AS_OF)
    assert list(zip(r.corroborated["finding_id"], r.corroborated["problem_id"])) == [
        ("A1", "Q1"), ("A2", "Q3"), ("A3", "Q1"), ("A3", "Q2")]  # A8 is after --as-of
    assert r.audit_only["finding_id"].tolist() == ["A4"]
    assert r.audit_only.iloc[0]["last_round_id"] == "X1"
    # problems of audited units (U1, U2) that no finding matched
    assert r.inspection_only["problem_id"].tolist() == ["Q4"]
    flags = r.red_flag_units.set_index("unit_id")
    assert flags.index.tolist() == ["U3", "U4"]  # 2 findings before 1
    assert flags.loc["U3", "findings"] == 2 and flags.loc["U3", "amount"] == 301000
    assert flags.loc["U3", "finding_ids"] == ("A5", "A6")


def test_graph_uses_the_same_matching(tables):
    G = build_graph(tables)
    edges = sorted((s, e) for s, e, d in G.edges(data=True) if d["type"] == "CORROBORATES")
    assert edges == [("AuditFinding:A1", "Problem:Q1"), ("AuditFinding:A2", "Problem:Q3"),
                     ("AuditFinding:A3", "Problem:Q1"), ("AuditFinding:A3", "Problem:Q2"),
                     ("AuditFinding:A8", "Problem:Q4")]
    assert graph_counts(tables)[1]["CORROBORATES"] == 5


def test_cli(invoke, ledger):
    result = invoke("audit", ledger, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"corroborated", "audit_only", "inspection_only", "red_flag_units",
                        "provenance"}
    assert [r["finding_id"] for r in doc["audit_only"]] == ["A4"]
    only = invoke("audit", ledger, "--as-of", AS_OF, "--only", "red_flag_units", "-f", "csv")
    assert only.stdout.splitlines()[0].startswith("unit_id,unit_name")
    assert len(only.stdout.splitlines()) == 3


def test_tfidf_packed_and_general_vocabularies_give_the_same_matrix(monkeypatch):
    """The fast path (characters renumbered, one sort) and the general one
    (np.unique over code-point codes) must agree entry for entry."""
    texts = ["违规发放津补贴", "违规发放补贴", "公务接待超标准", "超标准公务接待 2023",
             "AbC", "x", "", "接待接待接待", "a" * 250 + "b"]
    fast = ngrams.tfidf(texts, sizes=(1, 2, 3))
    monkeypatch.setattr(ngrams, "_char_table", lambda flat: (None, 21))  # cannot pack
    general = ngrams.tfidf(texts, sizes=(1, 2, 3))
    assert fast.shape == general.shape
    assert (fast != general).nnz == 0
    assert fast[7].nnz == 6  # 接 待 | 接待 待接 | 接待接 待接待: 2 + 2 + 2 distinct
