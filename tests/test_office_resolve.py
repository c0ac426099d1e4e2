"""Resolve: office-ledger mentions → units and people with stable ids.

Each test builds the reader's output (SheetRead with mentions) by hand and
states the expected resolution inline, worked out from the naming rules of
党组织 and 政府 and from who is in the roster.
"""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from linkgraph.errors import InputError
from loaders.office.crosswalk import Crosswalk, Decision, read_decisions, review_rows
from loaders.office.records import OfficeRecord, Origin, PersonMention, SheetRead, UnitMention
from loaders.office.resolve import resolve
from loaders.office.resolve_people import score_pairs
from loaders.office.resolve_tables import is_top_leader
from loaders.office.unitnames import parse_unit

FILE = "农业农村局.xlsx"


def origin(row: int, file: str = FILE, sheet: str = "整改台账", item: int = 0) -> Origin:
    return Origin(file, sheet, row, item)


def roster_row(row: int, name: str, unit: str, title: str, birth: str | None = None,
               gender: str | None = None) -> OfficeRecord:
    mention = PersonMention(name, f"{name}", UnitMention(unit), title, birth, gender)
    return OfficeRecord("people", f"r{row}", origin(row, "干部名册.xlsx", "名册"),
                        {"name": name, **({"gender": gender} if gender else {})},
                        {"person_id": mention})


def roster(*rows: OfficeRecord) -> SheetRead:
    return SheetRead("干部名册.xlsx", "名册", "people", (1,), len(rows) + 1, records=list(rows))


def problem(row: int, key: str, description: str, *, unit: str | None = None,
            people: tuple[PersonMention, ...] = (), file: str = FILE) -> OfficeRecord:
    refs: dict = {}
    if unit:
        refs["unit_id"] = UnitMention(unit)
    if people:
        refs["person_ids"] = list(people)
    return OfficeRecord("problems", f"{file}-p{row}", origin(row, file),
                        {"category": "党的建设", "description": description}, refs, key=(key,))


def ledger(*records: OfficeRecord, title: str | None = None, file: str = FILE,
           round_text: str = "县委第一轮巡察") -> SheetRead:
    return SheetRead(file, "整改台账", "problems", (3,), 20, records=list(records),
                     unit=UnitMention(title, "title") if title else None,
                     round_text=round_text)


def unit_of(res, table: str, n: int) -> str:
    return res.tables[table][n]["unit_id"]


def unit_names(res) -> dict[str, str]:
    return {u["unit_id"]: u["name"] for u in res.tables["units"]}


# --- unit names -------------------------------------------------------------

@pytest.mark.parametrize("text, region, core, form", [
    ("县农业农村局", None, "农业农村局", "plain"),
    ("中共青岚县农业农村局党组", "青岚县", "农业农村局", "party"),
    ("县农业农村局党组", None, "农业农村局", "party"),
    ("白沙镇", None, "白沙镇", "plain"),
    ("白沙镇党委", None, "白沙镇", "party"),
    ("中共青岚县白沙镇委员会", "青岚县", "白沙镇", "party"),
    ("白沙镇人民政府", None, "白沙镇", "gov"),
    ("白沙街道党工委", None, "白沙街道", "party"),
    ("白沙街道办事处", None, "白沙街道", "gov"),
    ("县市场监督管理局", None, "市场监督管理局", "plain"),
    ("青岚县国有资产监督管理委员会", "青岚县", "国有资产监督管理委员会", "plain"),
    ("县人民政府办公室", None, "人民政府办公室", "plain"),
    ("  青岚县 农业农村局（盖章）", "青岚县", "农业农村局", "plain"),
    ("填报单位：中共青岚县农业农村局党组", "青岚县", "农业农村局", "party"),
    # villages and communities as rosters and ledgers write them
    ("东关乡万埠村支部委员会", None, "东关乡万埠村", "party"),
    ("中共东关乡长源村支部", None, "东关乡长源村", "party"),
    ("东关乡广源村村民委员会", None, "东关乡广源村", "gov"),
    ("石桥村委会", None, "石桥村", "gov"),
    ("高湾街道桂庄社区居民委员会", None, "高湾街道桂庄社区", "gov"),
    ("彭铺街道光岭社区党委社区", None, "彭铺街道光岭社区", "party"),
    ("高湾街道广渡社区社区", None, "高湾街道广渡社区", "plain"),
    ("原和峰镇寿湾村", None, "和峰镇寿湾村", "plain"),
    # an office of a township is the township; its 财政所 is a unit of its own
    ("宁场镇党政办", None, "宁场镇", "plain"),
    ("龙岸镇纪委", None, "龙岸镇", "plain"),
    ("白沙镇财政所", None, "白沙镇财政所", "plain"),
    ("城关镇中心小学", None, "城关镇中心小学", "plain"),
    # a region holds no place word and is not a village's first characters;
    # a region inside another is of a lower level (no 城市 after a county)
    ("西林镇黄州村", None, "西林镇黄州村", "plain"),
    ("黄州社区党委", None, "黄州社区", "party"),
    ("马州街道", None, "马州街道", "plain"),
    ("马州街道党工委", None, "马州街道", "party"),
    ("黄州镇人民政府", None, "黄州镇", "gov"),
    ("马州乡", None, "马州乡", "plain"),
    ("大池县马州街道", "大池县", "马州街道", "plain"),
    ("大池县乡村振兴局", "大池县", "乡村振兴局", "plain"),
    ("大池县乡镇企业局", "大池县", "乡镇企业局", "plain"),
    ("大池县城市建设投资有限公司", "大池县", "城市建设投资有限公司", "plain"),
    ("达台省牛镇市大池县农业局", "大池县", "农业局", "plain"),
    # a street's 工作委员会 is its 党工委; doubled words as ledgers write them
    ("中共大池县彭铺街道工作委员会", "大池县", "彭铺街道", "party"),
    ("彭铺街道办事处街道办事处", None, "彭铺街道", "gov"),
    # a section of a township or a bureau is that unit; 县委办公室 is a unit
    ("中共大池县彭铺街道工作委员会综治办", "大池县", "彭铺街道", "party"),
    ("中共大池县公安局党组办公室", "大池县", "公安局", "party"),
    ("大池县纪委监委党组纪检监察室", "大池县", "纪委监委", "plain"),
    ("大池县委办公室", "大池县", "委办公室", "plain"),
])
def test_unit_name_rules(text, region, core, form):
    name = parse_unit(text)
    assert (name.region, name.core, name.form) == (region, core, form)


def test_party_and_plain_names_of_a_bureau_are_one_unit():
    res = resolve([ledger(
        problem(5, "1", "a", unit="县农业农村局"),
        problem(6, "2", "b", unit="中共青岚县农业农村局党组"),
        problem(7, "3", "c", unit="县农业农村局党组"),
        title="中共青岚县农业农村局党组落实县委第一巡察组巡察反馈意见整改台账")])
    ids = {unit_of(res, "problems", n) for n in range(3)}
    assert len(ids) == 1
    assert unit_names(res)[ids.pop()] == "青岚县农业农村局"
    assert res.review == []  # party body and plain name: exact, nothing to decide


def test_township_committee_forms_are_one_unit_and_its_government_goes_to_review():
    res = resolve([ledger(
        problem(5, "1", "a", unit="白沙镇"),
        problem(6, "2", "b", unit="白沙镇党委"),
        problem(7, "3", "c", unit="中共青岚县白沙镇委员会"),
        problem(8, "4", "d", unit="白沙镇人民政府"),
        title="中共青岚县白沙镇委员会巡察整改台账")])
    ids = [unit_of(res, "problems", n) for n in range(4)]
    assert len(set(ids)) == 1  # merged meanwhile, as DESIGN's default says
    [item] = res.review
    assert item.kind == "unit" and item.mention == "白沙镇人民政府"
    assert item.chosen == ids[0] and [c.entity_id for c in item.candidates] == [ids[0]]
    assert [o.row for o in item.origins] == [8]


def test_government_alone_is_no_question():
    res = resolve([ledger(problem(5, "1", "a", unit="白沙镇人民政府"))])
    assert len(res.tables["units"]) == 1 and res.review == []


def test_name_without_region_that_fits_two_counties_goes_to_review():
    a = ledger(problem(5, "1", "a", unit="青岚县农业农村局"), file="a.xlsx")
    b = ledger(problem(5, "1", "b", unit="白河县农业农村局"), file="b.xlsx")
    c = ledger(problem(5, "1", "c", unit="县农业农村局"), file="c.xlsx")
    res = resolve([a, b, c])
    qinglan, baihe, bare = (unit_of(res, "problems", n) for n in range(3))
    assert len({qinglan, baihe, bare}) == 3  # not guessed
    [item] = res.review
    assert {x.entity_id for x in item.candidates} == {qinglan, baihe}
    assert item.chosen == bare


def test_region_from_the_title_places_a_bare_name():
    a = ledger(problem(5, "1", "a", unit="青岚县农业农村局"), file="a.xlsx")
    b = ledger(problem(5, "1", "b", unit="白河县农业农村局"), file="b.xlsx")
    c = ledger(problem(5, "1", "c", unit="县农业农村局"), file="c.xlsx",
               title="中共白河县农业农村局党组巡察整改台账")
    res = resolve([a, b, c])
    assert unit_of(res, "problems", 2) == unit_of(res, "problems", 1)
    assert res.review == []


def test_problem_without_any_unit_is_rejected_with_its_row():
    res = resolve([ledger(problem(5, "1", "a"))])
    [bad] = res.rejected
    assert bad.origin.row == 5 and bad.column == "unit_id"
    assert "problems" not in res.tables or res.tables["problems"] == []


# --- people -----------------------------------------------------------------

def two_wang_lei() -> SheetRead:
    return roster(roster_row(2, "王磊", "县农业农村局", "党组书记、局长", "1971.03", "男"),
                  roster_row(3, "王磊", "白沙镇党委", "党委副书记", "1980.05", "男"),
                  roster_row(4, "杨光", "中共青岚县白沙镇委员会", "党委书记", "1975.01"))


def person_ids(res) -> list[str]:
    return [r["person_ids"] for r in res.tables["problems"]]


def test_same_name_in_two_units_are_two_people_and_each_mention_finds_its_own():
    res = resolve([two_wang_lei(), ledger(
        problem(5, "1", "a", people=(PersonMention("王磊", "王磊", UnitMention("白沙镇")),)),
        problem(6, "2", "b", people=(PersonMention("王磊", "县农业农村局王磊",
                                                   UnitMention("县农业农村局")),)),
        title="中共青岚县农业农村局党组巡察整改台账")])
    people = {p["person_id"]: p for p in res.tables["people"]}
    assert [p["name"] for p in people.values()].count("王磊") == 2
    township, bureau = person_ids(res)
    assert township != bureau
    assert people[township]["birth_year"] == 1980 and people[bureau]["birth_year"] == 1971
    assert res.review == []


def test_name_without_unit_takes_the_unit_of_the_ledger_it_is_in():
    res = resolve([two_wang_lei(), ledger(
        problem(5, "1", "a", people=(PersonMention("王磊", "王磊"),)),
        title="中共青岚县农业农村局党组巡察整改台账")])
    [pid] = person_ids(res)
    post = next(p for p in res.tables["posts"] if p["person_id"] == pid)
    assert unit_names(res)[post["unit_id"]] == "青岚县农业农村局"
    assert res.review == []


def test_name_without_unit_when_two_exist_goes_to_review_unresolved():
    leads = SheetRead("线索台账.xlsx", "Sheet1", "leads", (2,), 3, records=[
        OfficeRecord("leads", "l1", origin(3, "线索台账.xlsx", "Sheet1"), {},
                     {"person_id": PersonMention("王磊", "王磊"),
                      "transferred_to": UnitMention("县纪委监委")}, key=("1",))])
    res = resolve([two_wang_lei(), leads])
    [lead] = res.tables["leads"]
    assert lead["person_id"] is None  # never a silent guess
    [item] = res.review
    assert item.kind == "person" and item.chosen is None
    assert len(item.candidates) == 2
    assert all("同名" in c.evidence for c in item.candidates)
    [dept] = res.tables["departments"]
    assert lead["transferred_to"] == dept["dept_id"] and dept["kind"] == "discipline"


def test_name_without_unit_that_fits_one_person_is_linked_and_reviewed():
    leads = SheetRead("线索台账.xlsx", "Sheet1", "leads", (2,), 3, records=[
        OfficeRecord("leads", "l1", origin(3, "线索台账.xlsx", "Sheet1"), {},
                     {"person_id": PersonMention("杨光", "杨光"),
                      "transferred_to": "县纪委监委"}, key=("1",))])
    res = resolve([two_wang_lei(), leads])
    yang = next(p["person_id"] for p in res.tables["people"] if p["name"] == "杨光")
    assert res.tables["leads"][0]["person_id"] == yang
    [item] = res.review
    assert item.chosen == yang


def test_person_absent_from_roster_is_kept_by_name_and_unit():
    res = resolve([two_wang_lei(), ledger(
        problem(5, "1", "a", people=(PersonMention("陈明", "陈明（股长）",
                                                   UnitMention("县农业农村局"), "股长"),)),
        problem(6, "2", "b", people=(PersonMention("陈明", "陈明", UnitMention("县农业农村局")),)),
        problem(7, "3", "c", people=(PersonMention("陈明", "陈明", UnitMention("白沙镇")),)),
        title="中共青岚县农业农村局党组巡察整改台账")])
    a, b, c = person_ids(res)
    assert a == b != c  # one 陈明 per unit
    chen = [p for p in res.tables["people"] if p["name"] == "陈明"]
    assert len(chen) == 2
    [post] = [p for p in res.tables["posts"] if p["person_id"] == a]
    assert post["title"] == "股长" and post["is_top_leader"] is False


def test_birth_month_tells_two_namesakes_of_one_unit_apart():
    res = resolve([roster(roster_row(2, "张伟", "县农业农村局", "副局长", "1971.03"),
                          roster_row(3, "张伟", "县农业农村局", "股长", "1985.11")),
                   ledger(problem(5, "1", "a", people=(
                       PersonMention("张伟", "张伟", UnitMention("县农业农村局"), birth="1985.11"),)),
                       problem(6, "2", "b", people=(
                           PersonMention("张伟", "张伟", UnitMention("县农业农村局")),)),
                       title="中共青岚县农业农村局党组巡察整改台账")])
    by_birth = {p["birth_year"]: p["person_id"] for p in res.tables["people"]}
    first, second = person_ids(res)
    assert first == by_birth[1985]
    assert second == ""  # two 张伟 in one unit and no birth: for the office to decide
    [item] = res.review
    assert {c.entity_id for c in item.candidates} == set(by_birth.values())


def second_roster(name: str, unit: str, title: str, birth: str) -> SheetRead:
    return SheetRead("名册2.xlsx", "名册", "people", (1,), 2, records=[
        OfficeRecord("people", "x2", origin(2, "名册2.xlsx", "名册"), {"name": name},
                     {"person_id": PersonMention(name, name, UnitMention(unit), title, birth)})])


def test_same_person_in_two_rosters_of_one_unit_is_one_person():
    res = resolve([roster(roster_row(2, "王磊", "县农业农村局", "局长", "1971.03")),
                   second_roster("王磊", "中共青岚县农业农村局党组", "党组书记、局长", "1971-03")])
    [person] = res.tables["people"]
    assert {p["person_id"] for p in res.tables["posts"]} == {person["person_id"]}
    assert res.review == []


def test_namesakes_born_in_one_month_in_two_units_are_kept_apart_until_the_office_says():
    sheets = [roster(roster_row(2, "王磊", "县农业农村局", "局长", "1971.03")),
              second_roster("王磊", "白沙镇", "党委书记", "1971-03")]
    res = resolve(sheets)
    assert len(res.tables["people"]) == 2  # 张伟 born 1971.03 is not rare in a city
    [item] = res.review
    assert item.chosen is None and item.origins[0].file in ("名册2.xlsx", "干部名册.xlsx")
    assert "出生年月一致 1971-03" in item.candidates[0].evidence
    yes = Decision("person", item.key, item.mention, item.candidates[0].entity_id, "", True)
    again = resolve(sheets, crosswalk=Crosswalk.from_decisions([yes]))
    [person] = again.tables["people"]  # one person who moved: two posts
    assert len(again.tables["posts"]) == 2 and again.review == []
    assert person["person_id"] == item.candidates[0].entity_id


@pytest.mark.parametrize("title, top", [
    ("党组书记、局长", True), ("党委书记", True), ("书记", True), ("局长、党组书记", True),
    ("党委副书记", False), ("纪委书记", False), ("党委委员、纪委书记", False),
    ("局长", False), ("驻村第一书记", False), ("党工委书记、主任", True), ("", False),
])
def test_top_leader_from_title(title, top):
    assert is_top_leader(title) is top


def test_roster_posts_carry_top_leader_status():
    res = resolve([two_wang_lei()])
    tops = {(p["title"], p["is_top_leader"]) for p in res.tables["posts"]}
    assert tops == {("党组书记、局长", True), ("党委副书记", False), ("党委书记", True)}


def test_a_common_name_weighs_less_than_a_rare_one():
    # five 张伟 and one 欧阳青岚 in the roster; a mention by name only
    entities = pd.DataFrame(
        [{"eid": f"E{i}", "name": "张伟", "unit": f"U{i}", "birth": None, "gender": None}
         for i in range(5)]
        + [{"eid": "E9", "name": "欧阳青岚", "unit": "U9", "birth": None, "gender": None}])
    profiles = pd.DataFrame([{"pid": 0, "name": "张伟", "unit": None, "birth": None,
                              "gender": None},
                             {"pid": 1, "name": "欧阳青岚", "unit": None, "birth": None,
                              "gender": None}])
    scored = score_pairs(profiles, entities)
    common = scored[scored.pid == 0].match_probability.max()
    rare = scored[scored.pid == 1].match_probability.max()
    assert len(scored) == 6  # blocked on the name: 5 + 1 pairs, never 张伟 × 欧阳青岚
    assert rare > common


# --- stable ids ---------------------------------------------------------------

def bureau_ledger(descriptions: list[str]) -> list[SheetRead]:
    recs = [problem(5 + n, str(n + 1), d) for n, d in enumerate(descriptions)]
    measures = [OfficeRecord("measures", f"m{n}", origin(5 + n), {"description": "整改" + d},
                             {}, key=(str(n + 1), "1"), parent=f"{FILE}-p{5 + n}")
                for n, d in enumerate(descriptions)]
    return [two_wang_lei(), ledger(*recs, *measures,
                                   title="中共青岚县农业农村局党组巡察整改台账")]


def all_ids(res) -> dict[str, list[str]]:
    return {"problems": [r["problem_id"] for r in res.tables["problems"]],
            "measures": [(r["measure_id"], r["problem_id"]) for r in res.tables["measures"]],
            "units": sorted(u["unit_id"] for u in res.tables["units"]),
            "people": sorted(p["person_id"] for p in res.tables["people"])}


@settings(max_examples=15, deadline=None)
@given(st.lists(st.text(alphabet="三会一课公车私用违规发放补贴", min_size=1, max_size=6),
                min_size=1, max_size=6), st.data())
def test_reimport_gives_the_same_ids_and_an_edit_keeps_the_others(descriptions, data):
    first = all_ids(resolve(bureau_ledger(descriptions)))
    assert all_ids(resolve(bureau_ledger(descriptions))) == first
    n = data.draw(st.integers(0, len(descriptions) - 1))
    edited = list(descriptions)
    edited[n] = edited[n] + "（已修改）"
    again = all_ids(resolve(bureau_ledger(edited)))
    assert again["problems"] == first["problems"]  # ids come from (unit, round, 序号)
    assert again["units"] == first["units"] and again["people"] == first["people"]
    # a measure always points at the problem of its own row
    assert [p for _, p in again["measures"]] == again["problems"]


def test_removing_a_row_keeps_the_ids_of_the_rest():
    full = all_ids(resolve(bureau_ledger(["甲", "乙", "丙"])))
    recs = bureau_ledger(["甲", "乙", "丙"])
    recs[1].records = [r for r in recs[1].records if r.key[0] != "2"]
    part = all_ids(resolve(recs))
    assert part["problems"] == [full["problems"][0], full["problems"][2]]


# --- decisions and the crosswalk ----------------------------------------------

def write_review(res, path) -> None:
    """The review sheet as the writer lays it out: a title line, then the
    header of review_rows() and its rows."""
    rows = review_rows(res)
    book = Workbook()
    sheet = book.active
    sheet.title = "待核对"
    sheet.append(["以下匹配请核对"])
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    book.save(path)


def fill(path, decisions: dict[int, str]) -> None:
    from openpyxl import load_workbook
    book = load_workbook(path)
    sheet = book["待核对"]
    header = [c.value for c in sheet[2]]
    col = header.index("决定（接受/拒绝）") + 1
    for n, word in decisions.items():
        sheet.cell(row=2 + n, column=col, value=word)
    book.save(path)


def township_sheets() -> list[SheetRead]:
    return [two_wang_lei(), ledger(problem(5, "1", "a", unit="白沙镇党委"),
                                   problem(6, "2", "b", unit="白沙镇人民政府"),
                                   title="中共青岚县白沙镇委员会巡察整改台账"),
            SheetRead("线索台账.xlsx", "Sheet1", "leads", (2,), 3, records=[
                OfficeRecord("leads", "l1", origin(3, "线索台账.xlsx", "Sheet1"), {},
                             {"person_id": PersonMention("王磊", "王磊"),
                              "transferred_to": "县纪委监委"}, key=("1",))])]


def test_decisions_are_read_back_kept_in_the_crosswalk_and_reapplied(tmp_path):
    first = resolve(township_sheets())
    assert [i.kind for i in first.review] == ["unit", "person"]
    rows = review_rows(first)
    assert len(rows) == 3  # 1 unit candidate + 2 person candidates
    bureau_wang = next(p["person_id"] for p in first.tables["posts"]
                       if p["title"] == "党组书记、局长")
    accept_row = next(n for n, r in enumerate(rows, 1) if r["候选编码"] == bureau_wang)
    review = tmp_path / "review.xlsx"
    write_review(first, review)
    fill(review, {1: "拒绝", accept_row: "接受"})
    decisions = read_decisions(review)
    assert {(d.kind, d.accept) for d in decisions} == {("unit", False), ("person", True)}

    crosswalk = Crosswalk.from_decisions(decisions)
    crosswalk.save(tmp_path / "crosswalk.json")
    again = resolve(township_sheets(), crosswalk=Crosswalk.load(tmp_path / "crosswalk.json"))
    party, gov = (r["unit_id"] for r in again.tables["problems"])
    assert party != gov  # the office said the 政府 is a unit of its own
    assert again.tables["leads"][0]["person_id"] == bureau_wang
    assert again.review == []  # each pair decided once
    assert party == first.tables["problems"][0]["unit_id"]  # ids unchanged by decisions


def test_crosswalk_file_is_stable_and_later_decisions_win(tmp_path):
    a = Decision("unit", "unit:青岚县|白沙镇|gov", "白沙镇人民政府", "U1", "白沙镇", True)
    b = Decision("unit", "unit:青岚县|白沙镇|gov", "白沙镇人民政府", "U1", "白沙镇", False)
    cw = Crosswalk.from_decisions([a]).with_decisions([b])
    assert cw.decided("unit:青岚县|白沙镇|gov", "U1") is False and len(cw) == 1
    cw.save(tmp_path / "x.json")
    text = (tmp_path / "x.json").read_text(encoding="utf-8")
    Crosswalk.load(tmp_path / "x.json").save(tmp_path / "y.json")
    assert (tmp_path / "y.json").read_text(encoding="utf-8") == text
    assert "白沙镇人民政府" in text  # readable Chinese, not escapes


def test_a_decision_word_that_is_neither_names_the_cell(tmp_path):
    res = resolve(township_sheets())
    review = tmp_path / "review.xlsx"
    write_review(res, review)
    fill(review, {2: "待定"})
    with pytest.raises(InputError) as err:
        read_decisions(review)
    text = str(err.value)
    assert "review.xlsx" in text and "待核对" in text and "第 4 行" in text and "待定" in text


def test_a_workbook_without_the_decision_column_is_refused(tmp_path):
    book = Workbook()
    book.active.append(["姓名", "单位"])
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(InputError, match="决定"):
        read_decisions(tmp_path / "other.xlsx")


def test_review_rows_in_english():
    rows = review_rows(resolve(township_sheets()), lang="en")
    assert set(rows[0]) >= {"decision (accept/reject)", "pair key", "candidate"}
    assert rows[0]["kind"] == "unit"


def test_roster_row_with_its_post_as_a_record_gives_one_post():
    # the reader gives a 干部名册 row as a person and a post whose parent is the person
    who = PersonMention("王磊", "王磊", UnitMention("县农业农村局"), "局长、党组书记", "1971.03")
    person = OfficeRecord("people", "r2", origin(2, "干部名册.xlsx", "名册"),
                          {"name": "王磊", "birth_year": 1971}, {"person_id": who})
    post = OfficeRecord("posts", "r2-2", origin(2, "干部名册.xlsx", "名册", 2),
                        {"title": "局长、党组书记", "is_top_leader": True},
                        {"person_id": who, "unit_id": UnitMention("县农业农村局")},
                        parent="r2")
    res = resolve([roster(person, post)])
    [p] = res.tables["people"]
    [row] = res.tables["posts"]
    assert row["person_id"] == p["person_id"] and row["is_top_leader"] is True
    assert res.review == []


def test_a_section_as_owner_department_belongs_to_the_record_unit():
    def measure(row: int, file: str) -> OfficeRecord:
        return OfficeRecord("measures", f"{file}m{row}", origin(row, file), {"description": "x"},
                            {"owner_person_id": PersonMention("李明", "李明", UnitMention("办公室")),
                             "owner_dept_id": UnitMention("办公室")}, key=(str(row),),
                            parent=f"{file}-p{row}")
    a = ledger(problem(5, "1", "x", file="a.xlsx"), measure(5, "a.xlsx"), file="a.xlsx",
               title="中共青岚县农业农村局党组巡察整改台账")
    b = ledger(problem(5, "1", "x", file="b.xlsx"), measure(5, "b.xlsx"), file="b.xlsx",
               title="中共青岚县白沙镇委员会巡察整改台账")
    res = resolve([a, b])
    depts = {d["dept_id"]: d["name"] for d in res.tables["departments"]}
    ma, mb = res.tables["measures"]
    assert ma["owner_dept_id"] != mb["owner_dept_id"]  # two units' 办公室
    assert depts[ma["owner_dept_id"]] == "青岚县农业农村局办公室"
    assert ma["owner_person_id"] != mb["owner_person_id"]  # 李明 of each unit
    assert {u["name"] for u in res.tables["units"]} == {"青岚县农业农村局", "青岚县白沙镇"}


def test_near_names_of_one_region_go_to_review_and_an_accept_joins_them(tmp_path):
    sheets = [ledger(problem(5, "1", "a", unit="青岚县住房和城乡建设局"),
                     problem(6, "2", "b", unit="青岚县住房和城乡建设局"),
                     problem(7, "3", "c", unit="青岚县住房城乡建设局"),
                     problem(8, "4", "d", unit="青岚县第一中学"),
                     problem(9, "5", "e", unit="青岚县第二中学"))]
    res = resolve(sheets)
    a, b, c, first, second = (unit_of(res, "problems", n) for n in range(5))
    assert a == b != c and first != second  # nothing joined by a guess
    [item] = res.review  # 第一中学 / 第二中学 are alike but not near enough
    assert item.mention == "青岚县住房城乡建设局" and item.chosen is None
    assert [x.entity_id for x in item.candidates] == [a]
    assert 0.88 <= item.candidates[0].score < 1
    [row] = review_rows(res)
    decision = Decision("unit", item.key, item.mention, a, "", True)
    again = resolve(sheets, crosswalk=Crosswalk.from_decisions([decision]))
    assert {unit_of(again, "problems", n) for n in range(3)} == {a}
    assert len(again.tables["units"]) == 3 and again.review == []
    assert row["核对键"].startswith(item.key)


def test_rules_can_keep_a_government_apart_meanwhile():
    sheets = [ledger(problem(5, "1", "a", unit="白沙镇党委"),
                     problem(6, "2", "b", unit="白沙镇人民政府"))]
    res = resolve(sheets, rules={"government_joins_party": False})
    party, gov = (unit_of(res, "problems", n) for n in range(2))
    assert party != gov
    [item] = res.review
    assert item.chosen == gov and [c.entity_id for c in item.candidates] == [party]


def test_a_decision_about_a_person_no_longer_in_the_ledgers_is_moot():
    key = "person:王磊||"
    stale = Decision("person", key, "王磊", "P000000000000", "王磊", True)
    sheets = township_sheets()
    res = resolve(sheets, crosswalk=Crosswalk.from_decisions([stale]))
    assert res.tables["leads"][0]["person_id"] is None
    assert any(i.kind == "person" for i in res.review)


MENTIONS = st.sampled_from(["县农业农村局", "中共青岚县农业农村局党组", "白沙镇", "白沙镇人民政府",
                            "白沙镇石桥村", "石桥村", "", "县纪委监委"])
NAMES = st.sampled_from(["王磊", "杨光", "陈明", "张伟", "欧阳青岚"])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(MENTIONS, NAMES, MENTIONS, st.booleans()), min_size=1, max_size=12))
def test_every_record_is_in_a_table_or_rejected_and_every_mention_is_linked(rows):
    recs = []
    for n, (unit, name, person_unit, birth) in enumerate(rows):
        who = PersonMention(name, name, UnitMention(person_unit) if person_unit else None,
                            None, "1971.03" if birth else None)
        recs.append(problem(5 + n, str(n + 1), f"问题{n}", unit=unit or None, people=(who,)))
    res = resolve([two_wang_lei(), ledger(*recs)])
    kept = len(res.tables.get("problems", []))
    assert kept + len(res.rejected) == len(recs)
    person_links = [x for x in res.links if x.kind == "person" and x.column == "person_ids"]
    assert len(person_links) == kept
    known = {p["person_id"] for p in res.tables["people"]}
    unit_ids = {u["unit_id"] for u in res.tables["units"]}
    for row in res.tables.get("problems", []):
        assert row["unit_id"] in unit_ids
        assert set(filter(None, row["person_ids"].split(";"))) <= known
    # a mention left unresolved is always one the office is asked about
    reviewed = {o for i in res.review for o in i.origins}
    assert all(x.origin in reviewed for x in person_links if x.entity_id is None)


def test_a_required_reference_left_empty_rejects_the_record_with_its_reason():
    leads = SheetRead("线索台账.xlsx", "Sheet1", "leads", (2,), 4, records=[
        OfficeRecord("leads", "l1", origin(3, "线索台账.xlsx", "Sheet1"), {},
                     {"person_id": PersonMention("杨光", "杨光")}, key=("1",)),
        OfficeRecord("leads", "l2", origin(4, "线索台账.xlsx", "Sheet1"), {},
                     {"person_id": PersonMention("杨光", "杨光"), "transferred_to": "县纪委监委"},
                     key=("2",))])
    ties = SheetRead("回避申报.xlsx", "Sheet1", "ties", (1,), 2, records=[
        OfficeRecord("ties", "t1", origin(2, "回避申报.xlsx", "Sheet1"), {"relation": "sibling"},
                     {"person_a": PersonMention("杨光", "杨光"),
                      "person_b": PersonMention("王磊", "王磊")}, key=("杨光", "王磊"))])
    res = resolve([two_wang_lei(), leads, ties])
    assert [(r.origin.file, r.origin.row, r.column) for r in res.rejected] == [
        ("线索台账.xlsx", 3, "transferred_to")]
    assert len(res.tables["leads"]) == 1
    assert len(res.origins["leads"]) == 1 and res.origins["leads"][0].row == 4
    # a relative named with no unit is not dropped: a person of their own
    # meanwhile, with both roster 王磊 put to the office
    [tie] = res.tables["ties"]
    roster_wangs = {link.entity_id for link in res.links
                    if link.text == "王磊" and link.origin.sheet == "名册"}
    assert tie["person_b"] and tie["person_b"] not in roster_wangs and len(roster_wangs) == 2
    [item] = [i for i in res.review if i.kind == "person" and i.mention == "王磊"]
    assert item.chosen is None and {c.entity_id for c in item.candidates} == roster_wangs


def test_a_roster_namesake_in_another_unit_is_always_put_to_the_office():
    res = resolve([two_wang_lei(), ledger(
        problem(5, "1", "a", people=(PersonMention("杨光", "杨光", UnitMention("县财政局"), "副局长"),)),
        title="中共青岚县农业农村局党组巡察整改台账")])
    yang_roster = next(p["person_id"] for p in res.tables["posts"] if p["title"] == "党委书记")
    [item] = res.review
    assert [c.entity_id for c in item.candidates] == [yang_roster]
    assert "同单位" not in item.candidates[0].evidence
    [pid] = person_ids(res)
    assert item.chosen in (None, yang_roster) and (pid == yang_roster) == (item.chosen is not None)


def _tie(row: int, a: PersonMention, b: PersonMention) -> OfficeRecord:
    return OfficeRecord("ties", f"t{row}", origin(row, "社会关系.xlsx", "社会关系"),
                        {"relation": "spouse"}, {"person_a": a, "person_b": b}, key=(str(row),))


def test_a_relative_with_no_post_is_not_the_rosters_namesake():
    """工作单位：无 — not an official, so not 杨光 of the roster (the only 杨光)."""
    ties = SheetRead("社会关系.xlsx", "社会关系", "ties", (1,), 3, records=[
        _tie(2, PersonMention("王磊", "王磊", UnitMention("县农业农村局")),
             PersonMention("杨光", "杨光", no_post=True))])
    res = resolve([two_wang_lei(), ties])
    [tie] = res.tables["ties"]
    yangs = sorted(p["person_id"] for p in res.tables["people"] if p["name"] == "杨光")
    assert len(yangs) == 2 and tie["person_b"] in yangs
    roster_yang = next(link.entity_id for link in res.links
                       if link.text == "杨光" and link.origin.sheet == "名册")
    assert tie["person_b"] != roster_yang
    assert not [i for i in res.review if i.kind == "person"]


def test_namesakes_named_with_no_unit_tied_to_different_people_are_two():
    """周芳 the wife of 王磊 (农业农村局) and 周芳 the wife of 王磊 (白沙镇): two
    people; the same pair written twice is one."""
    wang_bureau = PersonMention("王磊", "王磊", UnitMention("县农业农村局"))
    wang_town = PersonMention("王磊", "王磊", UnitMention("白沙镇"))
    ties = SheetRead("社会关系.xlsx", "社会关系", "ties", (1,), 5, records=[
        _tie(2, wang_bureau, PersonMention("周芳", "周芳")),
        _tie(3, wang_town, PersonMention("周芳", "周芳")),
        _tie(4, wang_bureau, PersonMention("周芳", "周芳"))])
    res = resolve([two_wang_lei(), ties])
    wives = [t["person_b"] for t in res.tables["ties"]]
    assert wives[0] != wives[1] and wives[0] == wives[2] and None not in wives
    assert len({t["person_a"] for t in res.tables["ties"]}) == 2
