"""Cell values as offices write them (loaders/office/values.py, mentions.py).

Expected answers are written from the words' meaning and the calendar."""
from __future__ import annotations

import datetime as dt

import pytest

from loaders.office import mentions as mn
from loaders.office import values as vl
from loaders.office.records import UnitMention

D = dt.date


@pytest.mark.parametrize(("text", "status"), [
    ("已整改", "done"), ("已完成整改", "done"), ("整改完成", "done"),
    # 已销号 is closed after review (issue 19), a status of its own; 未销号 is open
    ("已销号", "closed"), ("已完成，已销号", "closed"), ("已完成销号", "closed"),
    ("未销号", "open"), ("closed", "closed"),
    ("已整改，长期坚持", "ongoing"), ("长期坚持", "ongoing"), ("持续整改", "ongoing"),
    ("持续推进", "ongoing"), ("正在整改", "open"), ("未整改", "open"), ("整改中", "open"),
    ("尚未整改", "open"), ("基本完成", "partly"), ("基本完成，持续推进", "partly"),
    ("已完成。制定《财务管理制度》并印发", "done"), ("  已 整改 ", None), ("", None), ("/", None),
    ("done", "done"),
])
def test_statuses(text, status):
    if text.strip() == "已 整改":
        with pytest.raises(vl.ValueProblem):  # the space splits the word: no status word left
            vl.parse_status(text)
        return
    assert vl.parse_status(text) == status


@pytest.mark.parametrize("text", ["已整改，未整改", "制定了制度", "良好", "已销号，基本完成"])
def test_status_unreadable_or_contradictory(text):
    with pytest.raises(vl.ValueProblem):
        vl.parse_status(text)
    # a sentence with no status word is told apart from a contradiction
    assert isinstance(pytest.raises(vl.ValueProblem, vl.parse_status, text).value,
                      vl.NoStatusWord) == (text not in ("已整改，未整改", "已销号，基本完成"))


@pytest.mark.parametrize(("text", "status"), [
    # a date the work is expected to be done by says it is not done yet
    ("正在整改，预计2023年底前完成", "open"),
    ("整改中，力争6月底前完成整改", "open"),
    ("未完成，确保年底前整改到位", "open"),
    # progress in per cent is progress, not completion
    ("整改中（已完成70%）", "open"),
    ("已完成80%", "partly"),
    ("完成60％", "partly"),
    ("已完成100%", "done"),
    # a plan that was kept is done
    ("已按计划完成整改", "done"),
])
def test_status_with_a_forecast_or_a_share_done(text, status):
    assert vl.parse_status(text) == status


def test_legend_and_colours():
    legend = vl.parse_legend("注：红色表示未整改，黄色表示正在整改，绿色表示已完成整改")
    assert legend == {"red": "open", "yellow": "open", "green": "done"}
    assert vl.parse_legend("说明：蓝色为长期坚持") == {"blue": "ongoing"}
    assert vl.parse_legend("注：蓝色表示已完成整改，紫色表示已销号") == {"blue": "done",
                                                                "purple": "closed"}
    assert vl.colour_name("FF7030A0") == "purple"
    assert vl.parse_legend("填表人：张三") == {}
    assert vl.colour_name("FFFF0000") == "red"
    assert vl.colour_name("FFFFFF00") == "yellow"
    assert vl.colour_name("FF00B050") == "green"
    assert vl.colour_name("FF0070C0") == "blue"
    assert vl.colour_name("FFFFC000") == "orange"
    assert vl.colour_name("FFFFFFFF") is None and vl.colour_name("FF000000") is None
    assert vl.colour_name(None) is None and vl.colour_name("theme") is None


@pytest.mark.parametrize(("cell", "date", "ongoing", "immediate"), [
    ("2023年6月底前", D(2023, 6, 30), False, False),
    ("2023年2月底", D(2023, 2, 28), False, False),
    ("2024年2月底前", D(2024, 2, 29), False, False),  # leap year
    ("2023.8", D(2023, 8, 31), False, False),
    ("2023年12月31日前", D(2023, 12, 31), False, False),
    ("2023年底", D(2023, 12, 31), False, False),
    ("2023年上半年", D(2023, 6, 30), False, False),
    ("长期坚持", None, True, False),
    ("立行立改", None, False, True),
    ("立即整改", None, False, True),
    ("立行立改，长期坚持", None, True, True),
    ("2023年9月底前，长期坚持", D(2023, 9, 30), True, False),
    (2023.8, D(2023, 8, 31), False, False),     # a number typed 2023.8
    (2023.12, D(2023, 12, 31), False, False),
    (dt.datetime(2023, 7, 15), D(2023, 7, 15), False, False),
    (45107, D(2023, 6, 30), False, False),      # an Excel serial
])
def test_deadlines(cell, date, ongoing, immediate):
    got = vl.parse_deadline(cell)
    assert (got.date, got.ongoing, got.immediate) == (date, ongoing, immediate)


def test_deadlines_with_parts_of_a_month_or_no_year():
    assert vl.parse_deadline("2023年6月中旬").date == D(2023, 6, 20)
    assert vl.parse_deadline("2023年6月上旬前").date == D(2023, 6, 10)
    assert vl.parse_deadline("2023年6月下旬").date == D(2023, 6, 30)
    got = vl.parse_deadline("6月底前", years=(2023,))
    assert got.date == D(2023, 6, 30) and "2023" in got.note
    with pytest.raises(vl.ValueProblem):
        vl.parse_deadline("6月底前")  # no year in the row: never guessed


def test_deadline_blank_and_unreadable():
    assert vl.parse_deadline("") is None and vl.parse_deadline("/") is None
    with pytest.raises(vl.ValueProblem):
        vl.parse_deadline("尽快")


def test_excel_year_month_number_is_ambiguous_only_for_one_digit_after_the_point():
    # 2019.10 typed in Excel is stored as 2019.1: January or October cannot be told
    with pytest.raises(vl.ValueProblem, match="2019年1月"):
        vl.parse_date(2019.1)
    with pytest.raises(vl.ValueProblem):
        vl.parse_deadline(2023.1)
    assert vl.parse_date(2019.11).date == D(2019, 11, 1)
    assert vl.parse_date(2019.09).date == D(2019, 9, 1)
    assert vl.parse_date(2019.12, end=True).date == D(2019, 12, 31)
    assert "2019年11月" in vl.parse_date(2019.11).note
    # text typed in an xlsx cell is as written; a CSV may be a number written out
    assert vl.parse_date("2019.1").date == D(2019, 1, 1)
    with pytest.raises(vl.ValueProblem):
        vl.parse_date("2019.1", typed=False)
    assert vl.parse_date("2019.10", typed=False).date == D(2019, 10, 1)
    with pytest.raises(vl.ValueProblem):
        vl.parse_date(2019.13)


@pytest.mark.parametrize(("cell", "date"), [
    ("2023-10-15", D(2023, 10, 15)), ("2023/10/15", D(2023, 10, 15)),
    ("2023.10.15", D(2023, 10, 15)), ("2023年10月15日", D(2023, 10, 15)),
    ("20231015", D(2023, 10, 15)), ("2023年10月", D(2023, 10, 1)),
    ("２０２３年１０月１５日", D(2023, 10, 15)), (dt.date(2023, 1, 2), D(2023, 1, 2)),
])
def test_dates(cell, date):
    assert vl.parse_date(cell).date == date


def test_yearless_dates_take_the_rows_year_and_say_so():
    got = vl.parse_date("6月12日", years=(2023, 2023))
    assert got.date == D(2023, 6, 12) and "2023" in got.note
    with pytest.raises(vl.ValueProblem, match="没有年份"):
        vl.parse_date("6月12日")
    with pytest.raises(vl.ValueProblem, match="不一"):
        vl.parse_date("6月12日", years=(2022, 2023))
    assert vl.years_in(["2023年6月底前", dt.date(2023, 1, 5), None, "长期坚持", 2023.5]) == (
        2023, 2023, 2023)


def test_invalid_dates():
    for bad in ("2023-02-30", "2023年13月", "明年"):
        with pytest.raises(vl.ValueProblem):
            vl.parse_date(bad)


@pytest.mark.parametrize(("text", "outcomes"), [
    ("立案审查，给予党内严重警告处分", ("case_filed", "sanctioned")),
    ("移送检察机关", ("judicial",)),
    ("给予政务记过处分", ("sanctioned",)),
    ("立案审查调查，开除党籍，移送检察机关依法审查起诉", ("case_filed", "sanctioned", "judicial")),
    ("予以了结", ()), ("批评教育", ()), ("不予立案，予以了结", ()), ("", ()),
    ("sanctioned", ("sanctioned",)),
])
def test_outcomes(text, outcomes):
    assert vl.parse_outcomes(text) == outcomes
    assert vl.outcome_stage(outcomes) == (outcomes[-1] if outcomes else None)


def test_outcome_text_without_a_stage_and_cells_without_words():
    assert vl.parse_outcomes("已办结，给予诫勉") == ()
    with pytest.raises(vl.ValueProblem):
        vl.parse_outcomes("123")


@pytest.mark.parametrize(("text", "disposition"), [
    ("初核", "verify"), ("初步核实", "verify"), ("谈话函询", "talk"), ("函询", "talk"),
    ("暂存待查", "hold"), ("予以了结", "close"), ("立案审查", "investigate"), ("", None),
])
def test_dispositions(text, disposition):
    assert vl.parse_disposition(text) == disposition


def test_amounts():
    assert vl.header_scale("涉及金额（万元）") == 1e4
    assert vl.header_scale("金额(元)") == 1.0
    assert vl.header_scale("金额") == 1.0
    assert vl.parse_amount("12.5", 1e4) == 125000.0
    assert vl.parse_amount(3, 1e4) == 30000.0
    assert vl.parse_amount("2860元", 1e4) == 2860.0     # the cell's unit wins
    assert vl.parse_amount("1,234.5") == 1234.5
    assert vl.parse_amount("3万元") == 30000.0
    assert vl.parse_amount("") is None
    for bad in ("若干", float("inf"), "1e400x"):
        with pytest.raises(vl.ValueProblem):
            vl.parse_amount(bad)


@pytest.mark.parametrize(("word", "relation"), [
    ("爱人", "spouse"), ("哥哥", "sibling"), ("表弟", "collateral"), ("大学同学", "classmate"),
    ("岳父", "in_law"), ("妻弟", "in_law"), ("儿子", "parent_child"), ("堂兄", "collateral"),
    ("老乡", "townsman"), ("原同事", "colleague"), ("外甥女", "collateral"),
])
def test_relation_words(word, relation):
    assert vl.parse_relation(word)[0] == relation


def test_unknown_relation_word_is_other_with_a_note():
    relation, note = vl.parse_relation("干亲")
    assert relation == "other" and "干亲" in note


def test_split_items():
    assert mn.split_items("（1）建立制度；（2）开展培训。") == ["建立制度", "开展培训。"]
    assert mn.split_items("1.建立台账；\n2.开展自查") == ["建立台账", "开展自查"]
    assert mn.split_items("①清理；②退还") == ["清理", "退还"]
    # items come back NFKC-normalised, as all linkgraph text (；→; （→( )
    assert mn.split_items("一是加强学习；二是完善制度") == ["一是加强学习;二是完善制度"]
    assert mn.split_items("于2023.6前完成修订（2）") == ["于2023.6前完成修订(2)"]
    assert mn.split_items("（2）只有一项；（3）") == ["(2)只有一项;(3)"]
    assert mn.split_items("针对此问题：（1）查摆；（2）整改") == ["针对此问题:查摆", "整改"]


def test_split_names():
    assert mn.split_names("陈明、赵伟") == ["陈明", "赵伟"]
    assert mn.split_names("陈明，赵伟；王磊") == ["陈明", "赵伟", "王磊"]
    assert mn.split_names("王　磊") == ["王磊"]          # padded with a full-width space
    assert mn.split_names("陈明 赵伟") == ["陈明", "赵伟"]
    assert mn.split_names("王和平") == ["王和平"]
    assert mn.split_names("杨光（党委书记、镇长）") == ["杨光(党委书记、镇长)"]
    assert mn.split_names("无") == []


@pytest.mark.parametrize(("text", "unit", "title"), [
    ("县农业农村局党组书记、局长", "县农业农村局", "党组书记、局长"),
    ("白沙镇人民政府副镇长", "白沙镇人民政府", "副镇长"),
    ("白沙镇党委副书记、镇长", "白沙镇", "党委副书记、镇长"),
    ("中共青岚县农业农村局党组", "中共青岚县农业农村局党组", None),
    ("党委书记", None, "党委书记"),
    ("青岚县财政局会计", "青岚县财政局", "会计"),
    # village posts start with the village's word; the unit keeps its own
    ("福泽镇丰岗村村党支部书记、村委会主任", "福泽镇丰岗村", "村党支部书记、村委会主任"),
    ("福泽镇万门村村务监督委员会主任", "福泽镇万门村", "村务监督委员会主任"),
    ("和场村党支部书记", "和场村", "党支部书记"),     # 场 ends units too: not 和场
    ("凤园村村委委员", "凤园村", "村委委员"),
    ("中共福泽镇凤垣村支部委员会村委会副主任", "中共福泽镇凤垣村支部委员会", "村委会副主任"),
    ("彭铺街道党工委街道办事处主任", "彭铺街道党工委", "街道办事处主任"),
    ("大池县纪委监委常委", "大池县纪委监委", "常委"),
])
def test_unit_and_title_in_one_cell(text, unit, title):
    got_unit, got_title = mn.split_unit_title(text)
    assert (got_unit.text if got_unit else None, got_title) == (unit, title)


@pytest.mark.parametrize(("text", "name", "unit", "title"), [
    ("局长张三", "张三", None, "局长"),
    ("党委书记 李四", "李四", None, "党委书记"),
    ("主任王芳", "王芳", None, "主任"),
    ("县农业农村局局长 杨光", "杨光", "县农业农村局", "局长"),
    ("党组书记、局长杨光", "杨光", None, "党组书记、局长"),
    ("李四 党委书记", "李四", None, "党委书记"),   # name first, as before
    ("文书华", "文书华", None, None),              # 文 is a surname: a name, not 文书 华
    ("文书 张华", "张华", None, "文书"),
    ("欧阳明月", "欧阳明月", None, None),
])
def test_a_post_written_before_the_name(text, name, unit, title):
    p = mn.person(text)
    assert (p.name, p.unit.text if p.unit else None, p.title) == (name, unit, title)


def test_person_cells():
    p = mn.person("杨光（党委书记）")
    assert (p.name, p.title, p.unit) == ("杨光", "党委书记", None)
    p = mn.person("杨光（县农业农村局党组书记）")
    assert (p.name, p.unit, p.title) == ("杨光", UnitMention("县农业农村局"), "党组书记")
    p = mn.person("杨光，女，1971.03")
    assert (p.name, p.gender, p.birth) == ("杨光", "女", "1971.03")
    p = mn.person("王磊", unit=UnitMention("白沙镇"), birth="1980")
    assert (p.name, p.unit.text, p.birth) == ("王磊", "白沙镇", "1980")
    with pytest.raises(vl.ValueProblem):
        mn.person("（空）")


@pytest.mark.parametrize(("text", "name", "unit", "title"), [
    # a space between a name and a unit or post is not a list of two people
    ("周八 白沙镇", "周八", "白沙镇", None),
    ("县财政局副局长 王五", "王五", "县财政局", "副局长"),
    ("李四 党委书记", "李四", None, "党委书记"),
    # a note on the person in brackets is no unit; 原… is a former post: the
    # unit helps find the person, the post is not a current one
    ("赵六（已调离）", "赵六", None, None),
    ("钱七（已退休）", "钱七", None, None),
    ("孙七（原白沙镇镇长）", "孙七", "白沙镇", None),
    ("郑十同志", "郑十", None, None),
])
def test_one_person_as_offices_write_them(text, name, unit, title):
    (p,) = mn.people(text)
    assert (p.name, p.unit.text if p.unit else None, p.title) == (name, unit, title)


def test_two_people_split_by_a_space_stay_two():
    assert [p.name for p in mn.people("陈明 赵伟")] == ["陈明", "赵伟"]
    assert [p.name for p in mn.people("王　磊")] == ["王磊"]


@pytest.mark.parametrize(("cell", "birth"), [
    ("1971.03", "1971.03"), (1971.03, "1971.03"), ("1971年3月", "1971.03"), ("1971", "1971"),
    (1971, "1971"), (dt.date(1971, 3, 1), "1971.03"), ("1971.3", "1971.03"),
    (1971.1, "1971"),  # 1971.10 stored as 1971.1: the month cannot be told, the year can
    ("", None),
])
def test_birth(cell, birth):
    assert mn.parse_birth(cell) == birth


def test_birth_out_of_range():
    for bad in ("1000", "-1980", "19710", 2990):
        with pytest.raises(vl.ValueProblem):
            mn.parse_birth(bad)


@pytest.mark.parametrize(("text", "name", "unit", "title"), [
    ("村党支部书记王国东", "王国东", None, "村党支部书记"),   # 村: the row's own unit
    ("县农业农村局局长杨光", "杨光", "县农业农村局", "局长"),
    ("县农业农村局党组书记、局长杨光", "杨光", "县农业农村局", "党组书记、局长"),
    ("党支部书记陈长龙", "陈长龙", None, "党支部书记"),
])
def test_post_then_name(text, name, unit, title):
    p = mn.person(text)
    assert (p.name, p.unit.text if p.unit else None, p.title) == (name, unit, title)


def test_yearless_date_settled_by_the_rows_order():
    # 移交 2023-12-05, 办结 2024-01-20: 签收 12月11日 can only be 2023-12-11
    got = vl.parse_date("12月11日", years=(2023, 2024), after=D(2023, 12, 5), before=D(2024, 1, 20))
    assert got.date == D(2023, 12, 11) and "2023" in got.note
    # 发现 2021-09-30, 时限 2022年2月底前: 完成 3月19日 can only be 2022
    assert vl.parse_date("3月19日", years=(2021, 2022), after=D(2021, 9, 30)).date == D(2022, 3, 19)
    # both years keep the order: never guessed
    with pytest.raises(vl.ValueProblem):
        vl.parse_date("12月11日", years=(2023, 2024), after=D(2023, 1, 1))
