"""The 成果 paragraph in the offices' own wording (Chinese), or in English."""
from __future__ import annotations

from linkgraph.analysis.results import Results
from linkgraph.schema import Tables


def wan(amount: object) -> str:
    """元 as 万元 with two decimals: 15708300 -> ``1570.83``."""
    return f"{float(amount) / 10_000:.2f}"  # type: ignore[arg-type]


def yuan(amount: object) -> str:
    """元 in English, whole yuan with thousands separators: 15708300 -> ``15,708,300``."""
    return f"{float(amount):,.0f}"  # type: ignore[arg-type]


def pct(rate: object) -> str:
    return "—" if rate is None else f"{float(rate) * 100:.2f}%"  # type: ignore[arg-type]


def scope_name(tables: Tables, res: Results, lang: str = "zh") -> str:
    s = res.scope
    if s.round_id is not None:
        r = tables["rounds"].set_index("round_id")
        name = r.at[s.round_id, "name"]
        return name if isinstance(name, str) else s.round_id
    if s.term is not None:
        return f"{s.term}巡察" if lang == "zh" else f"term {s.term}"
    return "各轮巡察" if lang == "zh" else "all rounds"


def convention(res: Results, lang: str = "zh") -> str:
    """How the rate was counted, said with it every time."""
    if lang == "en":
        ongoing = "long-term (ongoing) measures counted as done" if res.ongoing_done else \
            "long-term (ongoing) measures counted as not done"
        return f"problems with every measure completed / problems; {ongoing}"
    ongoing = "长期坚持、持续整改的计为完成" if res.ongoing_done else "长期坚持、持续整改的计为未完成"
    return f"按问题计：措施全部完成的问题数/问题总数，{ongoing}"


def paragraph(tables: Tables, res: Results, lang: str = "zh") -> str:
    """One paragraph with every figure of ``res.total``."""
    f = res.total
    when = res.as_of.strftime("%Y-%m-%d")
    name = scope_name(tables, res, lang)
    if lang == "en":
        note = "" if res.closed_by_review else " (as the ledger's status says; no review record)"
        return (
            f"In {name}, {f['problems']} problems were found ({f['immediate']} rectified on the "
            f"spot, {f['key_concern']} of key concern), with {f['measures']} rectification "
            f"measures. Within the concentrated period (feedback + {res.period_months} months) "
            f"{f['rectified_in_period']} problems were rectified, a rate of "
            f"{pct(f['rate_in_period'])}; by {when}, {f['rectified']} ({pct(f['rate'])}) — "
            f"{convention(res, lang)}. After review, {f['problems_closed']} problems were closed"
            f"{note}. {f['rules']} rules were made or revised ({f['rules_new']} new, "
            f"{f['rules_revised']} revised); {yuan(f['recovered_amount'])} yuan "
            f"recovered or returned, {yuan(f['loss_recovered'])} yuan of losses retrieved, "
            f"{f['accountable']} people held accountable. Of the {f['leads']} leads "
            f"transferred, {f['leads_closed']} are closed; cases were filed on {f['cases']} "
            f"leads concerning {f['case_people']} people, {f['sanctioned_people']} people were "
            f"sanctioned and {f['judicial_people']} sent to prosecutors.")
    note = "" if res.closed_by_review else "（按台账销号状态，未提供审核记录）"
    return (
        f"{name}共发现问题{f['problems']}个（其中立行立改{f['immediate']}个、重点关注"
        f"{f['key_concern']}个），制定整改措施{f['measures']}项。集中整改期（反馈后"
        f"{res.period_months}个月）内整改完成{f['rectified_in_period']}个，整改完成率"
        f"{pct(f['rate_in_period'])}；截至{when}整改完成{f['rectified']}个，整改完成率"
        f"{pct(f['rate'])}（{convention(res, lang)}）。经审核评估，完成整改销号问题"
        f"{f['problems_closed']}项{note}。新建、修订制度机制{f['rules']}项（新建{f['rules_new']}项、"
        f"修订{f['rules_revised']}项），追缴（退回）资金{wan(f['recovered_amount'])}万元，"
        f"挽回损失{wan(f['loss_recovered'])}万元，追责问责{f['accountable']}人。移交的"
        f"{f['leads']}件问题线索已办结{f['leads_closed']}件，立案{f['cases']}件"
        f"{f['case_people']}人，给予党纪政务处分{f['sanctioned_people']}人，移送司法"
        f"{f['judicial_people']}人。")
