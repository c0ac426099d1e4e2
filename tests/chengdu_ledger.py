"""A hand-built ledger whose 成果 figures are 成都's first-round paragraph, true
by construction:

    "680项问题 … 整改措施3156项 … 整改完成471个，整改完成率69.26% … 新建、修订制度
    机制645项，追缴（退回）资金1570.83万元，挽回损失390.52万元，追责问责250人 … 完成集中
    整改销号问题521项 … 移交的127件问题线索已办结76件，立案57件68人，移送司法2人"

The arithmetic, line by line (``AS_OF`` 2025-06-30):

* one round X1, feedback (end) 2024-06-30, so the concentrated period ends
  2024-09-30 (feedback + 3 months);
* 10 units U01–U10, 68 problems each: 10 × 68 = **680**; problem k (0…679)
  is in unit U(k mod 10 + 1);
* measures: problems 0…243 have 4, problems 244…679 have 5:
  244 × 4 + 436 × 5 = 976 + 2180 = **3156**;
* problems 0…470 (471) have every measure 已完成 on 2024-08-15, inside the
  period: **471**, 471 / 680 = 0.692647… = **69.26 %**;
  problems 471…520 (50) completed on 2024-11-20, after the period;
  problems 521…550 (30) completed on 2025-03-01; problems 551…679 (129)
  keep their last measure 推进中 (open).  Completed by AS_OF: 471 + 50 + 30 = 551;
* 销号: every measure of problems 0…520 (471 + 50 = **521**) has a passed
  closing review (2024-12-10).  Problems 0…19 had their first measure sent
  back (再整改, 2024-08-20) before it passed.  Of the 30 completed-but-open
  problems, 521…530 are written 已销号 in the ledger with no review (not
  counted: 销号 needs a review) and 531…540 have a closing review 退回重写;
* 立行立改: problems 0…119 (120, all among the 471); 重点关注: 600…634 (35);
* results: one row per unit.  新建制度 40 × 10 = 400, 修订制度 24 × 9 + 29 = 245:
  400 + 245 = **645**.  追缴（退回）资金 under a 万元 header: 157.08 × 9 + 157.11 =
  1413.72 + 157.11 = **1570.83 万元**; 挽回损失 (万元): 39.05 × 9 + 39.07 =
  351.45 + 39.07 = **390.52 万元**; 追责问责 25 × 9 = 225 by count, and U10's five
  rows list 5 people each (P176…P200) without a count: 225 + 25 = **250 人**;
* leads L001…L127: **127**; L001…L076 closed 2024-12-01: **76** 办结;
  L001…L040 立案, L041…L055 处分, L056…L057 移送司法: 40 + 15 + 2 = **57 件**;
  L001…L011 name two people each in lead_people, the other 46 one person
  (leads.person_id): 11 × 2 + 46 = **68 人**; L056, L057 one person each:
  **移送司法 2 人**; 处分 people: L041…L055 (15) + L056…L057 (2) = 17.
* reports (整改报告): every unit's passed; U01…U04 were first sent back
  (退回重写, 2024-07-20): 4 of 10 sent back.
"""
from __future__ import annotations

AS_OF = "2025-06-30"
N_UNITS, PER_UNIT = 10, 68


def _five(first: int) -> str:
    return ";".join(f"P{i:03d}" for i in range(first, first + 5))


def _measures_of(k: int) -> int:
    return 4 if k < 244 else 5


def ledger() -> dict[str, str]:
    units = "unit_id,name,kind\n" + "".join(f"U{u:02d},单位{u:02d},局\n"
                                             for u in range(1, N_UNITS + 1))
    people = "person_id,name\n" + "".join(f"P{i:03d},人员{i:03d}\n" for i in range(1, 201))
    rounds = ("round_id,name,kind,start,end,term\n"
              "X1,第一轮巡察,常规巡察,2024-04-01,2024-06-30,第十五届\n")
    teams = "team_id,round_id,name\n" + "".join(f"T{t},X1,第{t}巡察组\n" for t in (1, 2))
    assign = "round_id,team_id,unit_id\n" + "".join(
        f"X1,T{1 if u <= 5 else 2},U{u:02d}\n" for u in range(1, N_UNITS + 1))
    problems = ["problem_id,unit_id,round_id,category,found_date,immediate,key_concern"]
    measures = ["measure_id,problem_id,status,completed_date,due_date"]
    reviews = ["review_id,unit_id,round_id,subject,measure_id,problem_id,review_date,"
               "reviewers,verdict,reason"]
    n_review = 0

    def review(*cells: str) -> None:
        nonlocal n_review
        n_review += 1
        reviews.append(f"V{n_review:05d}," + ",".join(cells))

    m_id = 0
    for k in range(N_UNITS * PER_UNIT):
        unit = f"U{k % N_UNITS + 1:02d}"
        imm = "是" if k < 120 else "否"
        key = "是" if 600 <= k < 635 else "否"
        problems.append(f"Q{k:03d},{unit},X1,财务管理,2024-05-15,{imm},{key}")
        for j in range(_measures_of(k)):
            m_id += 1
            mid = f"M{m_id:04d}"
            last = j == _measures_of(k) - 1
            if k < 471:
                status, date = "已完成", "2024-08-15"
            elif k < 521:
                status, date = "已完成", "2024-11-20"
            elif k < 551:
                status, date = ("已销号" if k < 531 else "已完成"), "2025-03-01"
            else:
                status, date = ("推进中", "") if last else ("已完成", "2024-08-15")
            measures.append(f"{mid},Q{k:03d},{status},{date},2024-09-30")
            if k < 20 and j == 0:
                review(unit, "X1", "销号", mid, "", "2024-08-20", "纪委监委;组织部;巡察办", "再整改",
                       "佐证材料不全")
            if k < 521:
                review(unit, "X1", "销号", mid, "", "2024-12-10", "纪委监委;组织部;巡察办;巡察组",
                       "通过", "")
            elif 531 <= k < 541:
                review(unit, "X1", "销号", mid, "", "2025-04-01", "纪委监委;组织部", "退回重写",
                       "整改不到位")
    for u in range(1, N_UNITS + 1):
        unit = f"U{u:02d}"
        if u <= 4:
            review(unit, "X1", "整改报告", "", "", "2024-07-20", "纪委监委;组织部;巡察办",
                   "退回重写", "问题原因剖析不深")
        review(unit, "X1", "整改报告", "", "", "2024-08-05", "纪委监委;组织部;巡察办", "通过", "")
    results = ["成果编码,单位编码,轮次编码,新建制度,修订制度,追缴（退回）资金（万元）,"
               "挽回损失（万元）,追责问责,追责人员"]
    for u in range(1, N_UNITS + 1):
        revised = 29 if u == 1 else 24
        recovered = "157.11" if u == N_UNITS else "157.08"
        loss = "39.07" if u == N_UNITS else "39.05"
        count, who = ("", _five(176)) if u == N_UNITS else ("25", "")
        results.append(f"C{u:02d},U{u:02d},X1,40,{revised},{recovered},{loss},{count},{who}")
    for j, first in enumerate((181, 186, 191, 196)):   # U10's other 20 people, 5 a row
        results.append(f"C9{j},U10,X1,,,,,,{_five(first)}")
    depts = "dept_id,name,kind\nD1,市纪委监委,纪委监委\n"
    leads = ["lead_id,unit_id,round_id,person_id,transferred_to,transfer_date,closed_date,"
             "disposition,outcome"]
    lead_people = ["lead_id,person_id,name"]
    for i in range(1, 128):
        lid = f"L{i:03d}"
        closed = "2024-12-01" if i <= 76 else ""
        outcome = ("立案" if i <= 40 else "党纪政务处分" if i <= 55 else "移送司法" if i <= 57
                   else "")
        disposition = "立案审查" if i <= 57 else ""
        unit = f"U{(i - 1) % N_UNITS + 1:02d}"
        leads.append(f"{lid},{unit},X1,P{i:03d},D1,2024-07-15,{closed},{disposition},{outcome}")
        if i <= 11:
            lead_people.append(f"{lid},P{i:03d},")
            lead_people.append(f"{lid},,案外人{i:02d}")
    return {
        "units.csv": units, "people.csv": people, "rounds.csv": rounds, "teams.csv": teams,
        "assignments.csv": assign, "departments.csv": depts,
        "problems.csv": "\n".join(problems) + "\n", "measures.csv": "\n".join(measures) + "\n",
        "reviews.csv": "\n".join(reviews) + "\n", "成果.csv": "\n".join(results) + "\n",
        "leads.csv": "\n".join(leads) + "\n", "lead_people.csv": "\n".join(lead_people) + "\n",
    }
