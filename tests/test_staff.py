"""``linkgraph staff`` on the hand-made ledger of tests/staff_ledger.py.

Every expected answer is worked out by hand from the facts listed there:
R2026's leaders must be 赵一 and 钱二 (the only 组长库 people) and its
deputies 张三 and 李四 (the only 副组长库 people); the objective is their
recent service: 20 × (3 − k + 1) for a round k rounds back, so 赵一 and
张三 (R2024, two back) cost 40 each, 钱二 and 李四 (R2025, the previous
round) 60 each: 200.  No soft conflict, every need coverable.
"""
from __future__ import annotations

import json

from openpyxl import load_workbook

from tests.staff_ledger import FILES, write_ledger

RULES_HARD_NEEDS = """[specialties]
needs = "hard"
[service]
max_consecutive_rounds = 5
"""


def roster(invoke, folder, *args):
    done = invoke("staff", folder, "--round", "R2026", "--format", "json", *args)
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def teams_of(doc) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for m in doc["members"]:
        out.setdefault(m["team_id"], {})[m["person_id"]] = m["role"]
    return out


def test_the_roster_fills_every_slot_and_keeps_out_every_planted_conflict(tmp_path, invoke):
    doc = roster(invoke, write_ledger(tmp_path / "d"))
    teams = teams_of(doc)
    assert sorted(teams) == ["T1", "T2"]
    assert doc["optimal"] and doc["objective"] == 200
    # planted: 孙七 (post), 周八 (spouse of the 镇长), 蒋四 (seconded from 县住建局) not on T1;
    # 吴九 (seconded from 县城投公司) not on T2; 郑十 served two rounds in a row
    assert not {"P07", "P08", "P14"} & set(teams["T1"])
    assert "P09" not in teams["T2"]
    assert all("P10" not in t for t in teams.values())
    assert [e["person_id"] for e in doc["excluded"]] == ["P10"]
    assert {teams["T1"][p] for p in ("P01", "P02") if p in teams["T1"]} == {"组长"}
    tags = {}
    for m in doc["members"]:
        tags.setdefault(m["team_id"], set()).update(m["specialties"].split("、"))
    for team, members in teams.items():
        roles = list(members.values())
        assert roles.count("组长") == 1 and 1 <= roles.count("副组长") <= 2
        assert 5 <= len(members) <= 7
        assert {"纪检", "组织"} <= tags[team]
    assert {"三资", "工程"} <= tags["T1"] and {"财务", "审计"} <= tags["T2"]
    assert doc["uncovered"] == []
    # a new member (何一 / 冯二) is never without an experienced teammate
    for members in teams.values():
        if {"P11", "P12"} & set(members):
            assert {"P01", "P02", "P03", "P04", "P06"} & set(members)
    assert all(m["staff_reason"] for m in doc["members"])


def test_same_input_same_roster_and_fix_forbid_are_obeyed(tmp_path, invoke):
    folder = write_ledger(tmp_path / "d")
    first = roster(invoke, folder)
    assert roster(invoke, folder)["members"] == first["members"]
    leader_t1 = next(m["person_id"] for m in first["members"]
                     if m["team_id"] == "T1" and m["role"] == "组长")
    other = "P01" if leader_t1 == "P02" else "P02"
    moved = teams_of(roster(invoke, folder, "--fix", f"{other}:T1"))
    assert moved["T1"][other] == "组长"
    kept_off = teams_of(roster(invoke, folder, "--forbid", "王五:第二巡察组"))
    assert "P05" not in kept_off["T2"]


def test_alternatives_are_distinct_and_no_better(tmp_path, invoke):
    doc = roster(invoke, write_ledger(tmp_path / "d"), "--alternatives", "2")
    alts = doc["alternatives"]
    assert len(alts) == 2 and all(a["objective"] >= doc["objective"] for a in alts)
    assert all(a["differs"] for a in alts)


def test_targets_file_and_a_rotation_plan_give_the_teams(tmp_path, invoke):
    folder = write_ledger(tmp_path / "d")
    targets = tmp_path / "targets.csv"
    targets.write_text("巡察组编码,单位编码\nT1,U3\nT2,U1\nT2,U2\n", encoding="gbk")
    teams = teams_of(roster(invoke, folder, "--targets", targets))
    # now 吴九 may not join T1 (县城投公司), 孙七/周八/蒋四 not T2
    assert "P09" not in teams["T1"] and not {"P07", "P08", "P14"} & set(teams["T2"])
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"round_id": "R2026", "pairs": [
        {"team_id": "T1", "team_name": "第一巡察组", "unit_ids": ["U3"]},
        {"team_id": "T2", "team_name": "第二巡察组", "unit_ids": ["U1", "U2"]}]}), "utf-8")
    done = invoke("staff", folder, "--from-rotation", plan, "--format", "json")
    assert done.exit_code == 0, done.output
    assert teams_of(json.loads(done.stdout)) == teams


def test_too_few_leaders_is_named(tmp_path, invoke):
    folder = write_ledger(tmp_path / "d")
    targets = tmp_path / "t.csv"
    targets.write_text("team_id,unit_id\nT1,U1\nT2,U3\nT3,U6\n", encoding="utf-8")
    done = invoke("staff", folder, "--round", "R2026", "--targets", targets)
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "组长库只有 2 名可用的组长，3 个巡察组需要 3 名" in done.output


def test_a_need_whose_every_holder_is_conflicted_is_named(tmp_path, invoke):
    posts = FILES["posts.csv"] + "P10,U7,法律顾问,否,2021-01-01,\n"
    folder = write_ledger(tmp_path / "d", posts=posts)
    rules = tmp_path / "staffing.toml"
    rules.write_text(RULES_HARD_NEEDS, encoding="utf-8")
    targets = tmp_path / "t.csv"
    targets.write_text("team_id,unit_id\nT1,U7\nT2,U3\n", encoding="utf-8")
    done = invoke("staff", folder, "--round", "R2026", "--targets", targets,
                  "--staffing-rules", rules)
    assert done.exit_code == 1
    assert "县司法局需要法律（补位），但人才库中法律专长人员均与第一巡察组的被巡察单位有回避" \
        in done.output
    assert "郑十" in done.output          # the conflicted holder, with the conflict
    assert "补位特长必须覆盖" in done.output       # what to relax
    # the same need as soft: a roster, with the need listed as not covered
    rules.write_text('[service]\nmax_consecutive_rounds = 5\n', encoding="utf-8")
    doc = json.loads(invoke("staff", folder, "--round", "R2026", "--targets", targets,
                            "--staffing-rules", rules, "--format", "json").stdout)
    assert [(u["team_id"], u["need_specialty"]) for u in doc["uncovered"]] == [("T1", "法律")]


def test_a_need_whose_only_holder_is_unavailable_says_so(tmp_path, invoke):
    folder = write_ledger(tmp_path / "d")
    rules = tmp_path / "staffing.toml"
    rules.write_text('[specialties]\nneeds = "hard"\n', encoding="utf-8")
    targets = tmp_path / "t.csv"
    targets.write_text("team_id,unit_id\nT1,U7\nT2,U3\n", encoding="utf-8")
    done = invoke("staff", folder, "--round", "R2026", "--targets", targets,
                  "--staffing-rules", rules)
    assert done.exit_code == 1
    assert "县司法局需要法律（补位），人才库中法律专长人员均不可用（已连续参加 2 轮巡察：1人）" \
        in done.output


def test_a_fixed_slot_nobody_free_can_fill_is_named(tmp_path, invoke):
    # both 纪检 people (赵一, 张三) once worked at 县城投公司 for years: team 2 has no 纪检
    posts = FILES["posts.csv"] + "P01,U3,副总经理,否,2010-01-01,2015-01-01\n" \
        "P03,U3,会计,否,2012-01-01,2016-01-01\n"
    done = invoke("staff", write_ledger(tmp_path / "d", posts=posts), "--round", "R2026")
    assert done.exit_code == 1
    assert ("第二巡察组需要纪检（常规岗位），但人才库中纪检专长人员均与第二巡察组的被巡察单位有回避"
            in done.output)
    assert "赵一" in done.output and "常规岗位特长" in done.output


def test_fixing_a_conflicted_person_names_the_conflict(tmp_path, invoke):
    done = invoke("staff", write_ledger(tmp_path / "d"), "--round", "R2026", "--fix", "P07:T1")
    assert done.exit_code == 1
    assert "孙七不能进第一巡察组" in done.output and "石桥镇副镇长" in done.output


def test_a_bad_pool_file_is_reported_by_row_and_a_good_one_replaces_the_table(tmp_path,
                                                                              invoke):
    folder = write_ledger(tmp_path / "d")
    bad = tmp_path / "候选人.csv"
    bad.write_text(FILES["pool.csv"] + "P99,组长库,纪检,U4,1,\nP01,神仙库,纪检,U4,1,\n",
                   encoding="gb18030")
    done = invoke("staff", folder, "--round", "R2026", "--pool", bad)
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "候选人.csv" in done.output and "P99" in done.output and "神仙库" in done.output
    good = tmp_path / "人才库.csv"
    good.write_text(FILES["pool.csv"].replace("P05,成员库", "P05,专家库"), encoding="utf-8-sig")
    doc = roster(invoke, write_ledger(tmp_path / "e", pool="person_id,pool_kind\n"),
                 "--pool", good)
    assert doc["objective"] == 200


def test_without_a_pool_the_command_says_what_to_give(tmp_path, invoke):
    done = invoke("staff", write_ledger(tmp_path / "d", pool="person_id,pool_kind\n"),
                  "--round", "R2026")
    assert done.exit_code == 1 and "--pool" in done.output


def test_the_workbook_is_chinese_with_a_reason_per_member(tmp_path, invoke):
    people = FILES["people.csv"].replace("P05,王五", "P05,=HYPERLINK(\"http://x\")")
    folder = write_ledger(tmp_path / "d", people=people)
    out = tmp_path / "roster.xlsx"
    done = invoke("staff", folder, "--round", "R2026", "--alternatives", "1", "--out", out)
    assert done.exit_code == 0, done.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["巡察组人员名单", "未覆盖的特长", "名单中的提示性关系", "备选名单",
                             "本轮不可抽调人员", "求解说明", "来源"]
    sheet = wb["巡察组人员名单"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["巡察组编码", "巡察组", "角色"] and "入选理由" in header
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    doc = roster(invoke, folder, "--alternatives", "1")
    assert [r[header.index("人员编码")] for r in rows] == [m["person_id"] for m in doc["members"]]
    assert all("无回避" in r[header.index("入选理由")] for r in rows)
    names = [r[header.index("姓名")] for r in rows]
    assert all(not str(n).startswith("=") for n in names)
    assert any("HYPERLINK" in str(n) for n in names)
    assert sheet.print_options.gridLines or sheet.page_setup.orientation


def test_the_report_gains_the_roster_section(tmp_path):
    import datetime as dt

    from linkgraph.dataset import load_dataset
    from linkgraph.report import ReportOptions, build_report

    data = load_dataset(write_ledger(tmp_path / "d"))
    options = ReportOptions(as_of=dt.date(2026, 6, 30), round_id="R2026", views=False)
    rep = build_report(data.tables, options)
    section = next(s for s in rep.sections if s.key == "roster")
    rows = section.tables[0].rows
    assert {r["team_id"] for r in rows} == {"T1", "T2"}
    assert not {"P07", "P08", "P14"} & {r["person_id"] for r in rows if r["team_id"] == "T1"}
    assert "2 个巡察组" in section.paragraphs[0]
    empty = load_dataset(write_ledger(tmp_path / "e", pool="person_id,pool_kind\n"))
    none = next(s for s in build_report(empty.tables, options).sections if s.key == "roster")
    assert "没有人才库" in none.note and not none.tables


def test_the_team_view_shows_the_roster_and_the_members_ties(tmp_path, invoke):
    from linkgraph.dataset import load_dataset
    from linkgraph.graph import build_graph
    from linkgraph.views.kinds_team import team_view

    folder = write_ledger(tmp_path / "d")
    views = tmp_path / "views"
    done = invoke("staff", folder, "--round", "R2026", "--fix", "P08:T2", "--views", views)
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in views.iterdir()) == ["team-T1.html", "team-T2.html"]
    page = (views / "team-T2.html").read_text("utf-8")
    assert "周八" in page and "刘镇长" in page     # 周八's spouse, one tie away
    # the graph's own members when no roster is given: T25 of 2025
    tables = load_dataset(folder).tables
    req = team_view(build_graph(tables), "T25")
    assert {"Person:P02", "Person:P10", "Person:P04", "Unit:U7"} <= set(req.nodes)


def test_cross_inspection_keeps_people_out_of_their_own_region(tmp_path):
    # R2026 as a cross round between the towns 石桥镇 (R1) and 乙镇 (R2): 王五 now
    # comes from 乙镇卫生院 and may not join the team inspecting 乙镇; 陈六 (from
    # 石桥镇中学) not the one inspecting 石桥镇; county cadres (R0) go anywhere
    from linkgraph.dataset import load_dataset
    from linkgraph.staffing.problem import build_problem, team_slots
    from linkgraph.staffing.rules import load_staffing_rules

    folder = write_ledger(
        tmp_path / "d",
        regions=FILES["regions.csv"] + "R2,乙镇,乡镇,R0\n",
        units=FILES["units.csv"] + "U8,乙镇,R2,乡镇,乡镇,乡镇\nU9,乙镇卫生院,R2,卫生,乡镇,事业单位\n"
        "U10,石桥镇中学,R1,教育,乡镇,事业单位\n",
        rounds=FILES["rounds.csv"].replace("2026年第一轮,常规巡察", "2026年交叉巡察,交叉巡察"),
        teams=FILES["teams.csv"].replace("T1,R2026,第一巡察组,R0", "T1,R2026,第一巡察组,R1")
        .replace("T2,R2026,第二巡察组,R0", "T2,R2026,第二巡察组,R2"),
        pool=FILES["pool.csv"].replace("P05,成员库,财务审计,U6", "P05,成员库,财务审计,U9")
        .replace("P06,成员库,工程管理,U6", "P06,成员库,工程管理,U10"))
    tables = load_dataset(folder).tables
    rules = load_staffing_rules()
    prob = build_problem(tables, "R2026", team_slots(tables, {"T1": ("U8",), "T2": ("U1",)},
                                                     rules), rules)
    ids = [p.person_id for p in prob.persons]
    home = {(ids[p], prob.teams[t].team_id) for (p, t), c in prob.hard.items()
            if c.relation == "home_region"}
    assert home == {("P05", "T1"), ("P06", "T2")}
    assert "不巡本地" in prob.hard[ids.index("P05"), 0].explanation


def test_pool_rows_are_checked_and_rejected_rows_named(tmp_path):
    from linkgraph.dataset import load_dataset

    pool = ("person_id,pool_kind,specialties,source_unit_id,available_from,available_to,"
            "rounds_served\n"
            "P01,组长库,纪检,U4,,,4\n"
            "P02,组长库,组织,U5,2026-05-01,2026-01-01,3\n"
            "P03,副组长库,纪检,U4,,,-1\n"
            "P04,神仙库,组织,U5,,,2\n"
            "P99,成员库,,U6,,,0\n"
            "P05,成员库,财务,U404,,,0\n")
    data = load_dataset(write_ledger(tmp_path / "d", pool=pool), lenient=True)
    bad = {(v.row, v.column) for v in data.errors if v.table == "pool"}
    assert bad == {(3, "available_to"), (4, "rounds_served"), (5, "pool_kind"),
                   (6, "person_id"), (7, "source_unit_id")}
    assert list(data.tables["pool"]["person_id"]) == ["P01"]


def test_english_throughout_with_lang_en(tmp_path, invoke):
    folder = write_ledger(tmp_path / "d")
    doc = roster(invoke, folder, "--lang", "en", "--alternatives", "1")
    assert {m["role"] for m in doc["members"]} >= {"leader", "deputy leader", "member"}
    assert all("no hard conflict with any of the" in m["staff_reason"] for m in doc["members"])
    assert doc["excluded"][0]["excluded_reason"] == "served 2 rounds in a row (limit 2)"
    assert "not chosen" in doc["alternatives"][0]["differs"] or "→" in \
        doc["alternatives"][0]["differs"]
    out = tmp_path / "r.xlsx"
    assert invoke("staff", folder, "--round", "R2026", "--lang", "en", "--out", out
                  ).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["Team rosters", "Specialties not covered"]
    assert "Why this member" in [c.value for c in wb["Team rosters"][1]]


def test_too_few_people_for_the_team_sizes_is_named(tmp_path, invoke):
    pool = "\n".join(FILES["pool.csv"].splitlines()[:6]) + "\n"     # 赵一 … 王五: 5 people
    done = invoke("staff", write_ledger(tmp_path / "d", pool=pool), "--round", "R2026")
    assert done.exit_code == 1
    assert "人才库只有 5 名可用人员，2 个巡察组每组至少 5 人共需 10 人" in done.output
    assert "每组人数" in done.output          # relaxing the size alone gives a roster


def test_teams_sharing_too_few_leaders_are_named(tmp_path, invoke):
    # 赵一 and 钱二 left 县审计局 in 2024 for 县城投公司: they can lead only team 1;
    # 卫三 (now also in the 组长库) can lead any — teams 2 and 3 share one leader
    posts = FILES["posts.csv"] + ("P01,U6,科员,否,2018-01-01,2024-01-01\n"
                                  "P01,U3,董事,否,2024-02-01,\n"
                                  "P02,U6,科员,否,2018-01-01,2024-01-01\n"
                                  "P02,U3,监事,否,2024-02-01,\n")
    pool = FILES["pool.csv"] + "P13,组长库,纪检,U5,3,\n"
    folder = write_ledger(tmp_path / "d", posts=posts, pool=pool)
    targets = tmp_path / "t.csv"
    targets.write_text("team_id,unit_id\nT1,U1\nT2,U3\nT3,U6\n", encoding="utf-8")
    done = invoke("staff", folder, "--round", "R2026", "--targets", targets)
    assert done.exit_code == 1
    assert "3 名可用组长回避后不够分配" in done.output and "分不到无回避的组长" in done.output


def test_the_time_limit_covers_the_whole_run_not_only_the_solver(tmp_path, monkeypatch):
    # the conflict engine and the model building count against --time-limit:
    # when they take 2 of 5 seconds the solver is given at most the 3 left
    import time

    import linkgraph.staffing.solvers as model
    import linkgraph.staffing.plan as plan
    from linkgraph.dataset import load_dataset

    tables = load_dataset(write_ledger(tmp_path / "d")).tables
    build, given = plan.build_problem, []

    def slow_build(*args, **kwargs):
        time.sleep(2.0)
        return build(*args, **kwargs)

    real = model.SOLVERS["auto"]

    def recording(m, *, time_limit, **kwargs):
        given.append(time_limit)
        return real(m, time_limit=time_limit, **kwargs)

    monkeypatch.setattr(plan, "build_problem", slow_build)
    monkeypatch.setitem(model.SOLVERS, "auto", recording)
    roster = plan.staff_teams(tables, "R2026", plan.StaffOptions(time_limit=5.0))
    assert roster.optimal and len(given) == 1 and given[0] <= 3.0
    given.clear()       # with alternatives the rest is shared between the rosters
    plan.staff_teams(tables, "R2026", plan.StaffOptions(time_limit=5.0, alternatives=1))
    assert given and given[0] <= 1.5
