"""Problem categories harmonised onto the shipped taxonomy, with hand-written
label variants (as teams write them) and the expected category beside each."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from linkgraph.analysis.clusters.find import cluster_params, find_clusters, rolled_up
from linkgraph.categories import (
    Decision,
    harmonise,
    harmonise_tables,
    label_summary,
    load_taxonomy,
    match_label,
)
from linkgraph.category_decisions import read_decisions
from linkgraph.errors import ConfigError, InputError

TAX = load_taxonomy()

VARIANTS = [
    # (as written, harmonised, how)
    ("违反中央八项规定精神", "八项规定", "exact"),
    ("八项规定", "八项规定", "exact"),
    ("中央八项规定精神方面", "八项规定", "exact"),
    ("一、违反中央八项规定精神问题", "八项规定", "exact"),
    ("（二）落实中央八项规定精神不到位", "八项规定", "exact"),
    ("中央八项规定精神落实不到位", "八项规定", "exact"),
    ("管党治党宽松软", "主体责任", "exact"),
    ("损害群众利益问题", "群众身边腐败", "exact"),
    ("贯彻落实中央八项规定", "八项规定", "similar"),
    ("违反中央八项规定精神问题（公务接待）", "八项规定", "contains"),
    ("选人用人不规范", "选人用人", "exact"),
    ("干部选拔任用工作", "选人用人", "similar"),
    ("招标投标不规范", "招投标", "exact"),
    ("政府采购", "招投标", "exact"),
    ("农村三资管理问题", "三资管理", "exact"),
    ("村级三资", "三资管理", "similar"),
    ("惠民惠农资金", "惠民资金", "exact"),
    ("党的领导弱化", "党的领导", "exact"),
    ("落实新时代党的组织路线方面", "落实新时代党的组织路线", "exact"),
]


@pytest.mark.parametrize("written,expected,how", VARIANTS)
def test_label_variants(written, expected, how):
    m = match_label(written, TAX)
    assert (m.category, m.method) == (expected, how)


def test_levels_of_a_category():
    assert TAX.area_of("八项规定") == "落实全面从严治党战略部署"
    assert TAX.branch_of("八项规定") == "全面从严治党"
    assert TAX.branch_of("选人用人") == "党的建设"
    assert TAX.branch_of("理论学习") == "党的领导"
    assert match_label("党的领导弱化", TAX).level == "branch"


def test_unknown_and_vague_labels_stay_as_written():
    # 四风 is 形式主义、官僚主义、享乐主义和奢靡之风: two categories, so vague
    for label in ("两违整治", "其他", "作风问题", "四风问题"):
        m = match_label(label, TAX)
        assert (m.category, m.level, m.method) == (label, None, "unresolved")


def test_vague_label_decided_by_description():
    problems = pd.DataFrame({
        "problem_id": ["Q1", "Q2", "Q3", "Q4"],
        "unit_id": ["U1", "U1", "U2", "U2"],
        "category": ["作风问题", "作风问题", "其他", "八项规定"],
        "description": ["超标准公务接待，无公函接待3次", "会议记录不完整",
                        "村集体资产发包未经村民代表会议，承包费长期未收缴", None]})
    h = harmonise(problems, TAX)
    assert h["category"].tolist() == ["八项规定", "作风问题", "三资管理", "八项规定"]
    assert h["category_written"].tolist() == problems["category"].tolist()
    assert h["category_match"].tolist() == ["description", "unresolved", "description", "exact"]
    assert [b if isinstance(b, str) else None for b in h["category_branch"]] == [
        "全面从严治党", None, "全面从严治党", "全面从严治党"]
    assert harmonise(h, TAX) is h          # already harmonised: unchanged


def test_a_vague_label_that_narrows_the_choice():
    # 四风 = 形式主义、官僚主义、享乐主义和奢靡之风: a problem labelled 四风问题 is
    # 形式主义官僚主义 or 八项规定, so one keyword of either decides (台账 is two
    # characters: not enough to choose among all categories, as 其他 shows)
    problems = pd.DataFrame({
        "problem_id": ["Q1", "Q2", "Q3", "Q4", "Q5"],
        "unit_id": ["U1"] * 5,
        "category": ["四风问题", "四风问题", "作风问题", "其他", "四风问题"],
        "description": ["台账资料事后补填", "在酒店宴请", "15个工作群长期闲置",
                        "台账资料事后补填", "会议记录不完整"]})
    h = harmonise(problems, TAX)
    assert h["category"].tolist() == ["形式主义官僚主义", "八项规定", "形式主义官僚主义",
                                      "其他", "四风问题"]
    assert h["category_match"].tolist() == ["description"] * 3 + ["unresolved"] * 2


def test_a_units_own_name_decides_nothing():
    # 旅游 is a keyword of 八项规定 (公款旅游); in 县文化旅游局 it is the unit's name
    from linkgraph.categories import harmonise_tables

    tables = {"units": pd.DataFrame({"unit_id": ["U1", "U2"],
                                     "name": ["县文化旅游局", "县财政局"]}),
              "problems": pd.DataFrame({
                  "problem_id": ["Q1", "Q2"], "unit_id": ["U1", "U2"],
                  "category": ["四风问题", "四风问题"],
                  "description": ["县文化旅游局组织培训流于形式", "组织干部公款旅游"]})}
    h = harmonise_tables(tables, TAX)["problems"]
    assert h["category"].tolist() == ["四风问题", "八项规定"]


def test_decisions_accept_and_reject():
    accept = Decision("两违整治", "群众身边腐败", True)
    assert match_label("两违整治", TAX, [accept]).category == "群众身边腐败"
    assert match_label("两违整治", TAX, [accept]).method == "decision"
    # a rejected target is never chosen: the label goes to review instead
    reject = Decision("贯彻落实中央八项规定", "八项规定", False)
    m = match_label("贯彻落实中央八项规定", TAX, [reject])
    assert m.category != "八项规定"


def test_review_list_first_and_counted():
    problems = pd.DataFrame({"problem_id": ["Q1", "Q2", "Q3"], "unit_id": ["U1"] * 3,
                             "category": ["两违整治", "两违整治", "八项规定"],
                             "description": [None] * 3})
    rows = label_summary(problems, TAX)
    assert [(r["text"], r["method"], r["n_problems"], r["review"]) for r in rows] == [
        ("两违整治", "unresolved", 2, True), ("八项规定", "exact", 1, False)]


def test_read_decisions_csv_gbk_and_xlsx(tmp_path):
    csv = tmp_path / "decisions.csv"
    csv.write_bytes("类型,原文,归并为,决定\n问题类别,两违整治,群众身边腐败,接受\n"
                    "单位,白沙镇人民政府,白沙镇党委,接受\n"
                    "问题类别,贯彻落实中央八项规定,八项规定,拒绝\n问题类别,其他,财务管理,\n"
                    .encode("gb18030"))
    assert read_decisions(csv) == [Decision("两违整治", "群众身边腐败", True),
                                   Decision("贯彻落实中央八项规定", "八项规定", False)]
    xlsx = tmp_path / "decisions.xlsx"
    pd.DataFrame({"kind": ["category"], "text": ["两违整治"], "target": ["群众身边腐败"],
                  "decision": ["accept"]}).to_excel(xlsx, index=False)
    assert read_decisions(xlsx) == [Decision("两违整治", "群众身边腐败", True)]


def test_read_decisions_errors_name_the_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,text,target,decision\ncategory,两违整治,群众身边腐败,maybe\n", "utf-8")
    with pytest.raises(InputError, match="row 2.*maybe"):
        read_decisions(bad)
    missing = tmp_path / "missing.csv"
    missing.write_text("kind,text,decision\n", "utf-8")
    with pytest.raises(InputError, match="target"):
        read_decisions(missing)


def test_edited_taxonomy_and_broken_one(tmp_path):
    own = tmp_path / "mine.toml"
    own.write_text('[[branch]]\nname = "全面从严治党"\n[[area]]\nname = "纪律"\n'
                   'branch = "全面从严治党"\n[[category]]\nname = "两违"\narea = "纪律"\n'
                   'aliases = ["两违整治"]\n', "utf-8")
    mine = load_taxonomy(own)
    assert match_label("两违整治问题", mine).category == "两违"
    broken = tmp_path / "broken.toml"
    broken.write_text('[[category]]\nname = "两违"\narea = "没有这个"\n', "utf-8")
    with pytest.raises(ConfigError, match="没有这个"):
        load_taxonomy(broken)


def test_departments_supervise_harmonised_categories():
    tables = {"problems": pd.DataFrame({"problem_id": ["Q1"], "unit_id": ["U1"],
                                        "category": ["违反中央八项规定精神"]}),
              "departments": pd.DataFrame({"dept_id": ["D1"],
                                           "supervises": [("八项规定精神", "选人用人问题")]})}
    out = harmonise_tables(tables, TAX)
    assert out["departments"]["supervises"].iloc[0] == ("八项规定", "选人用人")
    assert out["problems"]["category"].iloc[0] == "八项规定"


def test_thin_categories_roll_up_to_their_area():
    # 三资管理 has 3 problems (< 20): counted as its area; 八项规定 has 25: kept
    p = pd.DataFrame({"problem_id": [f"Q{i}" for i in range(28)], "unit_id": ["U1"] * 28,
                      "category": ["农村三资管理"] * 3 + ["八项规定"] * 25})
    up = rolled_up(harmonise(p, TAX), TAX, thin=20)
    assert up["category"].tolist() == ["群众身边腐败和不正之风"] * 3 + ["八项规定"] * 25


def test_label_variants_give_no_false_overrepresentation(tmp_path):
    # 40 units in two sectors; every unit has 12 八项规定 problems, 12
    # 选人用人 ones and 24 财务管理 ones, but the 教育 teams write 八项规定 and
    # 选人用人 while the others write the long forms.  As written, each short label lives only in
    # 教育 (a false alarm); harmonised, the mix is the same everywhere.
    from linkgraph.dataset import load_dataset
    from tests.conftest import write_tables

    units = ["unit_id,name,region_id,sector"] + [
        f"U{i:02d},单位{i},R1,{'教育' if i < 20 else '卫健'}" for i in range(40)]
    rows = ["problem_id,unit_id,category,description"]
    for i in range(40):
        short = i < 20
        for _k in range(12):
            rows.append(f"Q{len(rows)},U{i:02d},{'八项规定' if short else '违反中央八项规定精神'},")
            rows.append(f"Q{len(rows)},U{i:02d},{'选人用人' if short else '选人用人不规范'},")
            rows += [f"Q{len(rows)},U{i:02d},财务管理,", f"Q{len(rows) + 1},U{i:02d},财务管理,"]
    files = {"regions.csv": "region_id,name,level\nR1,甲县,县\n",
             "units.csv": "\n".join(units) + "\n", "problems.csv": "\n".join(rows) + "\n"}
    data = load_dataset(write_tables(tmp_path / "ledger", files))
    params = cluster_params(thin_problems=0)
    assert find_clusters(data, params, kinds=("overrepresented",)) == []
    # the written labels, taken as categories, would give the false alarms
    written = {**data.tables}
    marked = written["problems"].assign(category_written=written["problems"]["category"])
    for col in ("category_area", "category_branch", "category_level", "category_match"):
        marked[col] = None
    found = find_clusters({**written, "problems": marked}, params, kinds=("overrepresented",))
    assert {c.category for c in found} >= {"八项规定", "选人用人"}


def test_cli_review_file_round_trip(tmp_path, invoke):
    from openpyxl import load_workbook

    from tests.conftest import write_tables

    files = {"units.csv": "unit_id,name\nU1,白沙镇党委\n",
             "problems.csv": "problem_id,unit_id,category,description\n"
                             "Q1,U1,两违整治,违规占地建房\nQ2,U1,违反中央八项规定精神,\n"}
    data = write_tables(tmp_path / "ledger", files)
    review = tmp_path / "review.xlsx"
    result = invoke("categories", data, "--review", "--out", review)
    assert result.exit_code == 0, result.output
    wb = load_workbook(review)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[header.index("原文")] for r in rows] == ["两违整治"]
    assert rows[0][header.index("归并方式")] == "未能归并"
    ws.cell(2, header.index("归并为") + 1, "群众身边腐败")
    ws.cell(2, header.index("决定") + 1, "接受")
    wb.save(review)
    again = invoke("categories", data, "--decisions", review, "--format", "json")
    assert again.exit_code == 0, again.output
    records = {r["text"]: r for r in json.loads(again.stdout)["records"]}
    assert records["两违整治"]["target"] == "群众身边腐败"
    assert records["两违整治"]["method"] == "人工确认"
    bad = tmp_path / "bad.csv"
    bad.write_text("类型,原文,归并为,决定\n问题类别,两违整治,群众身边腐败,也许\n", "utf-8")
    refused = invoke("categories", data, "--decisions", bad)
    assert refused.exit_code == 1 and "也许" in refused.output


def test_a_label_naming_two_categories_is_decided_by_each_description():
    # 工程项目招投标不规范 names 工程项目 and 招投标 whole: the description
    # chooses (工程款 + 竣工 + 验收 → 工程项目; 围标 + 串标 + 中标 → 招投标); with no
    # keyword of either the label's own match stands (similar → 招投标)
    p = pd.DataFrame({"problem_id": ["Q1", "Q2", "Q3"], "category": ["工程项目招投标不规范"] * 3,
                      "description": ["工程款支付滞后，竣工验收走过场", "围标串标，中标单位资质不符",
                                      "整改不到位"]})
    h = harmonise(p, TAX)
    assert h["category"].tolist() == ["工程项目", "招投标", "招投标"]
    assert h["category_match"].tolist() == ["description", "description", "similar"]
    assert h["category_written"].tolist() == ["工程项目招投标不规范"] * 3


def test_the_stored_graph_takes_the_offices_decisions(tmp_path, invoke):
    # `neo4j export-import` (and `neo4j push`, through the same `for_graph`) write the
    # category an office decided for a label the taxonomy cannot place: 两违整治 is
    # unresolved by the taxonomy and stays as written, until a decision maps it
    import csv

    from tests.conftest import write_tables

    files = {"units.csv": "unit_id,name\nU1,白沙镇党委\n",
             "problems.csv": "problem_id,unit_id,category,description\n"
                             "Q1,U1,两违整治,违规占地建房\nQ2,U1,违反中央八项规定精神,\n"}
    data = write_tables(tmp_path / "ledger", files)
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("类型,原文,归并为,决定\n问题类别,两违整治,群众身边腐败,接受\n", "utf-8")

    def problems(out):
        with open(out / "nodes_Problem.csv", encoding="utf-8") as f:
            return {r["id:ID(Problem)"]: (r["category"], r["category_written"])
                    for r in csv.DictReader(f)}

    plain, decided = tmp_path / "plain", tmp_path / "decided"
    assert invoke("neo4j", "export-import", data, plain).exit_code == 0
    result = invoke("neo4j", "export-import", data, decided, "--decisions", decisions)
    assert result.exit_code == 0, result.output
    assert problems(plain) == {"Q1": ("两违整治", "两违整治"), "Q2": ("八项规定", "违反中央八项规定精神")}
    assert problems(decided) == {"Q1": ("群众身边腐败", "两违整治"),
                                 "Q2": ("八项规定", "违反中央八项规定精神")}
    assert "--decisions" in invoke("neo4j", "push", "-h").output
